/* filters: typed comparisons and regular expressions with limits. */
#include "filter.h"
#include "tap.h"

static const struct field f[] = {
	{"name", FT_TEXT, NULL, 0},
	{"amount", FT_MONEY, NULL, 0},
	{"date", FT_DATE, NULL, 0},
	{"grade", FT_ENUM, "A,B,C,D", 0},
};

static int match(const char *term, const char *name, const char *amount, const char *date)
{
	struct filter *flt = NULL;
	crm_err e = {0};
	char *terms[] = {(char *)term};
	char *v[] = {(char *)name, (char *)amount, (char *)date, "A"};
	int rc = filter_parse(&flt, f, 4, terms, 1, 2, &e);
	int m = rc ? -2 : filter_match(flt, v, "t.csv", 7, &e);
	filter_free(flt);
	return m;
}

int main(void)
{
	ok(match("name=Acme", "Acme", "", "") == 1, "= on text");
	ok(match("name!=Acme", "Acme", "", "") == 0, "!= on text");
	ok(match("amount>9.5", "", "10.00", "") == 1, "money compares as money: 10.00 > 9.5");
	ok(match("amount<9.5", "", "10.00", "") == 0, "not as text ('1' < '9')");
	ok(match("amount=10", "", "10.00", "") == 1, "= on money compares values");
	ok(match("amount>=0", "", "", "") == 0, "an empty money field matches no comparison");
	ok(match("date<2026-11-01", "", "", "2026-10-31") == 1, "dates compare as dates");
	ok(match("date>=2026-11-01", "", "", "2026-10-31") == 0, "and in order");
	ok(match("name~^北京.*公司$", "北京用友科技有限公司", "", "") == 1, "UTF-8 regex");
	ok(match("name~(?i)acme", "ACME", "", "") == 1, "regex options");
	ok(match("name~x", "abc", "", "") == 0, "regex no match");
	ok(match("name~(", "x", "", "") == -2, "a regex that does not compile is refused");
	ok(match("amount>abc", "", "1.00", "") == -2, "a value of the wrong type is refused");
	ok(match("colour=red", "", "", "") == -2, "an unknown field is refused");
	ok(match("nameAcme", "", "", "") == -2, "a term without an operator is refused");
	char longa[4096];
	memset(longa, 'a', sizeof longa - 2);
	longa[sizeof longa - 2] = 'b';
	longa[sizeof longa - 1] = 0;
	struct filter *flt = NULL;
	crm_err e = {0};
	char *terms[] = {"name~^(a+)+$"};
	char *v[] = {longa, "", "", "A"};
	filter_parse(&flt, f, 4, terms, 1, 2, &e);
	int m = filter_match(flt, v, "c.csv", 12, &e);
	ok(m == -1 && strstr(e.msg, "c.csv:12: name:") && strstr(e.msg, "limit"),
		"catastrophic backtracking is an error naming file and line, never 'no match'");
	filter_free(flt);
	ok(filter_is_term("a<=b") && !filter_is_term("C000001"), "terms told from ids");
	return done_testing();
}
