/*
 * CSV from outside (csvio.h): libcsv is fed one physical line at a time, so
 * each record knows the line it starts on, and a record still open after a
 * line's LF is inside a quoted value that goes on to the next line.
 */
#include <csv.h>
#include <string.h>
#include "csvrd.h"

struct in {
	struct rd r;
	int literal;
	csv_row_fn fn;
	void *ctx;
	crm_err *e;
	int rc;
	int ended; /* a record ended in the line just fed */
	int rows;
};

/* Only LF ends a record: a CR before it is trimmed like a space, so CRLF and
 * LF files read alike while a CR inside a quoted value stays in it. */
static int is_cr(unsigned char c)
{
	return c == '\r';
}

static int is_lf(unsigned char c)
{
	return c == '\n';
}

static int deliver(struct in *s)
{
	struct rd *r = &s->r;
	int rc = 0;
	if (r->too_many)
		rc = crm_fail_at(s->e, r->row.file, r->row.line, "csv", "more than %d fields",
			CSV_MAX_FIELDS);
	if (!rc) {
		rd_finish(r, !s->literal);
		s->rows++;
		rc = s->fn(s->ctx, &r->row, s->e);
	}
	r->row.n = 0;
	r->store.len = 0;
	r->too_many = 0;
	return rc;
}

static void on_row(int c, void *data)
{
	struct in *s = data;
	(void)c;
	s->ended = 1;
	if (!s->rc)
		s->rc = deliver(s);
	else
		s->r.row.n = 0, s->r.store.len = 0;
}

/* A line of nothing but CRs (or nothing) carries no record, as libcsv skips it. */
static int blank(const char *p, size_t n)
{
	while (n && *p == '\r')
		p++, n--;
	return n == 0;
}

static int feed(struct in *s, struct csv_parser *cp, const char *p, size_t n)
{
	if (csv_parse(cp, p, n, rd_field, on_row, s) < n)
		return crm_fail(s->e, CRM_EINTERNAL, "csv parser: %s", csv_strerror(csv_error(cp)));
	return s->rc;
}

int csv_read_input(const char *file, const char *buf, size_t len, const struct csv_in *opt,
	csv_row_fn fn, void *ctx, crm_err *e)
{
	struct in s = {.fn = fn, .ctx = ctx, .e = e, .literal = opt && opt->literal};
	struct csv_parser cp;
	s.r.row.file = file;
	if (len == 0)
		return crm_fail_at(e, file, 0, "csv", "empty file (no header line)");
	if (csv_init(&cp, CSV_EMPTY_IS_NULL) != 0)
		return crm_fail(e, CRM_EINTERNAL, "csv parser: out of memory");
	csv_set_space_func(&cp, is_cr);
	csv_set_term_func(&cp, is_lf);
	const char *p = buf, *end = buf + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		s.literal = 1;
	}
	const char *bad_nul = memchr(p, 0, (size_t)(end - p));
	size_t ok = utf8_valid(p, (size_t)(end - p));
	const char *bad_utf8 = ok < (size_t)(end - p) ? p + ok : NULL;
	const char *hint = opt ? opt->utf8_hint : NULL;
	const char *quote = NULL, *cr = NULL;
	long start = 0;  /* the line the open record started on, or 0 */
	size_t rec = 0;  /* its bytes so far: it becomes one line of the store */
	int rc = 0;
	for (long line = 1; p < end && !rc; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *next = nl ? nl + 1 : end;
		size_t n = (size_t)(le - p), body = n && le[-1] == '\r' ? n - 1 : n;
		if (!start) {
			if (blank(p, n)) {
				p = next;
				continue;
			}
			start = line;
			rec = 0;
			s.r.row.line = line;
			rc = rd_line_error(&s.r, p, body, bad_nul, bad_utf8, hint, e);
		} else {
			/* inside a value: no marker check, but a NUL or bad UTF-8 is named on its own line */
			rc = rd_bytes_error(file, line, p, n, bad_nul, bad_utf8, hint, e);
		}
		rec += n + 1;
		if (!rc && rec > CSV_MAX_LINE)
			rc = crm_fail_at(e, file, start, "csv", "record longer than %d bytes",
				CSV_MAX_LINE);
		if (rc)
			break;
		quote = rd_next_of(quote, p, end, '"');
		cr = rd_next_of(cr, p, end, '\r');
		if (rec == n + 1 && quote >= p + body && cr >= p + body) {
			/* no quote, no stray CR: the common line, split without libcsv */
			rd_split_plain(&s.r, p, body);
			rc = deliver(&s);
			start = 0;
		} else {
			s.ended = 0;
			rc = feed(&s, &cp, p, (size_t)(next - p));
			if (!rc && !nl)
				rc = feed(&s, &cp, "\n", 1); /* no final newline: end the record */
			if (s.ended)
				start = 0;
		}
		p = next;
	}
	if (!rc && start)
		rc = crm_fail_at(e, file, start, "csv",
			"unterminated quote (the value opened here runs to the end of the input)");
	csv_free(&cp);
	sb_free(&s.r.store);
	if (!rc && !s.rows)
		rc = crm_fail_at(e, file, 0, "csv", "empty file (no header line)");
	return rc == CSV_STOP ? 0 : rc;
}
