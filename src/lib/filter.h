/*
 * Filters shared by every list and report: terms joined by AND.
 * field=value field!=value field~REGEX field<value field>value field<=value field>=value
 * Comparisons follow the field's type (number, money, date, text).
 */
#ifndef CRM_FILTER_H
#define CRM_FILTER_H
#include "schema.h"

struct filter;

/* Is arg a filter term (field, operator, value)? */
int filter_is_term(const char *arg);
/* Terms over columns f[0..nf); values are looked up by column index. */
int filter_parse(struct filter **out, const struct field *f, int nf, char **terms,
	int nterms, int digits, crm_err *e);
/* 1 when v matches every term, 0 when not, -1 on error (a regex limit hit; e says where). */
int filter_match(struct filter *flt, char *const *v, const char *file, long line, crm_err *e);
/* A csv_header_fn: where this file's columns stand, for the two below. */
void filter_header(void *flt, const csv_row *header);
/* A csv_line_fn: 0 when the raw line (quote- and escape-free) cannot match. */
int filter_line(void *flt, const char *line, size_t n);
/* 1 when the line at was found to match every term on its bytes (by filter_skip or
 * filter_line, since the last filter_header): filter_match would say 1 on its values. */
int filter_sure(const struct filter *flt, const char *at);
/* A csv_skip_fn: the first line of [p, end) whose values may match every regex
 * and text = term (a whole-file search of a regex's loose form finds where to look). */
const char *filter_skip(void *flt, const char *p, const char *end, long *lines);
void filter_free(struct filter *flt);

#endif
