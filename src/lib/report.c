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
static int keep_rec(struct rctx *r, struct strmap *idx, struct recs *rs, rec *in, const int *f, int nf)
{
	static char empty[1];
	char *v[CSV_MAX_FIELDS];
	for (int i = 0; i < in->t->nf; i++)
		v[i] = empty;
	for (int i = 0; i < nf; i++)
		v[f[i]] = in->v[f[i]];
	(void)r;
	strmap_put(idx, in->v[0], rs->n);
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
	strmap_clear(&r->cidx);
	strmap_clear(&r->pidx);
	recs_free(&r->cust);
	recs_free(&r->prod);
	filter_free(r->cflt);
	filter_free(r->pflt);
}

const rec *rctx_customer(struct rctx *r, const char *id)
{
	size_t i = strmap_get(&r->cidx, id, (size_t)-1);
	return i == (size_t)-1 ? NULL : r->cust.r[i];
}

const rec *rctx_product(struct rctx *r, const char *sku)
{
	size_t i = strmap_get(&r->pidx, sku, (size_t)-1);
	return i == (size_t)-1 ? NULL : r->prod.r[i];
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

/* One fact: what a ledger row adds to its group. */
struct fact {
	int32_t day;
	const char *customer, *owner, *sku;
	int64_t v;
};

struct summer {
	struct rctx *r;
	enum measure m;
	const struct dimspec *d1, *d2;
	struct rresult *out;
	struct strmap quotes;    /* pipeline: open quotes -> index into qprob */
	struct qinfo {
		char *customer, *owner;
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
	char k1[256], k2[256] = "", key[520];
	dim_key(s, s->d1, f, c, p, k1, sizeof k1);
	if (s->d2 && s->d2->d != D_NONE)
		dim_key(s, s->d2, f, c, p, k2, sizeof k2);
	snprintf(key, sizeof key, "%s\n%s", k1, k2);
	struct rresult *o = s->out;
	size_t i = strmap_get(&o->idx, key, (size_t)-1);
	if (i == (size_t)-1) {
		if (o->n == o->cap) {
			o->cap = o->cap ? o->cap * 2 : 256;
			o->g = xrealloc(o->g, o->cap * sizeof *o->g);
		}
		o->g[o->n] = (struct rgroup){xstrdup(k1), xstrdup(k2), 0};
		strmap_put(&o->idx, key, i = o->n++);
	}
	if (!o->counted++ || f->day < o->first)
		o->first = f->day;
	if (f->day > o->last)
		o->last = f->day;
	if (money_add(&o->g[i].v, f->v))
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

enum { SH_ID, SH_DATE, SH_ORDER, SH_CUSTOMER, SH_OWNER, SH_SKU, SH_QTY, SH_SALES, SH_COST };

static int f_shipment(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	int64_t v = 0;
	if (s->m == M_QTY)
		int_parse(r->v[SH_QTY], &v);
	else
		v = money_of(s, r->v[SH_SALES]) - (s->m == M_MARGIN ? money_of(s, r->v[SH_COST]) : 0);
	struct fact f = {day_of(r->v[SH_DATE]), r->v[SH_CUSTOMER], r->v[SH_OWNER], r->v[SH_SKU], v};
	return add_fact(s, &f, e);
}

static int f_order(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	const char *st = r->v[OR_STATUS];
	int quote = !strcmp(st, "quote");
	if (s->m == M_QUOTES ? !quote : (quote || !strcmp(st, "lost") || !strcmp(st, "cancelled")))
		return 0;
	struct fact f = {day_of(r->v[OR_DATE]), r->v[OR_CUSTOMER], r->v[OR_OWNER], NULL, 1};
	return add_fact(s, &f, e);
}

static int f_receipt(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	struct fact f = {day_of(r->v[RC_DATE]), r->v[RC_CUSTOMER], NULL, NULL, money_of(s, r->v[RC_AMOUNT])};
	return add_fact(s, &f, e);
}

static int f_visit(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	/* visits: id, date, customer, by, ... */
	struct fact f = {day_of(r->v[1]), r->v[2], r->v[3], NULL, 1};
	return add_fact(s, &f, e);
}

static int f_balance(void *ctx, const char *customer, const char *currency, const struct age *g, crm_err *e)
{
	struct summer *s = ctx;
	(void)currency;
	int64_t v = g->credit;
	for (int k = 0; k < AGE_MAX + 2; k++)
		if (money_add(&v, g->col[k]))
			return crm_fail(e, CRM_EDATA, "the balance of %s passes what a figure can hold", customer);
	struct fact f = {s->r->to == INT32_MAX ? date_today() : s->r->to, customer, NULL, NULL, v};
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
	s->q[s->nq] = (struct qinfo){xstrdup(r->v[OR_CUSTOMER]), xstrdup(r->v[OR_OWNER]), p, day_of(r->v[OR_DATE])};
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
	struct fact f = {s->q[i].day, s->q[i].customer, s->q[i].owner, r->v[LN_SKU], w};
	return add_fact(s, &f, e);
}

static int f_customer(void *ctx, rec *r, crm_err *e)
{
	struct summer *s = ctx;
	if (!*r->v[CU_CREATED])
		return 0;
	struct fact f = {day_of(r->v[CU_CREATED]), r->v[CU_ID], NULL, NULL, 1};
	return add_fact(s, &f, e);
}

int report_sum(struct rctx *r, enum measure m, const struct dimspec *d1, const struct dimspec *d2,
	struct rresult *out, crm_err *e)
{
	struct summer s = {.r = r, .m = m, .d1 = d1, .d2 = d2, .out = out};
	memset(out, 0, sizeof *out);
	int rc = 0;
	switch (m) {
	case M_SALES: case M_MARGIN: case M_QTY:
		rc = ledger_scan(r->s, &T_SHIPMENTS, r->from, r->to, f_shipment, &s, e);
		break;
	case M_ORDERS: case M_QUOTES:
		rc = ledger_scan(r->s, &T_ORDERS, r->from, r->to, f_order, &s, e);
		break;
	case M_RECEIPTS:
		rc = ledger_scan(r->s, &T_RECEIPTS, r->from, r->to, f_receipt, &s, e);
		break;
	case M_VISITS:
		rc = ledger_scan(r->s, &T_VISITS, r->from, r->to, f_visit, &s, e);
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
	}
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
	strmap_clear(&res->idx);
	memset(res, 0, sizeof *res);
}
