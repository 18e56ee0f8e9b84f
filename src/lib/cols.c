/*
 * Columns of a file (cols.h). A file's columns live in one image, the same
 * in memory and in the cache file:
 *
 *   magic, the file's identity (5 words), digits and the wanted fields,
 *   rows, then per column its kind, distinct values and their bytes; then
 *   per column its data (days, numbers, or indexes, offsets and bytes),
 *   each part padded to 8 bytes; last, a check word over all before it.
 *
 * The image is read whole and checked before any pointer is set into it, so
 * a cache file cut short or changed is read as no cache.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "bulkmem.h"
#include "cols.h"
#include "date.h"
#include "filter.h"
#include "gtab.h"
#include "edit.h"
#include "money.h"

#define MAGIC 0x35304c4f434d5243ull /* "CRMCOL05" */
#define TEXT_ONLY 0x100               /* with the digits: every column text */
#define HEAD_WORDS 16               /* magic, 5 of identity, digits|nw, 8 of wanted fields, rows */

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* A column while its file is read. */
struct colb {
	enum colkind kind;
	sbuf data;              /* int32 days, int64 numbers or uint32 indexes */
	struct gtab seen;       /* COL_STR: value -> its index */
	sbuf bytes;             /* COL_STR: the values, NUL-ended, in index order */
	uint32_t nstr;
};

struct build {
	const struct table *t;
	const int *want;
	int nw, digits;  /* digits | TEXT_ONLY: every field as text */
	size_t n;
	struct colb c[CSV_MAX_FIELDS];
};

static enum colkind kind_of(const struct field *f)
{
	return f->type == FT_DATE ? COL_DAY : f->type == FT_MONEY || f->type == FT_INT ? COL_NUM : COL_STR;
}

static int build_row(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct build *b = ctx;
	for (int k = 0; k < b->nw; k++) {
		struct colb *c = &b->c[k];
		const char *v = r->v[b->want[k]];
		if (c->kind == COL_DAY) {
			int32_t d = INT32_MIN;
			if (*v)
				date_parse(v, &d);
			sb_add(&c->data, (const char *)&d, sizeof d);
		} else if (c->kind == COL_NUM) {
			int64_t x = 0;
			if (b->t->f[b->want[k]].type == FT_MONEY)
				money_parse(v, b->digits & 0xff, &x);
			else
				int_parse(v, &x);
			sb_add(&c->data, (const char *)&x, sizeof x);
		} else {
			size_t len = strlen(v);
			uint32_t *ix = gtab_get(&c->seen, v, len, 1);
			if (c->seen.n > c->nstr) { /* just made */
				*ix = c->nstr++;
				sb_add(&c->bytes, v, len + 1);
			}
			sb_add(&c->data, (const char *)ix, sizeof *ix);
		}
	}
	b->n++;
	return 0;
}

static void put64(sbuf *img, uint64_t w)
{
	sb_add(img, (const char *)&w, sizeof w);
}

static void put_padded(sbuf *img, const char *p, size_t n)
{
	static const char zero[8];
	sb_add(img, p, n);
	sb_add(img, zero, pad8(n) - n);
}

/*
 * A check of n bytes (a multiple of 8): four lanes of an add and a multiply
 * each, mixed at the end, so a column is checked faster than it is read. A
 * word changed changes its lane (an odd multiplier loses nothing), and the
 * lanes' order and n are in the end.
 */
static inline uint64_t word_at(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

static uint64_t check_word(const char *p, size_t n)
{
	/* Four variables, not an array: kept in registers, the lanes run side by side. */
	const uint64_t m = 0xff51afd7ed558ccdull;
	uint64_t h0 = 0x9e3779b97f4a7c15ull, h1 = 0xc2b2ae3d27d4eb4full, h2 = 0x165667b19e3779f9ull,
		 h3 = 0x27d4eb2f165667c5ull;
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		h0 = (h0 + word_at(p + i)) * m;
		h1 = (h1 + word_at(p + i + 8)) * m;
		h2 = (h2 + word_at(p + i + 16)) * m;
		h3 = (h3 + word_at(p + i + 24)) * m;
	}
	if (i + 8 <= n)
		h0 = (h0 + word_at(p + i)) * m, i += 8;
	if (i + 8 <= n)
		h1 = (h1 + word_at(p + i)) * m, i += 8;
	if (i + 8 <= n)
		h2 = (h2 + word_at(p + i)) * m;
	uint64_t r = n, h[4] = {h0, h1, h2, h3};
	for (int l = 0; l < 4; l++) {
		r = (r ^ h[l] ^ (h[l] >> 29)) * m;
		r ^= r >> 32;
	}
	return r;
}

