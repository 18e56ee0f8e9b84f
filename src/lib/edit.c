#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edit.h"

unsigned long long id_seq(const char *id)
{
	size_t end = strcspn(id, "-");
	size_t i = end;
	while (i > 0 && id[i - 1] >= '0' && id[i - 1] <= '9')
		i--;
	unsigned long long v = 0;
	for (; i < end; i++)
		v = v * 10 + (unsigned long long)(id[i] - '0');
	return v;
}

unsigned key_hash(const char *key)
{
	unsigned h = 2166136261u;
	for (const char *p = key; *p && *p != '@'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/*
 * The name of an open/ shard in a store made before open/ had 4096: three
 * hex digits (open/3d/3db.csv), four since (open/3d/0f6c.csv). The first
 * shard found says it; none says the store is new.
 */
static int names_of_three(struct store *s, const char *table)
{
	if (s->at_tree) {
		git_tree_entry *te;
		git_tree *top = NULL, *sub = NULL;
		int three = 0;
		if (!git_tree_entry_bypath(&te, s->at_tree, table)) {
			if (!git_tree_lookup(&top, s->repo, git_tree_entry_id(te)) && git_tree_entrycount(top) &&
				!git_tree_lookup(&sub, s->repo, git_tree_entry_id(git_tree_entry_byindex(top, 0))) &&
				git_tree_entrycount(sub))
				three = strlen(git_tree_entry_name(git_tree_entry_byindex(sub, 0))) == 7;
			git_tree_free(sub);
			git_tree_free(top);
			git_tree_entry_free(te);
		}
		return three;
	}
	/* The first folder's first shard in byte order, as in the tree: the same answer each time. */
	char path[PATH_MAX], dir[3] = "", file[NAME_MAX + 1] = "";
	snprintf(path, sizeof path, "%s/%s", s->root, table);
	DIR *d = opendir(path);
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (strlen(de->d_name) == 2 && de->d_name[0] != '.' && (!*dir || strcmp(de->d_name, dir) < 0))
			memcpy(dir, de->d_name, 3);
	if (d)
		closedir(d);
	if (!*dir)
		return 0;
	snprintf(path, sizeof path, "%s/%s/%s", s->root, table, dir);
	if (!(d = opendir(path)))
		return 0;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n > 4 && !strcmp(de->d_name + n - 4, ".csv") && (!*file || strcmp(de->d_name, file) < 0))
			memcpy(file, de->d_name, n + 1);
	}
	closedir(d);
	return strlen(file) == 7;
}

int table_shards(struct store *s, const struct table *t)
{
	if (t->hash_shards <= 1024 || !s)
		return t->hash_shards;
	if (!s->open_shards)
		s->open_shards = names_of_three(s, t->name) ? 1024 : t->hash_shards;
	return s->open_shards;
}

static unsigned long long shard_key(struct store *s, const struct table *t, const char *id)
{
	if (t->hash_shards)
		return key_hash(id) % (unsigned)table_shards(s, t);
	return id_seq(id) / SHARD_IDS;
}

static void key_path(struct store *s, const struct table *t, unsigned long long key, char *out, size_t cap)
{
	int n = table_shards(s, t);
	if (n > 1024) {
		/* open/ of a million customers: 1024 files of 105 KB made each shipment's open/ blob 34 KB;
		 * 4096 in 64 folders of 64 keep the blob and both trees small. */
		snprintf(out, cap, "%s/%02llx/%04llx.csv", t->name, key >> 6, key);
		return;
	}
	if (n > 256) {
		/* 1024 files in one folder made a 35 KB tree object, rewritten by every write:
		 * 64 folders of 16 (stock/12/126.csv) keep both trees small. */
		snprintf(out, cap, "%s/%02llx/%03llx.csv", t->name, key >> 4, key);
		return;
	}
	if (n) {
		snprintf(out, cap, "%s/%02llx.csv", t->name, key);
		return;
	}
	unsigned long long first = key * SHARD_IDS;
	snprintf(out, cap, "%s/%03llu/%06llu.csv", t->name, first / 100000, first);
}

