#include <stdlib.h>
#include <string.h>
#include "ar.h"
#include "customer.h"
#include "date.h"
#include "filter.h"
#include "money.h"
#include "order.h"
#include "report.h"
#include "stock.h"

static const char *const measures[] = {"sales", "margin", "qty", "orders", "receipts", "balance", "visits",
	"new_customers", "quotes", "pipeline", "booked"};

int measure_parse(const char *s, enum measure *m)
{
	for (int i = 0; i < M_NMEASURES; i++)
		if (!strcmp(s, measures[i])) {
			*m = (enum measure)i;
			return 0;
		}
	return -1;
}

const char *measure_name(enum measure m)
{
	return measures[m];
}

int measure_is_money(enum measure m)
{
	return m == M_SALES || m == M_MARGIN || m == M_RECEIPTS || m == M_BALANCE || m == M_PIPELINE || m == M_BOOKED;
}

int dim_parse(const char *s, struct dimspec *d, crm_err *e)
{
	static const char *const names[] = {"", "customer", "owner", "region", "grade", "industry", "category", "sku",
		"month", "quarter", "year", "day", "week"};
	size_t n = strcspn(s, ":");
	d->depth = 0;
	for (int i = 1; i < (int)(sizeof names / sizeof *names); i++)
		if (strlen(names[i]) == n && !strncmp(s, names[i], n)) {
			d->d = (enum dim)i;
			if (!s[n])
				return 0;
			char *end;
			long v = strtol(s + n + 1, &end, 10);
			if (d->d != D_CATEGORY || *end || end == s + n + 1 || v < 1 || v > 64)
				return crm_fail(e, CRM_EUSAGE, "'%s': only category takes a depth, a whole number from 1", s);
			d->depth = (int)v;
			return 0;
		}
	return crm_fail(e, CRM_EUSAGE, "'%s' is not a dimension: customer, owner, region, grade, industry, "
		"category[:N], sku, day, week, month, quarter or year", s);
}

/* Keep only the fields a report reads: a million customers each hold a record. */
static int keep_rec(struct rctx *r, struct gtab *idx, struct recs *rs, rec *in, const int *f, int nf)
{
	static char empty[1];
	char *v[CSV_MAX_FIELDS];
	for (int i = 0; i < in->t->nf; i++)
		v[i] = empty;
	for (int i = 0; i < nf; i++)
		v[f[i]] = in->v[f[i]];
	(void)r;
	if (!idx->vsize)
		gtab_init(idx, sizeof(size_t));
	*(size_t *)gtab_get(idx, in->v[0], strlen(in->v[0]), 1) = rs->n;
	recs_push(rs, rec_pack(in->t, v));
	return 0;
}

static int keep_customer(void *ctx, rec *c, crm_err *e)
{
	struct rctx *r = ctx;
	int m = r->cflt ? filter_match(r->cflt, c->v, c->file, c->line, e) : 1;
	if (m < 0)
		return e->code;
	static const int f[] = {CU_ID, CU_NAME, CU_REGION, CU_INDUSTRY, CU_GRADE, CU_OWNER, CU_STATUS, CU_CREATED};
	return m ? keep_rec(r, &r->cidx, &r->cust, c, f, 8) : 0;
}

static int keep_product(void *ctx, rec *p, crm_err *e)
{
	struct rctx *r = ctx;
	int m = r->pflt ? filter_match(r->pflt, p->v, p->file, p->line, e) : 1;
	if (m < 0)
		return e->code;
	static const int f[] = {PR_SKU, PR_NAME, PR_CATEGORY};
	return m ? keep_rec(r, &r->pidx, &r->prod, p, f, 3) : 0;
}