/* The identity of a file as a stat gives it: any write through rename or in place changes it. */
static void identity(const struct stat *st, uint64_t id[5])
{
	id[0] = (uint64_t)st->st_dev;
	id[1] = (uint64_t)st->st_ino;
	id[2] = (uint64_t)st->st_size;
	id[3] = (uint64_t)st->st_mtim.tv_sec * 1000000000ull + (uint64_t)st->st_mtim.tv_nsec;
	id[4] = (uint64_t)st->st_ctim.tv_sec * 1000000000ull + (uint64_t)st->st_ctim.tv_nsec;
}

static void head(sbuf *img, const uint64_t id[5], int digits, const int *want, int nw, size_t rows)
{
	put64(img, MAGIC);
	for (int i = 0; i < 5; i++)
		put64(img, id[i]);
	put64(img, (uint64_t)digits | (uint64_t)nw << 16);
	unsigned char w[64] = {0};
	for (int k = 0; k < nw && k < 64; k++)
		w[k] = (unsigned char)want[k];
	sb_add(img, (const char *)w, sizeof w);
	put64(img, rows);
}

/*
 * The header's length: the head, DESC words per column (kind, values, their
 * bytes, where the column starts, the column's check word), a check word.
 */
#define DESC 5
static size_t head_len(int nw)
{
	return HEAD_WORDS * 8 + (size_t)nw * DESC * 8 + 8;
}

/* Where column k starts and how long it is (desc: its four words). */
static size_t col_len(const uint64_t *desc, uint64_t rows)
{
	size_t each = desc[0] == COL_NUM ? 8 : 4;
	return pad8(rows * each) + (desc[0] == COL_STR ? pad8(desc[1] * 4) + pad8(desc[2]) : 0);
}

static void image_of(struct build *b, const uint64_t id[5], sbuf *img)
{
	img->len = 0;
	head(img, id, b->digits, b->want, b->nw, b->n);
	size_t at = head_len(b->nw);
	for (int k = 0; k < b->nw; k++) {
		struct colb *c = &b->c[k];
		put64(img, c->kind);
		put64(img, c->nstr);
		put64(img, c->bytes.len);
		put64(img, at);
		put64(img, 0); /* its check word, once written */
		at += pad8(c->data.len) + (c->kind == COL_STR ? pad8(c->nstr * 4u) + pad8(c->bytes.len) : 0);
	}
	put64(img, 0);
	for (int k = 0; k < b->nw; k++) {
		struct colb *c = &b->c[k];
		put_padded(img, c->data.s, c->data.len);
		if (c->kind != COL_STR)
			continue;
		/* Offsets of the values, so a reader points at them without a pass over the bytes. */
		uint32_t *off = xmalloc(((size_t)c->nstr + 1) * sizeof *off), o = 0;
		for (uint32_t i = 0; i < c->nstr; i++) {
			off[i] = o;
			o += (uint32_t)strlen(c->bytes.s + o) + 1;
		}
		put_padded(img, (const char *)off, c->nstr * sizeof *off);
		free(off);
		put_padded(img, c->bytes.s, c->bytes.len);
	}
	/* A column read is checked whole (a cache file changed by anything but crm is no cache). */
	for (int k = 0; k < b->nw; k++) {
		uint64_t d[DESC];
		char *at_desc = img->s + HEAD_WORDS * 8 + (size_t)k * DESC * 8;
		memcpy(d, at_desc, sizeof d);
		d[4] = check_word(img->s + d[3], col_len(d, b->n));
		memcpy(at_desc, d, sizeof d);
	}
	uint64_t hw = check_word(img->s, head_len(b->nw) - 8);
	memcpy(img->s + head_len(b->nw) - 8, &hw, 8);
}

static void build_free(struct build *b)
{
	for (int k = 0; k < b->nw; k++) {
		sb_free(&b->c[k].data);
		sb_free(&b->c[k].bytes);
		gtab_free(&b->c[k].seen);
	}
}

/* The header, when it is whole and of this file (id NULL: any), these fields and digits; -1 otherwise. */
static int head_ok(const char *img, size_t len, const uint64_t *id, int digits, const int *want, int nw)
{
	size_t hl = head_len(nw);
	uint64_t w, rows;
	if (len < hl || len % 8)
		return -1;
	memcpy(&w, img + hl - 8, 8);
	if (w != check_word(img, hl - 8))
		return -1;
	memcpy(&rows, img + (HEAD_WORDS - 1) * 8, 8);
	sbuf h = {0};
	head(&h, id ? id : (const uint64_t *)(img + 8), digits, want, nw, rows);
	int same = !memcmp(h.s, img, h.len);
	sb_free(&h);
	if (!same)
		return -1;
	for (int k = 0; k < nw; k++) {
		uint64_t d[DESC];
		memcpy(d, img + HEAD_WORDS * 8 + (size_t)k * DESC * 8, sizeof d);
		if (d[0] > COL_STR || d[1] > len || d[2] > len || rows > len || d[3] > len || col_len(d, rows) > len - d[3])
			return -1;
	}
	return 0;
}

