/*
 * libFuzzer: the first line is a filter term, the rest a CSV file. Terms
 * parse or fail without harm; matching never crashes; and the prefiltered
 * read (raw-line and bulk regex skips) selects exactly the rows the plain
 * read does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "filter.h"

static const struct field F[] = {
	{"name", FT_TEXT, NULL, 0},
	{"amount", FT_MONEY, NULL, 0},
	{"date", FT_DATE, NULL, 0},
	{"n", FT_INT, NULL, 0},
};

struct sel {
	struct filter *flt;
	long lines[512];
	int n;
};

static int pick(void *ctx, csv_row *r, crm_err *e)
{
	struct sel *s = ctx;
	if (r->line == 1)
		return 0;
	char *v[4];
	for (int i = 0; i < 4; i++)
		v[i] = i < r->n ? r->f[i] : "";
	int m = filter_match(s->flt, v, "f.csv", r->line, e);
	if (m < 0)
		return e->code;
	if (m && s->n < 512)
		s->lines[s->n++] = r->line;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	if (!nl)
		return 0;
	char *term = xstrndup((const char *)data, (size_t)(nl - (const char *)data));
	const char *csv = nl + 1;
	size_t n = size - (size_t)(csv - (const char *)data);
	struct sel a = {0}, b = {0};
	crm_err e = {0};
	char *terms[] = {term};
	int is = filter_is_term(term);
	int rc = filter_parse(&a.flt, F, 4, terms, 1, 2, &e);
	if (rc && !e.code)
		abort();
	if (!is && rc != CRM_EUSAGE)
		abort();
	if (!rc && n) {
		crm_err e1 = {0}, e2 = {0};
		b.flt = a.flt;
		int r1 = csv_read("f.csv", csv, n, pick, &a, &e1);
		struct csv_pre pre = {filter_line, filter_skip, a.flt};
		int r2 = csv_read_lines("f.csv", csv, n, &pre, pick, &b, &e2);
		if (r1 == 0) {
			if (r2 != 0 || a.n != b.n)
				abort();
			for (int i = 0; i < a.n; i++)
				if (a.lines[i] != b.lines[i])
					abort();
		}
	}
	filter_free(a.flt);
	free(term);
	return 0;
}
