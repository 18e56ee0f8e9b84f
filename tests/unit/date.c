/* dates: strict YYYY-MM-DD, days since 1970, round trips, weekdays. */
#include <stdint.h>
#include "date.h"
#include "tap.h"

int main(void)
{
	int32_t d;
	char buf[11];
	ok(date_parse("1970-01-01", &d) == NULL && d == 0, "epoch is day 0");
	ok(date_parse("2026-11-22", &d) == NULL && d == 20779, "2026-11-22 is day 20779");
	ok(date_parse("2024-02-29", &d) == NULL, "2024-02-29 exists");
	ok(date_parse("2000-02-29", &d) == NULL, "2000-02-29 exists");
	ok(date_parse("1900-02-29", &d) != NULL, "1900-02-29 does not");
	ok(date_parse("2026-02-30", &d) != NULL, "2026-02-30 refused (strptime would roll it)");
	ok(date_parse("2026-04-31", &d) != NULL, "2026-04-31 refused");
	ok(date_parse("2026-13-01", &d) != NULL, "month 13 refused");
	ok(date_parse("2026-00-10", &d) != NULL, "month 0 refused");
	ok(date_parse("2026-11-22x", &d) != NULL, "trailing junk refused");
	ok(date_parse("2026-1-2", &d) != NULL, "short fields refused");
	ok(date_parse("", &d) != NULL, "empty refused");
	ok(date_parse("22/11/2026", &d) != NULL, "other formats refused");
	int bad = 0;
	for (int32_t k = -20000; k < 60000; k += 7) {
		int32_t back;
		if (date_parse(date_fmt(k, buf), &back) || back != k)
			bad++;
	}
	is_int(bad, 0, "format and parse round trip from 1915 to 2134");
	ok(date_parse("2026-11-23", &d) == NULL && date_weekday(d) == 0, "2026-11-23 is a Monday");
	ok(date_parse("2026-11-22", &d) == NULL && date_weekday(d) == 6, "2026-11-22 is a Sunday");
	int32_t a, b;
	date_parse("2026-11-01", &a);
	date_parse("2026-11-30", &b);
	is_int(date_workdays(a, b), 21, "November 2026 has 21 working days");
	date_set_today(20779);
	is_int(date_today(), 20779, "--as-of sets today");
	return done_testing();
}