/*
 * Points cf's needed columns (bit k of need: want[k]) into img, whose
 * header head_ok passed; -1 when a column does not hold together. strs
 * holds the value pointers.
 */
static int image_open(const char *img, int nw, uint64_t need, struct colfile *cf, const char ***strs)
{
	uint64_t rows, desc[CSV_MAX_FIELDS][DESC];
	memcpy(&rows, img + (HEAD_WORDS - 1) * 8, 8);
	memcpy(desc, img + HEAD_WORDS * 8, (size_t)nw * DESC * 8);
	cf->n = rows;
	size_t nstrs = 0;
	for (int k = 0; k < nw; k++)
		if (need >> k & 1)
			nstrs += desc[k][1];
	*strs = xrealloc(*strs, (nstrs + 1) * sizeof **strs);
	const char **sp = *strs;
	for (int k = 0; k < nw; k++) {
		struct col *c = &cf->c[k];
		memset(c, 0, sizeof *c);
		c->kind = (enum colkind)desc[k][0];
		if (!(need >> k & 1))
			continue;
		const char *p = img + desc[k][3];
		if (check_word(p, col_len(desc[k], rows)) != desc[k][4])
			return -1;
		if (c->kind == COL_DAY)
			c->day = (const int32_t *)p;
		else if (c->kind == COL_NUM)
			c->num = (const int64_t *)p;
		if (c->kind != COL_STR)
			continue;
		c->ix = (const uint32_t *)p;
		c->nstr = (uint32_t)desc[k][1];
		size_t nb = desc[k][2];
		const uint32_t *off = (const uint32_t *)(p + pad8(rows * 4));
		const char *bytes = (const char *)off + pad8(c->nstr * 4u);
		if (nb && bytes[nb - 1])
			return -1;
		for (uint32_t i = 0; i < c->nstr; i++) {
			if (off[i] >= nb)
				return -1;
			sp[i] = bytes + off[i];
		}
		c->str = sp;
		c->pool = bytes;
		c->npool = nb;
		sp += c->nstr;
		/* A value out of range would be read past its list: such a file is no cache. */
		uint32_t top = 0;
		for (size_t i = 0; i < rows; i++)
			top = c->ix[i] > top ? c->ix[i] : top;
		if (rows && top >= c->nstr)
			return -1;
	}
	return 0;
}

/* One thread's buffers, kept from file to file. */
struct worker {
	sbuf img;
	size_t guess;            /* the first read of a cache file: as much as the last one's first run */
	const char **strs;
	struct build b;
	/* The folder of the last file, in the store and in the cache: a month's files are found by name alone. */
	char dir[256];
	int dfd, cdfd;
};

struct cscan {
	struct store *s;
	const struct table *t;
	char *const *paths;
	const int *want;
	int nw;
	col_fn fn;
	void *const *ctx;
	int digits;              /* the store's, | TEXT_ONLY */
	uint64_t need;           /* bit k: want[k] is read */
	int rootfd, cachefd;     /* the store's folder and the cache's: paths below them are short */
	char cache[4096];        /* the cache folder, "" when none (--at, a repair) */
	char wanthex[CSV_MAX_FIELDS * 2 + 2];
	struct worker w[SCAN_MAX];
};

/* Below the cache folder. */
static void cache_path(struct cscan *c, const char *path, char *out, size_t cap)
{
	snprintf(out, cap, "%s.%s", path, c->wanthex);
}

