/*
 * libFuzzer: money_parse accepts exactly -?D+(.D{1,digits})? within int64,
 * with the value a digit-by-digit reading gives; money_fmt reads back the
 * same; money_percent rounds half away from zero, as an exact reference does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "money.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

static int reference(const char *s, int digits, int64_t *out)
{
	int neg = *s == '-';
	const char *p = s + neg;
	i128 v = 0;
	int nd = 0, frac = -1;
	for (; *p; p++) {
		if (*p == '.' && frac < 0 && nd > 0 && p[1]) {
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return -1;
		if (frac >= 0)
			frac++;
		nd++;
		if (v < ((i128)1 << 100))
			v = v * 10 + (*p - '0');
	}
	if (nd == 0 || frac > digits)
		return -1;
	for (int k = frac < 0 ? 0 : frac; k < digits; k++)
		if (v < ((i128)1 << 100))
			v *= 10;
	if (v > INT64_MAX)
		return -1;
	*out = (int64_t)(neg ? -v : v);
	return 0;
}

static int64_t get64(const uint8_t *d)
{
	uint64_t u = 0;
	for (int i = 0; i < 8; i++)
		u = u << 8 | d[i];
	return (int64_t)u;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int digits = data[0] % 5;
	char *s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	int64_t v = 0, want = 0, back = 0;
	const char *why = money_parse(s, digits, &v);
	int ref = reference(s, digits, &want);
	if ((why == NULL) != (ref == 0))
		abort();
	if (!why && v != want)
		abort();
	char buf[32];
	if (!why && (money_parse(money_fmt(v, digits, buf), digits, &back) || back != v))
		abort();
	const char *iwhy = int_parse(s, &back);
	if ((iwhy == NULL) != (reference(s, 0, &want) == 0) || (!iwhy && back != want))
		abort();
	free(s);

	if (size >= 18) {
		int64_t amount = get64(data + 1), pct = get64(data + 9) % 100000000;
		int pdigits = data[17] % 7;
		int64_t got;
		u128 den = 100;
		for (int i = 0; i < pdigits; i++)
			den *= 10;
		int neg = (amount < 0) != (pct < 0);
		u128 num = (u128)(amount < 0 ? -(i128)amount : amount) * (u128)(pct < 0 ? -(i128)pct : pct);
		u128 q = (num + den / 2) / den; /* den is even: this is half away from zero */
		int fits = neg ? q <= (u128)INT64_MAX + 1 : q <= (u128)INT64_MAX;
		int rc = money_percent(amount, pct, pdigits, &got);
		if (rc != (fits ? 0 : -1))
			abort();
		if (!rc && got != (neg ? (int64_t)(-(i128)q) : (int64_t)q))
			abort();
	}
	return 0;
}
