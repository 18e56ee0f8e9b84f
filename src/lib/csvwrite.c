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

void csv_put_field(sbuf *b, const char *s)
{
	/* One pass over the bytes, by table: a libc scan per value cost more than
	 * the short values it scanned (15 a record, printed by the hundred thousand). */
	unsigned char need = 0;
	size_t n = 0;
	for (; s[n]; n++)
		need |= needs[(unsigned char)s[n]];
	int quote = (need & 1) || csv_special(s);
	if (quote)
		sb_addc(b, '"');
	if (!(need & 2)) {
		sb_add(b, s, n);
	} else {
		for (; *s; s++) {
			switch (*s) {
			case '"': sb_adds(b, "\"\""); break;
			case '\\': sb_adds(b, "\\\\"); break;
			case '\n': sb_adds(b, "\\n"); break;
			case '\r': sb_adds(b, "\\r"); break;
			default: sb_addc(b, *s); break;
			}
		}
	}
	if (quote)
		sb_addc(b, '"');
}

void csv_put_row(sbuf *b, const char *const *f, int n)
{
	/* One empty value alone would be a blank line, which readers skip. */
	if (n == 1 && (!f[0] || !*f[0])) {
		sb_adds(b, "\"\"\n");
		return;
	}
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(b, ',');
		csv_put_field(b, f[i] ? f[i] : "");
	}
	sb_addc(b, '\n');
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
