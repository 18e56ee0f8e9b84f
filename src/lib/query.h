/* What list, show, set and import share: field=value operands, ids on stdin, printing records. */
#ifndef CRM_QUERY_H
#define CRM_QUERY_H
#include "edit.h"
#include "filter.h"
#include "input.h"
#include "out.h"

/* Is arg of the form field=value with field a field of t? */
int is_assignment(const struct table *t, const char *arg);
/* Applies field=value to an owned record; F_AUTO fields refused unless allow_auto. */
int assign_apply(rec **r, const char *arg, int digits, int allow_auto, crm_err *e);
/* Sets field i to a command-line value, checked as a file's would be ("argument: FIELD: ..."). */
int assign_value(rec **r, int i, const char *v, int digits, crm_err *e);

/* Ids from stdin: one per line, or the id column of CSV records with a header.
 * With records, *recs gets them (partial columns, each with its present mask). */
struct idlist {
	char **id;
	size_t n, cap;
	struct recs recs;
};
int idlist_read(struct idlist *l, const struct table *t, const char *file,
	const char *encoding, int digits, crm_err *e);
void idlist_add(struct idlist *l, const char *id);
void idlist_free(struct idlist *l);

/* Column list: --fields a,b,c, else every field (csv, json) or the brief ones (table). */
int columns_pick(const struct table *t, const char *spec, enum outfmt fmt, int *cols, int *n, crm_err *e);

struct query {
	struct store *s;
	const struct table *t;
	struct filter *flt;
	struct out out;
	int cols[CSV_MAX_FIELDS];
	int ncols;
	int lines;       /* query_print may print a record's line as read (rec.raw) */
	size_t matched;
	int spreadsheet;
	/* Optional: decide or annotate each matching record (return 0 to skip). */
	int (*keep)(void *ctx, rec *r);
	void *ctx;
};
/* Prints the table's records that pass the filter terms. Status 1 when none did. */
int query_list(struct query *q, char **terms, int nterms, const char *fields,
	enum outfmt fmt, crm_err *e);
void query_print(struct query *q, const rec *r);
/* The rec_fn of a list: prints r when it passes q's filter. */
int query_one(void *ctx, rec *r, crm_err *e);

/* A rec_fn keeping a copy of each record that passes flt (reports that sort before printing). */
struct matches {
	struct filter *flt;
	struct recs rs;
};
int matches_keep(void *ctx, rec *r, crm_err *e);

#endif
