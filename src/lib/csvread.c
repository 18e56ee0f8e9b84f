#include <csv.h>
#include <string.h>
#include "csvio.h"

struct rd {
	csv_row row;
	sbuf store;             /* field bytes of the current row */
	size_t off[CSV_MAX_FIELDS];
	int too_many;
};

static void on_field(void *s, size_t n, void *data)
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

static void split_plain(struct rd *r, const char *p, size_t n)
{
	const char *end = p + n;
	for (;;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *fe = c ? c : end;
		on_field((void *)p, (size_t)(fe - p), r);
		if (!c)
			break;
		p = c + 1;
	}
}

static int split_quoted(struct rd *r, struct csv_parser *cp, const char *p,
	size_t n, crm_err *e)
{
	size_t used = csv_parse(cp, p, n, on_field, on_row, r);
	if (used < n) {
		csv_fini(cp, NULL, NULL, NULL);
		return crm_fail_at(e, r->row.file, r->row.line, "csv",
			"quote inside an unquoted field (column %zu)", used + 1);
	}
	if (csv_fini(cp, on_field, on_row, r) != 0)
		return crm_fail_at(e, r->row.file, r->row.line, "csv",
			"unterminated quote (a line break inside a value must be written \\n)");
	return 0;
}

static int check_line(struct rd *r, const char *p, size_t n, crm_err *e)
{
	if (n > CSV_MAX_LINE)
		return crm_fail_at(e, r->row.file, r->row.line, "csv",
			"line longer than %d bytes", CSV_MAX_LINE);
	if (memchr(p, 0, n))
		return crm_fail_at(e, r->row.file, r->row.line, "csv", "NUL byte");
	size_t ok = utf8_valid(p, n);
	if (ok != n)
		return crm_fail_at(e, r->row.file, r->row.line, "csv",
			"invalid UTF-8 at column %zu", ok + 1);
	if (n >= 7 && (memcmp(p, "<<<<<<<", 7) == 0 || memcmp(p, ">>>>>>>", 7) == 0 ||
		       memcmp(p, "=======", 7) == 0))
		return crm_fail_at(e, r->row.file, r->row.line, "csv",
			"merge conflict marker");
	return 0;
}

int csv_read(const char *file, const char *buf, size_t len, csv_row_fn fn,
	void *ctx, crm_err *e)
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
	for (long line = 1; p < end && !rc; line++) {
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
		rc = check_line(&r, p, n, e);
		r.row.n = 0;
		r.store.len = 0;
		r.too_many = 0;
		if (!rc) {
			if (memchr(p, '"', n))
				rc = split_quoted(&r, &cp, p, n, e);
			else
				split_plain(&r, p, n);
		}
		if (!rc && r.too_many)
			rc = crm_fail_at(e, file, line, "csv", "more than %d fields",
				CSV_MAX_FIELDS);
		if (!rc) {
			for (int i = 0; i < r.row.n; i++) {
				r.row.f[i] = r.store.s + r.off[i];
				if (memchr(r.row.f[i], '\\', r.row.len[i]))
					r.row.len[i] = unescape(r.row.f[i], r.row.len[i]);
			}
			rc = fn(ctx, &r.row, e);
		}
		p = le + 1;
	}
	csv_free(&cp);
	sb_free(&r.store);
	return rc == CSV_STOP ? 0 : rc;
}
