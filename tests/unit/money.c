/* money: parsing digit by digit into int64 minor units; formatting; percent rounding. */
#include <stdint.h>
#include "money.h"
#include "tap.h"

static void parses(const char *s, int digits, int64_t want)
{
	int64_t v = -1;
	const char *why = money_parse(s, digits, &v);
	ok(!why && v == want, "'%s' (%d digits) is %lld minor units", s, digits, (long long)want);
	if (why || v != want)
		printf("#   error '%s', value %lld\n", why ? why : "", (long long)v);
}

static void refuses(const char *s, int digits, const char *want)
{
	int64_t v = 12345;
	const char *why = money_parse(s, digits, &v);
	ok(why && strcmp(why, want) == 0 && v == 12345, "'%s' (%d digits) refused: %s", s, digits, want);
	if (!why || strcmp(why, want))
		printf("#   got '%s'\n", why ? why : "(accepted)");
}

static void percent(int64_t amount, int64_t pct, int pdigits, int64_t want, const char *name)
{
	int64_t v = -999;
	int rc = money_percent(amount, pct, pdigits, &v);
	ok(rc == 0 && v == want, "%s", name);
	if (rc || v != want)
		printf("#   rc %d, got %lld, want %lld\n", rc, (long long)v, (long long)want);
}

