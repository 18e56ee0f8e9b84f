/*
 * libFuzzer: any bytes read as a CSV file either fail with a file:line
 * message or give rows that, written back by csv_put_row and read again,
 * are the same rows, one per physical line. The prefiltered reader with a
 * filter that lets everything through must agree with the plain one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "csvio.h"

#define MAXROWS 256

struct rows {
	int n;
	int nf[MAXROWS];
	long line[MAXROWS];
	char *f[MAXROWS][CSV_MAX_FIELDS];
};

static int keep(void *ctx, csv_row *r, crm_err *e)
{
	(void)e;
	struct rows *a = ctx;
	if (a->n == MAXROWS)
		return CSV_STOP;
	if (r->n < 1 || r->n > CSV_MAX_FIELDS)
		abort();
	a->nf[a->n] = r->n;
	a->line[a->n] = r->line;
	for (int i = 0; i < r->n; i++) {
		if (strlen(r->f[i]) != r->len[i])
			abort(); /* a field's length and its NUL disagree */
		a->f[a->n][i] = xstrndup(r->f[i], r->len[i]);
	}
	a->n++;
	return 0;
}

static void drop(struct rows *a)
{
	for (int r = 0; r < a->n; r++)
		for (int i = 0; i < a->nf[r]; i++)
			free(a->f[r][i]);
	a->n = 0;
}

static void same(const struct rows *a, const struct rows *b, int lines)
{
	if (a->n != b->n)
		abort();
	for (int r = 0; r < a->n; r++) {
		if (a->nf[r] != b->nf[r] || (lines && a->line[r] != b->line[r]))
			abort();
		for (int i = 0; i < a->nf[r]; i++)
			if (strcmp(a->f[r][i], b->f[r][i]) != 0)
				abort();
	}
}

static int pass_line(void *ctx, const char *line, size_t n)
{
	(void)ctx, (void)line, (void)n;
	return 1;
}

static const char *pass_skip(void *ctx, const char *p, const char *end)
{
	(void)ctx, (void)end;
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rows a, b, c;
	crm_err e = {0};
	int rc = csv_read("f.csv", (const char *)data, size, keep, &a, &e);
	if (rc) {
		if (rc != CRM_EDATA || strncmp(e.msg, "f.csv:", 6) != 0)
			abort();
		drop(&a);
		return 0;
	}
	if (a.n == 0 && a.n < MAXROWS)
		abort(); /* a non-empty file that reads cleanly has a header */

	crm_err e3 = {0};
	struct csv_pre pre = {pass_line, pass_skip, NULL};
	if (csv_read_lines("f.csv", (const char *)data, size, &pre, keep, &c, &e3) != 0)
		abort();
	same(&a, &c, 1);
	drop(&c);

	sbuf w = {0};
	for (int r = 0; r < a.n; r++)
		csv_put_row(&w, (const char *const *)a.f[r], a.nf[r]);
	crm_err e2 = {0};
	if (csv_read("w.csv", w.s, w.len, keep, &b, &e2) != 0)
		abort();
	same(&a, &b, 0);
	for (int r = 0; r < b.n; r++)
		if (b.line[r] != r + 1)
			abort(); /* one record, one physical line */
	drop(&a);
	drop(&b);
	sb_free(&w);
	return 0;
}
