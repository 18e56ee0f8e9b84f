#include <string.h>
#include <git2.h>
#include "history.h"
#include "merge.h"
#include "money.h"
#include "strset.h"

static const struct field conflict_fields[] = {
	{"key", FT_TEXT, NULL, F_REQ | F_AUTO},
	{"path", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"record", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"field", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"base", FT_TEXT, NULL, F_BRIEF},
	{"ours", FT_TEXT, NULL, F_BRIEF},
	{"theirs", FT_TEXT, NULL, F_BRIEF},
	{"ours_commit", FT_TEXT, NULL, 0},
	{"theirs_commit", FT_TEXT, NULL, 0},
	{"date", FT_DATE, NULL, 0},
};
const struct table T_CONFLICTS = {"conflicts", T_MASTER, "", conflict_fields,
	(int)(sizeof conflict_fields / sizeof conflict_fields[0]), -1, 1};

void conflicts_free(struct conflicts *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct conflict *c = &cs->c[i];
		free(c->path), free(c->record), free(c->field);
		free(c->base), free(c->ours), free(c->theirs);
	}
	free(cs->c);
	memset(cs, 0, sizeof *cs);
}

void merge_conflict_add(struct conflicts *cs, const char *path, const char *record,
	const char *field, const char *base, const char *ours, const char *theirs)
{
	if (!cs)
		return;
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? 2 * cs->cap : 8;
		cs->c = xrealloc(cs->c, cs->cap * sizeof *cs->c);
	}
	cs->c[cs->n++] = (struct conflict){xstrdup(path), xstrdup(record), xstrdup(field),
		xstrdup(base), xstrdup(ours), xstrdup(theirs)};
}

/* One side's records in file order, and where each key is. */
struct side_recs {
	struct recs rs;
	struct strmap at;
};

static int side_load(const struct table *t, const char *path, const char *who, struct side sd,
	int digits, struct side_recs *out, crm_err *e)
{
	memset(out, 0, sizeof *out);
	if (!sd.buf)
		return 0;
	char name[300];
	snprintf(name, sizeof name, "%s (%s)", path, who);
	int rc = table_read(t, name, sd.buf, sd.len, digits, recs_push_dup, &out->rs, e);
	for (size_t i = 0; !rc && i < out->rs.n; i++) {
		out->rs.r[i]->file = path; /* name dies with this call */
		strmap_put(&out->at, out->rs.r[i]->v[0], i);
	}
	return rc;
}

static void side_free(struct side_recs *s)
{
	recs_free(&s->rs);
	strmap_clear(&s->at);
}

static rec *side_get(struct side_recs *s, const char *key)
{
	size_t i = strmap_get(&s->at, key, (size_t)-1);
	return i == (size_t)-1 ? NULL : s->rs.r[i];
}

/*
 * Balances derived from ledgers (stock quantity and value, an item's open
 * amount) are sums, so each side's change adds up: ours + theirs - base is
 * exactly what the union of the two sides' moves and receipts gives.
 */
static int additive(const struct table *t, int i)
{
	const char *n = t->f[i].name;
	if (t == &T_STOCK)
		return !strcmp(n, "qty") || !strcmp(n, "value");
	if (t == &T_OPEN)
		return !strcmp(n, "open");
	return 0;
}

static int num_parse(const struct field *f, const char *v, int digits, int64_t *out)
{
	if (!*v) {
		*out = 0;
		return 0;
	}
	return (f->type == FT_MONEY ? money_parse(v, digits, out) : int_parse(v, out)) != NULL;
}

static int add3(const struct field *f, const char *b, const char *o, const char *t,
	int digits, char *buf, crm_err *e)
{
	int64_t vb, vo, vt;
	if (num_parse(f, b, digits, &vb) || num_parse(f, o, digits, &vo) || num_parse(f, t, digits, &vt))
		return crm_fail(e, CRM_EDATA, "%s: not a number on one side", f->name);
	int64_t r = vo;
	if (money_add(&r, vt) || money_add(&r, -vb))
		return crm_fail(e, CRM_EDATA, "%s: overflow", f->name);
	if (f->type == FT_MONEY)
		money_fmt(r, digits, buf);
	else
		snprintf(buf, 32, "%lld", (long long)r);
	return 0;
}

struct mctx {
	const struct table *t;
	const char *path;
	int digits;
	struct conflicts *cs;
};