int main(void)
{
	char buf[32];
	int64_t v;

	/* What a person writes. */
	parses("1234.50", 2, 123450);
	parses("1234.5", 2, 123450);
	parses("1234", 2, 123400);
	parses("-0.01", 2, -1);
	parses("-0", 2, 0);
	parses("0.00", 2, 0);
	parses("007.10", 2, 710);
	parses("1.15", 2, 115); /* strtod would give 114 */
	parses("0.29", 2, 29);  /* and 28 here */
	parses("0", 0, 0);
	parses("12.345", 3, 12345);
	parses("5", 4, 50000);

	/* RELIABILITY.md's bad money: refused, never approximated. */
	refuses("12.345", 2, "too many decimal places");
	refuses("12.3", 0, "too many decimal places");
	refuses("12.300", 2, "too many decimal places");
	refuses("1e3", 2, "not an amount");
	refuses("1E3", 2, "not an amount");
	refuses("nan", 2, "not an amount");
	refuses("NaN", 2, "not an amount");
	refuses("inf", 2, "not an amount");
	refuses("-inf", 2, "not an amount");
	refuses("0x10", 2, "not an amount");
	refuses("1,234.50", 2, "not an amount");
	refuses("12,50", 2, "not an amount");
	refuses("1 234", 2, "not an amount");
	refuses("1_000", 2, "not an amount");
	refuses("１２", 2, "not an amount");
	refuses("", 2, "empty amount");
	refuses("-", 2, "not an amount");
	refuses("--1", 2, "not an amount");
	refuses("-.5", 2, "not an amount");
	refuses("1.", 2, "not an amount");
	refuses(".5", 2, "not an amount");
	refuses("1..2", 2, "not an amount");
	refuses("1.2.3", 2, "not an amount");
	refuses("+5", 2, "not an amount");
	refuses(" 5", 2, "not an amount");
	refuses("5 ", 2, "not an amount");
	refuses("5\n", 2, "not an amount");
	refuses("$5", 2, "not an amount");
	refuses("5元", 2, "not an amount");

	/* INT64 edges: overflow is an error, never a wrap. */
	parses("92233720368547758.07", 2, INT64_MAX);
	parses("-92233720368547758.07", 2, -INT64_MAX);
	parses("9223372036854775807", 0, INT64_MAX);
	parses("00000000000000000000000001", 0, 1);
	refuses("92233720368547758.08", 2, "amount too large");
	refuses("9223372036854775808", 0, "amount too large");
	refuses("99999999999999999999", 2, "amount too large");
	refuses("92233720368547758", 3, "amount too large"); /* the padding digit overflows */
	refuses("18446744073709551616", 0, "amount too large"); /* 2^64 would wrap to 0 */
	/* The range is symmetric, so negating a parsed amount is always defined. */
	refuses("-92233720368547758.08", 2, "amount too large");
	refuses("-9223372036854775808", 0, "amount too large");

	/* Formatting: no locale, exactly `digits` fraction digits. */
	is_str(money_fmt(123450, 2, buf), "1234.50", "format with two digits");
	is_str(money_fmt(-5, 2, buf), "-0.05", "format a negative cent");
	is_str(money_fmt(-100, 2, buf), "-1.00", "format a negative unit");
	is_str(money_fmt(0, 2, buf), "0.00", "format zero");
	is_str(money_fmt(7, 0, buf), "7", "format without fraction");
	is_str(money_fmt(7, 3, buf), "0.007", "format three digits");
	is_str(money_fmt(1234567, 2, buf), "12345.67", "no thousands separator");
	is_str(money_fmt(INT64_MAX, 2, buf), "92233720368547758.07", "format INT64_MAX");
	is_str(money_fmt(INT64_MIN, 2, buf), "-92233720368547758.08", "format INT64_MIN");
	is_str(money_fmt(INT64_MIN, 0, buf), "-9223372036854775808", "format INT64_MIN, no digits");
	int bad = 0;
	const int64_t edges[] = {0, 1, -1, 9, 10, 99, 100, -100, 12345, INT64_MAX, -INT64_MAX,
		INT64_MAX / 10, INT64_MAX - 1};
	for (int d = 0; d <= 4; d++)
		for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
			int64_t back;
			if (money_parse(money_fmt(edges[i], d, buf), d, &back) || back != edges[i])
				bad++, printf("#   %lld with %d digits: '%s'\n", (long long)edges[i], d, buf);
		}
	is_int(bad, 0, "parse(format(x)) == x at the int64 edges, 0 to 4 digits");

	/* Quantities are whole numbers. */
	ok(int_parse("-42", &v) == NULL && v == -42, "int_parse -42");
	ok(int_parse("9223372036854775807", &v) == NULL && v == INT64_MAX, "int_parse INT64_MAX");
	is_str(int_parse("4.2", &v), "not a whole number", "int_parse refuses 4.2");
	is_str(int_parse("x", &v), "not a number", "int_parse refuses x");
	is_str(int_parse("1e3", &v), "not a number", "int_parse refuses 1e3");
	is_str(int_parse("", &v), "empty number", "int_parse refuses empty, as a number");
	is_str(int_parse("9223372036854775808", &v), "number too large", "int_parse overflow");

	/* Percentages round half away from zero, to the minor unit. */
	percent(25, 2, 0, 1, "2% of 0.25 (0.005) rounds to 0.01");
	percent(-25, 2, 0, -1, "2% of -0.25 rounds to -0.01, not 0.00");
	percent(25, -2, 0, -1, "-2% of 0.25 rounds to -0.01");
	percent(24, 2, 0, 0, "2% of 0.24 (0.0048) rounds to 0.00");
	percent(-24, 2, 0, 0, "2% of -0.24 rounds to 0.00");
	percent(26, 2, 0, 1, "2% of 0.26 rounds to 0.01");
	percent(75, 2, 0, 2, "2% of 0.75 (0.015) rounds to 0.02");
	percent(-75, 2, 0, -2, "2% of -0.75 rounds to -0.02");
	percent(10000, 5, 1, 50, "0.5% of 100.00 is 0.50");
	percent(100, 5, 1, 1, "0.5% of 1.00 (0.005) rounds to 0.01");
	percent(123456, 125, 2, 1543, "1.25% of 1234.56 (15.432) is 15.43");
	percent(100, 100, 0, 100, "100% is the amount");
	percent(0, 37, 0, 0, "any percent of zero is zero");
	percent(INT64_MAX, 100, 0, INT64_MAX, "100% of INT64_MAX fits");
	percent(-INT64_MAX, 100, 0, -INT64_MAX, "100% of -INT64_MAX fits");
	percent(INT64_MAX, 1, 0, 92233720368547758, "1% of INT64_MAX without overflow on the way");
	ok(money_percent(INT64_MAX, 200, 0, &v) != 0, "200%% of INT64_MAX is refused, not wrapped");
	ok(money_percent(INT64_MIN, -100, 0, &v) != 0, "-100%% of INT64_MIN is refused");
	ok(money_percent(INT64_MAX, INT64_MAX, 0, &v) != 0, "INT64_MAX%% of INT64_MAX is refused");
	ok(money_percent(1, 1, 60, &v) != 0, "absurd percent digits are refused, not undefined");
	int wrong = 0;
	for (int64_t a = -1000; a <= 1000; a++)
		for (int64_t p = -30; p <= 30; p += 7) {
			int64_t num = a * p, q = (num >= 0 ? num + 50 : num - 50) / 100;
			if (money_percent(a, p, 0, &v) || v != q)
				wrong++;
		}
	is_int(wrong, 0, "every small amount and percent rounds as the schoolbook rule says");
	return done_testing();
}
