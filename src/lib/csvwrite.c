#include <string.h>
#include "csvio.h"

/*
 * A reader would take these for something else at the start of a line: a
 * byte order mark (dropped) or a merge conflict marker (refused). Quoted,
 * the line starts with '"' and the value reads back as written.
 */
static int looks_special(const char *s)
{
	/* The first byte rules out nearly every value before any comparison. */
	if (!s[0] || !strchr("\xEF<=>", s[0]))
		return 0;
	return strncmp(s, "\xEF\xBB\xBF", 3) == 0 || strncmp(s, "<<<<<<<", 7) == 0 ||
	       strncmp(s, "=======", 7) == 0 || strncmp(s, ">>>>>>>", 7) == 0;
}

void csv_put_field(sbuf *b, const char *s)
{
	/* One scan tells most values apart: nothing to quote or escape. */
	size_t n = strcspn(s, ",\"\\\n\r");
	if (!s[n] && !looks_special(s)) {
		sb_add(b, s, n);
		return;
	}
	int quote = strpbrk(s, ",\"") != NULL || looks_special(s);
	if (quote)
		sb_addc(b, '"');
	/* The runs between bytes to escape go in whole, not a byte at a time. */
	for (;;) {
		size_t k = strcspn(s, "\"\\\n\r");
		sb_add(b, s, k);
		s += k;
		if (!*s)
			break;
		switch (*s++) {
		case '"': sb_adds(b, "\"\""); break;
		case '\\': sb_adds(b, "\\\\"); break;
		case '\n': sb_adds(b, "\\n"); break;
		default: sb_adds(b, "\\r"); break;
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
