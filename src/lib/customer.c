#include <stdlib.h>
#include <string.h>
#include "customer.h"
#include "date.h"
#include "norm.h"
#include "strset.h"

struct collide {
	const rec *r;
	sbuf name, phone, tn, tp;
	size_t same;
	int found;
	char who[512];
};

static int check_one(void *ctx, rec *c, crm_err *e)
{
	struct collide *k = ctx;
	(void)e;
	if (strcmp(c->v[CU_STATUS], "archived") == 0 || strcmp(c->v[CU_ID], k->r->v[CU_ID]) == 0)
		return 0;
	norm_name(c->v[CU_NAME], &k->tn);
	norm_phone(c->v[CU_PHONE], &k->tp);
	int by_name = k->name.len && strcmp(k->tn.s, k->name.s) == 0;
	int by_phone = k->phone.len && k->tp.len && strcmp(k->tp.s, k->phone.s) == 0;
	if (!by_name && !by_phone)
		return 0;
	if (!*c->v[CU_OWNER] || strcmp(c->v[CU_OWNER], k->r->v[CU_OWNER]) == 0) {
		k->same++;
		return 0;
	}
	snprintf(k->who, sizeof k->who, "%s '%s' owned by %s (same %s)", c->v[CU_ID],
		c->v[CU_NAME], c->v[CU_OWNER], by_name ? "name" : "phone");
	k->found = 1;
	return CSV_STOP;
}

int customer_collision(struct store *s, const rec *r, size_t *same_owner, crm_err *e)
{
	struct collide k = {.r = r};
	norm_name(r->v[CU_NAME], &k.name);
	norm_phone(r->v[CU_PHONE], &k.phone);
	int rc = store_scan(s, &T_CUSTOMERS, check_one, &k, e);
	sb_free(&k.name), sb_free(&k.phone), sb_free(&k.tn), sb_free(&k.tp);
	if (same_owner)
		*same_owner = k.same;
	if (rc)
		return rc;
	if (k.found)
		return crm_fail(e, CRM_EDATA,
			"'%s' is already a customer: %s; --force adds it anyway", r->v[CU_NAME], k.who);
	return 0;
}

struct keyed {
	char *key;
	rec *r;
};

struct dupscan {
	struct keyed *byname, *byphone;
	size_t n, np, cap, capp;
	sbuf tmp;
};

static int collect(void *ctx, rec *r, crm_err *e)
{
	struct dupscan *d = ctx;
	(void)e;
	if (strcmp(r->v[CU_STATUS], "archived") == 0)
		return 0;
	rec *c = rec_dup(r);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->byname = xrealloc(d->byname, d->cap * sizeof *d->byname);
	}
	norm_name(c->v[CU_NAME], &d->tmp);
	d->byname[d->n++] = (struct keyed){xstrdup(sb_str(&d->tmp)), c};
	norm_phone(c->v[CU_PHONE], &d->tmp);
	if (d->tmp.len) {
		if (d->np == d->capp) {
			d->capp = d->capp ? d->capp * 2 : 256;
			d->byphone = xrealloc(d->byphone, d->capp * sizeof *d->byphone);
		}
		d->byphone[d->np++] = (struct keyed){xstrdup(d->tmp.s), c};
	}
	return 0;
}

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : id_cmp(x->r->v[CU_ID], y->r->v[CU_ID]);
}

/* Reasons as bits while grouping: a group alike in two ways shows both. */
enum { WHY_NAME = 1, WHY_SIMILAR = 2, WHY_PHONE = 4 };
static const char *const why_text[] = {"", "same name", "similar name", "same name, similar name",
	"same phone", "same name, same phone", "similar name, same phone", "same name, similar name, same phone"};

struct duprows {
	struct dup_row *rows;
	size_t n, cap;
	int group;
	int *why; /* by group number */
};

