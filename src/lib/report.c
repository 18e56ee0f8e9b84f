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

int rctx_open(struct rctx *r, struct store *s, char **terms, int nterms, int32_t from, int32_t to, uint64_t cneed,
	crm_err *e)
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
	/* Every field, as columns: a million customers cost a few words each, not a record. */
	if (!rc)
		rc = ctab_load(&r->cust, s, &T_CUSTOMERS, r->cflt, cneed ? cneed | 1ull << CU_ID : 1ull << CU_ID |
			1ull << CU_NAME | 1ull << CU_REGION | 1ull << CU_INDUSTRY | 1ull << CU_GRADE | 1ull << CU_OWNER |
			1ull << CU_STATUS | 1ull << CU_CREATED, e);
	if (!rc)
		rc = ctab_load(&r->prod, s, &T_PRODUCTS, r->pflt, 1ull << PR_SKU | 1ull << PR_NAME | 1ull << PR_CATEGORY, e);
	return rc;
}

void rctx_close(struct rctx *r)
{
	ctab_free(&r->cust);
	ctab_free(&r->prod);
	filter_free(r->cflt);
	filter_free(r->pflt);
}

long rctx_customer_index(const struct rctx *r, const char *id)
{
	return ctab_find(&r->cust, id);
}

long rctx_product_index(const struct rctx *r, const char *sku)
{
	return ctab_find(&r->prod, sku);
}

const char *rctx_cf(const struct rctx *r, long i, int f)
{
	return ctab_get(&r->cust, (size_t)i, f);
}

const char *rctx_pf(const struct rctx *r, long i, int f)
{
	return ctab_get(&r->prod, (size_t)i, f);
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

static void dim_key(struct summer *s, const struct dimspec *d, const struct fact *f, long c, long p,
	char *out, size_t cap)
{
	const char *v = "";
	const struct rctx *r = s->r;
	switch (d->d) {
	case D_NONE: v = "all"; break;
	case D_CUSTOMER: v = f->customer; break;
	case D_OWNER: v = f->owner && *f->owner ? f->owner : c >= 0 ? rctx_cf(r, c, CU_OWNER) : ""; break;
	case D_REGION: v = c >= 0 ? rctx_cf(r, c, CU_REGION) : ""; break;
	case D_GRADE: v = c >= 0 ? rctx_cf(r, c, CU_GRADE) : ""; break;
	case D_INDUSTRY: v = c >= 0 ? rctx_cf(r, c, CU_INDUSTRY) : ""; break;
	case D_SKU: v = f->sku ? f->sku : ""; break;
	case D_CATEGORY:
		if (p >= 0 && d->depth) {
			category_cut(rctx_pf(r, p, PR_CATEGORY), d->depth, out, cap);
			if (!*out)
				snprintf(out, cap, "(none)");
			return;
		}
		v = p >= 0 ? rctx_pf(r, p, PR_CATEGORY) : "";
		break;
	default:
		period_key(d->d, f->day, out, cap);
		return;
	}
	(void)s;
	snprintf(out, cap, "%s", *v ? v : "(none)");
}

/* A copy of key in o's blocks: a million groups' keys are not a million allocations. */
static char *key_copy(struct rresult *o, const char *key)
{
	static char empty[1];
	size_t n = strlen(key) + 1;
	if (n == 1)
		return empty;
	if (o->used + n > o->room) {
		o->room = n > 65536 ? n : 65536;
		o->blk = xrealloc(o->blk, (o->nblk + 1) * sizeof *o->blk);
		o->blk[o->nblk++] = xmalloc(o->room);
		o->used = 0;
	}
	char *p = o->blk[o->nblk - 1] + o->used;
	memcpy(p, key, n);
	o->used += n;
	return p;
}

/* The group of key "k1\nk2", made when new. */
static size_t group_of(struct rresult *o, const char *key, size_t len, const char *k1, const char *k2)
{
	if (!o->idx.vsize)
		gtab_init(&o->idx, sizeof(size_t));
	/* Groups rresult_push made are indexed when first asked for. */
	for (size_t j = o->idx.n; j < o->n; j++) {
		char kj[520];
		int kl = snprintf(kj, sizeof kj, "%s\n%s", o->g[j].k1, o->g[j].k2);
		*(size_t *)gtab_get(&o->idx, kj, (size_t)kl, 1) = j;
	}
	size_t *i = gtab_get(&o->idx, key, len, 1);
	if (o->idx.n > o->n) { /* just made */
		if (o->n == o->cap) {
			o->cap = o->cap ? o->cap * 2 : 256;
			o->g = xrealloc(o->g, o->cap * sizeof *o->g);
		}
		o->g[o->n] = (struct rgroup){key_copy(o, k1), key_copy(o, k2), 0};
		*i = o->n++;
	}
	return *i;
}

static int add_fact(struct summer *s, const struct fact *f, crm_err *e)
{
	if (f->day < s->r->from || f->day > s->r->to)
		return 0;
	long c = rctx_customer_index(s->r, f->customer), p = f->sku ? rctx_product_index(s->r, f->sku) : -1;
	/* A filtered-out customer or product (or one the filter cannot see) leaves the fact out. */
	if (c < 0 && (s->r->cflt || *f->customer))
		return 0;
	if (s->r->pflt && p < 0)
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

void rresult_push(struct rresult *o, const char *k1, const char *k2, int64_t v)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 256;
		o->g = xrealloc(o->g, o->cap * sizeof *o->g);
	}
	o->g[o->n++] = (struct rgroup){key_copy(o, k1), key_copy(o, k2), v};
}

int64_t *rresult_group(struct rresult *out, const char *k1, const char *k2)
{
	char key[520];
	int kl = snprintf(key, sizeof key, "%s\n%s", k1, k2);
	size_t i = group_of(out, key, (size_t)kl, k1, k2); /* before out->g is read: it may move */
	return &out->g[i].v;
}

int report_sum(struct rctx *r, enum measure m, const struct dimspec *d1, const struct dimspec *d2,
	struct rresult *out, crm_err *e)
{
	struct summer s = {.r = r, .m = m, .d1 = d1, .d2 = d2, .out = out};
	memset(out, 0, sizeof *out);
	/* Money counts in the base currency: the rates are read first, and nothing else when they cannot be. */
	int rc = measure_is_money(m) ? fx_open(&s.fx, r->s, e) : 0;
	switch (rc ? M_NMEASURES : m) {
	case M_SALES: case M_MARGIN: case M_QTY: case M_ORDERS: case M_QUOTES: case M_RECEIPTS: case M_VISITS:
		rc = rsum_ledger(r, m, d1, d2, &s.fx, out, e);
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
	for (size_t i = 0; i < res->nblk; i++)
		free(res->blk[i]);
	free(res->blk);
	free(res->g);
	gtab_free(&res->idx);
	memset(res, 0, sizeof *res);
}
