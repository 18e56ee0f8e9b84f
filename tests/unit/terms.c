/* terms: parsing and formatting terms and plans, the tier on a date, settlement, installments, annual rates. */
#include <stdint.h>
#include "date.h"
#include "terms.h"
#include "tap.h"

static int32_t day(const char *s)
{
	int32_t d = 0;
	if (date_parse(s, &d))
		printf("#   bad test date '%s'\n", s);
	return d;
}

/* Accepted, and written back as `canon`. */
static void terms_ok(const char *s, const char *canon)
{
	struct terms t, back;
	char buf[TERMS_BUF];
	const char *why = terms_parse(s, &t);
	ok(!why, "terms '%s' accepted", s);
	if (why) {
		printf("#   refused: %s\n", why);
		return;
	}
	terms_fmt(&t, buf, sizeof buf);
	is_str(buf, canon, "and written back canonically");
	ok(!terms_parse(buf, &back) && memcmp(&t, &back, sizeof t) == 0,
		"'%s' reads back as the same terms", buf);
}

static void terms_bad(const char *s, const char *want)
{
	struct terms t = {.n = 7, .net = 42};
	const char *why = terms_parse(s, &t);
	ok(why && strcmp(why, want) == 0 && t.n == 7 && t.net == 42,
		"terms '%s' refused: %s", s, want);
	if (!why || strcmp(why, want))
		printf("#   got '%s'\n", why ? why : "(accepted)");
}

static void plan_ok(const char *s, const char *canon)
{
	struct plan p, back;
	char buf[PLAN_BUF];
	const char *why = plan_parse(s, &p);
	ok(!why, "plan '%s' accepted", s);
	if (why) {
		printf("#   refused: %s\n", why);
		return;
	}
	plan_fmt(&p, buf, sizeof buf);
	is_str(buf, canon, "and written back canonically");
	ok(!plan_parse(buf, &back) && memcmp(&p, &back, sizeof p) == 0,
		"'%s' reads back as the same plan", buf);
}

static void plan_bad(const char *s, const char *want)
{
	struct plan p = {.n = 7};
	const char *why = plan_parse(s, &p);
	ok(why && strcmp(why, want) == 0 && p.n == 7, "plan '%s' refused: %s", s, want);
	if (!why || strcmp(why, want))
		printf("#   got '%s'\n", why ? why : "(accepted)");
}

static void settles(int64_t open, int32_t rate, int64_t pay,
	int64_t want_settled, int64_t want_discount, int64_t want_used, const char *name)
{
	int64_t s = -7, d = -7, u = -7;
	int rc = terms_settle(open, rate, pay, &s, &d, &u);
	ok(rc == 0 && s == want_settled && d == want_discount && u == want_used, "%s", name);
	if (rc || s != want_settled || d != want_discount || u != want_used)
		printf("#   rc %d: settled %lld, discount %lld, used %lld\n", rc,
			(long long)s, (long long)d, (long long)u);
}

static void settle_refused(int64_t open, int32_t rate, int64_t pay, const char *name)
{
	int64_t s = -7, d = -7, u = -7;
	int rc = terms_settle(open, rate, pay, &s, &d, &u);
	ok(rc != 0 && s == -7 && d == -7 && u == -7, "%s", name);
}

static void splits(const char *plan, int64_t amount, const int64_t *want, const char *name)
{
	struct plan p;
	int64_t parts[PLAN_MAX];
	int good = !plan_parse(plan, &p) && !plan_split(&p, amount, parts);
	for (int i = 0; good && i < p.n; i++)
		good = parts[i] == want[i];
	ok(good, "%s", name);
	if (!good)
		for (int i = 0; i < p.n; i++)
			printf("#   part %d: got %lld, want %lld\n", i + 1, (long long)parts[i],
				(long long)want[i]);
}