/* A record's fields merged one by one; NULL sides are absent (their balances count as zero). */
static int merge_rec(struct mctx *m, const rec *b, const rec *o, const rec *t, rec **out, crm_err *e)
{
	const struct table *tb = m->t;
	const rec *any = o ? o : t;
	rec *r = rec_dup(any);
	for (int i = 0; i < tb->nf; i++) {
		const char *bv = b ? b->v[i] : "", *ov = o ? o->v[i] : "", *tv = t ? t->v[i] : "";
		const char *v;
		char num[48];
		if (additive(tb, i)) {
			int rc = add3(&tb->f[i], bv, ov, tv, m->digits, num, e);
			if (rc) {
				free(r);
				return rc;
			}
			v = num;
		} else if (!o || !t) {
			v = o ? ov : tv;
		} else if (!strcmp(ov, tv) || !strcmp(tv, bv)) {
			v = ov;
		} else if (!strcmp(ov, bv)) {
			v = tv;
		} else if (!strcmp(tb->f[i].name, "updated")) {
			v = strcmp(ov, tv) > 0 ? ov : tv; /* when it last changed: the later */
		} else {
			v = ov;
			if (tb != &T_CONFLICTS)
				merge_conflict_add(m->cs, m->path, o->v[0], tb->f[i].name, bv, ov, tv);
		}
		if (strcmp(v, r->v[i]))
			r = rec_set(r, i, v);
	}
	*out = r;
	return 0;
}

static int rec_same(const rec *a, const rec *b)
{
	for (int i = 0; i < a->t->nf; i++)
		if (strcmp(a->v[i], b->v[i]))
			return 0;
	return 1;
}

/* A settled open item leaves open/: merged to nothing open, it leaves again. */
static int all_zero(const struct table *t, const rec *r)
{
	if (t != &T_OPEN)
		return 0;
	for (int i = 0; i < t->nf; i++)
		if (additive(t, i) && strspn(r->v[i], "0.-") != strlen(r->v[i]))
			return 0;
	return 1;
}

/*
 * One record present on at least one of ours and theirs. Gone on one side
 * and untouched on the other: gone. Gone on one side and changed on the
 * other: the change is kept (no edit is lost) and the removal is the conflict.
 */
static int merge_one(struct mctx *m, const rec *b, const rec *o, const rec *t, struct recs *res, crm_err *e)
{
	const char *key = o ? o->v[0] : t->v[0];
	int derived = m->t == &T_STOCK || m->t == &T_OPEN;
	if (b && (!o || !t) && !derived) {
		const rec *kept = o ? o : t;
		if (rec_same(kept, b))
			return 0;
		if (m->t != &T_CONFLICTS)
			merge_conflict_add(m->cs, m->path, key, "(record)", "", o ? "changed" : "removed",
				t ? "changed" : "removed");
		recs_push(res, rec_dup(kept));
		return 0;
	}
	rec *r;
	int rc = merge_rec(m, b, o, t, &r, e);
	if (rc)
		return rc;
	if (all_zero(m->t, r))
		free(r);
	else
		recs_push(res, r);
	return 0;
}

/* theirs' record r takes the first free id KEY-2, KEY-3, ... (a ledger id may carry a suffix). */
static void renumber(struct mctx *m, struct side_recs *O, struct side_recs *T, rec *r)
{
	char id[200];
	for (int n = 2;; n++) {
		snprintf(id, sizeof id, "%s-%d", r->v[0], n);
		if (!side_get(O, id) && !side_get(T, id))
			break;
	}
	size_t at = strmap_get(&T->at, r->v[0], (size_t)-1);
	merge_conflict_add(m->cs, m->path, id, "(renumbered)", "", r->v[0], id);
	rec *n = rec_set(rec_dup(r), 0, id);
	free(T->rs.r[at]);
	T->rs.r[at] = n;
	strmap_put(&T->at, id, at); /* the old key still finds it, but is never asked again */
}

static int merge_table(const struct table *t, const char *path, struct side base, struct side ours,
	struct side theirs, int digits, sbuf *out, struct conflicts *cs, crm_err *e)
{
	struct side_recs B = {0}, O = {0}, T = {0};
	struct recs res = {0};
	struct mctx m = {t, path, digits, cs};
	int rc = side_load(t, path, "base", base, digits, &B, e);
	if (!rc)
		rc = side_load(t, path, "ours", ours, digits, &O, e);
	if (!rc)
		rc = side_load(t, path, "theirs", theirs, digits, &T, e);
	/* Ours in our order, then what only theirs has, in theirs': a ledger keeps
	 * its appends in order; a master is sorted again below. */
	for (size_t i = 0; !rc && i < O.rs.n; i++) {
		const char *k = O.rs.r[i]->v[0];
		rec *tr = side_get(&T, k);
		/* One ledger id minted on both sides for two records (two clones that both
		 * took themselves for the store's home): theirs is renumbered, never lost. */
		if (tr && t->kind == T_LEDGER && !side_get(&B, k) && !rec_same(tr, O.rs.r[i])) {
			renumber(&m, &O, &T, tr);
			tr = NULL;
		}
		rc = merge_one(&m, side_get(&B, k), O.rs.r[i], tr, &res, e);
	}
	for (size_t i = 0; !rc && i < T.rs.n; i++) {
		const char *k = T.rs.r[i]->v[0];
		if (!side_get(&O, k))
			rc = merge_one(&m, side_get(&B, k), NULL, T.rs.r[i], &res, e);
	}
	if (!rc) {
		if (t->kind == T_MASTER)
			recs_sort_by_id(&res);
		table_write_header(t, out);
		for (size_t i = 0; i < res.n; i++)
			table_write_rec(res.r[i], out);
	}
	recs_free(&res);
	side_free(&B), side_free(&O), side_free(&T);
	return rc;
}

