#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "revert.h"

/* The work-tree file being changed, kept until the next path comes. */
struct wfile {
	struct store *s;
	char path[256];
	const struct table *t;
	struct recs rs;
	int dirty, loaded;
	size_t records;
	struct out *show;
	char today[11];
};

static int wfile_flush(struct wfile *w, crm_err *e)
{
	int rc = 0;
	if (w->loaded && w->dirty)
		rc = store_put_recs(w->s, w->t, w->path, &w->rs, e);
	recs_free(&w->rs);
	w->loaded = w->dirty = 0;
	return rc;
}

static int wfile_open(struct wfile *w, const char *path, crm_err *e)
{
	if (w->loaded && strcmp(w->path, path) == 0)
		return 0;
	int rc = wfile_flush(w, e);
	if (rc)
		return rc;
	snprintf(w->path, sizeof w->path, "%s", path);
	w->t = table_of_path(path);
	w->loaded = 1;
	return store_load_recs(w->s, w->t, path, &w->rs, e);
}

static size_t wfile_index(struct wfile *w, const char *id, int *found)
{
	*found = 0;
	for (size_t i = 0; i < w->rs.n; i++)
		if (strcmp(w->rs.r[i]->v[0], id) == 0) {
			*found = 1;
			return i;
		}
	size_t i = w->rs.n;
	while (i > 0 && key_cmp(w->t, w->rs.r[i - 1]->v[0], id) > 0)
		i--;
	return i;
}

/* Puts r (owned; NULL removes) in place of the record with that id. */
static void wfile_put(struct wfile *w, const char *id, rec *r)
{
	int found;
	size_t i = wfile_index(w, id, &found);
	if (found) {
		free(w->rs.r[i]);
		if (r) {
			w->rs.r[i] = r;
		} else {
			memmove(w->rs.r + i, w->rs.r + i + 1, (w->rs.n - i - 1) * sizeof *w->rs.r);
			w->rs.n--;
		}
	} else if (r) {
		recs_push(&w->rs, r);
		memmove(w->rs.r + i + 1, w->rs.r + i, (w->rs.n - 1 - i) * sizeof *w->rs.r);
		w->rs.r[i] = r;
	}
	w->dirty = 1;
	w->records++;
}

static const rec *wfile_get(struct wfile *w, const char *id)
{
	int found;
	size_t i = wfile_index(w, id, &found);
	return found ? w->rs.r[i] : NULL;
}

static int same_rec(const rec *a, const rec *b)
{
	if (!a || !b)
		return a == b;
	for (int f = 0; f < a->t->nf; f++)
		if (strcmp(a->v[f], b->v[f]) != 0)
			return 0;
	return 1;
}

static int conflict(const struct change *c, const char *field, crm_err *e)
{
	const rec *any = c->new ? c->new : c->old;
	return crm_fail(e, CRM_EDATA, "%s: %s: %s changed by a later commit; undo that first (see crm log %s)",
		c->path, any->v[0], field, any->v[0]);
}

static int undo_change(void *ctx, const struct change *c, crm_err *e)
{
	struct wfile *w = ctx;
	int rc = wfile_open(w, c->path, e);
	if (rc)
		return rc;
	const rec *any = c->new ? c->new : c->old;
	const char *id = any->v[0];
	const rec *cur = wfile_get(w, id);
	if (!c->old) { /* created by the commit: remove it, unless changed since */
		if (!cur)
			return 0;
		if (!same_rec(cur, c->new))
			return conflict(c, "record", e);
		wfile_put(w, id, NULL);
	} else if (!c->new) {
		if (cur && !same_rec(cur, c->old))
			return conflict(c, "record", e);
		if (!cur)
			wfile_put(w, id, rec_dup(c->old));
	} else {
		if (!cur)
			return conflict(c, "record", e);
		rec *r = rec_dup(cur);
		int changed = 0;
		for (int f = 1; f < any->t->nf && !rc; f++) {
			const char *o = c->old->v[f], *n = c->new->v[f], *now = cur->v[f];
			if (strcmp(o, n) == 0 || strcmp(any->t->f[f].name, "updated") == 0)
				continue;
			if (strcmp(now, n) == 0)
				r = rec_set(r, f, o), changed = 1;
			else if (strcmp(now, o) != 0)
				rc = conflict(c, any->t->f[f].name, e);
		}
		int up = table_field(any->t, "updated");
		if (changed && up >= 0)
			r = rec_set(r, up, w->today);
		if (rc || !changed)
			free(r);
		else
			wfile_put(w, id, r);
	}
	if (!rc && w->show) {
		struct change shown = {c->path, c->new, c->old};
		change_print(&shown, w->show, NULL, 0);
	}
	return rc;
}

static const char *show_cols[] = {"id", "field", "now", "then"};

static int finish(struct store *s, struct wfile *w, struct out *o, const char *msg, crm_err *e)
{
	int rc = wfile_flush(w, e);
	if (o) {
		int orc = out_finish(o, e);
		rc = rc ? rc : orc;
	}
	if (!rc && w->records == 0 && s->nstg == 0)
		return crm_fail(e, CRM_ENOTFOUND, "nothing to change: the records are as they were");
	if (!rc)
		rc = store_commit(s, msg, e);
	return rc;
}