static void parsing(void)
{
	terms_ok("2/0,1/10,0.5/30,n/60", "2/0,1/10,0.5/30,n/60");
	terms_ok("n/30", "n/30");
	terms_ok("n/0", "n/0");
	terms_ok("1.25/10,n/30", "1.25/10,n/30");
	terms_ok("1.50/10,n/30", "1.5/10,n/30");
	terms_ok("02/00,n/030", "2/0,n/30");
	terms_ok("2/30,n/30", "2/30,n/30");
	terms_ok("99.99/0,0.01/3650,n/3650", "99.99/0,0.01/3650,n/3650");

	struct terms t;
	ok(!terms_parse("2/0,1/10,0.5/30,n/60", &t) && t.n == 3 && t.net == 60 &&
		t.t[0].rate == 200 && t.t[0].days == 0 && t.t[1].rate == 100 &&
		t.t[1].days == 10 && t.t[2].rate == 50 && t.t[2].days == 30,
		"2/0,1/10,0.5/30,n/60 is 200@0, 100@10, 50@30, net 60 in hundredths");
	ok(!terms_parse("n/0", &t) && t.n == 0 && t.net == 0, "n/0 is cash");

	/* Sixteen tiers fit, a seventeenth does not. */
	char many[TERMS_BUF + 32], *o = many;
	for (int i = 0; i < TERMS_MAX; i++)
		o += sprintf(o, "%d/%d,", 90 - i, i);
	strcpy(o, "n/60");
	ok(!terms_parse(many, &t) && t.n == TERMS_MAX, "%d tiers are allowed", TERMS_MAX);
	o = many;
	for (int i = 0; i <= TERMS_MAX; i++)
		o += sprintf(o, "%d/%d,", 90 - i, i);
	strcpy(o, "n/60");
	terms_bad(many, "more than 16 tiers");

	terms_bad("", "empty terms");
	terms_bad("2/0, n/30", "spaces in terms");
	terms_bad(" n/30", "spaces in terms");
	terms_bad("n/30\n", "spaces in terms");
	terms_bad("2/x,n/30", "tier 1: days is not a whole number");
	terms_bad("2/1.5,n/30", "tier 1: days is not a whole number");
	terms_bad("2/,n/30", "tier 1: days is not a whole number");
	terms_bad("2/10x,n/30", "tier 1: days is not a whole number");
	terms_bad("x/0,n/30", "tier 1: not a percent");
	terms_bad("2%/0,n/30", "tier 1: not a percent");
	terms_bad("-2/0,n/30", "tier 1: not a percent");
	terms_bad("2./0,n/30", "tier 1: not a percent");
	terms_bad(".5/0,n/30", "tier 1: not a percent");
	terms_bad("N/30", "tier 1: not a percent");
	terms_bad("0.125/0,n/30", "tier 1: more than 2 decimals");
	terms_bad("2,n/30", "tier 1: missing /DAYS");
	terms_bad("2/0,,n/30", "tier 2: empty");
	terms_bad(",n/30", "tier 1: empty");
	terms_bad("0/0,n/30", "tier 1: rate must be above 0");
	terms_bad("0.00/0,n/30", "tier 1: rate must be above 0");
	terms_bad("100/0,n/30", "tier 1: rate must be under 100");
	terms_bad("123456789012345678901234567890/0,n/30", "tier 1: rate must be under 100");
	terms_bad("1/10,2/30,n/60", "tier 2: rate must fall (2 after 1)");
	terms_bad("1/0,1/10,n/60", "tier 2: rate must fall (1 after 1)");
	terms_bad("2/30,1/10,n/60", "tier 2: days must grow (10 after 30)");
	terms_bad("2/10,1/10,n/60", "tier 2: days must grow (10 after 10)");
	terms_bad("2/3651,n/4000", "tier 1: days over 3650");
	terms_bad("2/99999999999999999999,n/30", "tier 1: days over 3650");
	terms_bad("2/0,1/10", "missing n/NET");
	terms_bad("2/0,1/10,", "missing n/NET");
	terms_bad("n/30,2/0", "n/ must come last");
	terms_bad("n/30,n/60", "n/ must come last");
	terms_bad("n/30,", "n/ must come last");
	terms_bad("n/3651", "net: days over 3650");
	terms_bad("n/x", "net: days is not a whole number");
	terms_bad("n/", "net: days is not a whole number");
	terms_bad("n/-1", "net: days is not a whole number");
	terms_bad("2/0,1/10,0.5/30,n/60x", "net: days is not a whole number");
	terms_bad("2/0,n/0", "n/0 is cash: no discount tiers");
	terms_bad("1/10,n/5", "net 5 days is under the last tier's 10");

	/* A short buffer is cut, still terminated; a zero one is left alone. */
	char small[5] = "####";
	ok(!terms_parse("2/0,1/10,n/60", &t), "2/0,1/10,n/60 parsed");
	terms_fmt(&t, small, sizeof small);
	is_str(small, "2/0,", "terms_fmt into 5 bytes keeps 4 and the terminator");
	terms_fmt(&t, small, 0);
	is_str(small, "2/0,", "terms_fmt into 0 bytes writes nothing");
}

