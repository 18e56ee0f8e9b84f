#include <string.h>
#include "csvio.h"

/*
 * A reader would take these for something else at the start of a line: a
 * byte order mark (dropped) or a merge conflict marker (refused). Quoted,
 * the line starts with '"' and the value reads back as written.
 */
int csv_special(const char *s)
{
	/* The first byte rules out nearly every value before any comparison. */
	switch (s[0]) {
	case '\xEF':
		return strncmp(s, "\xEF\xBB\xBF", 3) == 0;
	case '<':
		return strncmp(s, "<<<<<<<", 7) == 0;
	case '=':
		return strncmp(s, "=======", 7) == 0;
	case '>':
		return strncmp(s, ">>>>>>>", 7) == 0;
	default:
		return 0;
	}
}

/* What a byte asks of its value: 1 quotes around it, 2 an escape or doubling. */
static const unsigned char needs[256] = {[','] = 1, ['"'] = 3, ['\\'] = 2, ['\n'] = 2, ['\r'] = 2};

/* s's length, and what its bytes ask of it (needs[] of each, or'd). */
static size_t scan_value(const char *s, unsigned char *need)
{
	/* One pass over the bytes, by table: a libc scan per value cost more than
	 * the short values it scanned (15 a record, printed by the hundred thousand). */
	unsigned char nd = 0;
	size_t n = 0;
	for (; s[n]; n++)
		nd |= needs[(unsigned char)s[n]];
	*need = nd | (csv_special(s) ? 1 : 0);
	return n;
}

/* The value at p, room made for it (at most 2n + 2 bytes); the end. */
static char *put_value(char *p, const char *s, size_t n, unsigned char need)
{
	if (need & 1)
		*p++ = '"';
	if (!(need & 2)) {
		memcpy(p, s, n);
		p += n;
	} else {
		for (; *s; s++) {
			switch (*s) {
			case '"': *p++ = '"'; *p++ = '"'; break;
			case '\\': *p++ = '\\'; *p++ = '\\'; break;
			case '\n': *p++ = '\\'; *p++ = 'n'; break;
			case '\r': *p++ = '\\'; *p++ = 'r'; break;
			default: *p++ = *s; break;
			}
		}
	}
	if (need & 1)
		*p++ = '"';
	return p;
}

void csv_put_field(sbuf *b, const char *s)
{
	unsigned char need;
	size_t n = scan_value(s, &need);
	sb_grow(b, 2 * n + 2);
	b->len = (size_t)(put_value(b->s + b->len, s, n, need) - b->s);
	b->s[b->len] = 0;
}

void csv_put_row(sbuf *b, const char *const *f, int n)
{
	/* One empty value alone would be a blank line, which readers skip. */
	if (n == 1 && (!f[0] || !*f[0])) {
		sb_adds(b, "\"\"\n");
		return;
	}
	if (n > CSV_MAX_FIELDS) {
		for (int i = 0; i < n; i++) {
			if (i)
				sb_addc(b, ',');
			csv_put_field(b, f[i] ? f[i] : "");
		}
		sb_addc(b, '\n');
		return;
	}
	/* Room for the row made once: a record is a dozen values, written by the million. */
	size_t len[CSV_MAX_FIELDS], most = 1;
	unsigned char need[CSV_MAX_FIELDS];
	for (int i = 0; i < n; i++)
		most += 2 * (len[i] = scan_value(f[i] ? f[i] : "", &need[i])) + 3;
	sb_grow(b, most);
	char *p = b->s + b->len;
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		p = put_value(p, f[i] ? f[i] : "", len[i], need[i]);
	}
	*p++ = '\n';
	b->len = (size_t)(p - b->s);
	b->s[b->len] = 0;
}

/*
 * A spreadsheet knows no backslash escapes: a value goes out as it is, quoted
 * when it holds a comma, a quote or a line break (which the quotes keep in
 * the cell), and records end in CRLF as Excel writes them.
 */
void csv_put_row_crlf(sbuf *b, const char *const *f, int n)
{
	for (int i = 0; i < n; i++) {
		const char *s = f[i] ? f[i] : "";
		if (i)
			sb_addc(b, ',');
		if (!strpbrk(s, ",\"\n\r") && !(n == 1 && !*s)) {
			sb_adds(b, s);
			continue;
		}
		sb_addc(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				sb_addc(b, '"');
			sb_addc(b, *s);
		}
		sb_addc(b, '"');
	}
	sb_adds(b, "\r\n");
}
