/*
 * The sums of the ledger measures (sales, margin, qty, orders, quotes,
 * receipts, visits) over a ledger's columns (cols.h). Nothing is parsed or
 * formatted per row: a file's distinct customers, owners, SKUs and currencies
 * are looked up once per file, and a row's group is a pair of integers (a
 * customer's or product's index, a name's number in this thread's list of
 * names, or a period's first day). Groups become text once, at the end.
 */
#include <stdlib.h>
#include <string.h>
#include "ar.h"
#include "bulkmem.h"
#include "cols.h"
#include "customer.h"
#include "money.h"
#include "order.h"
#include "report.h"
#include "stock.h"

/* Groups by a 64-bit key, open addressing; key 0 is never used (keys are made + 1). */
struct igroup {
	uint64_t key;
	int64_t v;
};
struct itab {
	struct igroup *g;
	size_t cap, n;
};

static int64_t *itab_get(struct itab *t, uint64_t key)
{
	if (2 * (t->n + 1) > t->cap) {
		struct itab o = *t;
		t->cap = o.cap ? o.cap * 2 : 1024;
		t->g = xcalloc(t->cap, sizeof *t->g);
		t->n = 0;
		for (size_t i = 0; i < o.cap; i++)
			if (o.g[i].key)
				*itab_get(t, o.g[i].key) = o.g[i].v;
		free(o.g);
	}
	/* Keys differ in their high half (customer) or low (period): both are mixed in. */
	uint64_t h = key ^ key >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	size_t m = t->cap - 1, i = (size_t)h & m;
	while (t->g[i].key && t->g[i].key != key)
		i = (i + 1) & m;
	if (!t->g[i].key) {
		t->g[i].key = key;
		t->n++;
	}
	return &t->g[i].v;
}

/* A thread's names (owners, regions, SKUs, category paths): text -> number. */
struct names {
	struct gtab idx;   /* -> uint32 number */
	char **s;
	uint32_t n;
};

static uint32_t name_id(struct names *nm, const char *s)
{
	if (!*s)
		s = "(none)";
	if (!nm->idx.vsize)
		gtab_init(&nm->idx, sizeof(uint32_t));
	uint32_t *i = gtab_get(&nm->idx, s, strlen(s), 1);
	if (nm->idx.n > nm->n) {
		nm->s = xrealloc(nm->s, (nm->n + 1) * sizeof *nm->s);
		nm->s[nm->n] = xstrdup(s);
		*i = nm->n++;
	}
	return *i;
}

enum { NONE_ID = UINT32_MAX };

struct isum {
	struct rctx *r;
	enum measure m;
	struct dimspec d[2];
	struct fx fx;
	struct itab t;
	int64_t *dense;         /* by customer alone: the sums by customer index + 1, no table */
	unsigned char *hit;
	uint64_t need;          /* the columns this measure and these dimensions read */
	struct names nm;
	uint32_t *cdim[2];      /* per customer index: its name number in d[k], NONE_ID until asked */
	uint32_t *pdim[2];      /* per product index, likewise */
	int32_t first, last;
	size_t counted;
	int32_t pday[2], pstart[2]; /* the last day's period, asked again for most rows */
	/* Per file, per distinct value of its columns: */
	long *cmap, *pmap;
	uint32_t *omap, *smap;
	unsigned char *base;
	size_t cap_c, cap_p, cap_o, cap_s, cap_b;
};

static int is_time(enum dim d)
{
	return d >= D_MONTH;
}

static const char *cust_field(enum dim d)
{
	return d == D_OWNER ? "owner" : d == D_REGION ? "region" : d == D_GRADE ? "grade" : "industry";
}

static uint32_t cust_name(struct isum *s, int k, long c)
{
	if (c < 0)
		return name_id(&s->nm, "");
	if (s->cdim[k][c] == NONE_ID) {
		int f = table_field(&T_CUSTOMERS, cust_field(s->d[k].d));
		s->cdim[k][c] = name_id(&s->nm, rctx_cf(s->r, c, f));
	}
	return s->cdim[k][c];
}

