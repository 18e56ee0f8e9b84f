#include <stdlib.h>
#include <string.h>
#include "histwalk.h"
#include "text.h"

/* Newer first; of equal times, the one pushed first. */
static int before(struct cwalk *w, size_t a, size_t b)
{
	git_time_t ta = git_commit_time(w->heap[a]), tb = git_commit_time(w->heap[b]);
	return ta != tb ? ta > tb : w->order[a] < w->order[b];
}

static void swap(struct cwalk *w, size_t a, size_t b)
{
	git_commit *c = w->heap[a];
	size_t o = w->order[a];
	w->heap[a] = w->heap[b], w->order[a] = w->order[b];
	w->heap[b] = c, w->order[b] = o;
}

int cwalk_push(struct cwalk *w, const git_oid *id, crm_err *e)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, id);
	if (!strset_add(&w->seen, hex))
		return 0;
	git_commit *c;
	if (git_commit_lookup(&c, w->repo, id))
		return crm_fail_git(e, "history");
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->heap = xrealloc(w->heap, w->cap * sizeof *w->heap);
		w->order = xrealloc(w->order, w->cap * sizeof *w->order);
	}
	size_t i = w->n++;
	w->heap[i] = c;
	w->order[i] = w->seq++;
	while (i > 0 && before(w, i, (i - 1) / 2)) {
		swap(w, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	return 0;
}

int cwalk_next(struct cwalk *w, git_commit **out, crm_err *e)
{
	if (w->n == 0)
		return 1;
	git_commit *c = w->heap[0];
	w->n--;
	if (w->n) {
		swap(w, 0, w->n);
		for (size_t i = 0;;) {
			size_t l = 2 * i + 1, r = l + 1, m = i;
			if (l < w->n && before(w, l, m))
				m = l;
			if (r < w->n && before(w, r, m))
				m = r;
			if (m == i)
				break;
			swap(w, i, m);
			i = m;
		}
	}
	int rc = 0;
	for (unsigned k = 0; !rc && k < git_commit_parentcount(c); k++)
		rc = cwalk_push(w, git_commit_parent_id(c, k), e);
	if (rc) {
		git_commit_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

git_commit *cwalk_find(struct cwalk *w, const git_oid *id)
{
	for (size_t i = 0; i < w->n; i++)
		if (git_oid_equal(git_commit_id(w->heap[i]), id))
			return w->heap[i];
	return NULL;
}

void cwalk_free(struct cwalk *w)
{
	for (size_t i = 0; i < w->n; i++)
		git_commit_free(w->heap[i]);
	free(w->heap);
	free(w->order);
	strset_clear(&w->seen);
	memset(w, 0, sizeof *w);
}

int pathoid_init(struct pathoid *p, git_repository *repo, const char *path, crm_err *e)
{
	memset(p, 0, sizeof *p);
	if (git_repository_odb(&p->odb, repo))
		return crm_fail_git(e, "history");
	for (const char *s = path; *s;) {
		size_t n = strcspn(s, "/");
		if (p->ncomp == PATHOID_DEPTH || n == 0 || n >= sizeof p->comp[0])
			return crm_fail(e, CRM_EINTERNAL, "history: path too deep '%s'", path);
		memcpy(p->comp[p->ncomp], s, n);
		p->comp[p->ncomp++][n] = 0;
		s += n + (s[n] == '/');
	}
	return p->ncomp ? 0 : crm_fail(e, CRM_EINTERNAL, "history: empty path");
}

/* The entry called name in a raw tree object ("MODE NAME\0" and 20 bytes each);
 * scanned in place: parsing every entry of every tree was most of a walk's time. */
static int raw_entry(const unsigned char *p, size_t n, const char *name, int want_tree, git_oid *out)
{
	size_t nl = strlen(name);
	for (const unsigned char *end = p + n; p < end;) {
		const unsigned char *sp = memchr(p, ' ', (size_t)(end - p));
		const unsigned char *nul = sp ? memchr(sp, 0, (size_t)(end - sp)) : NULL;
		if (!nul || end - nul < 1 + GIT_OID_RAWSZ)
			return 0;
		int is_tree = *p == '4';
		if ((size_t)(nul - sp - 1) == nl && memcmp(sp + 1, name, nl) == 0) {
			if (is_tree != want_tree)
				return 0;
			git_oid_fromraw(out, nul + 1);
			return 1;
		}
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	return 0;
}

/* The entry named comp[l] in tree id, read once per tree id while it stays cached. */
static int child(struct pathoid *p, int l, const git_oid *tree, git_oid *out, int *has, crm_err *e)
{
	git_oid id_copy, *id = &id_copy; /* out may be tree */
	git_oid_cpy(id, tree);
	for (int k = 0; k < PATHOID_WAYS; k++) {
		struct pcache *c = &p->cache[l][k];
		if (c->valid && git_oid_equal(&c->tree, id)) {
			git_oid_cpy(out, &c->child);
			*has = c->has;
			return 0;
		}
	}
	git_odb_object *o;
	if (git_odb_read(&o, p->odb, id) || git_odb_object_type(o) != GIT_OBJECT_TREE) {
		if (o)
			git_odb_object_free(o);
		return crm_fail_git(e, "history");
	}
	*has = raw_entry(git_odb_object_data(o), git_odb_object_size(o), p->comp[l], l + 1 < p->ncomp, out);
	git_odb_object_free(o);
	struct pcache *c = &p->cache[l][p->next[l]++ % PATHOID_WAYS];
	git_oid_cpy(&c->tree, id);
	if (*has)
		git_oid_cpy(&c->child, out);
	c->has = *has;
	c->valid = 1;
	return 0;
}

void pathoid_free(struct pathoid *p)
{
	git_odb_free(p->odb);
	p->odb = NULL;
}

int pathoid_get(struct pathoid *p, const git_oid *root, git_oid *out, int *has, crm_err *e)
{
	git_oid cur;
	git_oid_cpy(&cur, root);
	*has = 1;
	for (int l = 0; l < p->ncomp && *has; l++) {
		int rc = child(p, l, &cur, &cur, has, e);
		if (rc)
			return rc;
	}
	if (*has)
		git_oid_cpy(out, &cur);
	return 0;
}