static void dates(void)
{
	struct terms t;
	int32_t inv = day("2026-01-31"), rate = -1, last = -1;
	ok(!terms_parse("2/0,1/10,0.5/30,n/60", &t), "2/0,1/10,0.5/30,n/60 parsed");
	is_int(terms_rate_on(&t, inv, day("2026-01-20")), 200, "paid before the invoice: day 0, 2 %");
	is_int(terms_rate_on(&t, inv, inv), 200, "paid on the invoice date: 2 %");
	is_int(terms_rate_on(&t, inv, day("2026-02-01")), 100, "day 1: 1 %");
	is_int(terms_rate_on(&t, inv, day("2026-02-10")), 100, "day 10 (02-10) still holds 1 %");
	is_int(terms_rate_on(&t, inv, day("2026-02-11")), 50, "day 11 falls to 0.5 %");
	is_int(terms_rate_on(&t, inv, day("2026-03-02")), 50, "day 30 (03-02) still holds 0.5 %");
	is_int(terms_rate_on(&t, inv, day("2026-03-03")), 0, "day 31: no discount");
	is_int(terms_rate_on(&t, inv, day("2027-01-01")), 0, "a year late: no discount");
	is_int(terms_due(&t, inv), day("2026-04-01"), "due 60 days on: 2026-04-01");

	ok(terms_window(&t, inv, day("2026-02-05"), &rate, &last) == 1 && rate == 100 &&
		last == day("2026-02-10"), "on day 5 the 1 %% window runs to 02-10");
	ok(terms_window(&t, inv, day("2026-02-11"), &rate, &last) == 1 && rate == 50 &&
		last == day("2026-03-02"), "on day 11 the 0.5 %% window runs to 03-02");
	ok(terms_window(&t, inv, inv - 3, &rate, &last) == 1 && rate == 200 && last == inv,
		"before the invoice the 2 %% window ends on the invoice date");
	ok(terms_window(&t, inv, day("2026-03-03"), &rate, &last) == 0 && rate == 0 &&
		last == day("2026-04-01"), "after the last tier: none, last day is the due date");

	ok(!terms_parse("n/30", &t), "n/30 parsed");
	is_int(terms_rate_on(&t, inv, inv), 0, "n/30 never discounts");
	ok(terms_window(&t, inv, inv, &rate, &last) == 0 && rate == 0 &&
		last == day("2026-03-02"), "n/30 has no window; due 03-02");
	ok(!terms_parse("n/0", &t), "n/0 parsed");
	is_int(terms_due(&t, inv), inv, "cash is due on the invoice date");

	ok(!terms_parse("1/3650,n/3650", &t), "1/3650,n/3650 parsed");
	is_int(terms_due(&t, INT32_MAX - 5), INT32_MAX, "a due date past int32 stops at its edge");
	is_int(terms_rate_on(&t, INT32_MAX - 5, INT32_MAX), 100, "and the tier compares without wrapping");
}

