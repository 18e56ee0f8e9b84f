#include <stdio.h>
#include <string.h>
#include "money.h"

__extension__ typedef __int128 i128;

static int mul_add(int64_t *v, int d)
{
	if (*v > (INT64_MAX - d) / 10)
		return -1;
	*v = *v * 10 + d;
	return 0;
}

const char *money_parse(const char *s, int digits, int64_t *out)
{
	int neg = 0, frac = 0;
	int64_t v = 0;
	const char *p = s;
	if (*p == '-')
		neg = 1, p++;
	if (*p < '0' || *p > '9')
		return *s ? "not an amount" : "empty amount";
	for (; *p >= '0' && *p <= '9'; p++)
		if (mul_add(&v, *p - '0'))
			return "amount too large";
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return "not an amount";
		for (; *p >= '0' && *p <= '9'; p++, frac++) {
			if (frac >= digits)
				return "too many decimal places";
			if (mul_add(&v, *p - '0'))
				return "amount too large";
		}
	}
	if (*p)
		return "not an amount";
	for (; frac < digits; frac++)
		if (mul_add(&v, 0))
			return "amount too large";
	*out = neg ? -v : v;
	return NULL;
}

char *money_fmt(int64_t v, int digits, char *buf)
{
	char t[32];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n = 0;
	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u || n <= digits);
	char *o = buf;
	if (v < 0)
		*o++ = '-';
	while (n > 0) {
		if (n == digits && digits > 0)
			*o++ = '.';
		*o++ = t[--n];
	}
	*o = 0;
	return buf;
}

const char *int_parse(const char *s, int64_t *out)
{
	const char *e = money_parse(s, 0, out);
	if (e && strcmp(e, "too many decimal places") == 0)
		return "not a whole number";
	if (e && strcmp(e, "not an amount") == 0)
		return "not a number";
	if (e && strcmp(e, "empty amount") == 0)
		return "empty number";
	if (e && strcmp(e, "amount too large") == 0)
		return "number too large";
	return e;
}

int money_percent(int64_t amount, int64_t pct, int pdigits, int64_t *out)
{
	/* den up to 10^36 keeps den and 2 * r (< 2 * den) inside i128. */
	if (pdigits < 0 || pdigits > 34)
		return -1;
	i128 den = 100;
	for (int i = 0; i < pdigits; i++)
		den *= 10;
	i128 num = (i128)amount * pct;
	i128 q = num / den, r = num % den;
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*out = (int64_t)q;
	return 0;
}

int money_muldiv(int64_t a, int64_t b, int64_t c, int64_t *out)
{
	if (c == 0)
		return -1;
	i128 num = (i128)a * b, den = c;
	if (den < 0)
		num = -num, den = -den;
	i128 q = num / den, r = num % den;
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*out = (int64_t)q;
	return 0;
}

int money_add(int64_t *acc, int64_t v)
{
	return __builtin_add_overflow(*acc, v, acc) ? -1 : 0;
}
