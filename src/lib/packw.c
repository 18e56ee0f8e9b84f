#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <git2/sys/odb_backend.h>
#include "packw.h"
#include "sha1.h"
#include "strset.h"
#include "text.h"
#include "zfast.h"

struct pobj {
	git_oid id;
	git_object_t type;
	size_t size;       /* inflated */
	unsigned char *z;  /* deflated, as the pack holds it */
	size_t zlen;
};

struct packw {
	git_odb_backend be; /* first: libgit2 hands the backend back */
	struct pobj *o;
	size_t n, cap;
	struct strmap at;  /* hex id -> index in o */
	pthread_mutex_t lock; /* o and at, for the threads of packw_thread_odb */
	git_odb *odb;
	git_repository *repo;
	char objects[4096];
};

/* A copy of the object's entry (its data stays put), under the lock; 0 when it is not here. */
static int find(struct packw *pw, const git_oid *id, struct pobj *out)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, id);
	pthread_mutex_lock(&pw->lock);
	size_t i = strmap_get(&pw->at, hex, (size_t)-1);
	if (i != (size_t)-1 && out)
		*out = pw->o[i];
	pthread_mutex_unlock(&pw->lock);
	return i != (size_t)-1;
}

/* A thread's own handle reaches the pack through a backend of its own. */
struct shim {
	git_odb_backend be;
	struct packw *pw;
};

static void shim_free(git_odb_backend *be)
{
	free(be);
}

static struct packw *owner(git_odb_backend *be)
{
	return be->free == shim_free ? ((struct shim *)be)->pw : (struct packw *)be;
}

int packw_add(struct packw *pw, const git_oid *id, git_object_t type, size_t size, unsigned char *z, size_t zlen)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, id);
	pthread_mutex_lock(&pw->lock);
	if (strmap_get(&pw->at, hex, (size_t)-1) != (size_t)-1) {
		pthread_mutex_unlock(&pw->lock);
		free(z);
		return 0;
	}
	if (pw->n == pw->cap) {
		pw->cap = pw->cap ? pw->cap * 2 : 1024;
		pw->o = xrealloc(pw->o, pw->cap * sizeof *pw->o);
	}
	pw->o[pw->n] = (struct pobj){*id, type, size, z, zlen};
	strmap_put(&pw->at, hex, pw->n++);
	pthread_mutex_unlock(&pw->lock);
	return 0;
}

static int be_write(git_odb_backend *be, const git_oid *id, const void *data, size_t len, git_object_t type)
{
	struct packw *pw = owner(be);
	if (find(pw, id, NULL))
		return 0;
	/* Deflated at once, outside the lock: only this stays in memory. A tree
	 * or commit is small; a compressor each is cheaper than sharing one. */
	unsigned char *z = NULL;
	size_t zlen = 0;
	struct zfast *zf = zfast_new();
	int bad = zfast_deflate(zf, data, len, &z, &zlen);
	zfast_free(zf);
	if (bad) {
		git_error_set_str(GIT_ERROR_ZLIB, "cannot deflate an object");
		return -1;
	}
	return packw_add(pw, id, type, len, z, zlen);
}

static int be_read(void **out, size_t *len, git_object_t *type, git_odb_backend *be, const git_oid *id)
{
	struct pobj p;
	if (!find(owner(be), id, &p))
		return GIT_ENOTFOUND;
	unsigned char *buf = git_odb_backend_data_alloc(be, p.size + 1);
	uLongf n = (uLongf)p.size;
	if (!buf)
		return -1;
	if (uncompress(buf, &n, p.z, (uLong)p.zlen) != Z_OK || n != p.size) {
		git_odb_backend_data_free(be, buf);
		git_error_set_str(GIT_ERROR_ZLIB, "cannot inflate an object");
		return -1;
	}
	*out = buf, *len = p.size, *type = p.type;
	return 0;
}

static int be_read_header(size_t *len, git_object_t *type, git_odb_backend *be, const git_oid *id)
{
	struct pobj p;
	if (!find(owner(be), id, &p))
		return GIT_ENOTFOUND;
	*len = p.size, *type = p.type;
	return 0;
}

static int be_exists(git_odb_backend *be, const git_oid *id)
{
	return find(owner(be), id, NULL);
}

static struct packw *current; /* one bulk commit at a time in a process */