int store_undo(struct store *s, const char *rev, enum outfmt fmt, crm_err *e)
{
	git_commit *c = NULL, *p = NULL;
	git_tree *ct = NULL, *pt = NULL;
	int rc = store_resolve(s, rev ? rev : "HEAD", &c, e);
	if (!rc && git_commit_parentcount(c) == 0)
		rc = crm_fail(e, CRM_ENOTFOUND, "%s is the store's first commit; there is nothing before it",
			rev ? rev : "HEAD");
	if (!rc && (git_commit_parent(&p, c, 0) || git_commit_tree(&ct, c) || git_commit_tree(&pt, p)))
		rc = crm_fail_git(e, "cannot read the commit");
	if (!rc)
		rc = store_lock(s, e);
	struct wfile w = {.s = s};
	date_fmt(date_today(), w.today);
	struct out o;
	if (s->dry_run) {
		out_start(&o, fmt, show_cols, 4);
		w.show = &o;
	}
	if (!rc)
		rc = tree_changes(s, pt, ct, undo_change, &w, e);
	if (!rc) {
		char msg[400], id[12];
		git_oid_tostr(id, 8, git_commit_id(c));
		snprintf(msg, sizeof msg, "undo %s (%s)", id, git_commit_summary(c));
		rc = finish(s, &w, w.show, msg, e);
	} else if (w.show) {
		out_finish(&o, e);
	}
	recs_free(&w.rs);
	git_tree_free(ct);
	git_tree_free(pt);
	git_commit_free(c);
	git_commit_free(p);
	return rc;
}

struct restorer {
	struct wfile w;
	git_tree *then;
	char **tables;
	int ntables;
};

static int wanted_table(struct restorer *r, const char *path)
{
	if (!r->ntables)
		return 1;
	const struct table *t = table_of_path(path);
	for (int i = 0; i < r->ntables; i++)
		if (t && strcmp(t->name, r->tables[i]) == 0)
			return 1;
	return 0;
}

static int restore_change(void *ctx, const struct change *c, crm_err *e)
{
	struct restorer *r = ctx;
	if (!wanted_table(r, c->path))
		return 0;
	int rc = wfile_open(&r->w, c->path, e);
	const rec *any = c->new ? c->new : c->old;
	if (!rc)
		wfile_put(&r->w, any->v[0], c->new ? rec_dup(c->new) : NULL);
	if (!rc && r->w.show)
		change_print(c, r->w.show, NULL, 0);
	return rc;
}

static int restore_ids(struct restorer *r, git_tree *now, char **ids, int n, crm_err *e)
{
	int rc = 0;
	for (int i = 0; i < n && !rc; i++) {
		char path[256];
		struct recs then = {0};
		rc = record_path(r->w.s, r->then, ids[i], path, sizeof path, e);
		if (rc == CRM_ENOTFOUND) {
			e->code = 0;
			rc = crm_fail(e, CRM_ENOTFOUND, "'%s' did not exist then", ids[i]);
		}
		if (!rc)
			rc = tree_recs(r->w.s, r->then, path, &then, e);
		if (!rc)
			rc = wfile_open(&r->w, path, e);
		if (!rc) {
			const rec *old = recs_find(&then, ids[i]), *cur = wfile_get(&r->w, ids[i]);
			if (!same_rec(old, cur)) {
				if (r->w.show) {
					struct change ch = {path, cur, old};
					change_print(&ch, r->w.show, NULL, 0);
				}
				wfile_put(&r->w, ids[i], rec_dup(old));
			}
		}
		recs_free(&then);
	}
	(void)now;
	return rc;
}

int store_restore(struct store *s, const char *rev, char **args, int nargs,
	enum outfmt fmt, crm_err *e)
{
	git_commit *c = NULL, *h = NULL;
	git_tree *now = NULL;
	git_oid head;
	struct restorer r = {.w = {.s = s}};
	date_fmt(date_today(), r.w.today);
	int rc = store_resolve(s, rev, &c, e);
	if (!rc && git_commit_tree(&r.then, c))
		rc = crm_fail_git(e, "cannot read the commit");
	if (!rc && (git_reference_name_to_id(&head, s->repo, "HEAD") ||
		    git_commit_lookup(&h, s->repo, &head) || git_commit_tree(&now, h)))
		rc = crm_fail_git(e, "cannot read HEAD");
	int nids = 0;
	for (int i = 0; i < nargs && !rc; i++) {
		if (table_find(args[i]))
			r.ntables++;
		else
			nids++;
	}
	if (!rc && r.ntables && nids)
		rc = crm_fail(e, CRM_EUSAGE, "restore: give table names or record ids, not both");
	if (!rc)
		rc = store_lock(s, e);
	struct out o;
	if (s->dry_run) {
		out_start(&o, fmt, show_cols, 4);
		r.w.show = &o;
	}
	r.tables = args;
	if (!rc && nids)
		rc = restore_ids(&r, now, args, nargs, e);
	else if (!rc)
		rc = tree_changes(s, now, r.then, restore_change, &r, e);
	if (!rc) {
		char msg[600], id[12];
		git_oid_tostr(id, 8, git_commit_id(c));
		snprintf(msg, sizeof msg, "restore %s as at %s%s%s", nargs ? args[0] : "the store", id,
			nargs > 1 ? " (and more)" : "", "");
		rc = finish(s, &r.w, r.w.show, msg, e);
	} else if (r.w.show) {
		out_finish(&o, e);
	}
	recs_free(&r.w.rs);
	git_tree_free(r.then);
	git_tree_free(now);
	git_commit_free(c);
	git_commit_free(h);
	return rc;
}
