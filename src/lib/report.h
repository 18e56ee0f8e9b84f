/*
 * Reports (DESIGN §6): a measure summed over the ledger it lives in, grouped
 * by up to two dimensions, in one streaming pass; memory grows with the
 * groups (and the customers and products they name), never with rows.
 */
#ifndef CRM_REPORT_H
#define CRM_REPORT_H
#include "cols.h"
#include "gtab.h"
#include "store.h"
#include "strset.h"

enum measure { M_SALES, M_MARGIN, M_QTY, M_ORDERS, M_RECEIPTS, M_BALANCE, M_VISITS, M_NEW,
	M_QUOTES, M_PIPELINE, M_BOOKED, M_NMEASURES };
enum dim { D_NONE, D_CUSTOMER, D_OWNER, D_REGION, D_GRADE, D_INDUSTRY, D_CATEGORY, D_SKU,
	D_MONTH, D_QUARTER, D_YEAR, D_DAY, D_WEEK };

struct dimspec {
	enum dim d;
	int depth;           /* category:N; 0 = the whole path */
};

int measure_parse(const char *s, enum measure *m);
const char *measure_name(enum measure m);
/* Money measures print with the currency's digits; counts as integers. */
int measure_is_money(enum measure m);
/* customer, owner, region, grade, industry, category[:N], sku, month, quarter, year, day, week. */
int dim_parse(const char *s, struct dimspec *d, crm_err *e);

/* Customers and products by id, for the dimensions that need them. */
struct rctx {
	struct store *s;
	struct ctab cust, prod;       /* those the filters keep (ctab_find, ctab_get) */
	struct filter *cflt, *pflt;   /* filters on customer or product fields */
	int32_t from, to;             /* the period (INT32_MIN / INT32_MAX: all) */
	size_t top;                   /* report_sum by customer alone: only the top this many (rresult.part) */
};
/* cneed: the customers' fields the report reads (bits of CU_*), 0 for those every dimension may. */
int rctx_open(struct rctx *r, struct store *s, char **terms, int nterms, int32_t from, int32_t to, uint64_t cneed,
	crm_err *e);
void rctx_close(struct rctx *r);
/* The index of a customer in r->cust (of a product in r->prod), or -1. */
long rctx_customer_index(const struct rctx *r, const char *id);
long rctx_product_index(const struct rctx *r, const char *sku);
/* Customer (product) i's field f, in schema order. */
const char *rctx_cf(const struct rctx *r, long i, int f);
const char *rctx_pf(const struct rctx *r, long i, int f);

/* A group: its keys and its value. */
struct rgroup {
	char *k1, *k2;
	int64_t v;
};
struct rresult {
	struct rgroup *g;
	size_t n, cap;
	struct gtab idx;              /* "k1\nk2" -> size_t index into g */
	char **blk;                   /* the keys' bytes, in blocks freed together */
	size_t nblk, used, room;
	int32_t first, last;  /* the dates of the earliest and latest fact counted */
	size_t counted;
	int part;             /* g holds only rctx.top's largest groups; total is of all of them */
	int64_t total;
};
/* Sums measure m over the period by d1 (and d2). */
int report_sum(struct rctx *r, enum measure m, const struct dimspec *d1, const struct dimspec *d2,
	struct rresult *out, crm_err *e);
void rresult_free(struct rresult *res);
/* A group known to be new (its keys in no other), with its value. */
void rresult_push(struct rresult *o, const char *k1, const char *k2, int64_t v);
/* The value of group (k1, k2), made (0) when new. */
int64_t *rresult_group(struct rresult *out, const char *k1, const char *k2);
struct fx;
/* report_sum of a ledger's measure (sales, margin, qty, orders, quotes, receipts, visits) over its columns. */
int rsum_ledger(struct rctx *r, enum measure m, const struct dimspec *d1, const struct dimspec *d2,
	const struct fx *fx, struct rresult *out, crm_err *e);
/* The key of a date in a time dimension ("2026-11", "2026-Q4", "2026", "2026-11-30", "2026-W48"). */
void period_key(enum dim d, int32_t day, char *out, size_t cap);
/* The first day of the period holding day, and of the one after it. */
int32_t period_start(enum dim d, int32_t day);
int32_t period_next(enum dim d, int32_t start);

/* "12.34" percent of num/den, two decimals, half away from zero, integers only; "" when den is 0. */
void pct_fmt(int64_t num, int64_t den, char *buf, size_t cap);

#endif