static void settlement(void)
{
	/* F = O - round(O * r): 10000.00 - 200.00 = 9800.00 */
	is_int(terms_full(1000000, 200), 980000, "10000.00 at 2 %: F = 9800.00");
	/* 333.33 * 0.005 = 1.66665 -> 1.67; 333.33 - 1.67 = 331.66 */
	is_int(terms_full(33333, 50), 33166, "333.33 at 0.5 %: F = 331.66");
	/* 0.25 * 0.02 = 0.005 -> 0.01 (half away from zero) */
	is_int(terms_full(25, 200), 24, "0.25 at 2 %: the half cent rounds up, F = 0.24");
	/* 0.24 * 0.02 = 0.0048 -> 0.00 */
	is_int(terms_full(24, 200), 24, "0.24 at 2 %: F = 0.24");
	is_int(terms_full(12345, 0), 12345, "no discount: F = O");
	is_int(terms_full(12345, 10000), 0, "100 %: F = 0");
	is_int(terms_full(12345, -5), 12345, "a negative rate counts as 0");
	is_int(terms_full(12345, 20000), 0, "a rate over 100 % counts as 100 %");
	/* INT64_MAX / 50 = 184467440737095516.14 -> ...516 */
	is_int(terms_full(INT64_MAX, 200), INT64_C(9038904596117680291), "INT64_MAX at 2 %, no wrap");

	settles(1000000, 200, 980000, 1000000, 20000, 980000,
		"10000.00 at 2 %, paid 9800.00: settled, discount 200.00");
	settles(1000000, 200, 1000000, 1000000, 20000, 980000,
		"paid 10000.00 at 2 %: uses 9800.00, 200.00 goes on");
	/* 9799.99 / 0.98 = 9999.9897... -> 9999.99, discount 200.00 */
	settles(1000000, 200, 979999, 999999, 20000, 979999,
		"one cent short of F at 2 %: settles 9999.99, the full discount of 200.00");
	/* 4900.00 / 0.99 = 4949.4949... -> 4949.49, discount 49.49 */
	settles(1000000, 100, 490000, 494949, 4949, 490000,
		"4900.00 against 10000.00 at 1 %: settles 4949.49, discount 49.49");
	/* F = 331.66; 331.65 / 0.995 = 333.3166... -> 333.32, discount 1.67 = O - F exactly */
	settles(33333, 50, 33165, 33332, 167, 33165,
		"333.33 at 0.5 %, one cent short: settles 333.32, discount 1.67 (not more than O - F)");
	/* 0.02 / 0.80 = 0.025 -> 0.03 (half away from zero) */
	settles(100000, 2000, 2, 3, 1, 2, "0.02 at 20 %: 0.025 rounds to 0.03 settled");
	settles(12345, 0, 100, 100, 0, 100, "no discount: a part payment settles itself");
	settles(12345, 0, 12345, 12345, 0, 12345, "no discount: the whole amount settles");
	settles(12345, 200, 0, 0, 0, 0, "nothing paid settles nothing");
	settles(12345, 10000, 0, 12345, 12345, 0, "a 100 % override settles all for nothing");
	/* F = 9038904596117680291; F - 1 over 0.98 = 9223372036854775806.1 -> ...806 */
	settles(INT64_MAX, 200, INT64_C(9038904596117680290), INT64_MAX - 1,
		INT64_C(184467440737095516), INT64_C(9038904596117680290),
		"INT64_MAX at 2 %, one short of F: exact in 128 bits");
	settles(INT64_MAX, 9999, INT64_MAX, INT64_MAX, INT64_MAX - 922337203685478,
		922337203685478, "INT64_MAX at 99.99 %, overpaid: F = round(INT64_MAX / 10000)");

	settle_refused(0, 200, 100, "an open amount of 0 is refused");
	settle_refused(-100, 200, 100, "a negative open amount is refused");
	settle_refused(100, 200, -1, "a negative payment is refused");
	settle_refused(100, -1, 100, "a negative rate is refused");
	settle_refused(100, 10001, 100, "a rate over 100 % is refused");
	settle_refused(INT64_MAX, INT32_MAX, INT64_MAX, "an absurd rate at INT64_MAX is refused");

	/* Part payments never earn more than paying F, whatever the rounding. */
	int bad = 0;
	for (int64_t open = 1; open <= 400; open++)
		for (int32_t rate = 1; rate < 10000; rate += 97) {
			int64_t f = terms_full(open, rate), s, d, u;
			for (int64_t pay = 0; pay < f; pay++)
				if (terms_settle(open, rate, pay, &s, &d, &u) || d < 0 ||
					d > open - f || s >= open || u != pay || s != pay + d)
					bad++;
		}
	is_int(bad, 0, "every part payment up to 4.00: 0 <= discount <= O - F, settled < O");
}

