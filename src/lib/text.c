#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bulkmem.h"
#include "text.h"

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("crm: out of memory\n", stderr);
		exit(70);
	}
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) {
		fputs("crm: out of memory\n", stderr);
		exit(70);
	}
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("crm: out of memory\n", stderr);
		exit(70);
	}
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

void str_put(char *out, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = 0;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

int crm_threads(void)
{
	const char *env = getenv("CRM_THREADS");
	long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

void sb_grow(sbuf *b, size_t more)
{
	if (b->len + more + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1)
		cap *= 2;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
	/* A buffer of many MiB (an arena, an import's input) in huge pages: a fault per 2 MiB. */
	bulk_buffer(b->s + b->len, cap - b->len);
}

void sb_add(sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void sb_adds(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

void sb_addc(sbuf *b, char c)
{
	sb_grow(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = 0;
}

void sb_printf(sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sb_free(sbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

const char *sb_str(sbuf *b)
{
	if (!b->s)
		sb_grow(b, 0), b->s[0] = 0;
	return b->s;
}

/* Each lead byte has its own test, so the common 3-byte CJK case is one branch. */
size_t utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *p = s, *e = s + n;
	while (p < e) {
		/* Eight ASCII bytes at a time: most of a record is ASCII. */
		while (p + 8 <= e) {
			uint64_t w;
			memcpy(&w, p, 8);
			if (w & 0x8080808080808080ull)
				break;
			p += 8;
		}
		if (p >= e)
			break;
		unsigned c = *p;
		if (c < 0x80) {
			p++;
		} else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
			if (e - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
				break;
			p += 3;
		} else if (c >= 0xC2 && c <= 0xDF) {
			if (e - p < 2 || (p[1] & 0xC0) != 0x80)
				break;
			p += 2;
		} else if (c == 0xE0 || c == 0xED) {
			/* E0: no overlong forms; ED: no UTF-16 surrogates */
			if (e - p < 3 || (p[2] & 0xC0) != 0x80 ||
			    (c == 0xE0 ? p[1] < 0xA0 || p[1] > 0xBF : p[1] < 0x80 || p[1] > 0x9F))
				break;
			p += 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
			if (e - p < 4 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 ||
			    (p[3] & 0xC0) != 0x80)
				break;
			p += 4;
		} else {
			break;
		}
	}
	return (size_t)(p - s);
}

uint32_t utf8_next(const char **pp)
{
	const unsigned char *p = (const unsigned char *)*pp;
	uint32_t cp = *p;
	int k = 0;
	if (cp >= 0xF0)
		cp &= 0x07, k = 3;
	else if (cp >= 0xE0)
		cp &= 0x0F, k = 2;
	else if (cp >= 0xC0)
		cp &= 0x1F, k = 1;
	p++;
	while (k-- > 0 && (*p & 0xC0) == 0x80)
		cp = cp << 6 | (*p++ & 0x3F);
	*pp = (const char *)p;
	return cp;
}

void utf8_put(sbuf *b, uint32_t cp)
{
	char t[4];
	if (cp < 0x80) {
		sb_addc(b, (char)cp);
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | cp >> 6), t[1] = (char)(0x80 | (cp & 0x3F));
		sb_add(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | cp >> 12), t[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		sb_add(b, t, 3);
	} else {
		t[0] = (char)(0xF0 | cp >> 18), t[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		t[2] = (char)(0x80 | (cp >> 6 & 0x3F)), t[3] = (char)(0x80 | (cp & 0x3F));
		sb_add(b, t, 4);
	}
}

/* The wide ranges of Unicode's East Asian Width property, coarsely. */
int cp_width(uint32_t cp)
{
	if (cp == 0)
		return 0;
	if (cp >= 0x300 && cp <= 0x36F)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
	    (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
	    (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

size_t text_width(const char *s)
{
	size_t w = 0;
	while (*s)
		w += (size_t)cp_width(utf8_next(&s));
	return w;
}

static void add_ctl(sbuf *b, unsigned char c)
{
	switch (c) {
	case '\n': sb_adds(b, "\\n"); break;
	case '\t': sb_adds(b, "\\t"); break;
	case '\r': sb_adds(b, "\\r"); break;
	default: sb_printf(b, "\\x%02x", c); break;
	}
}

/* Bytes in one well-formed sequence at p (NUL-terminated), or 0. */
static size_t seq_len(const unsigned char *p)
{
	size_t n = *p >= 0xC2 && *p <= 0xDF ? 2 : *p >= 0xE0 && *p <= 0xEF ? 3
		 : *p >= 0xF0 && *p <= 0xF4 ? 4 : 0;
	/* Continuation bytes first: a NUL stops the scan before utf8_valid reads on. */
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n && utf8_valid((const char *)p, n) == n ? n : 0;
}

/*
 * C1 controls (U+0080..U+009F: CSI, NEL...) act on terminals as C0 ones do,
 * and a stray byte of broken UTF-8 may be read as one: both are escaped too.
 */
void sb_add_visible(sbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p < 0x20 || *p == 0x7F) {
			add_ctl(b, *p++);
		} else if (*p < 0x80) {
			sb_addc(b, (char)*p++);
		} else {
			size_t n = seq_len(p);
			if (!n) {
				sb_printf(b, "\\x%02x", *p++);
			} else if (n == 2 && p[0] == 0xC2 && p[1] <= 0x9F) {
				sb_printf(b, "\\u%04x", p[1]);
				p += 2;
			} else {
				sb_add(b, (const char *)p, n);
				p += n;
			}
		}
	}
}

void text_escape_ctl(char *s, size_t cap)
{
	sbuf b = {0};
	sb_add_visible(&b, s);
	if (b.len != strlen(s) || memcmp(b.s, s, b.len) != 0) {
		snprintf(s, cap, "%s", b.s);
		/* Cut short at a character boundary, not inside one. */
		if (cap && b.len >= cap) {
			size_t n = cap - 1;
			while (n > 0 && ((unsigned char)b.s[n] & 0xC0) == 0x80)
				n--;
			s[n] = 0;
		}
	}
	sb_free(&b);
}