struct packw *packw_of(git_repository *repo)
{
	return current && current->repo == repo ? current : NULL;
}

int packw_thread_odb(struct packw *pw, git_odb **out)
{
	struct shim *sh = xcalloc(1, sizeof *sh);
	git_odb_init_backend(&sh->be, GIT_ODB_BACKEND_VERSION);
	sh->pw = pw;
	sh->be.write = be_write;
	sh->be.read = be_read;
	sh->be.read_header = be_read_header;
	sh->be.exists = be_exists;
	sh->be.free = shim_free;
	*out = NULL;
	if (git_odb_new(out) || git_odb_add_backend(*out, &sh->be, 1)) {
		git_odb_free(*out);
		*out = NULL;
		free(sh);
		return -1;
	}
	return 0;
}

static void be_free(git_odb_backend *be)
{
	struct packw *pw = (struct packw *)be;
	for (size_t i = 0; i < pw->n; i++)
		free(pw->o[i].z);
	free(pw->o);
	strmap_clear(&pw->at);
	pthread_mutex_destroy(&pw->lock);
	free(pw);
}

int packw_open(git_repository *repo, struct packw **out, git_repository **wrapped, crm_err *e)
{
	struct packw *pw = xcalloc(1, sizeof *pw);
	pthread_mutex_init(&pw->lock, NULL);
	git_odb_init_backend(&pw->be, GIT_ODB_BACKEND_VERSION);
	pw->be.write = be_write;
	pw->be.read = be_read;
	pw->be.read_header = be_read_header;
	pw->be.exists = be_exists;
	pw->be.free = be_free;
	snprintf(pw->objects, sizeof pw->objects, "%sobjects", git_repository_path(repo));
	*out = NULL;
	*wrapped = NULL;
	/* Reads find the store's objects; writes go to the backend of highest priority, this one. */
	if (git_odb_open(&pw->odb, pw->objects)) {
		be_free(&pw->be);
		return crm_fail_git(e, "cannot open the objects");
	}
	if (git_odb_add_backend(pw->odb, &pw->be, 1000)) {
		git_odb_free(pw->odb);
		be_free(&pw->be);
		return crm_fail_git(e, "cannot open the objects");
	}
	/* The work tree too: a blob made from a file is filtered as the store's own would be. */
	if (git_repository_wrap_odb(&pw->repo, pw->odb) ||
	    (git_repository_workdir(repo) && git_repository_set_workdir(pw->repo, git_repository_workdir(repo), 0))) {
		packw_close(pw);
		return crm_fail_git(e, "cannot open the objects");
	}
	*out = current = pw;
	*wrapped = pw->repo;
	return 0;
}

void packw_close(struct packw *pw)
{
	if (!pw)
		return;
	if (current == pw)
		current = NULL;
	git_repository *repo = pw->repo;
	git_odb *odb = pw->odb;
	git_repository_free(repo);
	git_odb_free(odb); /* frees pw with its backend */
}

struct out {
	int fd;
	struct sha1 sum;
	unsigned char buf[1 << 16];
	size_t n;
	uint64_t off;
	int bad;
};