int rctx_open(struct rctx *r, struct store *s, char **terms, int nterms, int32_t from, int32_t to, crm_err *e)
{
	memset(r, 0, sizeof *r);
	r->s = s;
	r->from = from;
	r->to = to;
	/* A term names a customer field, else a product field (sku, category, ...). */
	char *ct[CSV_MAX_FIELDS], *pt[CSV_MAX_FIELDS];
	int nc = 0, np = 0, rc = 0;
	for (int i = 0; i < nterms && i < CSV_MAX_FIELDS; i++) {
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)strcspn(terms[i], "=!~<>"), terms[i]);
		if (table_field(&T_CUSTOMERS, name) >= 0)
			ct[nc++] = terms[i];
		else if (table_field(&T_PRODUCTS, name) >= 0)
			pt[np++] = terms[i];
		else
			return crm_fail(e, CRM_EUSAGE, "'%s': no such field of customers or products", terms[i]);
	}
	if (nc)
		rc = filter_parse(&r->cflt, T_CUSTOMERS.f, T_CUSTOMERS.nf, ct, nc, s->digits, e);
	if (!rc && np)
		rc = filter_parse(&r->pflt, T_PRODUCTS.f, T_PRODUCTS.nf, pt, np, s->digits, e);
	/* Without a filter, only the fields the dimensions read. */
	static const int cw[] = {CU_ID, CU_NAME, CU_REGION, CU_INDUSTRY, CU_GRADE, CU_OWNER, CU_STATUS, CU_CREATED};
	static const int pw[] = {PR_SKU, PR_NAME, PR_CATEGORY};
	if (!rc)
		rc = r->cflt ? store_scan(s, &T_CUSTOMERS, keep_customer, r, e)
			     : store_scan_table_fields(s, &T_CUSTOMERS, cw, 8, keep_customer, r, e);
	if (!rc)
		rc = r->pflt ? store_scan(s, &T_PRODUCTS, keep_product, r, e)
			     : store_scan_table_fields(s, &T_PRODUCTS, pw, 3, keep_product, r, e);
	return rc;
}

void rctx_close(struct rctx *r)
{
	gtab_free(&r->cidx);
	gtab_free(&r->pidx);
	recs_free(&r->cust);
	recs_free(&r->prod);
	filter_free(r->cflt);
	filter_free(r->pflt);
}

long rctx_customer_index(const struct rctx *r, const char *id)
{
	const size_t *i = gtab_find(&r->cidx, id, strlen(id));
	return i ? (long)*i : -1;
}

const rec *rctx_customer(struct rctx *r, const char *id)
{
	long i = rctx_customer_index(r, id);
	return i < 0 ? NULL : r->cust.r[i];
}

const rec *rctx_product(struct rctx *r, const char *sku)
{
	const size_t *i = gtab_find(&r->pidx, sku, strlen(sku));
	return i ? r->prod.r[*i] : NULL;
}

void period_key(enum dim d, int32_t day, char *out, size_t cap)
{
	int y, m, dd;
	date_to_ymd(day, &y, &m, &dd);
	if (d == D_YEAR)
		snprintf(out, cap, "%04d", y);
	else if (d == D_QUARTER)
		snprintf(out, cap, "%04d-Q%d", y, (m - 1) / 3 + 1);
	else if (d == D_MONTH)
		snprintf(out, cap, "%04d-%02d", y, m);
	else if (d == D_WEEK) {
		/* ISO 8601: the week of its Thursday. */
		int32_t thu = day - date_weekday(day) + 3;
		int ty, tm, td;
		date_to_ymd(thu, &ty, &tm, &td);
		snprintf(out, cap, "%04d-W%02d", ty, (thu - date_from_ymd(ty, 1, 1)) / 7 + 1);
	} else
		date_fmt(day, out);
}

int32_t period_start(enum dim d, int32_t day)
{
	int y, m, dd;
	date_to_ymd(day, &y, &m, &dd);
	switch (d) {
	case D_YEAR: return date_from_ymd(y, 1, 1);
	case D_QUARTER: return date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
	case D_MONTH: return date_from_ymd(y, m, 1);
	case D_WEEK: return day - date_weekday(day);
	default: return day;
	}
}