static uint32_t cat_name(struct isum *s, int k, long p)
{
	if (p < 0)
		return name_id(&s->nm, "");
	if (s->pdim[k][p] == NONE_ID) {
		const char *cat = rctx_pf(s->r, p, PR_CATEGORY);
		char cut[256];
		if (s->d[k].depth) {
			category_cut(cat, s->d[k].depth, cut, sizeof cut);
			cat = cut;
		}
		s->pdim[k][p] = name_id(&s->nm, cat);
	}
	return s->pdim[k][p];
}

/* One row's key in dimension k: c and p its customer's and product's index (-1: none), o and sk its own owner's and SKU's names. */
static uint32_t key_of(struct isum *s, int k, int32_t day, long c, long p, uint32_t o, uint32_t sk)
{
	switch (s->d[k].d) {
	case D_NONE: return 0;
	case D_CUSTOMER: return (uint32_t)(c + 1);
	case D_OWNER: return o != NONE_ID ? o : cust_name(s, k, c);
	case D_REGION: case D_GRADE: case D_INDUSTRY: return cust_name(s, k, c);
	case D_SKU: return sk != NONE_ID ? sk : name_id(&s->nm, "");
	case D_CATEGORY: return cat_name(s, k, p);
	default:
		if (day != s->pday[k]) {
			s->pday[k] = day;
			s->pstart[k] = period_start(s->d[k].d, day);
		}
		return (uint32_t)s->pstart[k];
	}
}

static void *grow(void *p, size_t *cap, size_t n, size_t each)
{
	if (n <= *cap)
		return p;
	*cap = n;
	return xrealloc(p, n * each);
}

/* The file's customers, products, owners, SKUs and currencies, once each. */
static void map_file(struct isum *s, const struct col *cu, const struct col *ow, const struct col *sk, const struct col *cur)
{
	s->cmap = grow(s->cmap, &s->cap_c, cu->nstr, sizeof *s->cmap);
	ctab_find_many(&s->r->cust, cu->str, cu->nstr, s->cmap);
	/* A filtered-out or unknown customer leaves the fact out; one with none counts under (none). */
	for (uint32_t i = 0; i < cu->nstr; i++)
		if (s->cmap[i] < 0)
			s->cmap[i] = !*cu->str[i] && !s->r->cflt ? -1 : -2;
	if (ow) {
		s->omap = grow(s->omap, &s->cap_o, ow->nstr, sizeof *s->omap);
		for (uint32_t i = 0; i < ow->nstr; i++)
			s->omap[i] = *ow->str[i] ? name_id(&s->nm, ow->str[i]) : NONE_ID;
	}
	if (sk) {
		s->pmap = grow(s->pmap, &s->cap_p, sk->nstr, sizeof *s->pmap);
		s->smap = grow(s->smap, &s->cap_s, sk->nstr, sizeof *s->smap);
		for (uint32_t i = 0; i < sk->nstr; i++) {
			long p = rctx_product_index(s->r, sk->str[i]);
			s->pmap[i] = p >= 0 ? p : s->r->pflt ? -2 : -1;
			s->smap[i] = s->d[0].d == D_SKU || s->d[1].d == D_SKU ? name_id(&s->nm, sk->str[i]) : NONE_ID;
		}
	}
	if (cur) {
		s->base = grow(s->base, &s->cap_b, cur->nstr, 1);
		for (uint32_t i = 0; i < cur->nstr; i++)
			s->base[i] = !*cur->str[i] || !s->fx.base || !strcmp(cur->str[i], s->fx.base);
	}
}

