/*
 * Stock: a quantity Q and a value V per SKU and warehouse (DESIGN §6). Every
 * move of any kind is written by stock_post, which computes an outgoing
 * move's value from the balance at the moving average and keeps stock/ (the
 * balances) in the same commit; reads either take those balances or sum the
 * moves in one streaming pass (memory grows with SKUs x warehouses only).
 */
#ifndef CRM_STOCK_H
#define CRM_STOCK_H
#include "edit.h"
#include "strset.h"

enum { PR_SKU, PR_NAME, PR_CATEGORY, PR_UNIT, PR_PRICE, PR_PRICE_A, PR_PRICE_B,
	PR_PRICE_C, PR_PRICE_D, PR_FLOOR, PR_ALERT, PR_REORDER, PR_STATUS };
enum { WH_ID, WH_NAME, WH_PARENT };
enum { MV_ID, MV_DATE, MV_SKU, MV_WH, MV_QTY, MV_VALUE, MV_KIND, MV_REF, MV_BY, MV_NOTE };
enum { ST_KEY, ST_SKU, ST_WH, ST_QTY, ST_VALUE };

/* A balance per SKU and warehouse. */
struct sq {
	char sku[48], wh[48];   /* inline: a lookup touches one line of memory, not three */
	int64_t q, v;
	uint64_t h;
};
struct stockmap {
	struct sq *a;
	size_t n, cap;
	struct sqslot {
		uint64_t h;    /* 0: empty */
		size_t idx;
	} *t;
	size_t tcap;
};
/* The balance of SKU at WH, made (at 0) when there is none. */
struct sq *stockmap_at(struct stockmap *m, const char *sku, const char *wh);
/* The same, or NULL. */
struct sq *stockmap_get(struct stockmap *m, const char *sku, const char *wh);
void stockmap_free(struct stockmap *m);
/* Sorted by SKU, then warehouse. */
void stockmap_sort(struct stockmap *m);
/* The balances as kept in stock/ (every move recorded, whatever its date). */
int stock_balances(struct store *s, struct stockmap *m, crm_err *e);
/* The sums of the moves dated on or before as_of (whole month folders after it are skipped). */
int stock_scan(struct store *s, int32_t as_of, struct stockmap *m, crm_err *e);

/* Every move of one SKU (optionally one warehouse), by date then id. */
int stock_card(struct store *s, const char *sku, const char *wh, struct recs *out, crm_err *e);

/* A category path: no empty segment, no leading or trailing '/'. NULL or why not. */
const char *category_check(const char *path);
/* The first depth segments of path, into out. */
void category_cut(const char *path, int depth, char *out, size_t cap);

/* Checks a product record as a whole (category, levels, prices not negative). */
int product_check(const rec *p, const char *file, long line, crm_err *e);

struct move {
	const char *date, *sku, *wh, *kind, *ref, *by, *note;
	int64_t qty;      /* signed: > 0 comes in, < 0 goes out */
	int64_t value;    /* incoming: its cost; outgoing: set by stock_post */
	const char *file; /* where the move came from, for messages ("argument") */
	long line;
};

struct stockedit {
	struct store *s;
	struct tabedit products, warehouses, bal;
	struct ledger moves;
	int allow_negative;
	size_t n;          /* moves appended */
	char last[2][48];  /* the ids of the last one or two moves */
};
void stockedit_init(struct stockedit *se, struct store *s);
void stockedit_free(struct stockedit *se);
/* The product and warehouse records (NULL when unknown; status 0). */
int stock_product(struct stockedit *se, const char *sku, rec **p, crm_err *e);
int stock_warehouse(struct stockedit *se, const char *wh, rec **w, crm_err *e);
/* Q and V on hand now, this command's moves included. */
int stock_onhand(struct stockedit *se, const char *sku, const char *wh, int64_t *q, int64_t *v, crm_err *e);
/*
 * Writes one move: checks SKU and warehouse, prices an outgoing one at the
 * moving average (round(V*q/Q), all of V when q = Q), refuses stock below
 * zero unless stock.allow-negative, appends the move, updates its balance.
 * The new id goes into id.
 */
int stock_post(struct stockedit *se, struct move *m, char *id, size_t cap, crm_err *e);
/* A move between warehouses: out of one, in to the other at the value it took. */
int stock_transfer(struct stockedit *se, struct move *m, const char *to, crm_err *e);
/* A stocktake: the difference from on hand as a count move; *none when there is none. */
int stock_count(struct stockedit *se, struct move *m, int *none, crm_err *e);
/* The warehouse to use when none is given: stock.warehouse, else the only one. */
int stock_default_wh(struct store *s, const char **wh, crm_err *e);
int stockedit_flush(struct stockedit *se, crm_err *e);
/* crm check: stock/ against the sums of the moves; each difference is a problem. */
int stock_check(struct store *s, void (*problem)(void *ctx, const char *msg), void *ctx,
	size_t *problems, crm_err *e);

#endif
