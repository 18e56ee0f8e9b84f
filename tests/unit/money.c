/* money: parsing digit by digit into int64 minor units; formatting; percent rounding. */
#include <stdint.h>
#include "money.h"
#include "tap.h"

static void parses(const char *s, int digits, int64_t want)
{
	int64_t v = -1;
	const char *why = money_parse(s, digits, &v);
	ok(!why && v == want, "'%s' is %lld minor units", s, (long long)want);
	if (why || v != want)
		printf("#   error '%s', value %lld\n", why ? why : "", (long long)v);
}

static void refuses(const char *s, int digits, const char *want)
{
	int64_t v;
	const char *why = money_parse(s, digits, &v);
	ok(why && strcmp(why, want) == 0, "'%s' refused: %s", s, want);
	if (!why || strcmp(why, want))
		printf("#   got '%s'\n", why ? why : "(accepted)");
}

int main(void)
{
	char buf[32];
	parses("1234.50", 2, 123450);
	parses("1234.5", 2, 123450);
	parses("1234", 2, 123400);
	parses("-0.01", 2, -1);
	parses("1.15", 2, 115); /* strtod would give 114 */
	parses("0", 0, 0);
	parses("92233720368547758.07", 2, INT64_MAX);
	refuses("12.345", 2, "too many decimal places");
	refuses("1e3", 2, "not an amount");
	refuses("nan", 2, "not an amount");
	refuses("1,234.50", 2, "not an amount");
	refuses("12,50", 2, "not an amount");
	refuses("", 2, "empty amount");
	refuses("1.", 2, "not an amount");
	refuses(".5", 2, "not an amount");
	refuses("+5", 2, "not an amount");
	refuses(" 5", 2, "not an amount");
	refuses("5 ", 2, "not an amount");
	refuses("99999999999999999999", 2, "amount too large");
	refuses("92233720368547758.08", 2, "amount too large");
	is_str(money_fmt(123450, 2, buf), "1234.50", "format with two digits");
	is_str(money_fmt(-5, 2, buf), "-0.05", "format a negative cent");
	is_str(money_fmt(0, 2, buf), "0.00", "format zero");
	is_str(money_fmt(7, 0, buf), "7", "format without fraction");
	is_str(money_fmt(INT64_MIN, 2, buf), "-92233720368547758.08", "format INT64_MIN");
	int64_t v;
	ok(int_parse("-42", &v) == NULL && v == -42, "int_parse -42");
	ok(int_parse("4.2", &v) != NULL, "int_parse refuses 4.2");
	ok(int_parse("x", &v) != NULL, "int_parse refuses x");
	/* 2% of 0.25 is 0.005: half away from zero gives 0.01, and -0.01 for -0.25 */
	ok(money_percent(25, 2, 0, &v) == 0 && v == 1, "2%% of 0.25 rounds to 0.01");
	ok(money_percent(-25, 2, 0, &v) == 0 && v == -1, "2%% of -0.25 rounds to -0.01");
	ok(money_percent(10000, 5, 1, &v) == 0 && v == 50, "0.5%% of 100.00 is 0.50");
	ok(money_percent(24, 2, 0, &v) == 0 && v == 0, "2%% of 0.24 rounds to 0.00");
	ok(money_percent(INT64_MAX, 200, 0, &v) != 0, "overflow is refused, not wrapped");
	return done_testing();
}
