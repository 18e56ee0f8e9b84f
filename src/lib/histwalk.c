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
	p->repo = repo;
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
	git_tree *t;
	if (git_tree_lookup(&t, p->repo, id))
		return crm_fail_git(e, "history");
	const git_tree_entry *te = git_tree_entry_byname(t, p->comp[l]);
	git_object_t want = l + 1 < p->ncomp ? GIT_OBJECT_TREE : GIT_OBJECT_BLOB;
	*has = te && git_tree_entry_type(te) == want;
	if (*has)
		git_oid_cpy(out, git_tree_entry_id(te));
	git_tree_free(t);
	struct pcache *c = &p->cache[l][p->next[l]++ % PATHOID_WAYS];
	git_oid_cpy(&c->tree, id);
	if (*has)
		git_oid_cpy(&c->child, out);
	c->has = *has;
	c->valid = 1;
	return 0;
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
