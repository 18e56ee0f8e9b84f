#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "money.h"
#include "terms.h"

__extension__ typedef __int128 i128;

/* Parsed figures saturate here instead of wrapping: any value this big is out of range anyway. */
#define NUM_CAP 1000000000

static char why[96];

static const char *fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return why;
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

enum { NUM_OK, NUM_BAD, NUM_FRAC };

/* D+ as days, or with `pct` D+(.D{1,2})? as hundredths; no sign, no exponent. */
static int read_num(const char **pp, int pct, int64_t *out)
{
	const char *p = *pp;
	int64_t v = 0;
	if (!digit(*p))
		return NUM_BAD;
	for (; digit(*p); p++)
		if (v < NUM_CAP)
			v = v * 10 + (*p - '0');
	if (pct) {
		int frac = 0;
		v *= 100;
		if (*p == '.') {
			if (!digit(*++p))
				return NUM_BAD;
			for (; digit(*p); p++, frac++)
				if (frac == 0)
					v += (*p - '0') * 10;
				else if (frac == 1)
					v += *p - '0';
			if (frac > 2)
				return NUM_FRAC;
		}
	}
	*pp = p;
	*out = v;
	return NUM_OK;
}

/* A percent as a person writes it: 200 -> "2", 50 -> "0.5", 125 -> "1.25". */
static char *pct_str(int64_t h, char *buf, size_t cap)
{
	int64_t whole = h / 100, frac = h % 100;
	if (frac == 0)
		snprintf(buf, cap, "%lld", (long long)whole);
	else if (frac % 10 == 0)
		snprintf(buf, cap, "%lld.%lld", (long long)whole, (long long)(frac / 10));
	else
		snprintf(buf, cap, "%lld.%02lld", (long long)whole, (long long)frac);
	return buf;
}

/* Days after a '/' or '@': a whole number ending the part, within TERMS_DAYS. */
static const char *read_days(const char **pp, const char *who, int k, int64_t *days)
{
	if (read_num(pp, 0, days) != NUM_OK || (**pp && **pp != ','))
		return k ? fail("%s %d: days is not a whole number", who, k)
			 : fail("%s: days is not a whole number", who);
	if (*days > TERMS_DAYS)
		return k ? fail("%s %d: days over %d", who, k, TERMS_DAYS)
			 : fail("%s: days over %d", who, TERMS_DAYS);
	return NULL;
}

/* A percent before `sep` (the '/' of a tier, the '@' of an installment). */
static const char *read_pct(const char **pp, const char *who, int k, char sep, int64_t *pct)
{
	if (**pp == ',' || !**pp)
		return fail("%s %d: empty", who, k);
	int rc = read_num(pp, 1, pct);
	if (rc == NUM_FRAC)
		return fail("%s %d: more than 2 decimals", who, k);
	if (rc == NUM_OK && **pp == sep) {
		++*pp;
		return NULL;
	}
	if (rc == NUM_OK && (**pp == ',' || !**pp))
		return fail("%s %d: missing %cDAYS", who, k, sep);
	return fail("%s %d: not a percent", who, k);
}

static const char *tier_parse(const char **pp, struct terms *t)
{
	int k = t->n + 1;
	int64_t rate, days;
	char a[24], b[24];
	const char *e = read_pct(pp, "tier", k, '/', &rate);
	if (!e)
		e = read_days(pp, "tier", k, &days);
	if (e)
		return e;
	if (rate == 0)
		return fail("tier %d: rate must be above 0", k);
	if (rate >= 10000)
		return fail("tier %d: rate must be under 100", k);
	if (t->n > 0 && days <= t->t[t->n - 1].days)
		return fail("tier %d: days must grow (%lld after %ld)", k, (long long)days,
			(long)t->t[t->n - 1].days);
	if (t->n > 0 && rate >= t->t[t->n - 1].rate)
		return fail("tier %d: rate must fall (%s after %s)", k, pct_str(rate, a, sizeof a),
			pct_str(t->t[t->n - 1].rate, b, sizeof b));
	t->t[t->n].rate = (int32_t)rate;
	t->t[t->n].days = (int32_t)days;
	t->n++;
	return NULL;
}

static const char *net_parse(const char **pp, struct terms *t)
{
	int64_t net;
	*pp += 2;
	const char *e = read_days(pp, "net", 0, &net);
	if (e)
		return e;
	if (**pp)
		return "n/ must come last";
	if (t->n > 0 && net == 0)
		return "n/0 is cash: no discount tiers";
	if (t->n > 0 && net < t->t[t->n - 1].days)
		return fail("net %lld days is under the last tier's %ld", (long long)net,
			(long)t->t[t->n - 1].days);
	t->net = (int32_t)net;
	return NULL;
}

const char *terms_parse(const char *s, struct terms *out)
{
	struct terms t = {0};
	const char *p = s, *e;
	if (!*s)
		return "empty terms";
	if (s[strcspn(s, " \t\n\v\f\r")])
		return "spaces in terms";
	while (!(p[0] == 'n' && p[1] == '/')) {
		if (!*p)
			return "missing n/NET";
		if (t.n == TERMS_MAX)
			return fail("more than %d tiers", TERMS_MAX);
		if ((e = tier_parse(&p, &t)))
			return e;
		if (*p)
			p++;
	}
	if ((e = net_parse(&p, &t)))
		return e;
	*out = t;
	return NULL;
}

/* snprintf at *len, which may run past cap: later calls then write nothing. */
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	if (*len >= cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (w > 0)
		*len += (size_t)w;
}

