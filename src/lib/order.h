/*
 * Quotes and orders (DESIGN §6): lines priced by the customer's grade, the
 * price rules and the credit limit guarded by roles, and the shipment as one
 * story: stock_post for each line, ar_raise for its invoices, one commit.
 * An open order's unshipped value is kept in open/ beside the receivables,
 * so the credit limit is checked from one small file.
 */
#ifndef CRM_ORDER_H
#define CRM_ORDER_H
#include "ar.h"
#include "stock.h"

enum { OR_ID, OR_DATE, OR_CUSTOMER, OR_OWNER, OR_STATUS, OR_STAGE, OR_PROB, OR_CLOSE, OR_TERMS,
	OR_PLAN, OR_CURRENCY, OR_REF, OR_REASON, OR_NOTE };
enum { LN_ID, LN_DATE, LN_ORDER, LN_LINE, LN_SKU, LN_QTY, LN_PRICE, LN_DISCOUNT, LN_SHIPPED, LN_COST };

#define ORDER_LINES 256

/* SKU:QTY[@PRICE], from the command line or a file. */
struct line_req {
	const char *sku;
	int64_t qty;
	int64_t price;       /* -1: the customer's grade price, else the list price */
	int64_t discount;    /* hundredths of a percent off */
};
/* Parses "W-12:200@31.00" (the string is kept; sku points into it). */
int line_parse(char *arg, int digits, struct line_req *l, crm_err *e);

struct order_req {
	const char *customer, *date, *status, *stage, *close, *terms, *plan, *currency, *ref, *note, *owner;
	int64_t probability; /* -1: the stage's default */
	struct line_req *lines;
	int n;
	const char **ship;   /* import: each line's ship date (or NULL), shipped as the order is written */
	const char *wh;      /* with ship: the warehouse the stock left, or NULL for the books only */
	struct where at;     /* at.line + i names line i of an import */
};

struct orders {
	struct store *s;
	struct ar ar;
	struct stockedit st;
	struct ledger orders, lines, shipments;
	struct ledit oedit, ledit;
	const char *reason;   /* --reason: what a role member gives to pass a guard */
	int history;          /* an import of what happened: prices and limits are not guarded */
	char allowed[300];    /* the guards passed, for the commit message */
	char id[48];          /* the order written or changed */
	int64_t value;        /* of what was ordered, shipped or returned */
	struct line_vals *lv; /* order_create's lines, kept for the next order */
};
void orders_init(struct orders *o, struct store *s, const char *reason);
void orders_free(struct orders *o);
int orders_flush(struct orders *o, crm_err *e);

/* A quote or an open order with its lines; the id goes into o->id. */
int order_create(struct orders *o, const struct order_req *q, crm_err *e);
int order_stage(struct orders *o, const char *id, const char *stage, int64_t probability, crm_err *e);
int order_win(struct orders *o, const char *id, crm_err *e);
int order_lose(struct orders *o, const char *id, const char *reason, crm_err *e);
/* Ships the lines asked (all that is left when n is 0) from wh: stock out, invoices, one story.
 * With wh NULL (an import without --with-stock) only the books change: shipped, invoices. */
int order_ship(struct orders *o, const char *id, struct line_req *l, int n, const char *wh,
	const char *date, crm_err *e);
/* Stock back at the cost it left with, and a credit note. */
int order_return(struct orders *o, const char *id, const struct line_req *l, const char *wh,
	const char *date, crm_err *e);
/* Cancels what is not shipped. */
int order_cancel(struct orders *o, const char *id, crm_err *e);

/* The order and its lines, read only (records owned by the caller's recs). */
int order_read(struct store *s, const char *id, struct recs *order, struct recs *lines, crm_err *e);
/* round(qty x price x (1 - discount)); -1 on overflow. */
int line_value(int64_t qty, int64_t price, int64_t discount, int64_t *out);
/* The stage's default probability from crm.conf's order.stages (lead:10,...), or -1 when no such stage. */
int stage_probability(struct store *s, const char *stage);
/* The stage's place in order.stages (0 for the first); past the last when it is not there. */
int stage_position(struct store *s, const char *stage);

#endif
