/*
 * Records from outside: every import and every `-` reads its file or
 * standard input here, in any RFC 4180 shape (csv_read_input), converted to
 * UTF-8 from --encoding when one is named.
 */
#ifndef CRM_INPUT_H
#define CRM_INPUT_H
#include "schema.h"

struct input {
	const char *file; /* a path, or "-" for standard input; names it in messages */
	char *buf;        /* the whole input, in UTF-8 */
	size_t len;
	size_t mapped;    /* buf is the file mapped, of this many bytes (else malloc'd) */
	struct ahead *ah; /* input_records_ahead's records */
	struct csv_in opt;
	char hint[96];
};

/* Reads the whole file (or stdin for "-"); a missing file is 66. */
int input_read(const char *file, char **buf, size_t *len, crm_err *e);
/*
 * Reads it and converts it from encoding (any iconv name; NULL: UTF-8, and
 * input that is not UTF-8 but reads as GB18030 is refused with that hint).
 */
int input_load(struct input *in, const char *file, const char *encoding, crm_err *e);
/* Its records, checked against t as table_read does; partial: any subset of columns. */
int input_records(struct input *in, const struct table *t, int digits, int partial,
	rec_fn fn, void *ctx, crm_err *e);
/*
 * input_records with the reading on a thread of its own, a batch ahead: an
 * import's thread has the rest of the work. fn runs on the calling thread, in
 * order, as input_records runs it; a record it gets stays valid while fn takes
 * the next AHEAD_BATCH, and the last ones until input_free.
 */
#define AHEAD_BATCH 4096
int input_records_ahead(struct input *in, const struct table *t, int digits, int partial,
	rec_fn fn, void *ctx, crm_err *e);
void input_ahead_free(struct input *in);
void input_free(struct input *in);

#endif
