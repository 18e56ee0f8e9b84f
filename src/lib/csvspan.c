#include <string.h>
#include "csvio.h"

/* No quote is looked for inside an unquoted value: a line with one is refused when
 * read, and a filter that passes it over has only not read a line it would not return. */
int csv_spans(const char *s, size_t n, int upto, size_t *off, size_t *len)
{
	size_t i = 0;
	for (int k = 0; k <= upto; k++) {
		size_t e;
		if (i < n && s[i] == '"') {
			const char *q = memchr(s + i + 1, '"', n - i - 1);
			if (!q)
				return -1;
			e = (size_t)(q - s);
			if (e + 1 < n && s[e + 1] != ',')
				return -1;
			off[k] = i + 1;
			len[k] = e - i - 1;
			e++;
		} else {
			const char *c = memchr(s + i, ',', n - i);
			e = c ? (size_t)(c - s) : n;
			off[k] = i;
			len[k] = e - i;
		}
		if (e >= n)
			return k + 1;
		i = e + 1;
	}
	return upto + 1;
}