static void add_row(struct duprows *o, rec *r, int why)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		o->rows = xrealloc(o->rows, o->cap * sizeof *o->rows);
	}
	o->rows[o->n++] = (struct dup_row){o->group, NULL, r};
	o->why = xrealloc(o->why, (size_t)(o->group + 1) * sizeof *o->why);
	o->why[o->group] = why;
}

/* Runs of equal keys become groups; with `near`, neighbours one edit apart too. */
static void group_runs(struct keyed *k, size_t n, int why, int near, struct duprows *o)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && strcmp(k[j].key, k[i].key) == 0)
			j++;
		if (j - i > 1) {
			o->group++;
			for (size_t x = i; x < j; x++)
				add_row(o, k[x].r, why);
		} else if (near && j < n && strlen(k[i].key) >= 4 &&
			   norm_distance(k[i].key, k[j].key, 1) <= 1) {
			o->group++;
			add_row(o, k[i].r, WHY_SIMILAR);
			add_row(o, k[j].r, WHY_SIMILAR);
		}
		i = j;
	}
}

static int cmp_row_id(const void *a, const void *b)
{
	const struct dup_row *x = a, *y = b;
	return id_cmp(x->r->v[CU_ID], y->r->v[CU_ID]);
}

/* A group's rows, in id order: two groups of the same customers compare equal. */
struct span {
	struct dup_row *at;
	size_t n;
};

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	for (size_t i = 0; i < x->n; i++) {
		int c = id_cmp(x->at[i].r->v[CU_ID], y->at[i].r->v[CU_ID]);
		if (c)
			return c;
	}
	return x->at[0].group - y->at[0].group;
}

static int same_members(const struct span *x, const struct span *y)
{
	if (x->n != y->n)
		return 0;
	for (size_t k = 0; k < x->n; k++)
		if (x->at[k].r != y->at[k].r)
			return 0;
	return 1;
}

/*
 * The same customers grouped by name and again by phone are one group, with
 * both reasons: merging them is one decision, listed once. Groups are then
 * numbered afresh from 1, in the order they were found.
 */
static void fold_groups(struct duprows *o)
{
	struct span *sp = xcalloc((size_t)o->group + 1, sizeof *sp);
	size_t ns = 0;
	for (size_t i = 0; i < o->n; ns++) {
		size_t j = i + 1;
		while (j < o->n && o->rows[j].group == o->rows[i].group)
			j++;
		qsort(o->rows + i, j - i, sizeof *o->rows, cmp_row_id);
		sp[ns] = (struct span){o->rows + i, j - i};
		i = j;
	}
	qsort(sp, ns, sizeof *sp, cmp_span);
	for (size_t i = 0; i < ns;) {
		size_t j = i + 1;
		for (; j < ns && same_members(&sp[i], &sp[j]); j++) {
			o->why[sp[i].at[0].group] |= o->why[sp[j].at[0].group];
			o->why[sp[j].at[0].group] = 0; /* folded: dropped below */
		}
		i = j;
	}
	size_t out = 0;
	int group = 0, last = 0;
	for (size_t i = 0; i < o->n; i++) {
		struct dup_row r = o->rows[i];
		int why = o->why[r.group];
		if (!why)
			continue;
		if (r.group != last)
			last = r.group, group++;
		r.group = group;
		r.reason = why_text[why];
		o->rows[out++] = r;
	}
	o->n = out;
	free(sp);
}

int customer_dups(struct store *s, struct dup_row **rows, size_t *n, crm_err *e)
{
	struct dupscan d = {0};
	int rc = store_scan(s, &T_CUSTOMERS, collect, &d, e);
	struct duprows o = {0};
	if (!rc) {
		if (d.n > 1)
			qsort(d.byname, d.n, sizeof *d.byname, cmp_keyed);
		if (d.np > 1)
			qsort(d.byphone, d.np, sizeof *d.byphone, cmp_keyed);
		group_runs(d.byname, d.n, WHY_NAME, 1, &o);
		group_runs(d.byphone, d.np, WHY_PHONE, 0, &o);
		fold_groups(&o);
	}
	free(o.why);
	/* The rows point at records that the caller frees through rows[i].r. */
	for (size_t i = 0; i < d.n; i++)
		free(d.byname[i].key);
	for (size_t i = 0; i < d.np; i++)
		free(d.byphone[i].key);
	for (size_t i = 0; i < d.n; i++) {
		int used = 0;
		for (size_t j = 0; j < o.n && !used; j++)
			used = o.rows[j].r == d.byname[i].r;
		if (!used)
			free(d.byname[i].r);
	}
	free(d.byname);
	free(d.byphone);
	sb_free(&d.tmp);
	*rows = o.rows;
	*n = o.n;
	return rc;
}