void shard_path(struct store *s, const struct table *t, const char *id, char *out, size_t cap)
{
	key_path(s, t, shard_key(s, t, id), out, cap);
}

void tabedit_init(struct tabedit *te, struct store *s, const struct table *t)
{
	memset(te, 0, sizeof *te);
	te->s = s;
	te->t = t;
}

void tabedit_free(struct tabedit *te)
{
	for (size_t i = 0; i < te->n; i++) {
		recs_free(&te->sh[i]->rs);
		free(te->sh[i]->rank);
		free(te->sh[i]->path);
		free(te->sh[i]);
	}
	free(te->sh);
	free(te->ht);
	free(te->once);
	recs_free(&te->peeked);
	memset(te, 0, sizeof *te);
}

static void ht_insert(struct tabedit *te, struct shard *sh)
{
	size_t h = (size_t)(sh->key * 0x9E3779B97F4A7C15ull) & (te->htcap - 1);
	while (te->ht[h].sh)
		h = (h + 1) & (te->htcap - 1);
	te->ht[h] = (struct shslot){sh->key, sh};
}

static struct shard *ht_find(struct tabedit *te, unsigned long long key)
{
	if (!te->htcap)
		return NULL;
	size_t h = (size_t)(key * 0x9E3779B97F4A7C15ull) & (te->htcap - 1);
	for (; te->ht[h].sh; h = (h + 1) & (te->htcap - 1))
		if (te->ht[h].key == key)
			return te->ht[h].sh;
	return NULL;
}

/* The rank of a key of the shard: past the shard's common prefix for a hashed table. */
static unsigned long long rank_in(const struct table *t, const struct shard *sh, const char *key)
{
	return key_rank(t, t->hash_shards ? key + sh->skip : key);
}

static void shard_rerank(const struct table *t, struct shard *sh)
{
	for (size_t i = 0; i < sh->rs.n; i++)
		sh->rank[i] = rank_in(t, sh, sh->rs.r[i]->v[0]);
}

/* The prefix of a and b, which sort first and last (or a key new to the shard and its prefix). */
static void shard_prefix(struct shard *sh, const char *a, const char *b)
{
	size_t n = 0;
	while (n < sizeof sh->pre - 1 && a[n] && a[n] == b[n])
		n++;
	memcpy(sh->pre, a, n);
	sh->pre[n] = 0;
	sh->skip = (unsigned char)n;
}

/* Narrows the shard's prefix to one key too shares: 1 if it changed (the ranks are then stale). */
static int shard_admit(const struct table *t, struct shard *sh, const char *key)
{
	if (!t->hash_shards || !sh->skip || !strncmp(key, sh->pre, sh->skip))
		return 0;
	shard_prefix(sh, key, sh->pre);
	return 1;
}

/* How many of r's kind the tabedit's mark counts: 0 or 1. */
static int marks(const struct tabedit *te, const rec *r)
{
	return te->mark && te->mark(r);
}

/* r appended to the shard, room for its rank made. */
static void shard_push(const struct tabedit *te, struct shard *sh, rec *r)
{
	recs_push(&sh->rs, r);
	if (sh->rs.n > sh->rcap) {
		sh->rcap *= 2;
		sh->rank = xrealloc(sh->rank, sh->rcap * sizeof *sh->rank);
	}
	sh->marked += marks(te, r);
}