void terms_fmt(const struct terms *t, char *buf, size_t cap)
{
	size_t len = 0;
	char r[24];
	if (cap)
		buf[0] = 0;
	for (int i = 0; i < t->n; i++)
		put(buf, cap, &len, "%s/%ld,", pct_str(t->t[i].rate, r, sizeof r), (long)t->t[i].days);
	put(buf, cap, &len, "n/%ld", (long)t->net);
}

/* Dates stay int32: an offset past the calendar's end stops at its edge. */
static int32_t add_days(int32_t date, int32_t days)
{
	int64_t d = (int64_t)date + days;
	return d > INT32_MAX ? INT32_MAX : d < INT32_MIN ? INT32_MIN : (int32_t)d;
}

int32_t terms_rate_on(const struct terms *t, int32_t invoice_date, int32_t pay_date)
{
	int32_t rate, last;
	terms_window(t, invoice_date, pay_date, &rate, &last);
	return rate;
}

int32_t terms_due(const struct terms *t, int32_t invoice_date)
{
	return add_days(invoice_date, t->net);
}

int terms_window(const struct terms *t, int32_t invoice_date, int32_t on,
	int32_t *rate, int32_t *last_day)
{
	/* A tier holds through its last day; a payment before the invoice is in tier one. */
	for (int i = 0; i < t->n; i++)
		if ((int64_t)on <= (int64_t)invoice_date + t->t[i].days) {
			*rate = t->t[i].rate;
			*last_day = add_days(invoice_date, t->t[i].days);
			return 1;
		}
	*rate = 0;
	*last_day = terms_due(t, invoice_date);
	return 0;
}

int64_t terms_full(int64_t open, int32_t rate)
{
	int64_t off = 0;
	rate = rate < 0 ? 0 : rate > 10000 ? 10000 : rate;
	/* |off| <= |open| at rates up to 100 %, so neither this nor the difference overflows. */
	money_percent(open, rate, 2, &off);
	return open - off;
}

/* num / den for den > 0, half away from zero. */
static i128 div_round(i128 num, i128 den)
{
	i128 q = num / den, r = num % den;
	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += num < 0 ? -1 : 1;
	return q;
}

int terms_settle(int64_t open, int32_t rate, int64_t pay,
	int64_t *settled, int64_t *discount, int64_t *used)
{
	if (open <= 0 || pay < 0 || rate < 0 || rate > 10000)
		return -1;
	int64_t full = terms_full(open, rate);
	if (pay >= full) {
		*settled = open;
		*discount = open - full;
		*used = full;
		return 0;
	}
	/*
	 * Here rate < 10000, else F would be 0. The discount grows with P and
	 * at P = F - 1 is still within O - F, so the cap should never bite; it
	 * states the promise (discount <= O - F, settled < O) where it is kept.
	 */
	i128 s = div_round((i128)pay * 10000, 10000 - rate);
	i128 most = (i128)pay + (open - full);
	if (s > most)
		s = most;
	*settled = (int64_t)s;
	*discount = (int64_t)(s - pay);
	*used = pay;
	return 0;
}

int64_t terms_annual(int32_t rate, int32_t days, int32_t net)
{
	if (rate < 0 || rate >= 10000 || net <= days)
		return -1;
	/* Both fit int64: at most 9999 * 3650000 over at least 1 * 1. */
	int64_t num = (int64_t)rate * 365 * 10000;
	int64_t den = (int64_t)(10000 - rate) * ((int64_t)net - days);
	return (2 * num + den) / (2 * den);
}

static const char *installment_parse(const char **pp, struct plan *p)
{
	int k = p->n + 1;
	int64_t pct, days;
	const char *e = read_pct(pp, "part", k, '@', &pct);
	if (!e)
		e = read_days(pp, "part", k, &days);
	if (e)
		return e;
	if (pct == 0)
		return fail("part %d: percent must be above 0", k);
	if (pct > 10000)
		return fail("part %d: percent over 100", k);
	if (p->n > 0 && days < p->p[p->n - 1].days)
		return fail("part %d: days must not fall (%lld after %ld)", k, (long long)days,
			(long)p->p[p->n - 1].days);
	p->p[p->n].pct = (int32_t)pct;
	p->p[p->n].days = (int32_t)days;
	p->n++;
	return NULL;
}

const char *plan_parse(const char *s, struct plan *out)
{
	struct plan p = {0};
	const char *q = s, *e;
	int64_t sum = 0;
	char a[24];
	if (!*s)
		return "empty plan";
	if (s[strcspn(s, " \t\n\v\f\r")])
		return "spaces in plan";
	for (;;) {
		if (p.n == PLAN_MAX)
			return fail("more than %d parts", PLAN_MAX);
		if ((e = installment_parse(&q, &p)))
			return e;
		sum += p.p[p.n - 1].pct;
		if (!*q++)
			break;
	}
	if (sum != 10000)
		return fail("percentages add to %s, not 100", pct_str(sum, a, sizeof a));
	*out = p;
	return NULL;
}

void plan_fmt(const struct plan *p, char *buf, size_t cap)
{
	size_t len = 0;
	char r[24];
	if (cap)
		buf[0] = 0;
	for (int i = 0; i < p->n; i++)
		put(buf, cap, &len, "%s%s@%ld", i ? "," : "", pct_str(p->p[i].pct, r, sizeof r),
			(long)p->p[i].days);
}

int plan_split(const struct plan *p, int64_t amount, int64_t *parts)
{
	i128 sum = 0;
	if (p->n < 1 || p->n > PLAN_MAX)
		return -1;
	for (int i = 0; i < p->n - 1; i++) {
		if (money_percent(amount, p->p[i].pct, 2, &parts[i]))
			return -1;
		sum += parts[i];
	}
	i128 last = (i128)amount - sum;
	if (last > INT64_MAX || last < INT64_MIN)
		return -1;
	parts[p->n - 1] = (int64_t)last;
	return 0;
}
