#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "history.h"
#include "histwalk.h"

const struct table *table_of_path(const char *path)
{
	char name[64];
	size_t n = strcspn(path, "/");
	if (!path[n] || n >= sizeof name)
		return NULL;
	memcpy(name, path, n);
	name[n] = 0;
	return table_find(name);
}

static int tree_blob(struct store *s, git_tree *tree, const char *path, git_blob **b)
{
	git_tree_entry *te = NULL;
	*b = NULL;
	if (!tree || git_tree_entry_bypath(&te, tree, path))
		return 0;
	int rc = git_tree_entry_type(te) == GIT_OBJECT_BLOB ?
		git_blob_lookup(b, s->repo, git_tree_entry_id(te)) : 0;
	git_tree_entry_free(te);
	return rc;
}

static int push_dup(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	recs_push(ctx, rec_dup(r));
	return 0;
}

int tree_recs(struct store *s, git_tree *tree, const char *path, struct recs *rs, crm_err *e)
{
	const struct table *t = table_of_path(path);
	git_blob *b;
	if (!t)
		return 0;
	if (tree_blob(s, tree, path, &b))
		return crm_fail_git(e, path);
	if (!b)
		return 0;
	int rc = table_read(t, path, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
		s->digits, push_dup, rs, e);
	git_blob_free(b);
	recs_sort_by_id(rs);
	return rc;
}

rec *recs_find(struct recs *rs, const char *id)
{
	size_t lo = 0, hi = rs->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = key_cmp(rs->r[mid]->t, rs->r[mid]->v[0], id);
		if (c == 0)
			return rs->r[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int tree_has(struct store *s, git_tree *tree, const char *path, const char *id,
	int *found, crm_err *e)
{
	struct recs rs = {0};
	int rc = tree_recs(s, tree, path, &rs, e);
	*found = !rc && recs_find(&rs, id) != NULL;
	recs_free(&rs);
	return rc;
}

/* The segment of a month folder (dir, at dirpath in tree) or of its sub-folders
 * holding id, newest first: a change is usually recent. */
static int month_has(struct store *s, git_tree *tree, git_tree *dir, const char *dirpath, const char *id,
	char *path, size_t cap, int *found, crm_err *e)
{
	int rc = 0;
	for (size_t k = git_tree_entrycount(dir); k-- > 0 && !*found && !rc;) {
		const git_tree_entry *te = git_tree_entry_byindex(dir, k);
		snprintf(path, cap, "%s/%s", dirpath, git_tree_entry_name(te));
		git_tree *sub = NULL;
		if (git_tree_entry_type(te) != GIT_OBJECT_TREE) {
			rc = tree_has(s, tree, path, id, found, e);
		} else if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(te)) == 0) {
			char subpath[256];
			snprintf(subpath, sizeof subpath, "%s", path);
			rc = month_has(s, tree, sub, subpath, id, path, cap, found, e);
			git_tree_free(sub);
		}
	}
	return rc;
}

int record_path(struct store *s, git_tree *tree, const char *id, char *path, size_t cap, crm_err *e)
{
	int found = 0, rc = 0;
	if (id_check(id))
		return crm_fail_at(e, "argument", 0, "id", "%s '%s'", id_check(id), id);
	for (int i = 0; crm_tables[i] && !rc && !found; i++) {
		const struct table *t = crm_tables[i];
		if (t->kind == T_MASTER) {
			shard_path(s, t, id, path, cap);
			rc = tree_has(s, tree, path, id, &found, e);
			continue;
		}
		char dir[64];
		git_tree_entry *te = NULL;
		git_tree *sub = NULL;
		if (ledger_dir_of(t, id, dir, sizeof dir) || git_tree_entry_bypath(&te, tree, dir))
			continue;
		if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(te)) == 0) {
			rc = month_has(s, tree, sub, dir, id, path, cap, &found, e);
			git_tree_free(sub);
		}
		git_tree_entry_free(te);
	}
	if (!rc && !found)
		return crm_fail(e, CRM_ENOTFOUND, "no record '%s'", id);
	return rc;
}

static void when(git_time_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, cap, "%Y-%m-%d %H:%M", &tm);
}

