/*
 * Payment terms `2/0,1/10,0.5/30,n/60`, cash discounts and installment plans
 * `30@0,70@60` (DESIGN §6). Pure arithmetic on int64 minor units, int32 days
 * (date.h) and rates in hundredths of a percent (2 % = 200); no store access.
 */
#ifndef CRM_TERMS_H
#define CRM_TERMS_H
#include <stddef.h>
#include <stdint.h>

#define TERMS_MAX 16   /* discount tiers */
#define TERMS_DAYS 3650 /* no offset in terms or plans goes further */
#define TERMS_BUF 192  /* terms_fmt of any parsed terms fits */
#define PLAN_MAX 24
#define PLAN_BUF 272   /* plan_fmt of any parsed plan fits */

struct terms {
	int n;
	struct tier {
		int32_t rate; /* 1..9999, strictly falling */
		int32_t days; /* 0..TERMS_DAYS, strictly growing */
	} t[TERMS_MAX];
	int32_t net; /* >= the last tier's days; 0 only without tiers (cash) */
};

struct plan {
	int n;
	struct installment {
		int32_t pct;  /* hundredths of a percent, > 0; all add to 10000 */
		int32_t days; /* offset from the ship date, never falling */
	} p[PLAN_MAX];
};

/*
 * NULL, or why not (lowercase, no input echoed). A message with figures lives
 * in a static buffer until the next call. *out is written only on success.
 */
const char *terms_parse(const char *s, struct terms *out);
/* The canonical form: rates without trailing zeros (50 -> "0.5"). */
void terms_fmt(const struct terms *t, char *buf, size_t cap);

/* The rate of the first tier with pay_date <= invoice_date + days, else 0. */
int32_t terms_rate_on(const struct terms *t, int32_t invoice_date, int32_t pay_date);
int32_t terms_due(const struct terms *t, int32_t invoice_date);
/*
 * 1 when a tier holds on `on`, with its rate and last day; 0 when none does
 * (then *rate = 0 and *last_day = the due date).
 */
int terms_window(const struct terms *t, int32_t invoice_date, int32_t on,
	int32_t *rate, int32_t *last_day);

/* F = O - round(O * rate / 10000), half away from zero; rate clamped to 0..10000. */
int64_t terms_full(int64_t open, int32_t rate);
/*
 * A payment `pay` against open amount `open` (> 0) at `rate` (0..10000):
 * pay >= F settles it all (used = F, discount = O - F); a smaller pay settles
 * round(pay * 10000 / (10000 - rate)), never more than pay + (O - F), and uses
 * all of it. 0, or -1 (nothing written) for inputs outside those ranges.
 */
int terms_settle(int64_t open, int32_t rate, int64_t pay,
	int64_t *settled, int64_t *discount, int64_t *used);
/*
 * The annual rate a tier implies against paying at net, in hundredths of a
 * percent: rate / (10000 - rate) * 365 / (net - days), half away from zero.
 * -1 when undefined (net <= days, rate outside 0..9999).
 */
int64_t terms_annual(int32_t rate, int32_t days, int32_t net);

/* As terms_parse, for `PCT@DAYS,...`. */
const char *plan_parse(const char *s, struct plan *p);
void plan_fmt(const struct plan *p, char *buf, size_t cap);
/*
 * parts[i] = round(amount * pct_i / 10000), the last taking the remainder, so
 * they add up to amount exactly (amount may be negative). 0, or -1 on overflow.
 */
int plan_split(const struct plan *p, int64_t amount, int64_t *parts);

#endif