static int pread_all(int fd, char *to, size_t len, size_t at)
{
	while (len) {
		ssize_t r = pread(fd, to, len, (off_t)at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		to += r, at += (size_t)r, len -= (size_t)r;
	}
	return 0;
}

/*
 * The cache file's header and needed columns, each where it lies in the
 * file (neighbours in one read); -1 when it is not this file's. A file cut
 * short fails its reads; its header's check word names its length.
 */
static int read_cached(struct cscan *c, struct worker *w, int dirfd, const char *cpath, const uint64_t *id)
{
	sbuf *b = &w->img;
	int fd = openat(dirfd, cpath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	size_t hl = head_len(c->nw);
	int rc = -1;
	uint64_t rows, len, desc[CSV_MAX_FIELDS][DESC];
	/* The header and what follows it in one read: most reports need the first columns. */
	b->len = 0;
	sb_grow(b, w->guess > hl ? w->guess : hl);
	ssize_t got = pread(fd, b->s, w->guess > hl ? w->guess : hl, 0);
	if (got < (ssize_t)hl)
		goto out;
	memcpy(&rows, b->s + (HEAD_WORDS - 1) * 8, 8);
	memcpy(desc, b->s + HEAD_WORDS * 8, (size_t)c->nw * DESC * 8);
	len = hl;
	for (int k = 0; k < c->nw; k++)
		if (desc[k][3] <= (uint64_t)1 << 40 && desc[k][3] + col_len(desc[k], rows) > len)
			len = desc[k][3] + col_len(desc[k], rows);
	/* A store file's columns are far below a GiB; a header saying more is no header of ours. */
	if (len > (uint64_t)1 << 30 || head_ok(b->s, len, id, c->digits, c->want, c->nw))
		goto out;
	sb_grow(b, len + 8); /* realloc keeps what was read */
	/* Columns are stored in want order: a run of needed ones is one read. */
	for (int k = 0; k < c->nw; k++) {
		if (!(c->need >> k & 1))
			continue;
		int j = k;
		while (j + 1 < c->nw && c->need >> (j + 1) & 1)
			j++;
		size_t from = desc[k][3], to = desc[j][3] + col_len(desc[j], rows);
		if (from == hl)
			w->guess = to + to / 8; /* files of a table grow alike */
		if (from < (size_t)got)
			from = (size_t)got; /* the first read brought its start */
		if (to > from && pread_all(fd, b->s + from, to - from, from))
			goto out;
		k = j;
	}
	b->len = len;
	rc = 0;
out:
	close(fd);
	return rc;
}

/* Makes the folders of path (below the cache) as needed. */
static void mkdirs(char *path, size_t from)
{
	for (char *p = path + from; (p = strchr(p + 1, '/'));) {
		*p = 0;
		mkdir(path, 0777);
		*p = '/';
	}
}

/* Written beside and renamed in: a reader sees a whole image or none. A failure only costs the next read. */
static void cache_save(struct cscan *c, const char *rel, const sbuf *img)
{
	char tmp[4200], cpath[4300];
	snprintf(cpath, sizeof cpath, "%s/%s", c->cache, rel);
	snprintf(tmp, sizeof tmp, "%s.%ld.%lx.tmp", cpath, (long)getpid(), (unsigned long)(uintptr_t)img);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 && errno == ENOENT) {
		mkdir(c->cache, 0777);
		mkdirs(tmp, strlen(c->cache));
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	}
	if (fd < 0)
		return;
	size_t done = 0;
	while (done < img->len) {
		ssize_t r = write(fd, img->s + done, img->len - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		done += (size_t)r;
	}
	if (close(fd) || done != img->len || rename(tmp, cpath))
		unlink(tmp);
}

/*
 * A file changed within the clock's grain of the cache being made could
 * change again unseen with the same times (git's "racy" files): such a file
 * is read each time until it is older.
 */
static int settled(const struct stat *st)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return now.tv_sec - st->st_mtim.tv_sec > 2 && now.tv_sec - st->st_ctim.tv_sec > 2;
}

/* fn sees the file; what it took is the worker's no longer. */
static int deliver(struct cscan *c, struct worker *w, int k, struct colfile *cf, crm_err *e)
{
	cf->image = w->img.s;
	cf->strs = w->strs;
	int rc = c->fn(c->ctx[k], cf, e);
	if (cf->taken) {
		w->img = (sbuf){0};
		w->strs = NULL;
	}
	return rc;
}

void cols_free(struct colfile *cf)
{
	free(cf->image);
	free(cf->strs);
	cf->image = NULL;
	cf->strs = NULL;
}

static int cscan_one(void *job, int k, size_t i, crm_err *e)
{
	struct cscan *c = job;
	struct worker *w = &c->w[k];
	const char *path = c->paths[i];
	struct colfile cf = {.path = path, .index = i};
	char cpath[4300];
	struct stat st;
	uint64_t id[5] = {0};
	int keyed = 0;
	if (c->cachefd >= 0) {
		const char *base = strrchr(path, '/');
		size_t dl = base ? (size_t)(base - path) : 0;
		base = base ? base + 1 : path;
		if (dl < sizeof w->dir && (strlen(w->dir) != dl || memcmp(w->dir, path, dl))) {
			if (w->dfd >= 0)
				close(w->dfd);
			if (w->cdfd >= 0)
				close(w->cdfd);
			memcpy(w->dir, path, dl);
			w->dir[dl] = 0;
			w->dfd = openat(c->rootfd, dl ? w->dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
			w->cdfd = openat(c->cachefd, dl ? w->dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		}
		int in_dir = dl < sizeof w->dir && w->dfd >= 0;
		if (fstatat(in_dir ? w->dfd : c->rootfd, in_dir ? base : path, &st, AT_SYMLINK_NOFOLLOW))
			return errno == ENOENT ? 0 : crm_fail_sys(e, CRM_ENOINPUT, "cannot read", path);
		identity(&st, id);
		keyed = S_ISREG(st.st_mode);
		cache_path(c, path, cpath, sizeof cpath);
		char cbase[512];
		snprintf(cbase, sizeof cbase, "%s.%s", base, c->wanthex);
		int cached_dir = dl < sizeof w->dir && w->cdfd >= 0;
		if (keyed && !read_cached(c, w, cached_dir ? w->cdfd : c->cachefd, cached_dir ? cbase : cpath, id) &&
		    !image_open(w->img.s, c->nw, c->need, &cf, &w->strs)) {
			cf.cached = 1;
			return deliver(c, w, k, &cf, e);
		}
	}
	struct build *b = &w->b;
	build_free(b);
	memset(b, 0, sizeof *b);
	*b = (struct build){.t = c->t, .want = c->want, .nw = c->nw, .digits = c->digits};
	for (int j = 0; j < c->nw; j++) {
		b->c[j].kind = c->digits & TEXT_ONLY ? COL_STR : kind_of(&c->t->f[c->want[j]]);
		if (b->c[j].kind == COL_STR)
			gtab_init(&b->c[j].seen, sizeof(uint32_t));
	}
	int rc = store_scan_fields(c->s, c->t, path, c->want, c->nw, build_row, b, e);
	if (rc)
		return rc;
	image_of(b, id, &w->img);
	if (head_ok(w->img.s, w->img.len, NULL, c->digits, c->want, c->nw) || image_open(w->img.s, c->nw, c->need, &cf, &w->strs))
		return crm_fail(e, CRM_EINTERNAL, "%s: its columns could not be read back", path);
	/* Kept only when the file read is the one stat saw, and has settled. */
	struct stat after;
	if (keyed && !fstatat(c->rootfd, path, &after, AT_SYMLINK_NOFOLLOW) && st.st_ino == after.st_ino && st.st_size == after.st_size &&
	    st.st_mtim.tv_sec == after.st_mtim.tv_sec && st.st_mtim.tv_nsec == after.st_mtim.tv_nsec && settled(&st))
		cache_save(c, cpath, &w->img);
	return deliver(c, w, k, &cf, e);
}

static void cache_dir(struct store *s, char *out, size_t cap)
{
	snprintf(out, cap, "%scrm-cache", git_repository_path(s->repo));
}

static int cols_scan(struct store *s, const struct table *t, char *const *paths, size_t n, const int *want, int nw,
	uint64_t need, int text, col_fn fn, void *const *ctx, int nctx, crm_err *e)
{
	struct cscan *c = xcalloc(1, sizeof *c);
	*c = (struct cscan){.s = s, .t = t, .paths = paths, .want = want, .nw = nw, .fn = fn, .ctx = ctx,
		.digits = s->digits | (text ? TEXT_ONLY : 0), .need = need ? need : ~0ull};
	/* --at, and a store whose last write died half-way, are read from git objects: no files to key by. */
	c->rootfd = c->cachefd = -1;
	for (int k = 0; k < SCAN_MAX; k++) {
		c->w[k].dfd = c->w[k].cdfd = -1;
		c->w[k].dir[0] = 1; /* no folder yet */
	}
	if (!s->at && !s->at_tree && !getenv("CRM_NO_CACHE")) {
		cache_dir(s, c->cache, sizeof c->cache);
		mkdir(c->cache, 0777);
		c->rootfd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		c->cachefd = open(c->cache, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (c->rootfd < 0 || c->cachefd < 0) {
			if (c->rootfd >= 0)
				close(c->rootfd);
			if (c->cachefd >= 0)
				close(c->cachefd);
			c->rootfd = c->cachefd = -1;
		}
	}
	for (int k = 0; k < nw; k++)
		snprintf(c->wanthex + 2 * k, 3, "%02x", (unsigned)want[k]);
	if (text)
		c->wanthex[2 * nw] = 't', c->wanthex[2 * nw + 1] = 0;
	int rc = par_items(n, nctx, cscan_one, c, e);
	if (c->cachefd >= 0) {
		close(c->cachefd);
		close(c->rootfd);
	}
	for (int k = 0; k < SCAN_MAX; k++) {
		if (c->w[k].dfd >= 0)
			close(c->w[k].dfd);
		if (c->w[k].cdfd >= 0)
			close(c->w[k].cdfd);
		sb_free(&c->w[k].img);
		free(c->w[k].strs);
		build_free(&c->w[k].b);
	}
	free(c);
	return rc;
}

int cols_scan_par(struct store *s, const struct table *t, char *const *paths, size_t n, const int *want, int nw,
	uint64_t need, col_fn fn, void *const *ctx, int nctx, crm_err *e)
{
	return cols_scan(s, t, paths, n, want, nw, need, 0, fn, ctx, nctx, e);
}

int cols_ledger_par(struct store *s, const struct table *t, int32_t from, int32_t to, const int *want, int nw,
	uint64_t need, col_fn fn, void *const *ctx, int nctx, crm_err *e)
{
	char **paths;
	size_t n;
	int rc = ledger_paths(s, t, from, to, &paths, &n, e);
	if (!rc)
		rc = cols_scan_par(s, t, paths, n, want, nw, need, fn, ctx, nctx, e);
	store_list_free(paths, n);
	return rc;
}

int cols_table_par(struct store *s, const struct table *t, const int *want, int nw, uint64_t need, col_fn fn,
	void *const *ctx, int nctx, crm_err *e)
{
	char **paths;
	size_t n;
	int rc = store_list(s, t->name, &paths, &n, e);
	if (!rc)
		rc = cols_scan_par(s, t, paths, n, want, nw, need, fn, ctx, nctx, e);
	store_list_free(paths, n);
	return rc;
}

/*
 * Below the cache folder dir (rel: where in it), every file that is no
 * longer of its store file (gone, or changed: its identity in the header no
 * longer the file's), and any half-written one, removed; folders left empty
 * go too. Nothing is followed through a link.
 */
static size_t prune(struct store *s, const char *dir, const char *rel)
{
	size_t gone = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char sub[4096], srel[4096];
		snprintf(sub, sizeof sub, "%s/%s", dir, de->d_name);
		snprintf(srel, sizeof srel, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		struct stat st;
		if (lstat(sub, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			gone += prune(s, sub, srel);
			rmdir(sub); /* only when empty */
			continue;
		}
		/* "path.csv.<fields>": the store file is the name without its last part. */
		char src[4096], *dot = strrchr(srel, '.');
		uint64_t head[6] = {0}, id[5];
		int fd = open(sub, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), keep = 0;
		if (dot && !strstr(de->d_name, ".tmp") && fd >= 0 && pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head) {
			snprintf(src, sizeof src, "%s/%.*s", s->root, (int)(dot - srel), srel);
			if (!lstat(src, &st) && S_ISREG(st.st_mode)) {
				identity(&st, id);
				keep = head[0] == MAGIC && !memcmp(head + 1, id, sizeof id);
			}
		}
		if (fd >= 0)
			close(fd);
		if (!keep && !unlink(sub))
			gone++;
	}
	if (d)
		closedir(d);
	return gone;
}

size_t cols_cache_prune(struct store *s)
{
	char dir[4096];
	cache_dir(s, dir, sizeof dir);
	return prune(s, dir, "");
}

/* ---- a master table held as columns ---- */

/* An id of 8 bytes or fewer as one word (0 for a longer one). */
static uint64_t packed_id(const char *id)
{
	uint64_t w = 0;
	size_t n = strnlen(id, 9);
	if (n > 8)
		return 0;
	memcpy(&w, id, n);
	return w;
}

/* A file's kept fields copied out of its columns (each column's values at once), its ids' numbers made, on the thread that read it. */
/*
 * n bytes of the thread's slab. Blocks up to 32 MiB, in huge pages from 8 MiB: a million
 * customers in small allocations of 4 KiB pages cost more in page faults
 * (on a virtual machine) than the copying.
 */
static char *slab_take(struct cslab *sl, size_t n)
{
	n = pad8(n);
	if (n > sl->left) {
		/* From 256 KiB, doubling to 32 MiB: a small store's report stays small (a huge page is 2 MiB of memory). */
		size_t size = sl->nblk < 7 ? (size_t)256 << (10 + sl->nblk) : (size_t)32 << 20;
		if (size < n)
			size = n;
		sl->blk = xrealloc(sl->blk, (sl->nblk + 1) * sizeof *sl->blk);
		sl->at = sl->blk[sl->nblk++] = xmalloc(size);
		bulk_buffer(sl->at, size);
		sl->left = size;
	}
	char *p = sl->at;
	sl->at += n;
	sl->left -= n;
	return p;
}

static int ctab_file(void *ctx, struct colfile *cf, crm_err *e)
{
	(void)e;
	struct cslab *sl = ctx;
	struct ctab *c = sl->c;
	struct cfile *f = &c->f[cf->index];
	size_t bytes = 0, n = cf->n, ns = (size_t)c->nslot;
	for (int k = 0; k < c->t->nf; k++)
		if (c->slot[k] >= 0)
			bytes += cf->c[k].npool;
	f->n = n;
	char *m = slab_take(sl, n * 16 + n * ns * 4 + bytes + 8);
	f->num = (uint64_t *)m;
	f->packed = f->num + n;
	f->off = (uint32_t *)(f->packed + n);
	f->bytes = (char *)(f->off + n * ns);
	size_t at = 0;
	for (int k = 0; k < c->t->nf; k++) {
		const struct col *col = &cf->c[k];
		if (c->slot[k] < 0)
			continue;
		memcpy(f->bytes + at, col->pool, col->npool);
		for (size_t r = 0; r < n; r++)
			f->off[r * ns + (size_t)c->slot[k]] = (uint32_t)(at + (size_t)(col->str[col->ix[r]] - col->pool));
		at += col->npool;
	}
	for (size_t r = 0; r < n; r++) {
		const char *id = cf->c[0].str[cf->c[0].ix[r]];
		f->num[r] = id_number(id);
		f->packed[r] = packed_id(id);
	}
	return 0;
}

/*
 * The digits of id after the prefix pre: their count (0: not that prefix
 * then digits to the end, or over 18 of them) and number.
 */
static size_t id_digits(const char *id, const char *pre, size_t npre, unsigned long long *v)
{
	if (memcmp(id, pre, npre))
		return 0;
	const char *p = id + npre;
	size_t nd = 0;
	*v = 0;
	for (unsigned d; nd <= 18 && (d = (unsigned char)p[nd] - '0') <= 9; nd++)
		*v = *v * 10 + d;
	return p[nd] || nd > 18 ? 0 : nd;
}

/*
 * The number of id when it has the form every id has (ctab_canon): the
 * prefix, then the number in at least width digits, zero-padded to width and
 * never beyond (C000123, C1000000), so that the number alone says the id.
 * -1 otherwise.
 */
static long long canon_number(const struct ctab *c, const char *id)
{
	unsigned long long v;
	size_t nd = id_digits(id, c->pre, c->npre, &v);
	if (nd < c->width || (nd > c->width && id[c->npre] == '0'))
		return -1; /* nd 0 is below any width */
	return (long long)v;
}

/* Whether every id has the one form of canon_number (a prefix of at most 7 bytes): then canon. */
static void ctab_canon(struct ctab *c)
{
	if (!c->n)
		return;
	const char *first = ctab_get(c, 0, 0);
	size_t np = strcspn(first, "0123456789");
	if (np > 7)
		return;
	memcpy(c->pre, first, np);
	c->npre = np;
	/* The width: the fewest digits of any id; no id may have fewer, or more with a leading zero. */
	size_t w = 19;
	for (size_t i = 0; i < c->n; i++) {
		unsigned long long v;
		size_t nd = id_digits(ctab_get(c, i, 0), c->pre, np, &v);
		if (!nd)
			return;
		if (nd < w)
			w = nd;
	}
	c->width = w;
	unsigned long long top = 0;
	for (size_t i = 0; i < c->n; i++) {
		long long k = canon_number(c, ctab_get(c, i, 0));
		if (k < 0)
			return;
		if ((unsigned long long)k > top)
			top = (unsigned long long)k;
	}
	if (top >= 4 * (unsigned long long)c->n + 1024)
		return;
	c->ncanon = (size_t)top + 1;
	c->canon = xcalloc(c->ncanon, sizeof *c->canon);
	bulk_buffer(c->canon, c->ncanon * sizeof *c->canon);
	for (size_t i = 0; i < c->n; i++) {
		uint32_t *slot = &c->canon[canon_number(c, ctab_get(c, i, 0))];
		if (*slot) { /* two records of one id: found by the slower ways, which keep the last */
			free(c->canon);
			c->canon = NULL, c->ncanon = 0;
			return;
		}
		*slot = (uint32_t)i + 1;
	}
}

/* Ids numbered densely (C000123, SKU-003070) are found by their number; else by a hash of the id. */
static void ctab_index(struct ctab *c)
{
	ctab_canon(c);
	if (c->canon)
		return;
	unsigned long long top = 0;
	for (size_t i = 0; i < c->n; i++) {
		unsigned long long k = c->f[c->at[i][0]].num[c->at[i][1]];
		if (k > top)
			top = k;
	}
	if (top < 4 * (unsigned long long)c->n + 1024) {
		c->nbynum = (size_t)top + 1;
		c->bynum = xcalloc(c->nbynum, sizeof *c->bynum);
		bulk_buffer(c->bynum, c->nbynum * sizeof *c->bynum);
		size_t i;
		for (i = 0; i < c->n; i++) {
			const struct cfile *f = &c->f[c->at[i][0]];
			struct cnum *slot = &c->bynum[f->num[c->at[i][1]]];
			if (slot->rec)
				break; /* two ids of one number: by hash after all */
			slot->rec = (uint32_t)i + 1;
			slot->id = f->packed[c->at[i][1]];
		}
		if (i == c->n)
			return;
		free(c->bynum);
		c->bynum = NULL;
	}
	c->idx = xcalloc(1, sizeof *c->idx);
	gtab_init(c->idx, sizeof(size_t));
	for (size_t i = 0; i < c->n; i++) {
		const char *id = ctab_get(c, i, 0);
		*(size_t *)gtab_get(c->idx, id, strlen(id), 1) = i;
	}
}

int ctab_load(struct ctab *c, struct store *s, const struct table *t, struct filter *flt, uint64_t need, crm_err *e)
{
	memset(c, 0, sizeof *c);
	c->t = t;
	char **paths;
	size_t n;
	int want[CSV_MAX_FIELDS];
	need = flt ? ~0ull : need | 1;
	for (int k = 0; k < t->nf; k++) {
		want[k] = k;
		c->slot[k] = need >> k & 1 ? c->nslot++ : -1;
	}
	int rc = store_list(s, t->name, &paths, &n, e);
	if (rc)
		return rc;
	c->f = xcalloc(n + 1, sizeof *c->f);
	c->nfiles = n;
	void *ctx[SCAN_MAX];
	for (int k = 0; k < SCAN_MAX; k++) {
		c->slab[k].c = c;
		ctx[k] = &c->slab[k];
	}
	/* Each thread writes only its own files' slots. */
	rc = cols_scan(s, t, paths, n, want, t->nf, need, 1, ctab_file, ctx, scan_workers(s), e);
	size_t rows = 0;
	for (size_t i = 0; i < n; i++)
		rows += c->f[i].n;
	c->at = xmalloc((rows + 1) * sizeof *c->at);
	bulk_buffer(c->at, (rows + 1) * sizeof *c->at);
	for (size_t i = 0; i < n && !rc; i++) {
		struct cfile *f = &c->f[i];
		for (size_t j = 0; j < f->n && !rc; j++) {
			c->at[c->n][0] = (uint32_t)i;
			c->at[c->n][1] = (uint32_t)j;
			if (flt) {
				char *v[CSV_MAX_FIELDS];
				for (int k = 0; k < t->nf; k++)
					v[k] = (char *)ctab_get(c, c->n, k);
				int m = filter_match(flt, v, paths[i], (long)j + 2, e);
				if (m < 0)
					rc = e->code;
				if (m <= 0)
					continue;
			}
			c->n++;
		}
	}
	store_list_free(paths, n);
	if (!rc)
		ctab_index(c);
	return rc;
}

long ctab_find(const struct ctab *c, const char *id)
{
	if (c->canon) {
		long long k = canon_number(c, id);
		return k < 0 || (size_t)k >= c->ncanon ? -1 : (long)c->canon[k] - 1;
	}
	if (c->bynum) {
		unsigned long long k = id_number(id);
		if (k >= c->nbynum || !c->bynum[k].rec)
			return -1;
		const struct cnum *n = &c->bynum[k];
		uint64_t w = packed_id(id);
		if (w || n->id)
			return w == n->id ? (long)n->rec - 1 : -1;
		return !strcmp(ctab_get(c, n->rec - 1, 0), id) ? (long)n->rec - 1 : -1;
	}
	const size_t *i = c->idx ? gtab_find(c->idx, id, strlen(id)) : NULL;
	return i ? (long)*i : -1;
}

/* ctab_find_many by canon: each id's number first, its slot asked into the cache some ids ahead of its look. */
static void canon_find_many(const struct ctab *c, const char *const *ids, size_t n, long *out)
{
	enum { AHEAD = 16 };
	for (size_t i = 0; i < n + AHEAD; i++) {
		if (i < n) {
			long long k = canon_number(c, ids[i]);
			out[i] = k >= 0 && (size_t)k < c->ncanon ? (long)k : -1;
			if (out[i] >= 0)
				__builtin_prefetch(&c->canon[k]);
		}
		if (i >= AHEAD && out[i - AHEAD] >= 0)
			out[i - AHEAD] = (long)c->canon[out[i - AHEAD]] - 1;
	}
}

void ctab_find_many(const struct ctab *c, const char *const *ids, size_t n, long *out)
{
	if (c->canon) {
		canon_find_many(c, ids, n, out);
		return;
	}
	if (!c->bynum) {
		for (size_t i = 0; i < n; i++)
			out[i] = ctab_find(c, ids[i]);
		return;
	}
	/* Each id's number first, its slot asked into the cache some ids ahead of its look. */
	enum { AHEAD = 12 };
	for (size_t i = 0; i < n + AHEAD; i++) {
		if (i < n) {
			unsigned long long k = id_number(ids[i]);
			out[i] = k < c->nbynum ? (long)k : -1;
			if (out[i] >= 0)
				__builtin_prefetch(&c->bynum[k]);
		}
		if (i >= AHEAD && out[i - AHEAD] >= 0) {
			size_t j = i - AHEAD;
			const struct cnum *nb = &c->bynum[out[j]];
			uint64_t w = packed_id(ids[j]);
			out[j] = !nb->rec ? -1 : w || nb->id ? (w == nb->id ? (long)nb->rec - 1 : -1)
				: !strcmp(ctab_get(c, nb->rec - 1, 0), ids[j]) ? (long)nb->rec - 1 : -1;
		}
	}
}

void ctab_free(struct ctab *c)
{
	for (int k = 0; k < SCAN_MAX; k++) {
		for (size_t i = 0; i < c->slab[k].nblk; i++)
			free(c->slab[k].blk[i]);
		free(c->slab[k].blk);
	}
	free(c->f);
	free(c->at);
	free(c->bynum);
	free(c->canon);
	if (c->idx)
		gtab_free(c->idx);
	free(c->idx);
	memset(c, 0, sizeof *c);
}
