#include <csv.h>
#include <stdint.h>
#include <string.h>
#include "csvrd.h"

void rd_field(void *s, size_t n, void *data)
{
	struct rd *r = data;
	if (r->row.n >= CSV_MAX_FIELDS) {
		r->too_many = 1;
		return;
	}
	r->off[r->row.n] = r->store.len;
	r->row.len[r->row.n++] = n;
	sb_add(&r->store, s ? s : "", s ? n : 0);
	sb_addc(&r->store, 0);
}

static void on_row(int c, void *data)
{
	(void)c;
	(void)data;
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Undoes the writer's \n, \r and \\ in place; any other backslash stays. */
static size_t unescape(char *s, size_t n)
{
	char *o = s;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char c = s[i + 1];
			if (c == 'n' || c == 'r' || c == '\\') {
				*o++ = c == 'n' ? '\n' : c == 'r' ? '\r' : '\\';
				i++;
				continue;
			}
		}
		*o++ = s[i];
	}
	*o = 0;
	return (size_t)(o - s);
}

void rd_finish(struct rd *r, int escaped)
{
	for (int i = 0; i < r->row.n; i++) {
		r->row.f[i] = r->store.s + r->off[i];
		if (escaped && memchr(r->row.f[i], '\\', r->row.len[i]))
			r->row.len[i] = unescape(r->row.f[i], r->row.len[i]);
	}
}

/* The line copied into the row's store and ended by a NUL: its values are cut there in place. */
static char *copy_line(struct rd *r, const char *p, size_t n)
{
	r->store.len = 0;
	sb_grow(&r->store, n + 1);
	memcpy(r->store.s, p, n);
	r->store.s[n] = 0;
	r->store.len = n + 1;
	return r->store.s;
}

void rd_split_plain(struct rd *r, const char *p, size_t n)
{
	char *b = copy_line(r, p, n);
	size_t start = 0;
	for (;;) {
		char *c = memchr(b + start, ',', n - start);
		size_t fe = c ? (size_t)(c - b) : n;
		if (r->row.n >= CSV_MAX_FIELDS) {
			r->too_many = 1;
			return;
		}
		b[fe] = 0;
		r->off[r->row.n] = start;
		r->row.len[r->row.n++] = fe - start;
		if (!c)
			break;
		start = fe + 1;
	}
}

/* The bytes that end an unquoted value; b[n] is a NUL and ends the last. */
static const unsigned char ends_plain[256] = {[0] = 1, [','] = 1, ['"'] = 1};
/* The first bytes csv_special looks further at. */
static const unsigned char may_be_special[256] = {[0xEF] = 1, ['<'] = 1, ['='] = 1, ['>'] = 1};

/*
 * A line with no backslash and no doubled quote holds its values verbatim,
 * each quoted or not: copied once, each value ended in place by a NUL on its
 * comma or closing quote, without libcsv. Returns -1 when a quote stands
 * where the dialect puts none (libcsv then says what is wrong), else 1 when
 * every value is written as csv_put_field would write it (quoted exactly
 * when it must be), so the line may be printed as it is, else 0.
 */
static int split_verbatim(struct rd *r, const char *p, size_t n)
{
	char *b = copy_line(r, p, n);
	int canon = 1;
	for (size_t i = 0;;) {
		if (r->row.n >= CSV_MAX_FIELDS) {
			r->too_many = 1;
			return 0;
		}
		size_t s = i, e;
		int quoted = b[i] == '"', comma = 0;
		if (quoted) {
			const char *q = memchr(b + i + 1, '"', n - i - 1);
			if (!q)
				return -1;
			s = i + 1;
			e = (size_t)(q - b);
			if (e + 1 < n && b[e + 1] != ',')
				return -1;
			comma = memchr(b + s, ',', e - s) != NULL;
			b[e++] = 0; /* e: past the closing quote, on the comma */
		} else {
			/* b[n] is a NUL: it ends the last value. */
			for (e = i; !ends_plain[(unsigned char)b[e]]; e++)
				;
			if (b[e] == '"')
				return -1;
		}
		b[e] = 0;
		/* No quote, backslash or line break inside: the writer quotes a value
		 * for a comma, or for what a line's start would be taken for. */
		if (canon && quoted != (comma || (may_be_special[(unsigned char)b[s]] && csv_special(b + s))))
			canon = 0;
		r->row.rawoff[r->row.n] = i;
		r->row.f[r->row.n] = b + s; /* no escape to undo: rd_finish has nothing to do */
		r->row.len[r->row.n++] = e - s - (size_t)quoted;
		if (e >= n)
			break;
		i = e + 1;
	}
	r->row.rawoff[r->row.n] = n + 1;
	return canon;
}

