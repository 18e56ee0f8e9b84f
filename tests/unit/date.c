/* dates: strict YYYY-MM-DD, days since 1970, round trips, weekdays, working days. */
#include <stdint.h>
#include "date.h"
#include "tap.h"

static void good(const char *s, int32_t want)
{
	int32_t d = -1;
	const char *why = date_parse(s, &d);
	ok(!why && d == want, "'%s' is day %ld", s, (long)want);
	if (why || d != want)
		printf("#   error '%s', day %ld\n", why ? why : "", (long)d);
}

static void bad(const char *s, const char *want, const char *name)
{
	int32_t d = 4242;
	const char *why = date_parse(s, &d);
	ok(why && strcmp(why, want) == 0 && d == 4242, "'%s' refused: %s", s, name);
	if (!why || strcmp(why, want))
		printf("#   got '%s'\n", why ? why : "(accepted)");
}

int main(void)
{
	int32_t d, a, b;
	char buf[11];
	good("1970-01-01", 0);
	good("1970-01-02", 1);
	good("1969-12-31", -1);
	good("2026-11-22", 20779);
	good("2000-03-01", 11017);
	good("1900-01-01", -25567);
	good("9999-12-31", 2932896);
	good("2024-02-29", 19782);
	good("2000-02-29", 11016);
	good("2026-12-31", 20818);

	bad("1900-02-29", "impossible date", "1900 was not a leap year");
	bad("2100-02-29", "impossible date", "nor will 2100 be");
	bad("2026-02-29", "impossible date", "2026 is not a leap year");
	bad("2026-02-30", "impossible date", "strptime would roll it into March");
	bad("2026-04-31", "impossible date", "April has 30 days");
	bad("2026-06-31", "impossible date", "June has 30 days");
	bad("2026-09-31", "impossible date", "September has 30 days");
	bad("2026-11-31", "impossible date", "November has 30 days");
	bad("2026-01-32", "impossible date", "day 32");
	bad("2026-01-00", "impossible date", "day 0");
	bad("2026-13-01", "impossible date", "month 13");
	bad("2026-00-10", "impossible date", "month 0");
	bad("1899-12-31", "impossible date", "before 1900");
	bad("0000-01-01", "impossible date", "year 0");
	bad("2026-11-22x", "not a date (YYYY-MM-DD)", "trailing junk");
	bad("2026-11-22 ", "not a date (YYYY-MM-DD)", "trailing space");
	bad("2026-11-22T10:00", "not a date (YYYY-MM-DD)", "a timestamp");
	bad(" 2026-11-22", "not a date (YYYY-MM-DD)", "leading space");
	bad("2026-1-2", "not a date (YYYY-MM-DD)", "short fields");
	bad("2026-011-02", "not a date (YYYY-MM-DD)", "long fields");
	bad("26-11-22", "not a date (YYYY-MM-DD)", "two-digit year");
	bad("20261122", "not a date (YYYY-MM-DD)", "no dashes");
	bad("2026/11/22", "not a date (YYYY-MM-DD)", "slashes");
	bad("22/11/2026", "not a date (YYYY-MM-DD)", "day first");
	bad("+026-11-22", "not a date (YYYY-MM-DD)", "a sign");
	bad("2026-+1-22", "not a date (YYYY-MM-DD)", "a sign in the month");
	bad("２０２６-１１-２２", "not a date (YYYY-MM-DD)", "full-width digits");
	bad("2026", "not a date (YYYY-MM-DD)", "a year alone");
	bad("2026-11-", "not a date (YYYY-MM-DD)", "cut short");
	bad("", "empty date", "empty");

	int bad_rt = 0;
	for (int32_t k = date_from_ymd(1900, 1, 1); k <= date_from_ymd(9999, 12, 31); k++) {
		int32_t back;
		if (date_parse(date_fmt(k, buf), &back) || back != k)
			bad_rt++;
	}
	is_int(bad_rt, 0, "format and parse round trip on every day from 1900 to 9999");
	int y, m, dd, bad_ymd = 0;
	for (int32_t k = -25567; k < 60000; k += 13) {
		date_to_ymd(k, &y, &m, &dd);
		if (date_from_ymd(y, m, dd) != k)
			bad_ymd++;
	}
	is_int(bad_ymd, 0, "date_to_ymd and date_from_ymd are inverses");
	is_str(date_fmt(20779, buf), "2026-11-22", "format pads nothing away");
	is_str(date_fmt(date_from_ymd(1905, 3, 7), buf), "1905-03-07", "format keeps leading zeros");

	ok(date_parse("2026-11-23", &d) == NULL && date_weekday(d) == 0, "2026-11-23 is a Monday");
	ok(date_parse("2026-11-22", &d) == NULL && date_weekday(d) == 6, "2026-11-22 is a Sunday");
	is_int(date_weekday(0), 3, "1970-01-01 was a Thursday");
	is_int(date_weekday(-1), 2, "1969-12-31 a Wednesday (negative days)");
	is_int(date_weekday(date_from_ymd(1900, 1, 1)), 0, "1900-01-01 a Monday");
	is_int(date_weekday(date_from_ymd(2000, 1, 1)), 5, "2000-01-01 a Saturday");

	date_parse("2026-11-01", &a);
	date_parse("2026-11-30", &b);
	is_int(date_workdays(a, b), 21, "November 2026 has 21 working days");
	is_int(date_workdays(a, a), 0, "a Sunday alone has none");
	is_int(date_workdays(a + 1, a + 1), 1, "a Monday alone has one");
	is_int(date_workdays(b, a), 0, "a backwards range has none");
	date_parse("2024-01-01", &a);
	date_parse("2024-12-31", &b);
	is_int(date_workdays(a, b), 262, "2024 has 262 weekdays");
	is_int(date_workdays(-7, 6), 10, "two weeks around the epoch have ten");

	date_set_today(20779);
	is_int(date_today(), 20779, "--as-of sets today");
	return done_testing();
}
