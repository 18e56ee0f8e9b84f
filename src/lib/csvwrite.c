#include <string.h>
#include "csvio.h"

/*
 * A reader would take these for something else at the start of a line: a
 * byte order mark (dropped) or a merge conflict marker (refused). Quoted,
 * the line starts with '"' and the value reads back as written.
 */
static int looks_special(const char *s)
{
	return strncmp(s, "\xEF\xBB\xBF", 3) == 0 || strncmp(s, "<<<<<<<", 7) == 0 ||
	       strncmp(s, "=======", 7) == 0 || strncmp(s, ">>>>>>>", 7) == 0;
}

void csv_put_field(sbuf *b, const char *s)
{
	int quote = strpbrk(s, ",\"") != NULL || looks_special(s);
	if (!quote && !strpbrk(s, "\\\n\r")) {
		sb_adds(b, s);
		return;
	}
	if (quote)
		sb_addc(b, '"');
	for (; *s; s++) {
		switch (*s) {
		case '"': sb_adds(b, "\"\""); break;
		case '\\': sb_adds(b, "\\\\"); break;
		case '\n': sb_adds(b, "\\n"); break;
		case '\r': sb_adds(b, "\\r"); break;
		default: sb_addc(b, *s); break;
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