/* From --at's commit, else HEAD: newest first, without sorting all history first. */
static int walk_start(struct store *s, struct cwalk *w, crm_err *e)
{
	git_oid head;
	w->repo = s->repo;
	/* Each commit and tree is read once, in order: libgit2's object cache only
	 * grew (600 MB at 100,000 commits) and cost more in malloc than it saved. */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	/* Nor is each object hashed again as it is read (half of a walk's
	 * instructions), as git log does not: crm check verifies every object. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (s->at)
		return cwalk_push(w, git_commit_id(s->at), e);
	if (git_reference_name_to_id(&head, s->repo, "HEAD"))
		return crm_fail(e, CRM_ENOTFOUND, "the store has no history yet");
	return cwalk_push(w, &head, e);
}

int history_log(struct store *s, int max, enum outfmt fmt, crm_err *e)
{
	struct cwalk w = {0};
	int rc = walk_start(s, &w, e);
	static const char *cols[] = {"commit", "date", "author", "change"};
	struct out o;
	out_start(&o, fmt, cols, 4);
	git_commit *c;
	for (int n = 0; !rc && (max <= 0 || n < max) && (rc = cwalk_next(&w, &c, e)) == 0; n++) {
		char id[12], d[32];
		git_oid_tostr(id, 8, git_commit_id(c));
		when(git_commit_time(c), d, sizeof d);
		const char *v[] = {id, d, git_commit_author(c)->name, git_commit_summary(c)};
		out_row(&o, v);
		git_commit_free(c);
	}
	rc = rc == 1 ? 0 : rc;
	cwalk_free(&w);
	int orc = out_finish(&o, e);
	return rc ? rc : orc;
}

void change_print(const struct change *c, struct out *o, const char *const *lead, int nlead)
{
	const char *v[8];
	for (int i = 0; i < nlead; i++)
		v[i] = lead[i];
	const rec *any = c->new ? c->new : c->old;
	v[nlead] = any->v[0];
	if (!c->old || !c->new) {
		v[nlead + 1] = c->old ? "(removed)" : "(created)";
		v[nlead + 2] = c->old ? c->old->v[1] : "";
		v[nlead + 3] = c->new ? c->new->v[1] : "";
		out_row(o, v);
		return;
	}
	for (int f = 1; f < any->t->nf; f++) {
		if (strcmp(c->old->v[f], c->new->v[f]) == 0 || strcmp(any->t->f[f].name, "updated") == 0)
			continue;
		v[nlead + 1] = any->t->f[f].name;
		v[nlead + 2] = c->old->v[f];
		v[nlead + 3] = c->new->v[f];
		out_row(o, v);
	}
}

struct idlog {
	struct store *s;
	const char *id;
	char path[256];
	struct pathoid po;
	struct out o;
};

static int rec_equal(const rec *a, const rec *b)
{
	if (!a || !b)
		return a == b;
	for (int f = 0; f < a->t->nf; f++)
		if (strcmp(a->v[f], b->v[f]) != 0)
			return 0;
	return 1;
}

/* The record in tree id (NULL tree: none), into rs; NULL when absent. */
static int rec_at(struct idlog *L, const git_oid *tree, struct recs *rs, rec **out, crm_err *e)
{
	git_tree *t = NULL;
	*out = NULL;
	if (!tree)
		return 0;
	if (git_tree_lookup(&t, L->s->repo, tree))
		return crm_fail_git(e, "history");
	int rc = tree_recs(L->s, t, L->path, rs, e);
	git_tree_free(t);
	*out = rc ? NULL : recs_find(rs, L->id);
	return rc;
}

/* Prints the record's fields that changed from the first parent's tree to c's,
 * unless the record is as one of the parents' trees pt[0..np) had it. */
static int report(struct idlog *L, git_commit *c, const git_oid *pt, unsigned np, crm_err *e)
{
	struct recs nr = {0}, first = {0};
	rec *n, *o = NULL;
	int rc = rec_at(L, git_commit_tree_id(c), &nr, &n, e);
	int differs = !rc;
	for (unsigned k = 0; !rc && differs && k < (np ? np : 1); k++) {
		struct recs other = {0};
		rec *r;
		rc = rec_at(L, np ? &pt[k] : NULL, k == 0 ? &first : &other, &r, e);
		differs = !rec_equal(n, r);
		if (k == 0)
			o = r;
		recs_free(&other);
	}
	if (!rc && differs) {
		char cid[12], d[32];
		git_oid_tostr(cid, 8, git_commit_id(c));
		when(git_commit_time(c), d, sizeof d);
		const char *lead[] = {cid, d, git_commit_author(c)->name};
		struct change ch = {L->path, o, n};
		change_print(&ch, &L->o, lead, 3);
	}
	recs_free(&nr);
	recs_free(&first);
	return rc;
}

/*
 * What commit c did to the record. Only a changed blob can hold a changed
 * record, and the blob's id is found from tree ids along the path, so most
 * commits cost no parse at all. A merge is shown only when the record differs
 * from every parent's (a hand-made resolution): what either side brought is
 * shown at the side's own commits, which the walk visits too.
 */
static int step(struct idlog *L, struct cwalk *w, git_commit *c, crm_err *e)
{
	git_oid mine, theirs, pt[8];
	int has, phas, rc = pathoid_get(&L->po, git_commit_tree_id(c), &mine, &has, e);
	unsigned np = git_commit_parentcount(c);
	int differs = 1;
	if (np > 8) /* an octopus of more is read against its first eight parents */
		np = 8;
	for (unsigned k = 0; !rc && differs && k < np; k++) {
		/* The walk holds the parents it has queued; one it passed already is read again. */
		git_commit *own = NULL, *p = cwalk_find(w, git_commit_parent_id(c, k));
		if (!p && git_commit_parent(&own, c, k))
			return crm_fail_git(e, "history");
		git_oid_cpy(&pt[k], git_commit_tree_id(p ? p : own));
		rc = pathoid_get(&L->po, &pt[k], &theirs, &phas, e);
		differs = has != phas || (has && !git_oid_equal(&mine, &theirs));
		git_commit_free(own);
	}
	if (!rc && differs && (has || np))
		rc = report(L, c, pt, np, e);
	return rc;
}

/* Newest first: each commit where the record's file changed and the record with it. */
int history_log_id(struct store *s, const char *id, enum outfmt fmt, crm_err *e)
{
	git_tree *head = s->at_tree;
	git_commit *hc = NULL;
	struct idlog L = {.s = s, .id = id};
	int rc = 0;
	if (!head) {
		git_oid oid;
		if (git_reference_name_to_id(&oid, s->repo, "HEAD") || git_commit_lookup(&hc, s->repo, &oid) ||
		    git_commit_tree(&head, hc))
			return crm_fail(e, CRM_ENOTFOUND, "the store has no history yet");
	}
	rc = record_path(s, head, id, L.path, sizeof L.path, e);
	if (head != s->at_tree)
		git_tree_free(head);
	git_commit_free(hc);
	if (!rc)
		rc = pathoid_init(&L.po, s->repo, L.path, e);
	struct cwalk w = {0};
	if (!rc)
		rc = walk_start(s, &w, e);
	if (rc) {
		cwalk_free(&w);
		pathoid_free(&L.po);
		return rc;
	}
	static const char *cols[] = {"commit", "date", "author", "id", "field", "old", "new"};
	out_start(&L.o, fmt, cols, 7);
	git_commit *c;
	while (!rc && (rc = cwalk_next(&w, &c, e)) == 0) {
		rc = step(&L, &w, c, e);
		git_commit_free(c);
	}
	rc = rc == 1 ? 0 : rc;
	cwalk_free(&w);
	pathoid_free(&L.po);
	int orc = out_finish(&L.o, e);
	return rc ? rc : orc;
}

static int file_changes(struct store *s, git_tree *a, git_tree *b, const char *path,
	change_fn fn, void *ctx, crm_err *e)
{
	struct recs ra = {0}, rb = {0};
	int rc = tree_recs(s, a, path, &ra, e);
	if (!rc)
		rc = tree_recs(s, b, path, &rb, e);
	size_t i = 0, j = 0;
	while (!rc && (i < ra.n || j < rb.n)) {
		int c = i == ra.n ? 1 : j == rb.n ? -1 : key_cmp(ra.r[i]->t, ra.r[i]->v[0], rb.r[j]->v[0]);
		struct change ch = {path, c <= 0 ? ra.r[i] : NULL, c >= 0 ? rb.r[j] : NULL};
		int differs = c != 0;
		for (int f = 0; !differs && f < ra.r[i]->t->nf; f++)
			differs = strcmp(ra.r[i]->v[f], rb.r[j]->v[f]) != 0;
		if (differs)
			rc = fn(ctx, &ch, e);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	recs_free(&ra);
	recs_free(&rb);
	return rc;
}

int tree_changes(struct store *s, git_tree *a, git_tree *b, change_fn fn, void *ctx, crm_err *e)
{
	git_diff *d = NULL;
	if (git_diff_tree_to_tree(&d, s->repo, a, b, NULL))
		return crm_fail_git(e, "diff");
	int rc = 0;
	for (size_t i = 0; i < git_diff_num_deltas(d) && !rc; i++) {
		const git_diff_delta *dl = git_diff_get_delta(d, i);
		const char *path = dl->new_file.path ? dl->new_file.path : dl->old_file.path;
		if (table_of_path(path))
			rc = file_changes(s, a, b, path, fn, ctx, e);
	}
	git_diff_free(d);
	return rc;
}