/* Row i of a file adds v (in currency cur, less `less` in the base currency) to its group. */
static int add_row(struct isum *s, const struct colfile *f, size_t i, int32_t day, int64_t v, int64_t less,
	const struct col *cu, const struct col *ow, const struct col *sk, const struct col *cur, crm_err *e)
{
	long c = s->cmap[cu->ix[i]];
	if (c == -2)
		return 0;
	long p = sk ? s->pmap[sk->ix[i]] : -1;
	if (p == -2 || (!sk && s->r->pflt))
		return 0;
	if (cur && !s->base[cur->ix[i]] && fx_base(&s->fx, cur->str[cur->ix[i]], day, v, &v, e))
		return e->code;
	uint32_t o = ow ? s->omap[ow->ix[i]] : NONE_ID, sn = sk ? s->smap[sk->ix[i]] : NONE_ID;
	int64_t *g;
	if (s->dense) {
		g = &s->dense[c + 1];
		s->hit[c + 1] = 1;
	} else {
		uint64_t key = (uint64_t)key_of(s, 0, day, c, p, o, sn) << 32 | key_of(s, 1, day, c, p, o, sn);
		g = itab_get(&s->t, key + 1);
	}
	if (!s->counted++ || day < s->first)
		s->first = day;
	if (day > s->last)
		s->last = day;
	if (money_add(&v, -less) || money_add(g, v))
		return crm_fail(e, CRM_EDATA, "%s: %s passes what a figure can hold", f->path, measure_name(s->m));
	return 0;
}

/* Column k when read (need), else NULL. */
static const struct col *col_if(const struct isum *s, const struct colfile *f, int k)
{
	return s->need >> k & 1 ? &f->c[k] : NULL;
}

static int in_range(const struct isum *s, int32_t day)
{
	return day >= s->r->from && day <= s->r->to;
}

/* shipments: id, date, order, customer, owner, sku, qty, sales, cost, currency; those sales reads first, together. */
enum { SH_DATE, SH_CUSTOMER, SH_SALES, SH_CURRENCY, SH_COST, SH_OWNER, SH_SKU, SH_QTY };
static const int w_ship[] = {1, 3, 7, 9, 8, 4, 5, 6};

static int b_shipment(void *ctx, struct colfile *f, crm_err *e)
{
	struct isum *s = ctx;
	const struct col *cu = &f->c[SH_CUSTOMER], *ow = col_if(s, f, SH_OWNER), *sk = col_if(s, f, SH_SKU),
		*cur = col_if(s, f, SH_CURRENCY);
	map_file(s, cu, ow, sk, cur);
	for (size_t i = 0; i < f->n; i++) {
		int32_t day = f->c[SH_DATE].day[i];
		if (!in_range(s, day))
			continue;
		int rc = s->m == M_QTY ? add_row(s, f, i, day, f->c[SH_QTY].num[i], 0, cu, ow, sk, NULL, e)
			: add_row(s, f, i, day, f->c[SH_SALES].num[i], s->m == M_MARGIN ? f->c[SH_COST].num[i] : 0,
				cu, ow, sk, cur, e);
		if (rc)
			return rc;
	}
	return 0;
}

static const int w_order[] = {OR_DATE, OR_CUSTOMER, OR_OWNER, OR_STATUS};

static int b_order(void *ctx, struct colfile *f, crm_err *e)
{
	struct isum *s = ctx;
	const struct col *cu = &f->c[1], *ow = col_if(s, f, 2), *st = &f->c[3];
	map_file(s, cu, ow, NULL, NULL);
	/* Orders count as orders unless quotes, lost or cancelled; quotes as quotes. */
	unsigned char want[64];
	for (uint32_t i = 0; i < st->nstr && i < 64; i++) {
		int quote = !strcmp(st->str[i], "quote");
		want[i] = s->m == M_QUOTES ? quote : !quote && strcmp(st->str[i], "lost") && strcmp(st->str[i], "cancelled");
	}
	for (size_t i = 0; i < f->n; i++) {
		int32_t day = f->c[0].day[i];
		if (st->ix[i] >= 64 || !want[st->ix[i]] || !in_range(s, day))
			continue;
		int rc = add_row(s, f, i, day, 1, 0, cu, ow, NULL, NULL, e);
		if (rc)
			return rc;
	}
	return 0;
}

