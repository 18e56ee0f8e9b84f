#include <string.h>
#include "csvio.h"

void csv_put_field(sbuf *b, const char *s)
{
	int quote = strpbrk(s, ",\"") != NULL;
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
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(b, ',');
		csv_put_field(b, f[i] ? f[i] : "");
	}
	sb_addc(b, '\n');
}
