/*
 * Inside the CSV pair: the row being assembled and the helpers both readers
 * share, the store's (csvread.c) and the one for input from outside (csvin.c).
 */
#ifndef CRM_CSVRD_H
#define CRM_CSVRD_H
#include "csvio.h"

struct rd {
	csv_row row;
	sbuf store;             /* field bytes of the current row */
	size_t off[CSV_MAX_FIELDS];
	int too_many;
};

/* libcsv's field callback: appends a value to the row. */
void rd_field(void *s, size_t n, void *data);
/* A line without quotes is its fields: copied once, commas turned into NULs. */
void rd_split_plain(struct rd *r, const char *p, size_t n);
/* Points row.f at the values, undoing the writer's escapes unless literal. */
void rd_finish(struct rd *r, int escaped);
/* A NUL or invalid UTF-8 (hint appended) in [p, p+n), named by file:line. */
int rd_bytes_error(const char *file, long line, const char *p, size_t n,
	const char *bad_nul, const char *bad_utf8, const char *hint, crm_err *e);
/* Too long, a NUL, invalid UTF-8 (hint appended), a merge conflict marker. */
int rd_line_error(struct rd *r, const char *p, size_t n, const char *bad_nul,
	const char *bad_utf8, const char *hint, crm_err *e);
/* The next c at or after p, kept from the last search while it is still ahead. */
const char *rd_next_of(const char *cached, const char *p, const char *end, int c);

#endif