struct repoint {
	const char *keep;
	char **dups;
	int ndups;
	int refs[CSV_MAX_FIELDS];
	int nrefs;
	struct recs rs;
	size_t changed;
	int dirty;
};

static int repoint_rec(void *ctx, rec *r, crm_err *e)
{
	struct repoint *p = ctx;
	(void)e;
	rec *c = rec_dup(r);
	for (int k = 0; k < p->nrefs; k++)
		for (int d = 0; d < p->ndups; d++)
			if (strcmp(c->v[p->refs[k]], p->dups[d]) == 0) {
				c = rec_set(c, p->refs[k], p->keep);
				p->changed++;
				p->dirty = 1;
			}
	recs_push(&p->rs, c);
	return 0;
}

int customer_repoint(struct store *s, const char *keep, char **dups, int ndups,
	size_t *changed, crm_err *e)
{
	int rc = 0;
	*changed = 0;
	for (int t = 0; crm_tables[t] && !rc; t++) {
		const struct table *tb = crm_tables[t];
		if (tb == &T_OPEN)
			continue; /* keyed and sharded by customer: ar_repoint moves its items */
		struct repoint p = {.keep = keep, .dups = dups, .ndups = ndups};
		for (int i = 0; i < tb->nf; i++)
			if (tb->f[i].type == FT_REF && strcmp(tb->f[i].arg, "customers") == 0)
				p.refs[p.nrefs++] = i;
		if (!p.nrefs)
			continue;
		char **paths;
		size_t n;
		rc = store_list(s, tb->name, &paths, &n, e);
		for (size_t i = 0; i < n && !rc; i++) {
			p.dirty = 0;
			rc = store_scan_file(s, tb, paths[i], repoint_rec, &p, e);
			if (!rc && p.dirty)
				rc = store_put_recs(s, tb, paths[i], &p.rs, e);
			recs_free(&p.rs);
		}
		store_list_free(paths, n);
		*changed += p.changed;
	}
	return rc;
}

/* Customer id to its last visit date (stored as date - INT32_MIN, so never 0). */
struct lastvisit {
	struct strmap m;
};

static void lv_put(struct lastvisit *lv, const char *id, int32_t d)
{
	size_t v = (size_t)((int64_t)d - INT32_MIN);
	if (v > strmap_get(&lv->m, id, 0))
		strmap_put(&lv->m, id, v);
}

static int lv_row(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	int32_t d;
	if (!date_parse(r->v[1], &d))
		lv_put(ctx, r->v[2], d);
	return 0;
}

int lastvisit_load(struct store *s, struct lastvisit **out, crm_err *e)
{
	struct lastvisit *lv = xcalloc(1, sizeof *lv);
	*out = lv;
	return store_scan(s, &T_VISITS, lv_row, lv, e);
}

int32_t lastvisit_get(struct lastvisit *lv, const char *id)
{
	size_t v = lv ? strmap_get(&lv->m, id, 0) : 0;
	return v ? (int32_t)((int64_t)v + INT32_MIN) : INT32_MIN;
}

size_t lastvisit_count(struct lastvisit *lv) { return lv ? lv->m.n : 0; }

void lastvisit_free(struct lastvisit *lv)
{
	if (!lv)
		return;
	strmap_clear(&lv->m);
	free(lv);
}