static void plans(void)
{
	plan_ok("30@0,70@60", "30@0,70@60");
	plan_ok("100@0", "100@0");
	plan_ok("50@30,50@30", "50@30,50@30");
	plan_ok("33.3@0,66.70@030", "33.3@0,66.7@30");
	plan_ok("33.33@0,33.33@30,33.34@60", "33.33@0,33.33@30,33.34@60");

	struct plan p;
	ok(!plan_parse("30@0,70@60", &p) && p.n == 2 && p.p[0].pct == 3000 && p.p[0].days == 0 &&
		p.p[1].pct == 7000 && p.p[1].days == 60, "30@0,70@60 is 3000@0, 7000@60");

	char many[PLAN_BUF + 32], *o = many;
	for (int i = 0; i < PLAN_MAX - 1; i++)
		o += sprintf(o, "4.17@%d,", i);
	strcpy(o, "4.09@99"); /* 23 * 4.17 = 95.91, + 4.09 = 100 */
	ok(!plan_parse(many, &p) && p.n == PLAN_MAX, "%d installments are allowed", PLAN_MAX);
	o = many;
	for (int i = 0; i < PLAN_MAX; i++)
		o += sprintf(o, "4@%d,", i);
	strcpy(o, "4@99");
	plan_bad(many, "more than 24 parts");

	plan_bad("", "empty plan");
	plan_bad("30@0, 70@60", "spaces in plan");
	plan_bad("30@0,70@60,", "part 3: empty");
	plan_bad(",100@0", "part 1: empty");
	plan_bad("30@0,69.5@60", "percentages add to 99.5, not 100");
	plan_bad("30@0,80@60", "percentages add to 110, not 100");
	plan_bad("33.33@0,33.33@30,33.33@60", "percentages add to 99.99, not 100");
	plan_bad("0@0,100@30", "part 1: percent must be above 0");
	plan_bad("150@0", "part 1: percent over 100");
	plan_bad("30@60,70@0", "part 2: days must not fall (0 after 60)");
	plan_bad("30,70@60", "part 1: missing @DAYS");
	plan_bad("30/0,70@60", "part 1: not a percent");
	plan_bad("-30@0,130@60", "part 1: not a percent");
	plan_bad("30@x,70@60", "part 1: days is not a whole number");
	plan_bad("30@1.5,70@60", "part 1: days is not a whole number");
	plan_bad("33.333@0,66.667@30", "part 1: more than 2 decimals");
	plan_bad("30@3651,70@3651", "part 1: days over 3650");

	/* 1000.01 * 0.30 = 300.003 -> 300.00; the rest, 700.01, goes last */
	splits("30@0,70@60", 100001, (const int64_t[]){30000, 70001}, "1000.01 by 30/70: 300.00 + 700.01");
	/* 0.01 * 0.30 = 0.003 -> 0.00 */
	splits("30@0,70@60", 1, (const int64_t[]){0, 1}, "0.01 by 30/70: 0.00 + 0.01");
	splits("30@0,70@60", 0, (const int64_t[]){0, 0}, "0.00 by 30/70: nothing");
	/* a credit note: -1000.01 * 0.30 = -300.003 -> -300.00 */
	splits("30@0,70@60", -100001, (const int64_t[]){-30000, -70001}, "-1000.01 by 30/70: -300.00 + -700.01");
	/* 100.00 * 0.3333 = 33.33 exactly */
	splits("33.33@0,33.33@30,33.34@60", 10000, (const int64_t[]){3333, 3333, 3334},
		"100.00 in thirds: 33.33 + 33.33 + 33.34");
	/* 0.01 * 0.5 = 0.005 -> 0.01, half away from zero, both ways */
	splits("50@0,50@30", 1, (const int64_t[]){1, 0}, "0.01 in halves: 0.01 + 0.00");
	splits("50@0,50@30", -1, (const int64_t[]){-1, 0}, "-0.01 in halves: -0.01 + 0.00");
	splits("100@0", 123456, (const int64_t[]){123456}, "one installment takes all");
	/* INT64_MAX * 0.3 = 2767011611056432742.1 -> ...742 */
	splits("30@0,70@60", INT64_MAX, (const int64_t[]){INT64_C(2767011611056432742),
		INT64_C(6456360425798343065)}, "INT64_MAX by 30/70, no wrap");
	splits("50@0,50@30", INT64_MIN, (const int64_t[]){INT64_MIN / 2, INT64_MIN / 2},
		"INT64_MIN in halves");
	/*
	 * The rule rounds each part on its own, so when all but the last round
	 * up the last can cross zero: 0.05 * 0.3333 = 0.016665 -> 0.02, three
	 * times, leaving -0.01. The sum is still exact.
	 */
	splits("33.33@0,33.33@30,33.33@60,0.01@90", 5, (const int64_t[]){2, 2, 2, -1},
		"0.05 in 33.33/33.33/33.33/0.01: 0.02 x 3 + -0.01");

	struct plan wild = {2, {{20000, 0}, {-10000, 30}}};
	int64_t parts[PLAN_MAX];
	ok(plan_split(&wild, INT64_MAX, parts) != 0, "a hand-made 200 %% part of INT64_MAX is refused");
	struct plan none = {0};
	ok(plan_split(&none, 100, parts) != 0, "an empty plan is refused");

	int bad = 0;
	const char *all[] = {"30@0,70@60", "33.33@0,33.33@30,33.34@60", "0.01@0,99.99@1",
		"33.33@0,33.33@30,33.33@60,0.01@90"};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
		ok(!plan_parse(all[i], &p), "%s parsed", all[i]);
		for (int64_t a = -3000; a <= 3000; a++) {
			int64_t sum = 0;
			if (plan_split(&p, a, parts))
				bad++;
			for (int k = 0; k < p.n; k++)
				sum += parts[k];
			bad += sum != a;
		}
	}
	is_int(bad, 0, "every amount from -30.00 to 30.00 splits to an exact sum");
}

