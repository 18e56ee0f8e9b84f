#include <stdlib.h>
#include <string.h>
#include "norm.h"

static int is_punct(uint32_t c)
{
	if (c < 0x80)
		return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
	return (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
	       (c >= 0xFE30 && c <= 0xFE4F) || c == 0x00B7 || c == 0x00A0 || c == 0xFF5E;
}

/* Longest first, so 有限责任公司 goes before 公司 can leave 有限责任 behind. */
static const char *const suffixes[] = {
	"股份有限公司", "有限责任公司", "有限公司", "集团公司", "分公司", "集团", "公司",
	"corporation", "company", "limited", "gmbh", "corp", "coltd", "ltd", "inc", "llc",
	"plc", "co", NULL,
};

/*
 * A Latin suffix counts only as a word of its own ("Acme Co." but not
 * "Tesco"): start[i] says a word began at byte i of the folded name. Chinese
 * suffixes need no gap, as Chinese names have none.
 */
static int strip_suffix(sbuf *b, const char *start)
{
	for (int i = 0; suffixes[i]; i++) {
		size_t n = strlen(suffixes[i]);
		if (b->len > n && memcmp(b->s + b->len - n, suffixes[i], n) == 0 &&
		    ((unsigned char)suffixes[i][0] >= 0x80 || start[b->len - n])) {
			b->len -= n;
			b->s[b->len] = 0;
			return 1;
		}
	}
	return 0;
}

void norm_name(const char *in, sbuf *out)
{
	out->len = 0;
	sb_grow(out, strlen(in));
	out->s[0] = 0;
	/* Valid UTF-8 never grows when folded; a stray continuation byte may double. */
	char *start = xcalloc(2 * strlen(in) + 1, 1);
	int gap = 1;
	uint32_t prev = 0;
	const char *p = in;
	while (*p) {
		uint32_t c = utf8_next(&p);
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0; /* fullwidth ASCII */
		if (c == 0x3000)
			c = ' ';
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (is_punct(c)) {
			gap = 1;
			continue;
		}
		if (gap || (prev >= 0x80 && c < 0x80))
			start[out->len] = 1;
		gap = 0;
		prev = c;
		utf8_put(out, c);
	}
	while (strip_suffix(out, start))
		;
	free(start);
}

void norm_phone(const char *in, sbuf *out)
{
	out->len = 0;
	sb_grow(out, strlen(in));
	out->s[0] = 0;
	for (const char *p = in; *p; p++) {
		const char *q = p;
		uint32_t c = (unsigned char)*p >= 0x80 ? utf8_next(&q) : (unsigned char)*p;
		if (c >= 0xFF10 && c <= 0xFF19)
			c -= 0xFEE0;
		if ((unsigned char)*p >= 0x80)
			p = q - 1;
		if (c >= '0' && c <= '9')
			sb_addc(out, (char)c);
	}
	const char *d = out->s;
	if (strncmp(d, "0086", 4) == 0 && out->len >= 14)
		d += 4;
	else if (strncmp(d, "86", 2) == 0 && out->len >= 12)
		d += 2;
	while (*d == '0')
		d++;
	size_t n = strlen(d);
	memmove(out->s, d, n + 1);
	out->len = n;
	if (n < 7)
		out->len = 0, out->s[0] = 0;
}

static size_t decode(const char *s, uint32_t *cp, size_t cap)
{
	size_t n = 0;
	while (*s && n < cap)
		cp[n++] = utf8_next(&s);
	return n;
}

int norm_distance(const char *a, const char *b, int max)
{
	uint32_t x[128], y[128];
	size_t n = decode(a, x, 128), m = decode(b, y, 128);
	if ((n > m ? n - m : m - n) > (size_t)max)
		return max + 1;
	int row[129];
	for (size_t j = 0; j <= m; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		int prev = row[0], best;
		row[0] = (int)i;
		best = row[0];
		for (size_t j = 1; j <= m; j++) {
			int cur = row[j];
			int v = prev + (x[i - 1] != y[j - 1]);
			if (row[j] + 1 < v)
				v = row[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			prev = cur;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return row[m] > max ? max + 1 : row[m];
}