static const int w_receipt[] = {RC_DATE, RC_CUSTOMER, RC_AMOUNT, RC_CURRENCY};

static int b_receipt(void *ctx, struct colfile *f, crm_err *e)
{
	struct isum *s = ctx;
	const struct col *cu = &f->c[1], *cur = &f->c[3];
	map_file(s, cu, NULL, NULL, cur);
	for (size_t i = 0; i < f->n; i++) {
		int32_t day = f->c[0].day[i];
		int rc = in_range(s, day) ? add_row(s, f, i, day, f->c[2].num[i], 0, cu, NULL, NULL, cur, e) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

static const int w_visit[] = {1, 2, 3}; /* visits: id, date, customer, by, ... */

static int b_visit(void *ctx, struct colfile *f, crm_err *e)
{
	struct isum *s = ctx;
	const struct col *cu = &f->c[1], *by = col_if(s, f, 2);
	map_file(s, cu, by, NULL, NULL);
	for (size_t i = 0; i < f->n; i++) {
		int32_t day = f->c[0].day[i];
		int rc = in_range(s, day) ? add_row(s, f, i, day, 1, 0, cu, by, NULL, NULL, e) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

/* The text of key k of a group. */
static void key_text(const struct isum *s, int k, uint32_t id, char *out, size_t cap)
{
	enum dim d = s->d[k].d;
	if (d == D_NONE)
		snprintf(out, cap, "%s", k ? "" : "all");
	else if (d == D_CUSTOMER)
		snprintf(out, cap, "%s", id ? rctx_cf(s->r, (long)id - 1, CU_ID) : "(none)");
	else if (is_time(d))
		period_key(d, (int32_t)id, out, cap);
	else
		snprintf(out, cap, "%s", s->nm.s[id]);
}

static void isum_free(struct isum *s)
{
	free(s->t.g);
	free(s->dense);
	free(s->hit);
	for (uint32_t i = 0; i < s->nm.n; i++)
		free(s->nm.s[i]);
	free(s->nm.s);
	gtab_free(&s->nm.idx);
	for (int k = 0; k < 2; k++) {
		free(s->cdim[k]);
		free(s->pdim[k]);
	}
	free(s->cmap);
	free(s->pmap);
	free(s->omap);
	free(s->smap);
	free(s->base);
}

/* Adds thread part's groups into out, as text. */
/* Customer index + 1 a before b in by-value order: the larger first, then by id. */
static int dense_before(const struct isum *s, size_t a, size_t b)
{
	if (s->dense[a] != s->dense[b])
		return s->dense[a] > s->dense[b];
	return strcmp(a ? rctx_cf(s->r, (long)a - 1, CU_ID) : "(none)", b ? rctx_cf(s->r, (long)b - 1, CU_ID) : "(none)") < 0;
}

/* Only the rctx.top largest sums by customer become groups; the total is of all. */
static int top_only(const struct isum *s, struct rresult *out, crm_err *e)
{
	size_t n = s->r->top, nb = 0, *best = xmalloc((n + 1) * sizeof *best);
	int64_t total = 0;
	for (size_t i = 0; i <= s->r->cust.n; i++) {
		if (!s->hit[i])
			continue;
		if (__builtin_add_overflow(total, s->dense[i], &total)) {
			free(best);
			return crm_fail(e, CRM_EDATA, "%s passes what a figure can hold", measure_name(s->m));
		}
		if (nb == n && !dense_before(s, i, best[nb - 1]))
			continue;
		size_t j = nb < n ? nb++ : n - 1;
		for (; j > 0 && dense_before(s, i, best[j - 1]); j--)
			best[j] = best[j - 1];
		best[j] = i;
	}
	for (size_t j = 0; j < nb; j++) {
		char k1[256];
		key_text(s, 0, (uint32_t)best[j], k1, sizeof k1);
		rresult_push(out, k1, "", s->dense[best[j]]);
	}
	out->part = 1;
	out->total = total;
	free(best);
	return 0;
}

static int to_result(const struct isum *s, struct rresult *out, crm_err *e)
{
	int part = s->dense && s->r->top && s->r->top <= 10000;
	if (part && top_only(s, out, e))
		return e->code;
	for (size_t i = 0; s->dense && !part && i <= s->r->cust.n; i++) {
		if (!s->hit[i])
			continue;
		char k1[256];
		key_text(s, 0, (uint32_t)i, k1, sizeof k1);
		/* One thread's groups by customer alone (shared_keys added the others' in): each is new. */
		rresult_push(out, k1, "", s->dense[i]);
	}
	for (size_t i = 0; i < s->t.cap; i++) {
		const struct igroup *g = &s->t.g[i];
		if (!g->key)
			continue;
		char k1[256], k2[256];
		key_text(s, 0, (uint32_t)((g->key - 1) >> 32), k1, sizeof k1);
		key_text(s, 1, (uint32_t)(g->key - 1), k2, sizeof k2);
		int64_t *v = rresult_group(out, k1, k2);
		if (money_add(v, g->v))
			return crm_fail(e, CRM_EDATA, "%s of %s passes what a figure can hold", measure_name(s->m), k1);
	}
	if (s->counted) {
		if (!out->counted || s->first < out->first)
			out->first = s->first;
		if (!out->counted || s->last > out->last)
			out->last = s->last;
		out->counted += s->counted;
	}
	return 0;
}

/* Keys the same in every thread (customers, periods): thread from's groups added into to's as numbers. */
static int shared_keys(const struct isum *s)
{
	for (int k = 0; k < 2; k++)
		if (s->d[k].d != D_NONE && s->d[k].d != D_CUSTOMER && !is_time(s->d[k].d))
			return 0;
	return 1;
}

static int merge_into(struct isum *to, const struct isum *from, crm_err *e)
{
	int over = 0;
	for (size_t i = 0; to->dense && i <= to->r->cust.n; i++) {
		to->hit[i] |= from->hit[i];
		over |= __builtin_add_overflow(to->dense[i], from->dense[i], &to->dense[i]);
	}
	if (over)
		return crm_fail(e, CRM_EDATA, "%s passes what a figure can hold", measure_name(to->m));
	for (size_t i = 0; i < from->t.cap; i++)
		if (from->t.g[i].key && money_add(itab_get(&to->t, from->t.g[i].key), from->t.g[i].v))
			return crm_fail(e, CRM_EDATA, "%s passes what a figure can hold", measure_name(to->m));
	if (from->counted) {
		if (!to->counted || from->first < to->first)
			to->first = from->first;
		if (!to->counted || from->last > to->last)
			to->last = from->last;
		to->counted += from->counted;
	}
	return 0;
}

static int has_dim(const struct dimspec *d1, const struct dimspec *d2, enum dim d)
{
	return d1->d == d || (d2 && d2->d == d);
}

/* The columns a measure reads, and those its dimensions and filters do: the rest stay in the cache. */
static uint64_t need_of(enum measure m, const struct dimspec *d1, const struct dimspec *d2, const struct rctx *r)
{
	uint64_t owner = has_dim(d1, d2, D_OWNER);
	switch (m) {
	case M_SALES: case M_MARGIN: case M_QTY:
		return 1 << SH_DATE | 1 << SH_CUSTOMER | owner << SH_OWNER |
			(uint64_t)(r->pflt || has_dim(d1, d2, D_SKU) || has_dim(d1, d2, D_CATEGORY)) << SH_SKU |
			(uint64_t)(m == M_QTY) << SH_QTY | (uint64_t)(m != M_QTY) << SH_SALES |
			(uint64_t)(m == M_MARGIN) << SH_COST | (uint64_t)(m != M_QTY) << SH_CURRENCY;
	case M_ORDERS: case M_QUOTES: return 1 | 2 | owner << 2 | 8;
	case M_VISITS: return 1 | 2 | owner << 2;
	default: return 0;
	}
}

int rsum_ledger(struct rctx *r, enum measure m, const struct dimspec *d1, const struct dimspec *d2,
	const struct fx *fx, struct rresult *out, crm_err *e)
{
	const struct table *t;
	const int *want;
	int nw;
	col_fn fn;
	switch (m) {
	case M_SALES: case M_MARGIN: case M_QTY: t = &T_SHIPMENTS, want = w_ship, nw = 8, fn = b_shipment; break;
	case M_ORDERS: case M_QUOTES: t = &T_ORDERS, want = w_order, nw = 4, fn = b_order; break;
	case M_RECEIPTS: t = &T_RECEIPTS, want = w_receipt, nw = 4, fn = b_receipt; break;
	case M_VISITS: t = &T_VISITS, want = w_visit, nw = 3, fn = b_visit; break;
	default: return crm_fail(e, CRM_EINTERNAL, "%s is not a ledger's sum", measure_name(m));
	}
	int np = scan_workers(r->s);
	struct isum *part = xcalloc((size_t)np, sizeof *part);
	void *ctx[SCAN_MAX];
	for (int k = 0; k < np; k++) {
		struct isum *s = &part[k];
		s->r = r;
		s->m = m;
		s->d[0] = *d1;
		s->d[1] = d2 ? *d2 : (struct dimspec){D_NONE, 0};
		s->fx = *fx;
		s->pday[0] = s->pday[1] = INT32_MIN;
		s->need = need_of(m, d1, d2, r);
		if (d1->d == D_CUSTOMER && (!d2 || d2->d == D_NONE)) {
			s->dense = xcalloc(r->cust.n + 1, sizeof *s->dense);
			s->hit = xcalloc(r->cust.n + 1, 1);
			bulk_buffer(s->dense, (r->cust.n + 1) * sizeof *s->dense); /* page faults of 2 MiB */
		}
		/* A name per customer or product only for the dimensions that read one. */
		for (int j = 0; j < 2; j++) {
			enum dim dj = s->d[j].d;
			if (dj == D_OWNER || dj == D_REGION || dj == D_GRADE || dj == D_INDUSTRY) {
				s->cdim[j] = xmalloc((r->cust.n + 1) * sizeof *s->cdim[j]);
				bulk_buffer(s->cdim[j], (r->cust.n + 1) * sizeof *s->cdim[j]);
				memset(s->cdim[j], 0xff, (r->cust.n + 1) * sizeof *s->cdim[j]);
			}
			if (dj == D_CATEGORY) {
				s->pdim[j] = xmalloc((r->prod.n + 1) * sizeof *s->pdim[j]);
				memset(s->pdim[j], 0xff, (r->prod.n + 1) * sizeof *s->pdim[j]);
			}
		}
		ctx[k] = s;
	}
	int rc = cols_ledger_par(r->s, t, r->from, r->to, want, nw, part[0].need, fn, ctx, np, e);
	/* Shared keys are added up as numbers, so the text of each group is made once. */
	for (int k = 1; !rc && k < np && shared_keys(&part[0]); k++) {
		rc = merge_into(&part[0], &part[k], e);
		free(part[k].t.g);
		part[k].t = (struct itab){0};
		free(part[k].dense);
		part[k].dense = NULL;
		part[k].counted = 0;
	}
	for (int k = 0; k < np && !rc; k++)
		rc = to_result(&part[k], out, e);
	for (int k = 0; k < np; k++)
		isum_free(&part[k]);
	free(part);
	return rc;
}