int32_t period_next(enum dim d, int32_t start)
{
	int y, m, dd;
	date_to_ymd(start, &y, &m, &dd);
	switch (d) {
	case D_YEAR: return date_from_ymd(y + 1, 1, 1);
	case D_QUARTER: return m > 9 ? date_from_ymd(y + 1, 1, 1) : date_from_ymd(y, m + 3, 1);
	case D_MONTH: return m == 12 ? date_from_ymd(y + 1, 1, 1) : date_from_ymd(y, m + 1, 1);
	case D_WEEK: return start + 7;
	default: return start + 1;
	}
}

void pct_fmt(int64_t num, int64_t den, char *buf, size_t cap)
{
	int64_t q;
	*buf = 0;
	if (den == 0 || money_muldiv(num, 10000, den, &q))
		return;
	char t[32];
	snprintf(buf, cap, "%s", money_fmt(q, 2, t));
}

/*
 * One fact: what a ledger row adds to its group. Money in a currency counts
 * in the base currency at the rate of the fact's day, less what is in the
 * base currency already (a margin's cost: stock is kept at cost in it).
 */
struct fact {
	int32_t day;
	const char *customer, *owner, *sku;
	int64_t v;
	const char *currency;  /* of v; NULL for counts */
	int64_t less;          /* in the base currency */
};

struct summer {
	struct rctx *r;
	enum measure m;
	const struct dimspec *d1, *d2;
	struct rresult *out;
	struct fx fx;
	struct strmap quotes;    /* pipeline: open quotes -> index into qprob */
	struct qinfo {
		char *customer, *owner, *currency;
		int64_t prob;
		int32_t day;
	} *q;
	size_t nq;
};

static void dim_key(struct summer *s, const struct dimspec *d, const struct fact *f, const rec *c, const rec *p,
	char *out, size_t cap)
{
	const char *v = "";
	switch (d->d) {
	case D_NONE: v = "all"; break;
	case D_CUSTOMER: v = f->customer; break;
	case D_OWNER: v = f->owner && *f->owner ? f->owner : c ? c->v[CU_OWNER] : ""; break;
	case D_REGION: v = c ? c->v[CU_REGION] : ""; break;
	case D_GRADE: v = c ? c->v[CU_GRADE] : ""; break;
	case D_INDUSTRY: v = c ? c->v[CU_INDUSTRY] : ""; break;
	case D_SKU: v = f->sku ? f->sku : ""; break;
	case D_CATEGORY:
		if (p && d->depth) {
			category_cut(p->v[PR_CATEGORY], d->depth, out, cap);
			if (!*out)
				snprintf(out, cap, "(none)");
			return;
		}
		v = p ? p->v[PR_CATEGORY] : "";
		break;
	default:
		period_key(d->d, f->day, out, cap);
		return;
	}
	(void)s;
	snprintf(out, cap, "%s", *v ? v : "(none)");
}

/* The group of key "k1\nk2", made when new. */
static size_t group_of(struct rresult *o, const char *key, size_t len, const char *k1, const char *k2)
{
	if (!o->idx.vsize)
		gtab_init(&o->idx, sizeof(size_t));
	size_t *i = gtab_get(&o->idx, key, len, 1);
	if (o->idx.n > o->n) { /* just made */
		if (o->n == o->cap) {
			o->cap = o->cap ? o->cap * 2 : 256;
			o->g = xrealloc(o->g, o->cap * sizeof *o->g);
		}
		o->g[o->n] = (struct rgroup){xstrdup(k1), xstrdup(k2), 0};
		*i = o->n++;
	}
	return *i;
}

static int add_fact(struct summer *s, const struct fact *f, crm_err *e)
{
	if (f->day < s->r->from || f->day > s->r->to)
		return 0;
	const rec *c = rctx_customer(s->r, f->customer), *p = f->sku ? rctx_product(s->r, f->sku) : NULL;
	/* A filtered-out customer or product (or one the filter cannot see) leaves the fact out. */
	if (!c && (s->r->cflt || *f->customer))
		return 0;
	if (s->r->pflt && !p)
		return 0;
	int64_t v = f->v;
	if (f->currency && fx_base(&s->fx, f->currency, f->day, f->v, &v, e))
		return e->code;
	char k1[256], k2[256] = "", key[520];
	dim_key(s, s->d1, f, c, p, k1, sizeof k1);
	if (s->d2 && s->d2->d != D_NONE)
		dim_key(s, s->d2, f, c, p, k2, sizeof k2);
	int kl = snprintf(key, sizeof key, "%s\n%s", k1, k2);
	struct rresult *o = s->out;
	size_t i = group_of(o, key, (size_t)kl, k1, k2);
	if (!o->counted++ || f->day < o->first)
		o->first = f->day;
	if (f->day > o->last)
		o->last = f->day;
	if (money_add(&v, -f->less) || money_add(&o->g[i].v, v))
		return crm_fail(e, CRM_EDATA, "%s of %s passes what a figure can hold", measure_name(s->m), k1);
	return 0;
}