static int shard_load(struct tabedit *te, unsigned long long key, struct shard **out, crm_err *e)
{
	if ((*out = ht_find(te, key)))
		return 0;
	char path[256];
	key_path(te->s, te->t, key, path, sizeof path);
	struct shard *sh = xcalloc(1, sizeof *sh);
	sh->key = key;
	sh->path = xstrdup(path);
	int rc = store_load_recs(te->s, te->t, sh->path, &sh->rs, e);
	if (rc) {
		recs_free(&sh->rs);
		free(sh->path);
		free(sh);
		return rc;
	}
	recs_sort_by_id(&sh->rs);
	sh->sorted = sh->rs.n;
	for (size_t i = 0; i < sh->rs.n; i++)
		sh->marked += marks(te, sh->rs.r[i]);
	sh->rcap = sh->rs.n ? sh->rs.n : 16;
	sh->rank = xmalloc(sh->rcap * sizeof *sh->rank);
	if (te->t->hash_shards && sh->rs.n)
		shard_prefix(sh, sh->rs.r[0]->v[0], sh->rs.r[sh->rs.n - 1]->v[0]);
	shard_rerank(te->t, sh);
	if (te->n == te->cap) {
		te->cap = te->cap ? te->cap * 2 : 16;
		te->sh = xrealloc(te->sh, te->cap * sizeof *te->sh);
	}
	te->sh[te->n++] = sh;
	if (te->n * 2 > te->htcap) {
		te->htcap = te->htcap ? te->htcap * 2 : 64;
		free(te->ht);
		te->ht = xcalloc(te->htcap, sizeof *te->ht);
		for (size_t i = 0; i < te->n; i++)
			ht_insert(te, te->sh[i]);
	} else {
		ht_insert(te, sh);
	}
	*out = sh;
	return 0;
}

