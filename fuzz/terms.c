/*
 * libFuzzer: terms and plans that parse read back the same from their
 * canonical form; their structure holds what the parsers promise; plan_split
 * adds up exactly; settlement keeps 0 <= discount <= O - F whatever it is fed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "terms.h"

static int64_t get64(const uint8_t *d)
{
	uint64_t u = 0;
	for (int i = 0; i < 8; i++)
		u = u << 8 | d[i];
	return (int64_t)u;
}

static void check_terms(const char *s)
{
	struct terms t, back;
	char buf[TERMS_BUF], again[TERMS_BUF];
	if (terms_parse(s, &t))
		return;
	if (t.n < 0 || t.n > TERMS_MAX || t.net < 0 || t.net > TERMS_DAYS || (t.n && t.net == 0))
		abort();
	for (int i = 0; i < t.n; i++) {
		if (t.t[i].rate < 1 || t.t[i].rate > 9999 || t.t[i].days < 0 || t.t[i].days > t.net)
			abort();
		if (i && (t.t[i].rate >= t.t[i - 1].rate || t.t[i].days <= t.t[i - 1].days))
			abort();
	}
	terms_fmt(&t, buf, sizeof buf);
	if (strlen(buf) + 1 >= sizeof buf) /* TERMS_BUF must hold any terms with room */
		abort();
	if (terms_parse(buf, &back) || memcmp(&t, &back, sizeof t))
		abort();
	terms_fmt(&back, again, sizeof again);
	if (strcmp(buf, again))
		abort();
	/* The rate never grows as the payment comes later. */
	int32_t prev = INT32_MAX;
	for (int32_t d = -2; d <= t.net + 2; d++) {
		int32_t r = terms_rate_on(&t, 1000, 1000 + d), wr, last;
		if (r > prev || terms_window(&t, 1000, 1000 + d, &wr, &last) != (r != 0) || wr != r)
			abort();
		if (r && (last < 1000 + d || terms_rate_on(&t, 1000, last) != r))
			abort();
		prev = r;
	}
}

static void check_plan(const char *s, int64_t extra)
{
	struct plan p, back;
	char buf[PLAN_BUF], again[PLAN_BUF];
	if (plan_parse(s, &p))
		return;
	int64_t sum = 0;
	for (int i = 0; i < p.n; i++) {
		if (p.p[i].pct < 1 || (i && p.p[i].days < p.p[i - 1].days))
			abort();
		sum += p.p[i].pct;
	}
	if (p.n < 1 || p.n > PLAN_MAX || sum != 10000)
		abort();
	plan_fmt(&p, buf, sizeof buf);
	if (strlen(buf) + 1 >= sizeof buf)
		abort();
	if (plan_parse(buf, &back) || memcmp(&p, &back, sizeof p))
		abort();
	plan_fmt(&back, again, sizeof again);
	if (strcmp(buf, again))
		abort();
	const int64_t amounts[] = {0, 1, -1, 100001, -100001, 5, INT64_MAX, INT64_MIN, extra};
	for (size_t k = 0; k < sizeof amounts / sizeof *amounts; k++) {
		int64_t parts[PLAN_MAX];
		__extension__ __int128 total = 0;
		if (plan_split(&p, amounts[k], parts))
			abort();
		for (int i = 0; i < p.n; i++)
			total += parts[i];
		if (total != amounts[k])
			abort();
	}
}

static void check_settle(int64_t open, int32_t rate, int64_t pay)
{
	int64_t s, d, u;
	if (terms_settle(open, rate, pay, &s, &d, &u))
		return;
	int64_t f = terms_full(open, rate);
	if (f < 0 || f > open || d < 0 || d > open - f || s > open || s != (pay >= f ? open : pay + d))
		abort();
	if (u != (pay >= f ? f : pay) || u > pay)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	check_terms(s);
	check_plan(s, size >= 8 ? get64(data) : 7);
	free(s);
	if (size >= 20) {
		int64_t open = get64(data), pay = get64(data + 8);
		int32_t rate = (int32_t)((uint32_t)data[16] << 8 | data[17]) % 10001;
		check_settle(open < 0 ? -(open + 1) : open, rate, pay < 0 ? -(pay + 1) : pay);
		/* Small figures too, where every cent of rounding shows. */
		check_settle(open % 100000 + (open % 100000 <= 0 ? 100000 : 0), rate, (pay & 0xffff));
	}
	return 0;
}