static void out_flush(struct out *o)
{
	for (size_t done = 0; done < o->n && !o->bad;) {
		ssize_t k = write(o->fd, o->buf + done, o->n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			o->bad = 1;
		else
			done += (size_t)k;
	}
	o->n = 0;
}

static void out_add(struct out *o, const void *data, size_t n)
{
	const unsigned char *p = data;
	sha1_add(&o->sum, p, n);
	o->off += n;
	while (n) {
		size_t k = sizeof o->buf - o->n < n ? sizeof o->buf - o->n : n;
		memcpy(o->buf + o->n, p, k);
		o->n += k, p += k, n -= k;
		if (o->n == sizeof o->buf)
			out_flush(o);
	}
}

static void out_be32(struct out *o, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
	out_add(o, b, 4);
}

/* Ends the file with its SHA-1 (kept in sum), writes it out and closes it; 0 or -1. */
static int out_end(struct out *o, unsigned char sum[20])
{
	sha1_sum(&o->sum, sum);
	out_add(o, sum, 20);
	out_flush(o);
	sha1_free(&o->sum);
	return close(o->fd) || o->bad ? -1 : 0;
}

static int by_id(const void *a, const void *b)
{
	return git_oid_cmp(&(*(struct pobj *const *)a)->id, &(*(struct pobj *const *)b)->id);
}

static int tmp_open(struct out *o, const char *dir, char *path, size_t cap)
{
	memset(o, 0, sizeof *o);
	snprintf(path, cap, "%s/pack/tmp_crm_XXXXXX", dir);
	o->fd = mkstemp(path);
	if (o->fd < 0)
		return -1;
	sha1_init(&o->sum);
	return 0;
}

int packw_write(struct packw *pw, char *pack, char *idx, size_t cap, crm_err *e)
{
	struct out *o = xmalloc(sizeof *o);
	char tpack[4200], tidx[4200], hex[41];
	uint64_t *offs = xmalloc((pw->n + 1) * sizeof *offs);
	uint32_t *crcs = xmalloc((pw->n + 1) * sizeof *crcs);
	struct pobj **sorted = xmalloc((pw->n + 1) * sizeof *sorted);
	unsigned char psum[20], isum[20];
	int rc = tmp_open(o, pw->objects, tpack, sizeof tpack);
	if (!rc) {
		out_add(o, "PACK", 4);
		out_be32(o, 2);
		out_be32(o, (uint32_t)pw->n);
		for (size_t i = 0; i < pw->n; i++) {
			struct pobj *p = &pw->o[i];
			/* The entry's header: type and inflated size, 4 bits then 7 a byte. */
			unsigned char h[16];
			size_t k = 0, sz = p->size;
			h[k] = (unsigned char)(p->type << 4 | (sz & 15));
			for (sz >>= 4; sz; sz >>= 7) {
				h[k++] |= 0x80;
				h[k] = sz & 0x7f;
			}
			k++;
			offs[i] = o->off;
			crcs[i] = zfast_crc32(zfast_crc32(0, h, k), p->z, p->zlen);
			out_add(o, h, k);
			out_add(o, p->z, p->zlen);
			sorted[i] = p;
		}
		rc = out_end(o, psum);
	}
	if (rc) {
		rc = crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", "a pack");
		unlink(tpack);
	}
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", psum[i]);
	qsort(sorted, pw->n, sizeof *sorted, by_id);
	if (!rc && !(rc = tmp_open(o, pw->objects, tidx, sizeof tidx))) {
		static const unsigned char magic[4] = {0xff, 't', 'O', 'c'};
		out_add(o, magic, 4);
		out_be32(o, 2);
		size_t k = 0;
		for (int b = 0; b < 256; b++) {
			while (k < pw->n && sorted[k]->id.id[0] <= b)
				k++;
			out_be32(o, (uint32_t)k);
		}
		for (size_t i = 0; i < pw->n; i++)
			out_add(o, sorted[i]->id.id, GIT_OID_RAWSZ);
		for (size_t i = 0; i < pw->n; i++)
			out_be32(o, crcs[sorted[i] - pw->o]);
		/* Offsets past 2 GiB go to a table of 64-bit ones. */
		uint32_t large = 0;
		for (size_t i = 0; i < pw->n; i++) {
			uint64_t off = offs[sorted[i] - pw->o];
			out_be32(o, off < 0x80000000u ? (uint32_t)off : 0x80000000u | large++);
		}
		for (size_t i = 0; i < pw->n; i++) {
			uint64_t off = offs[sorted[i] - pw->o];
			if (off >= 0x80000000u) {
				out_be32(o, (uint32_t)(off >> 32));
				out_be32(o, (uint32_t)off);
			}
		}
		out_add(o, psum, 20);
		if ((rc = out_end(o, isum))) {
			unlink(tidx);
			rc = crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", "a pack index");
		}
	} else if (!rc) {
		rc = crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", "a pack index");
	}
	snprintf(pack, cap, "%s/pack/pack-%s.pack", pw->objects, hex);
	snprintf(idx, cap, "%s/pack/pack-%s.idx", pw->objects, hex);
	/* Read-only as git keeps them; the index named last. */
	if (!rc && (chmod(tpack, 0444) || chmod(tidx, 0444) ||
		    rename(tpack, pack) || rename(tidx, idx))) {
		rc = crm_fail_sys(e, CRM_ECANTCREAT, "cannot place", pack);
		unlink(tpack);
		unlink(tidx);
		unlink(pack);
	}
	free(sorted);
	free(crcs);
	free(offs);
	free(o);
	return rc;
}