static int split_quoted(struct rd *r, struct csv_parser *cp, const char *p,
	size_t n, crm_err *e)
{
	size_t used = csv_parse(cp, p, n, rd_field, on_row, r);
	if (used < n) {
		csv_fini(cp, NULL, NULL, NULL);
		return crm_fail_at(e, r->row.file, r->row.line, "csv",
			"quote inside an unquoted field (column %zu)", used + 1);
	}
	if (csv_fini(cp, rd_field, on_row, r) != 0)
		return crm_fail_at(e, r->row.file, r->row.line, "csv",
			"unterminated quote (a line break inside a value must be written \\n)");
	return 0;
}

int rd_bytes_error(const char *file, long line, const char *p, size_t n,
	const char *bad_nul, const char *bad_utf8, const char *hint, crm_err *e)
{
	if (bad_nul && bad_nul >= p && bad_nul < p + n)
		return crm_fail_at(e, file, line, "csv", "NUL byte");
	if (bad_utf8 && bad_utf8 >= p && bad_utf8 <= p + n)
		return crm_fail_at(e, file, line, "csv", "invalid UTF-8 at column %zu%s",
			(size_t)(bad_utf8 - p) + 1, hint ? hint : "");
	return 0;
}

int rd_line_error(struct rd *r, const char *p, size_t n, const char *bad_nul,
	const char *bad_utf8, const char *hint, crm_err *e)
{
	if (n > CSV_MAX_LINE)
		return crm_fail_at(e, r->row.file, r->row.line, "csv",
			"line longer than %d bytes", CSV_MAX_LINE);
	int rc = rd_bytes_error(r->row.file, r->row.line, p, n, bad_nul, bad_utf8, hint, e);
	if (!rc && n >= 7 && (memcmp(p, "<<<<<<<", 7) == 0 || memcmp(p, ">>>>>>>", 7) == 0 ||
		       memcmp(p, "=======", 7) == 0))
		rc = crm_fail_at(e, r->row.file, r->row.line, "csv", "merge conflict marker");
	return rc;
}

const char *rd_next_of(const char *cached, const char *p, const char *end, int c)
{
	if (cached && cached >= p)
		return cached;
	const char *f = memchr(p, c, (size_t)(end - p));
	return f ? f : end;
}

/*
 * The next doubled quote: a value holding a quote. A line without one holds
 * its values verbatim between the delimiting quotes, so a filter may judge
 * it raw; only a doubled quote changes a value's bytes.
 */
static const char *next_dq(const char *cached, const char *p, const char *end)
{
	if (cached && cached >= p)
		return cached;
	/* memchr, not memmem: a two-byte memmem was half the time of a list */
	for (const char *q = p; (q = memchr(q, '"', (size_t)(end - q))); q++)
		if (q + 1 < end && q[1] == '"')
			return q;
	return end;
}

/* The next line that opens with a merge-conflict marker, or end. */
static const char *next_marker(const char *buf, const char *p, const char *end)
{
	for (const char *q = p; (q = memchr(q, '<', (size_t)(end - q))); q++)
		if ((q == buf || q[-1] == '\n') && end - q >= 7 && memcmp(q, "<<<<<<<", 7) == 0)
			return q;
	return end;
}

int csv_read(const char *file, const char *buf, size_t len, csv_row_fn fn,
	void *ctx, crm_err *e)
{
	return csv_read_lines(file, buf, len, NULL, fn, ctx, e);
}

static const char *line_start(const char *buf, const char *at)
{
	while (at > buf && at[-1] != '\n')
		at--;
	return at;
}

/* Skips the plain lines the filter rules out, counting them; stops before any line it may not judge. */
/* Eight bytes at a time: a skipped stretch is counted, not searched line by line. */
static long count_newlines(const char *p, const char *end)
{
	const uint64_t ones = 0x0101010101010101ull, nl = ones * '\n', high = ones * 0x80;
	long n = 0;
	for (; end - p >= 8; p += 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		uint64_t x = w ^ nl; /* a zero byte where there was a newline */
		uint64_t t = ((x & ~high) + ~high) | x;
		/* one bit per newline, at the top of its byte: summed by a multiply */
		n += (long)((((~t & high) >> 7) * ones) >> 56);
	}
	for (; p < end; p++)
		n += *p == '\n';
	return n;
}

static const char *skip_lines(const struct csv_pre *pre, const char *buf, const char *p,
	const char *limit, const char *end, long *line)
{
	long passed = -1;
	const char *cand = pre->skip(pre->ctx, p, limit, &passed);
	const char *to = cand >= limit ? limit : line_start(buf, cand);
	if (passed >= 0 && (to == cand || cand >= limit))
		*line += passed;
	else if (to < end)
		*line += count_newlines(p, to); /* at the end no line number is wanted */
	return to;
}