static void annual(void)
{
	/* 1/99 * 365/50 = 0.0073737... -> 7.37 % */
	is_int(terms_annual(100, 10, 60), 737, "1/10 n/60: 7.37 % a year");
	/* 2/98 * 365/30 = 0.248299... -> 24.83 % */
	is_int(terms_annual(200, 0, 30), 2483, "2/0 n/30: 24.83 % a year");
	/* 0.5/99.5 * 365/30 = 0.061139... -> 6.11 % */
	is_int(terms_annual(50, 30, 60), 611, "0.5/30 n/60: 6.11 % a year");
	/* 2/98 * 365/20 = 0.372448... -> 37.24 % */
	is_int(terms_annual(200, 10, 30), 3724, "2/10 n/30: 37.24 % a year");
	/* 99.99/0.01 * 365/1 = 3649635 = 364963500 %, in hundredths 36496350000 */
	is_int(terms_annual(9999, 0, 1), INT64_C(36496350000), "99.99/0 n/1: the largest, no overflow");
	is_int(terms_annual(0, 0, 30), 0, "no discount, no rate");
	is_int(terms_annual(100, 30, 30), -1, "net == days: undefined");
	is_int(terms_annual(100, 40, 30), -1, "net before the tier: undefined");
	is_int(terms_annual(10000, 0, 30), -1, "100 %: undefined");
	is_int(terms_annual(-1, 0, 30), -1, "a negative rate: undefined");
	is_int(terms_annual(100, INT32_MIN, INT32_MAX), 0, "the widest span does not overflow");
}

int main(void)
{
	parsing();
	dates();
	settlement();
	plans();
	annual();
	return done_testing();
}