/* Lines of a file after its first (the header), each as a string. */
static void lines_of(struct side sd, struct strset *set, char ***list, size_t *n)
{
	*list = NULL;
	*n = 0;
	if (!sd.buf)
		return;
	const char *p = sd.buf, *end = sd.buf + sd.len;
	int first = 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!first && len) {
			char *l = xstrndup(p, len);
			if (strset_add(set, l)) {
				*list = xrealloc(*list, (*n + 1) * sizeof **list);
				(*list)[(*n)++] = l;
			} else {
				free(l);
			}
		}
		first = 0;
		p += len + (nl != NULL);
	}
}

static void header_of(struct side sd, sbuf *out)
{
	const char *nl = memchr(sd.buf, '\n', sd.len);
	sb_add(out, sd.buf, nl ? (size_t)(nl - sd.buf) : sd.len);
	sb_addc(out, '\n');
}

static void lines_free(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* rates/ and targets/: rows added on either side are kept, rows removed on either side go. */
static void merge_lines(struct side base, struct side ours, struct side theirs, sbuf *out)
{
	struct strset sb = {0}, so = {0}, st = {0};
	char **lb, **lo, **lt;
	size_t nb, no, nt;
	lines_of(base, &sb, &lb, &nb);
	lines_of(ours, &so, &lo, &no);
	lines_of(theirs, &st, &lt, &nt);
	header_of(ours.buf ? ours : theirs, out);
	for (size_t i = 0; i < no; i++)
		if (!strset_has(&sb, lo[i]) || strset_has(&st, lo[i]))
			sb_printf(out, "%s\n", lo[i]);
	for (size_t i = 0; i < nt; i++)
		if (!strset_has(&sb, lt[i]) && !strset_has(&so, lt[i]))
			sb_printf(out, "%s\n", lt[i]);
	lines_free(lb, nb), lines_free(lo, no), lines_free(lt, nt);
	strset_clear(&sb), strset_clear(&so), strset_clear(&st);
}

static int merge_text(const char *path, struct side base, struct side ours, struct side theirs,
	sbuf *out, crm_err *e)
{
	git_merge_file_input in[3];
	struct side sd[3] = {base, ours, theirs};
	git_libgit2_init(); /* counted: the merge driver may run without a store opened */
	for (int i = 0; i < 3; i++) {
		git_merge_file_input_init(&in[i], GIT_MERGE_FILE_INPUT_VERSION);
		in[i].ptr = sd[i].buf ? sd[i].buf : "";
		in[i].size = sd[i].buf ? sd[i].len : 0;
		in[i].path = path;
	}
	git_merge_file_result r;
	memset(&r, 0, sizeof r);
	if (git_merge_file(&r, &in[0], &in[1], &in[2], NULL))
		return crm_fail_git(e, path);
	int rc = 0;
	if (!r.automergeable)
		rc = crm_fail(e, CRM_EDATA, "%s: changed on both sides in the same lines; settle it in one store and sync again", path);
	else
		sb_add(out, r.ptr, r.len);
	git_merge_file_result_free(&r);
	return rc;
}

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

int merge_file(const char *path, struct side base, struct side ours, struct side theirs,
	int digits, sbuf *out, struct conflicts *cs, crm_err *e)
{
	const struct table *t = table_of_path(path);
	if (!strcmp(path, CONFLICTS_FILE))
		t = &T_CONFLICTS;
	if (t && ends_with(path, ".csv"))
		return merge_table(t, path, base, ours, theirs, digits, out, cs, e);
	if (ends_with(path, ".csv") && (ours.buf || theirs.buf)) {
		merge_lines(base, ours, theirs, out);
		return 0;
	}
	return merge_text(path, base, ours, theirs, out, e);
}