static int32_t day_of(const char *v)
{
	int32_t d = 0;
	date_parse(v, &d);
	return d;
}

static int64_t money_of(struct summer *s, const char *v)
{
	int64_t m = 0;
	money_parse(v, s->r->s->digits, &m);
	return m;
}

enum { SH_ID, SH_DATE, SH_ORDER, SH_CUSTOMER, SH_OWNER, SH_SKU, SH_QTY, SH_SALES, SH_COST, SH_CURRENCY };

/* Sales are in the order's currency; the cost that left with them is stock's, in the base currency. */
static int f_shipment(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	struct fact f = {day_of(r->v[SH_DATE]), r->v[SH_CUSTOMER], r->v[SH_OWNER], r->v[SH_SKU], 0, NULL, 0};
	if (s->m == M_QTY) {
		int_parse(r->v[SH_QTY], &f.v);
	} else {
		f.v = money_of(s, r->v[SH_SALES]);
		f.currency = r->v[SH_CURRENCY];
		f.less = s->m == M_MARGIN ? money_of(s, r->v[SH_COST]) : 0;
	}
	return add_fact(s, &f, e);
}

/*
 * Facts name customers at random among a million: each one's customer (and,
 * by customer, its group) is asked into the cache a few facts ahead.
 */
static void fact_ahead(struct summer *s, const char *customer, int far)
{
	size_t len = strlen(customer);
	gtab_prefetch(&s->r->cidx, customer, len, far);
	if (s->d1->d == D_CUSTOMER && (!s->d2 || s->d2->d == D_NONE) && len < 255) {
		char key[256];
		memcpy(key, customer, len);
		key[len] = '\n';
		gtab_prefetch(&s->out->idx, key, len + 1, far);
	}
}

static void ship_ahead(void *ctx, const rec *r, int far)
{
	fact_ahead(ctx, r->v[SH_CUSTOMER], far);
}

static void receipt_ahead(void *ctx, const rec *r, int far)
{
	fact_ahead(ctx, r->v[RC_CUSTOMER], far);
}

static void order_ahead(void *ctx, const rec *r, int far)
{
	fact_ahead(ctx, r->v[OR_CUSTOMER], far);
}

static void visit_ahead(void *ctx, const rec *r, int far)
{
	fact_ahead(ctx, r->v[2], far);
}

static int f_order(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	const char *st = r->v[OR_STATUS];
	int quote = !strcmp(st, "quote");
	if (s->m == M_QUOTES ? !quote : (quote || !strcmp(st, "lost") || !strcmp(st, "cancelled")))
		return 0;
	struct fact f = {day_of(r->v[OR_DATE]), r->v[OR_CUSTOMER], r->v[OR_OWNER], NULL, 1, NULL, 0};
	return add_fact(s, &f, e);
}

static int f_receipt(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	struct fact f = {day_of(r->v[RC_DATE]), r->v[RC_CUSTOMER], NULL, NULL, money_of(s, r->v[RC_AMOUNT]),
		r->v[RC_CURRENCY], 0};
	return add_fact(s, &f, e);
}

static int f_visit(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	/* visits: id, date, customer, by, ... */
	struct fact f = {day_of(r->v[1]), r->v[2], r->v[3], NULL, 1, NULL, 0};
	return add_fact(s, &f, e);
}