int csv_read_lines(const char *file, const char *buf, size_t len, const struct csv_pre *pre,
	csv_row_fn fn, void *ctx, crm_err *e)
{
	struct rd r = {0};
	struct csv_parser cp;
	int rc = 0;
	r.row.file = file;
	if (len == 0)
		return crm_fail_at(e, file, 0, "csv", "empty file (no header line)");
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0)
		return crm_fail(e, CRM_EINTERNAL, "csv parser: out of memory");
	csv_set_space_func(&cp, no_space);
	const char *p = buf, *end = buf + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a spreadsheet's byte order mark: no data in it */
	/* The whole buffer is checked once; each line then only asks where the faults lie. */
	const char *bad_nul = memchr(p, 0, (size_t)(end - p));
	const char *bad_utf8 = NULL;
	/* With a bulk filter only the lines it lets through are read, so only they are
	 * checked for UTF-8 (its regex is compiled to be safe on invalid UTF-8). */
	int line_utf8 = pre && pre->skip;
	size_t ok = line_utf8 ? 0 : utf8_valid(p, (size_t)(end - p));
	if (!line_utf8 && ok < (size_t)(end - p))
		bad_utf8 = p + ok;
	const char *quote = NULL, *dquote = NULL, *bslash = NULL, *marker = NULL, *cr = NULL;
	int header = 1;
	for (long line = 1; p < end && !rc; line++) {
		if (pre && pre->skip && !header) {
			dquote = next_dq(dquote, p, end);
			bslash = rd_next_of(bslash, p, end, '\\');
			if (!marker || marker < p) {
				marker = next_marker(buf, p, end);
			}
			const char *limit = dquote < bslash ? dquote : bslash;
			if (marker < limit)
				limit = marker;
			if (bad_nul && bad_nul < limit)
				limit = bad_nul;

			limit = line_start(buf, limit);
			if (limit > p) {
				p = skip_lines(pre, buf, p, limit, end, &line);
				if (p >= end)
					break;
			}
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - p);
		if (n && le[-1] == '\r')
			n--;
		r.row.line = line;
		if (n == 0) {
			p = le + 1;
			continue; /* blank lines carry nothing; line numbers stay physical */
		}
		if (line_utf8 && (ok = utf8_valid(p, n)) < n)
			bad_utf8 = p + ok;
		rc = rd_line_error(&r, p, n, bad_nul, bad_utf8, NULL, e);
		/* libcsv ends a record at a bare CR outside quotes but keeps it inside
		 * them, and a plain line would keep it as data: refuse all three alike. */
		cr = rd_next_of(cr, p, end, '\r');
		if (!rc && cr < p + n)
			rc = crm_fail_at(e, file, line, "csv",
				"carriage return inside a line (column %zu; write \\r in a value)",
				(size_t)(cr - p) + 1);
		quote = rd_next_of(quote, p, end, '"');
		bslash = rd_next_of(bslash, p, end, '\\');
		int quoted = quote < p + n, escaped = bslash < p + n;
		if (quoted)
			dquote = next_dq(dquote, p, end);
		int verbatim = !escaped && (!quoted || dquote >= p + n);
		if (!rc && pre && pre->line && !header && verbatim && !pre->line(pre->ctx, p, n)) {
			p = le + 1;
			continue;
		}
		int was_header = header;
		header = 0;
		r.row.n = 0;
		r.store.len = 0;
		r.too_many = 0;
		int canon = 0, cut = 0;
		if (!rc && verbatim)
			cut = (canon = split_verbatim(&r, p, n)) >= 0;
		if (!rc && !cut) {
			r.row.n = 0;
			canon = 0;
			if (quoted)
				rc = split_quoted(&r, &cp, p, n, e);
			else
				rd_split_plain(&r, p, n);
		}
		if (!rc && r.too_many)
			rc = crm_fail_at(e, file, line, "csv", "more than %d fields",
				CSV_MAX_FIELDS);
		if (!rc) {
			if (!cut)
				rd_finish(&r, escaped);
			/* Such a line is what crm would write for its values: a list may print it as it is. */
			r.row.raw = canon ? p : NULL;
			r.row.rawlen = n;
			r.row.at = p;
			rc = fn(ctx, &r.row, e);
		}
		if (!rc && was_header && pre && pre->header)
			pre->header(pre->ctx, &r.row);
		p = le + 1;
	}
	csv_free(&cp);
	sb_free(&r.store);
	/* Blank lines or a lone byte order mark hold no header: as empty as zero bytes. */
	if (!rc && header)
		rc = crm_fail_at(e, file, 0, "csv", "empty file (no header line)");
	return rc == CSV_STOP ? 0 : rc;
}
