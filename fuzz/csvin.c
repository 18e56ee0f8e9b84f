/*
 * libFuzzer: any bytes read as input from outside (csv_read_input) either
 * fail with a file:line message or give rows that, written in the line
 * dialect by csv_put_row and read again by the same reader, are the same
 * rows, one per physical line; the store's reader reads that file alike.
 * The first byte picks literal backslashes, as --encoding would.
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
	size_t len[MAXROWS][CSV_MAX_FIELDS];
};

static int keep(void *ctx, csv_row *r, crm_err *e)
{
	(void)e;
	struct rows *a = ctx;
	if (a->n == MAXROWS)
		return CSV_STOP;
	if (r->n < 1 || r->n > CSV_MAX_FIELDS)
		abort();
	if (a->n && r->line <= a->line[a->n - 1])
		abort(); /* records start on later and later lines */
	a->nf[a->n] = r->n;
	a->line[a->n] = r->line;
	for (int i = 0; i < r->n; i++) {
		if (strlen(r->f[i]) != r->len[i])
			abort(); /* a NUL got through */
		a->f[a->n][i] = xstrndup(r->f[i], r->len[i]);
		a->len[a->n][i] = r->len[i];
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

static void same(const struct rows *a, const struct rows *b)
{
	if (a->n != b->n)
		abort();
	for (int r = 0; r < a->n; r++) {
		if (a->nf[r] != b->nf[r] || b->line[r] != r + 1)
			abort(); /* one record, one physical line */
		for (int i = 0; i < a->nf[r]; i++)
			if (a->len[r][i] != b->len[r][i] || strcmp(a->f[r][i], b->f[r][i]) != 0)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rows a, b, c;
	if (size == 0)
		return 0;
	struct csv_in opt = {.literal = data[0] & 1};
	crm_err e = {0};
	int rc = csv_read_input("f.csv", (const char *)data + 1, size - 1, &opt, keep, &a, &e);
	if (rc) {
		if (rc != CRM_EDATA || strncmp(e.msg, "f.csv:", 6) != 0)
			abort();
		drop(&a);
		return 0;
	}
	if (a.n == 0)
		abort(); /* input that reads cleanly has a header */
	sbuf w = {0};
	for (int r = 0; r < a.n; r++)
		csv_put_row(&w, (const char *const *)a.f[r], a.nf[r]);
	crm_err e2 = {0}, e3 = {0};
	if (csv_read_input("w.csv", w.s, w.len, NULL, keep, &b, &e2) != 0)
		abort();
	same(&a, &b);
	if (csv_read("w.csv", w.s, w.len, keep, &c, &e3) != 0)
		abort(); /* what an import stores, the store reads back */
	same(&a, &c);
	drop(&a);
	drop(&b);
	drop(&c);
	sb_free(&w);
	return 0;
}