static int f_balance(void *ctx, const char *customer, const char *currency, const struct age *g, crm_err *e)
{
	struct summer *s = ctx;
	int64_t v = g->credit;
	for (int k = 0; k < AGE_MAX + 2; k++)
		if (money_add(&v, g->col[k]))
			return crm_fail(e, CRM_EDATA, "the balance of %s passes what a figure can hold", customer);
	/* At the rate on or before the day it is the balance of, as one amount. */
	struct fact f = {s->r->to == INT32_MAX ? date_today() : s->r->to, customer, NULL, NULL, v, currency, 0};
	int32_t from = s->r->from;
	s->r->from = INT32_MIN; /* a balance is as of the end of the period */
	int rc = add_fact(s, &f, e);
	s->r->from = from;
	return rc;
}

/* pipeline: the open quotes, at their probability; booked: the orders, at 100 %. */
static int q_keep(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct summer *s = ctx;
	const char *st = r->v[OR_STATUS];
	if (s->m == M_PIPELINE ? strcmp(st, "quote") != 0 : !strcmp(st, "quote") || !strcmp(st, "lost") || !strcmp(st, "cancelled"))
		return 0;
	s->q = xrealloc(s->q, (s->nq + 1) * sizeof *s->q);
	int64_t p = 100;
	if (s->m == M_PIPELINE)
		int_parse(r->v[OR_PROB], &p);
	s->q[s->nq] = (struct qinfo){xstrdup(r->v[OR_CUSTOMER]), xstrdup(r->v[OR_OWNER]), xstrdup(r->v[OR_CURRENCY]),
		p, day_of(r->v[OR_DATE])};
	strmap_put(&s->quotes, r->v[OR_ID], s->nq++);
	return 0;
}

/* The pipeline (each open quote's lines at its probability) and booked value (orders' lines). */
static int f_quote_line(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	size_t i = strmap_get(&s->quotes, r->v[LN_ORDER], (size_t)-1);
	if (i == (size_t)-1)
		return 0;
	int64_t q = 0, d = 0, v, w;
	int_parse(r->v[LN_QTY], &q);
	if (*r->v[LN_DISCOUNT])
		money_parse(r->v[LN_DISCOUNT], 2, &d);
	if (line_value(q, money_of(s, r->v[LN_PRICE]), d, &v) || money_muldiv(v, s->q[i].prob, 100, &w))
		return crm_fail_at(e, r->file, r->line, "qty", "the quote's value overflows");
	struct fact f = {s->q[i].day, s->q[i].customer, s->q[i].owner, r->v[LN_SKU], w, s->q[i].currency, 0};
	return add_fact(s, &f, e);
}

static int f_customer(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	if (!*r->v[CU_CREATED])
		return 0;
	struct fact f = {day_of(r->v[CU_CREATED]), r->v[CU_ID], NULL, NULL, 1, NULL, 0};
	return add_fact(s, &f, e);
}

/* Thread k's groups added to out's (the rows of one group are in one of them only once). */
static int rresult_merge(struct rresult *out, struct rresult *from, enum measure m, crm_err *e)
{
	for (size_t i = 0; i < from->n; i++) {
		char key[520];
		int kl = snprintf(key, sizeof key, "%s\n%s", from->g[i].k1, from->g[i].k2);
		size_t j = group_of(out, key, (size_t)kl, from->g[i].k1, from->g[i].k2);
		if (money_add(&out->g[j].v, from->g[i].v))
			return crm_fail(e, CRM_EDATA, "%s of %s passes what a figure can hold", measure_name(m), out->g[j].k1);
	}
	if (from->counted) {
		if (!out->counted || from->first < out->first)
			out->first = from->first;
		if (!out->counted || from->last > out->last)
			out->last = from->last;
		out->counted += from->counted;
	}
	return 0;
}

/*
 * A ledger's months in the period, only the fields fn reads, on every core:
 * each thread sums into its own result, added up at the end. Figures are
 * sums, so the order files are read in does not change them.
 */