/* Index of id in the sorted shard, or where it would go (*found = 0). */
static size_t shard_find(const struct table *t, struct shard *sh, const char *id, int *found)
{
	size_t n = sh->rs.n, lo = 0, hi = n;
	*found = 0;
	/* A key without the shard's prefix sorts before or after all of it. */
	if (t->hash_shards && sh->skip && strncmp(id, sh->pre, sh->skip))
		return strncmp(id, sh->pre, sh->skip) < 0 ? 0 : n;
	const unsigned long long k = rank_in(t, sh, id), *rank = sh->rank;
	/* Appends in id order are the common case: check the end first. */
	if (n && (rank[n - 1] < k || (rank[n - 1] == k && key_cmp(t, sh->rs.r[n - 1]->v[0], id) < 0)))
		return n;
	/* A shard of numbered ids without gaps holds number k at k minus its first:
	 * an import looks up a customer per order, and the search missed the cache. */
	if (!t->hash_shards && n && k >= rank[0] && k - rank[0] < n && rank[k - rank[0]] == k &&
	    key_cmp(t, sh->rs.r[k - rank[0]]->v[0], id) == 0) {
		*found = 1;
		return (size_t)(k - rank[0]);
	}
	/* The ranks narrow it to the keys of id's rank (mostly one or none) ... */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (rank[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t top = n; hi < top;) {
		size_t mid = (hi + top) / 2;
		if (rank[mid] <= k)
			hi = mid + 1;
		else
			top = mid;
	}
	/* ... and key_cmp orders those; a hashed key that ends within its rank
	 * (a zero last byte) is its rank, and no record need be read. */
	if (t->hash_shards && !(k & 0xff)) {
		*found = lo < hi;
		return lo;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = key_cmp(t, sh->rs.r[mid]->v[0], id);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* r at index i of the shard, its rank beside it. */
static void shard_insert(const struct tabedit *te, struct shard *sh, size_t i, rec *r)
{
	const struct table *t = te->t;
	if (shard_admit(t, sh, r->v[0]))
		shard_rerank(t, sh);
	shard_push(te, sh, r);
	size_t after = sh->rs.n - 1 - i;
	memmove(sh->rs.r + i + 1, sh->rs.r + i, after * sizeof *sh->rs.r);
	memmove(sh->rank + i + 1, sh->rank + i, after * sizeof *sh->rank);
	sh->rs.r[i] = r;
	sh->rank[i] = rank_in(t, sh, r->v[0]);
	sh->sorted = sh->rs.n;
}

/* r, leaving the shard: its mark counted out. */
static void unmark_free(const struct tabedit *te, struct shard *sh, rec *r)
{
	sh->marked -= marks(te, r);
	free(r);
}

struct ranked {
	unsigned long long rank;
	rec *r;
};

static int cmp_ranked(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return key_cmp(a->r->t, a->r->v[0], b->r->v[0]);
}

/*
 * The records added since the shard was last in order (tabedit_add), sorted
 * and merged in by rank, records read only where ranks tie; a key there
 * already, or added twice, keeps one record, the added.
 */
static void shard_settle(const struct tabedit *te, struct shard *sh)
{
	const struct table *t = te->t;
	size_t s = sh->sorted, n = sh->rs.n, m = 0, k = 0;
	if (s == n)
		return;
	rec **r = sh->rs.r;
	int narrowed = 0;
	for (size_t i = s; i < n; i++)
		narrowed |= shard_admit(t, sh, r[i]->v[0]);
	if (narrowed)
		shard_rerank(t, sh);
	struct ranked *add = xmalloc((n - s) * sizeof *add), *out = xmalloc(n * sizeof *out);
	for (size_t i = s; i < n; i++)
		add[i - s] = (struct ranked){rank_in(t, sh, r[i]->v[0]), r[i]};
	qsort(add, n - s, sizeof *add, cmp_ranked);
	for (size_t a = 0; a < s || m < n - s;) {
		struct ranked x = m == n - s ? (struct ranked){sh->rank[a], r[a]} : add[m];
		int c = a == s ? 1 : m == n - s ? -1 : sh->rank[a] != x.rank ? (sh->rank[a] < x.rank ? -1 : 1)
			: key_cmp(t, r[a]->v[0], x.r->v[0]);
		if (c < 0) {
			out[k++] = (struct ranked){sh->rank[a], r[a]};
			a++;
			continue;
		}
		if (c == 0)
			unmark_free(te, sh, r[a++]);
		m++;
		if (k && out[k - 1].rank == x.rank && !key_cmp(t, out[k - 1].r->v[0], x.r->v[0]))
			unmark_free(te, sh, out[--k].r);
		out[k++] = x;
	}
	for (size_t i = 0; i < k; i++) {
		r[i] = out[i].r;
		sh->rank[i] = out[i].rank;
	}
	free(add);
	free(out);
	sh->rs.n = sh->sorted = k;
}

/* The shard of key, loaded, in order. */
static int shard_at(struct tabedit *te, const char *key, struct shard **sh, crm_err *e)
{
	int rc = shard_load(te, shard_key(te->s, te->t, key), sh, e);
	if (!rc)
		shard_settle(te, *sh);
	return rc;
}

int tabedit_get(struct tabedit *te, const char *id, rec **out, crm_err *e)
{
	struct shard *sh;
	/* An order and the invoices it raises look up one customer in turn. */
	if (te->last && strcmp(te->last->v[0], id) == 0) {
		*out = te->last;
		return 0;
	}
	*out = NULL;
	if (te->t->f[0].type == FT_ID ? id_check(id) != NULL : !*id)
		return 0;
	int rc = shard_at(te, id, &sh, e);
	if (rc)
		return rc;
	int found;
	size_t i = shard_find(te->t, sh, id, &found);
	if (found)
		*out = te->last = sh->rs.r[i];
	return 0;
}

static int keep_peeked(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	recs_push(ctx, rec_dup(r));
	return 0;
}

int tabedit_peek(struct tabedit *te, const char *id, rec **out, crm_err *e)
{
	*out = NULL;
	if (te->t->f[0].type == FT_ID ? id_check(id) != NULL : !*id || strchr(id, '"') || strchr(id, ','))
		return 0;
	unsigned long long key = shard_key(te->s, te->t, id);
	int again = ht_find(te, key) != NULL;
	for (size_t i = 0; i < te->nonce && !again; i++)
		again = te->once[i] == key;
	if (again)
		return tabedit_get(te, id, out, e);
	te->once = xrealloc(te->once, (te->nonce + 1) * sizeof *te->once);
	te->once[te->nonce++] = key;
	char path[256], *buf;
	size_t len;
	key_path(te->s, te->t, key, path, sizeof path);
	int rc = store_load(te->s, path, &buf, &len, e);
	if (rc || !buf)
		return rc;
	/* Keys are never quoted (ids, SKU@WH): the record is the line that starts with "KEY,". */
	size_t kl = strlen(id);
	const char *hdr_end = memchr(buf, '\n', len), *hit = NULL;
	for (const char *p = hdr_end; p && !hit; p = memchr(p + 1, '\n', (size_t)(buf + len - p - 1))) {
		if ((size_t)(buf + len - p - 1) > kl && !memcmp(p + 1, id, kl) && p[1 + kl] == ',')
			hit = p + 1;
		if (p + 1 >= buf + len)
			break;
	}
	if (hit) {
		const char *end = memchr(hit, '\n', (size_t)(buf + len - hit));
		sbuf one = {0};
		sb_add(&one, buf, (size_t)(hdr_end - buf) + 1);
		sb_add(&one, hit, (size_t)((end ? end : buf + len) - hit));
		size_t before = te->peeked.n;
		rc = table_read(te->t, path, one.s, one.len, te->s->digits, keep_peeked, &te->peeked, e);
		if (!rc && te->peeked.n > before)
			*out = te->peeked.r[te->peeked.n - 1];
		sb_free(&one);
	}
	free(buf);
	return rc;
}

int tabedit_put(struct tabedit *te, rec *r, crm_err *e)
{
	struct shard *sh;
	te->last = NULL;
	int rc = shard_at(te, r->v[0], &sh, e);
	if (rc) {
		free(r);
		return rc;
	}
	int found;
	size_t i = shard_find(te->t, sh, r->v[0], &found);
	if (found) {
		rec *old = sh->rs.r[i];
		sh->marked += marks(te, r) - marks(te, old);
		if (old != r)
			free(old);
		sh->rs.r[i] = r;
	} else {
		shard_insert(te, sh, i, r);
	}
	sh->dirty = 1;
	return 0;
}

int tabedit_add(struct tabedit *te, rec *r, crm_err *e)
{
	struct shard *sh;
	te->last = NULL;
	int rc = shard_load(te, shard_key(te->s, te->t, r->v[0]), &sh, e);
	if (rc) {
		free(r);
		return rc;
	}
	shard_push(te, sh, r);
	sh->dirty = 1;
	return 0;
}

int tabedit_marked(struct tabedit *te, const char *key, size_t *out, crm_err *e)
{
	struct shard *sh;
	int rc = shard_load(te, shard_key(te->s, te->t, key), &sh, e);
	*out = rc ? 0 : sh->marked;
	return rc;
}

int tabedit_prefix(struct tabedit *te, const char *prefix, rec ***first, size_t *n, crm_err *e)
{
	struct shard *sh;
	int rc = shard_at(te, prefix, &sh, e);
	*first = NULL;
	*n = 0;
	if (rc)
		return rc;
	/* A shard of a busy table holds thousands of keys; the prefix's are one run of them. */
	int found;
	size_t i = shard_find(te->t, sh, prefix, &found), kl = strlen(prefix), j = i;
	while (j < sh->rs.n && strncmp(sh->rs.r[j]->v[0], prefix, kl) == 0)
		j++;
	*first = sh->rs.r + i;
	*n = j - i;
	return 0;
}

int tabedit_del(struct tabedit *te, const char *key, crm_err *e)
{
	struct shard *sh;
	te->last = NULL;
	int found, rc = shard_at(te, key, &sh, e);
	if (rc)
		return rc;
	size_t i = shard_find(te->t, sh, key, &found);
	if (found) {
		unmark_free(te, sh, sh->rs.r[i]);
		memmove(sh->rs.r + i, sh->rs.r + i + 1, (sh->rs.n - i - 1) * sizeof *sh->rs.r);
		memmove(sh->rank + i, sh->rank + i + 1, (sh->rs.n - i - 1) * sizeof *sh->rank);
		sh->sorted = --sh->rs.n;
		sh->dirty = 1;
	}
	return 0;
}

int tabedit_flush(struct tabedit *te, crm_err *e)
{
	int rc = 0;
	for (size_t i = 0; i < te->n && !rc; i++)
		if (te->sh[i]->dirty) {
			shard_settle(te, te->sh[i]);
			rc = store_put_recs(te->s, te->t, te->sh[i]->path, &te->sh[i]->rs, e);
		}
	return rc;
}

/* The highest number in use: the last shard's last ids. Never scans the table. */
static int max_seq(struct tabedit *te, unsigned long long *out, crm_err *e)
{
	char **paths;
	size_t n;
	*out = 0;
	int rc = store_list(te->s, te->t->name, &paths, &n, e);
	for (size_t k = n; k-- > 0 && !rc;) {
		struct recs rs = {0};
		rc = store_load_recs(te->s, te->t, paths[k], &rs, e);
		for (size_t i = 0; i < rs.n; i++) {
			unsigned long long v = id_seq(rs.r[i]->v[0]);
			if (v > *out)
				*out = v;
		}
		size_t had = rs.n;
		recs_free(&rs);
		if (had)
			break;
	}
	store_list_free(paths, n);
	/* Shards already changed by this command count too. */
	for (size_t i = 0; i < te->n; i++)
		for (size_t j = 0; j < te->sh[i]->rs.n; j++) {
			unsigned long long v = id_seq(te->sh[i]->rs.r[j]->v[0]);
			if (v > *out)
				*out = v;
		}
	return rc;
}

static int region_code(struct tabedit *te, const rec *r, sbuf *b, crm_err *e)
{
	int ri = table_field(te->t, "region");
	const char *region = ri >= 0 ? r->v[ri] : "";
	char key[300];
	snprintf(key, sizeof key, "region.%s.code", region);
	const char *code = *region ? store_conf_str(te->s, key, region) : "";
	for (const char *p = code; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
			return crm_fail(e, CRM_EDATA,
				"region: '%s' has no id code; set one: git config -f crm.conf region.%s.code XX",
				region, region);
	if (!*code)
		return crm_fail(e, CRM_EDATA, "region: the id format needs a region");
	sb_adds(b, code);
	return 0;
}

int tabedit_mint(struct tabedit *te, const rec *r, char *id, size_t cap, crm_err *e)
{
	int rc;
	if (!te->next_seq) {
		unsigned long long m;
		if ((rc = max_seq(te, &m, e)))
			return rc;
		te->next_seq = m + 1;
	}
	const char *fmt = te->t == &T_CUSTOMERS ? te->s->id_format : NULL;
	char other[32];
	if (!fmt) {
		snprintf(other, sizeof other, "%s{seq:06}", te->t->prefix);
		fmt = other;
	}
	sbuf b = {0};
	for (const char *p = fmt; *p && !rc; p++) {
		if (*p != '{') {
			sb_addc(&b, *p);
			continue;
		}
		const char *end = strchr(p, '}');
		if (!end)
			break;
		if (strncmp(p, "{seq", 4) == 0) {
			int width = p[4] == ':' ? atoi(p + 5) : 0;
			sb_printf(&b, "%0*llu", width, te->next_seq);
		} else if (strncmp(p, "{region}", 8) == 0) {
			rc = region_code(te, r, &b, e);
		}
		p = end;
	}
	const char *node = store_node(te->s);
	if (*node)
		sb_printf(&b, "-%s", node);
	if (!rc && (id_check(sb_str(&b)) || b.len >= cap))
		rc = crm_fail(e, CRM_EDATA, "customer.id-format '%s' makes a bad id '%s'", fmt, sb_str(&b));
	if (!rc) {
		snprintf(id, cap, "%s", b.s);
		te->next_seq++;
	}
	sb_free(&b);
	return rc;
}
