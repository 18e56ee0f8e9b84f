/* Tables and their fields: the one place that says what a record may hold. */
#ifndef CRM_SCHEMA_H
#define CRM_SCHEMA_H
#include "csvio.h"

enum ftype { FT_TEXT, FT_ID, FT_ENUM, FT_DATE, FT_MONEY, FT_INT, FT_REF, FT_TERMS, FT_CURRENCY };

#define F_REQ 1  /* may not be empty */
#define F_AUTO 2 /* kept by crm (id, created, updated); not set by hand */
#define F_BRIEF 4 /* shown in the default table */

struct field {
	const char *name;
	enum ftype type;
	const char *arg; /* FT_ENUM: "a,b,c"; FT_REF: the table referred to */
	unsigned flags;
};

enum tkind { T_MASTER, T_LEDGER };

struct table {
	const char *name;     /* also its folder */
	enum tkind kind;
	const char *prefix;   /* of minted ids */
	const struct field *f;
	int nf;
	int date_field;       /* ledgers: the field that names the segment */
	/* Masters keyed by a user-given text (a SKU): that many shards by a hash of
	 * the key's part before any '@', sorted by byte order. 0: shards of id ranges. */
	int hash_shards;
};

extern const struct table T_CUSTOMERS, T_CONTACTS, T_VISITS;
extern const struct table T_PRODUCTS, T_WAREHOUSES, T_MOVES, T_STOCK;
extern const struct table T_INVOICES, T_RECEIPTS, T_APPLICATIONS, T_OPEN, T_ORDERS, T_LINES, T_REQUESTS;
extern const struct table T_SHIPMENTS;
extern const struct table *const crm_tables[];

const struct table *table_find(const char *name);
int table_field(const struct table *t, const char *name);
/* NULL when v is a valid value of f, else why not. */
const char *field_check(const struct field *f, const char *v, int digits);
/* Ids become file names and commit text: letters, digits, '-' and '_' only. */
const char *id_check(const char *id);
/* A currency code: three capital letters (ISO 4217: CNY, USD); NULL when it is one, else why not. */
const char *currency_check(const char *code);

/* A record: values in schema order, NUL-terminated, never NULL. */
typedef struct rec {
	const struct table *t;
	const char *file;
	long line;
	unsigned long long present; /* columns the file had */
	const char *raw;            /* the line as read, when its columns are fields of the table in
	                             * its order (those not present are empty) and each value stands
	                             * as csv_put_field writes it (NULL otherwise; never copied) */
	size_t rawlen;
	const size_t *rawoff;       /* with raw: where the line's column i starts (csv_row.rawoff) */
	const char *at;             /* where the line starts in the buffer read (csv_read_lines), else
	                             * NULL: a pre-filter may have judged it there (never copied) */
	char *v[CSV_MAX_FIELDS];
} rec;

typedef int (*rec_fn)(void *ctx, rec *r, crm_err *e);

/* Reads one table file: header by name (any order), every value checked. */
int table_read(const struct table *t, const char *file, const char *buf,
	size_t len, int digits, rec_fn fn, void *ctx, crm_err *e);
/* With pre, a line filter (see csv_read_lines); partial as below. */
int table_read_pre(const struct table *t, const char *file, const char *buf,
	size_t len, int digits, int partial, const struct csv_pre *pre,
	rec_fn fn, void *ctx, crm_err *e);
/* The same for input that may carry only some columns (import, set -). */
int table_read_partial(const struct table *t, const char *file, const char *buf,
	size_t len, int digits, rec_fn fn, void *ctx, crm_err *e);
/* The same for input from outside, in any RFC 4180 shape (csv_read_input);
 * records start on the physical line they are named by. */
int table_read_input(const struct table *t, const char *file, const char *buf,
	size_t len, int digits, int partial, const struct csv_in *opt, rec_fn fn, void *ctx,
	crm_err *e);
/* A record owning its strings, from values in schema order (one allocation;
 * free() it; it holds only t->nf value slots, so never copy a rec by value). */
rec *rec_pack(const struct table *t, char *const *v);
/* A copy that owns its strings (one allocation; free() it). */
rec *rec_dup(const rec *r);
/* A fresh record with every field empty, owning its strings. */
rec *rec_new(const struct table *t);
/* Replaces field i of an owned record (from rec_dup/rec_new). */
rec *rec_set(rec *r, int i, const char *v);
/* Writes money fields with exactly `digits` fraction digits ("1234.5" -> "1234.50"), as the store keeps them. */
rec *rec_canon(rec *r, int digits);
/* The header and records as file bytes. */
void table_write_header(const struct table *t, sbuf *b);
void table_write_rec(const rec *r, sbuf *b);

struct recs {
	rec **r;
	size_t n, cap;
};
void recs_push(struct recs *rs, rec *r);
/* A rec_fn keeping a copy of each record in the struct recs ctx. */
int recs_push_dup(void *ctx, rec *r, crm_err *e);
void recs_free(struct recs *rs);
/* Master tables are kept sorted by id, so diffs and merges stay small. */
void recs_sort_by_id(struct recs *rs);
/* The first number in an id (C000010: 10; I202611-00004: 202611): id_cmp's first key. */
unsigned long long id_number(const char *id);
int id_cmp(const char *a, const char *b);
/* The order a table's file keeps: id_cmp, or byte order for text keys. */
int key_cmp(const struct table *t, const char *a, const char *b);
/* A number ordered as key_cmp orders keys, where it can: rank(a) < rank(b) means
 * key_cmp(a, b) < 0; equal ranks leave the order to key_cmp. */
unsigned long long key_rank(const struct table *t, const char *key);

#endif