static int sum_ledger(struct summer *s, const struct table *t, const int *want, int nw, const struct scanfn *f,
	crm_err *e)
{
	struct rctx *r = s->r;
	struct summer part[SCAN_MAX];
	struct rresult res[SCAN_MAX];
	void *ctx[SCAN_MAX];
	int np = scan_workers(r->s);
	for (int k = 0; k < np; k++) {
		part[k] = *s;
		memset(&res[k], 0, sizeof res[k]);
		part[k].out = k ? &res[k] : s->out;
		ctx[k] = &part[k];
	}
	int rc = ledger_scan_par(r->s, t, r->from, r->to, want, nw, f, ctx, np, e);
	for (int k = 1; k < np; k++) {
		if (!rc)
			rc = rresult_merge(s->out, &res[k], s->m, e);
		rresult_free(&res[k]);
	}
	return rc;
}

/* The fields each fact reads of its ledger. */
static const int w_ship[] = {SH_DATE, SH_CUSTOMER, SH_OWNER, SH_SKU, SH_QTY, SH_SALES, SH_COST, SH_CURRENCY};
static const int w_order[] = {OR_DATE, OR_CUSTOMER, OR_OWNER, OR_STATUS};
static const int w_receipt[] = {RC_DATE, RC_CUSTOMER, RC_AMOUNT, RC_CURRENCY};
static const int w_visit[] = {1, 2, 3};
#define NW(a) ((int)(sizeof a / sizeof *a))

int report_sum(struct rctx *r, enum measure m, const struct dimspec *d1, const struct dimspec *d2,
	struct rresult *out, crm_err *e)
{
	struct summer s = {.r = r, .m = m, .d1 = d1, .d2 = d2, .out = out};
	memset(out, 0, sizeof *out);
	/* Money counts in the base currency: the rates are read first, and nothing else when they cannot be. */
	int rc = measure_is_money(m) ? fx_open(&s.fx, r->s, e) : 0;
	switch (rc ? M_NMEASURES : m) {
	case M_SALES: case M_MARGIN: case M_QTY:
		rc = sum_ledger(&s, &T_SHIPMENTS, w_ship, NW(w_ship), &(struct scanfn){f_shipment, ship_ahead}, e);
		break;
	case M_ORDERS: case M_QUOTES:
		rc = sum_ledger(&s, &T_ORDERS, w_order, NW(w_order), &(struct scanfn){f_order, order_ahead}, e);
		break;
	case M_RECEIPTS:
		rc = sum_ledger(&s, &T_RECEIPTS, w_receipt, NW(w_receipt), &(struct scanfn){f_receipt, receipt_ahead}, e);
		break;
	case M_VISITS:
		rc = sum_ledger(&s, &T_VISITS, w_visit, NW(w_visit), &(struct scanfn){f_visit, visit_ahead}, e);
		break;
	case M_NEW:
		rc = store_scan(r->s, &T_CUSTOMERS, f_customer, &s, e);
		break;
	case M_PIPELINE: case M_BOOKED:
		/* Lines lie beside their order, in its month: the same months hold both. */
		rc = ledger_scan(r->s, &T_ORDERS, r->from, r->to, q_keep, &s, e);
		if (!rc && s.nq)
			rc = ledger_scan(r->s, &T_LINES, r->from, r->to, f_quote_line, &s, e);
		break;
	case M_BALANCE: {
		struct buckets b;
		rc = buckets_parse("30,60,90", &b, e);
		if (!rc)
			rc = ar_aging(r->s, r->to == INT32_MAX ? date_today() : r->to, 0, &b, f_balance, &s, e);
		break;
	}
	default:
		break;
	}
	for (size_t i = 0; i < s.nq; i++) {
		free(s.q[i].customer);
		free(s.q[i].owner);
		free(s.q[i].currency);
	}
	fx_close(&s.fx);
	free(s.q);
	strmap_clear(&s.quotes);
	return rc;
}

void rresult_free(struct rresult *res)
{
	for (size_t i = 0; i < res->n; i++) {
		free(res->g[i].k1);
		free(res->g[i].k2);
	}
	free(res->g);
	gtab_free(&res->idx);
	memset(res, 0, sizeof *res);
}
