/*
 * Receivables (DESIGN §6): invoices and credit notes, receipts, and the
 * applications that say what settled what, at which discount. open/ keeps,
 * per customer, the invoices still owed and the credit not yet used, in the
 * same commit as the change, so a payment reads one small file; reports
 * stream the three ledgers (memory grows with customers, never invoices).
 * crm-ar and crm-order's shipments raise invoices through ar_raise alone.
 */
#ifndef CRM_AR_H
#define CRM_AR_H
#include "edit.h"
#include "strset.h"
#include "terms.h"

enum { IN_ID, IN_DATE, IN_CUSTOMER, IN_ORDER, IN_KIND, IN_AMOUNT, IN_CURRENCY, IN_DUE,
	IN_TERMS, IN_INSTALLMENT, IN_DISCOUNT, IN_NOTE };
enum { RC_ID, RC_DATE, RC_CUSTOMER, RC_AMOUNT, RC_CURRENCY, RC_METHOD, RC_REF };
enum { AP_ID, AP_DATE, AP_KIND, AP_SOURCE, AP_INVOICE, AP_CUSTOMER, AP_CURRENCY, AP_ISSUED,
	AP_DUE, AP_TERMS, AP_RATE, AP_SETTLED, AP_DISCOUNT, AP_NOTE };
enum { OP_KEY, OP_CUSTOMER, OP_DOC, OP_KIND, OP_DATE, OP_DUE, OP_TERMS, OP_CURRENCY,
	OP_AMOUNT, OP_OPEN, OP_DISCOUNT };

struct ar {
	struct store *s;
	struct tabedit customers, open;
	struct ledger invoices, receipts, apps;
	struct ledit inv;          /* invoices changed in place (an override) */
	char **docs;               /* the documents this command raised, in order */
	size_t ndocs, napps;
};
void ar_init(struct ar *a, struct store *s);
void ar_free(struct ar *a);
int ar_flush(struct ar *a, crm_err *e);

/* Where a request came from, for `file:line: field: message`. */
struct where {
	const char *file;
	long line;
};

/* A document's currency: the one given (checked), else the customer's, else crm.conf's. */
int ar_currency(const struct store *s, const rec *customer, const char *given, struct where at,
	const char **out, crm_err *e);

struct invoice_req {
	const char *customer, *date, *order, *terms, *plan, *currency, *note;
	const char *due;         /* an opening balance's own due date, else the terms' */
	int64_t amount;          /* > 0 */
	struct where at;
};
/*
 * One invoice, or one per installment of the plan (each dated and due on the
 * date plus its offset; its discount tiers run from its own date). Terms
 * default to the customer's, then crm.conf's. Open credit of the customer in
 * that currency is applied to it at once.
 */
int ar_raise(struct ar *a, const struct invoice_req *q, crm_err *e);
/* A credit note of amount (> 0): applied to open invoices, oldest due first, without discount. */
int ar_credit(struct ar *a, const struct invoice_req *q, crm_err *e);

struct pay_req {
	const char *customer, *date, *currency, *invoice, *method, *ref;
	int64_t amount;          /* > 0 */
	struct where at;
};
/* A receipt applied to the named invoice, else the open ones oldest due first, each at the tier its date earns. */
int ar_pay(struct ar *a, const struct pay_req *p, crm_err *e);
/* Replaces the discount rate (hundredths of a percent) of an open invoice; -1 clears it. */
int ar_override(struct ar *a, const char *invoice, int32_t rate, crm_err *e);
/* Settles what is open of an invoice as bad debt. */
int ar_writeoff(struct ar *a, const char *invoice, const char *date, const char *reason, crm_err *e);
/* The open item of a document (NULL, status 0, when it is not open). */
int ar_open_item(struct ar *a, const char *doc, rec **item, crm_err *e);

/* Open items of every customer, as kept in open/, for remind and schedule: shared
 * out among nctx threads as store_scan_paths_par does (nctx 1: in order). */
int ar_open_scan(struct store *s, const struct scanfn *f, void *const *ctx, int nctx, crm_err *e);

/* Aging buckets: "30,60,90" -> not due, 1-30, 31-60, 61-90, over 90. */
#define AGE_MAX 12
struct buckets {
	int n;                   /* upper bounds */
	int32_t upto[AGE_MAX];
};
int buckets_parse(const char *spec, struct buckets *b, crm_err *e);
/* The column of d days past due: 0 not due, 1..n, n+1 over the last bound. */
int bucket_of(const struct buckets *b, int32_t days);

struct age {
	int64_t col[AGE_MAX + 2];    /* buckets */
	int64_t credit;              /* unused receipts and credit notes (negative) */
};
/* Called once per customer and currency with an open balance, as of as_of. */
typedef int (*age_fn)(void *ctx, const char *customer, const char *currency, const struct age *g, crm_err *e);
/* basis_invoice: days since the invoice date rather than past due. */
int ar_aging(struct store *s, int32_t as_of, int basis_invoice, const struct buckets *b,
	age_fn fn, void *ctx, crm_err *e);

/* Every invoice, receipt and application of one customer (records owned by out), by date. */
struct docs {
	struct recs inv, rec, app;
};
int ar_docs(struct store *s, const char *customer, struct docs *out, crm_err *e);
void docs_free(struct docs *d);

/* What the customer owes and has on order in that currency (open/: invoices, credit, open orders). */
int ar_exposure(struct ar *a, const char *customer, const char *currency, int64_t *out, crm_err *e);
/* Changes an open order's unshipped value in open/ by delta (it leaves at 0). */
int ar_order_exposure(struct ar *a, const char *customer, const char *order, const char *date,
	const char *currency, int64_t delta, crm_err *e);

/* crm-customer merge: the open items of DUPs become KEEP's (their keys and shards follow). */
int ar_repoint(struct store *s, const char *keep, char **dups, int ndups, crm_err *e);

/* crm check: open/ against what the ledgers leave owed, per customer and currency. */
int ar_check(struct store *s, void (*problem)(void *ctx, const char *msg), void *ctx,
	size_t *problems, crm_err *e);

/* Exchange rates (rates/YYYY.csv): base currency per unit, 6 decimals. */
#define RATE_DIGITS 6
extern const struct table T_RATES;
struct rates {
	struct rate {
		char currency[16];
		int32_t day;
		int64_t rate;
	} *r;
	size_t n;
};
int rates_load(struct store *s, struct rates *rt, crm_err *e);
/* The rate on or before day; -1 when there is none. */
int rates_on(const struct rates *rt, const char *currency, int32_t day, int64_t *rate);
void rates_free(struct rates *rt);

/*
 * Money in the base currency at the rate on or before a day (DESIGN §6),
 * rounded half away from zero in it: what every report that adds up
 * amounts of more than one currency converts with.
 */
struct fx {
	struct rates rt;
	const char *base;
	int digits;
	char cur[16];      /* the last rate found: a ledger read in date order asks for it again and again */
	int32_t day;
	int64_t rate;
};
int fx_open(struct fx *x, struct store *s, crm_err *e);
/* v in currency on day, in the base currency; 65 naming the currency and the day when no rate is on or before it. */
int fx_base(struct fx *x, const char *currency, int32_t day, int64_t v, int64_t *out, crm_err *e);
void fx_close(struct fx *x);

/* The rate an item earns if paid on `on`: its override, else its terms' tier. */
int32_t ar_rate(const rec *item, int32_t on);

#endif
