/* filters: comparisons typed by the field, regular expressions with limits, prefilters. */
#include <stdlib.h>
#include <time.h>
#include "filter.h"
#include "loose.h"
#include "tap.h"

static const struct field f[] = {
	{"name", FT_TEXT, NULL, 0},
	{"amount", FT_MONEY, NULL, 0},
	{"date", FT_DATE, NULL, 0},
	{"grade", FT_ENUM, "A,B,C,D", 0},
	{"qty", FT_INT, NULL, 0},
};
#define NF 5

/* 1 match, 0 no match, -1 a match error, -2 the terms were refused (status in *st). */
static int matchv(char **terms, int nt, const char *name, const char *amount,
	const char *date, const char *qty, int *st)
{
	struct filter *flt = NULL;
	crm_err e = {0};
	char *v[] = {(char *)name, (char *)amount, (char *)date, "B", (char *)qty};
	int rc = filter_parse(&flt, f, NF, terms, nt, 2, &e);
	if (st)
		*st = rc;
	int m = rc ? -2 : filter_match(flt, v, "t.csv", 7, &e);
	filter_free(flt);
	return m;
}

static int match(const char *term, const char *name, const char *amount, const char *date)
{
	char *terms[] = {(char *)term};
	return matchv(terms, 1, name, amount, date, "", NULL);
}

static void refused(const char *term, int status, const char *want)
{
	struct filter *flt = NULL;
	crm_err e = {0};
	char *terms[] = {(char *)term};
	int rc = filter_parse(&flt, f, NF, terms, 1, 2, &e);
	ok(rc == status && strstr(e.msg, want), "'%s' refused (%d): %s", term, status, want);
	if (rc != status || !strstr(e.msg, want))
		printf("#   status %d, message '%s'\n", rc, e.msg);
	filter_free(flt);
}

struct sel {
	struct filter *flt;
	long lines[32];
	int n, err;
};

static int pick(void *ctx, csv_row *r, crm_err *e)
{
	struct sel *s = ctx;
	if (r->line == 1)
		return 0;
	char *v[NF];
	for (int i = 0; i < NF; i++)
		v[i] = i < r->n ? r->f[i] : "";
	int m = filter_match(s->flt, v, r->file, r->line, e);
	if (m < 0)
		return e->code;
	if (m && s->n < 32)
		s->lines[s->n++] = r->line;
	return 0;
}

/* The raw-line and bulk prefilters must pick exactly what reading every row picks. */
static void same_rows(const char *term, const char *csv, int want)
{
	struct sel a = {0}, b = {0};
	crm_err e = {0}, e1 = {0}, e2 = {0};
	char *terms[] = {(char *)term};
	if (filter_parse(&a.flt, f, NF, terms, 1, 2, &e)) {
		ok(0, "'%s' parses", term);
		filter_free(a.flt);
		return;
	}
	b.flt = a.flt;
	int r1 = csv_read("t.csv", csv, strlen(csv), pick, &a, &e1);
	struct csv_pre pre = {filter_line, filter_skip, a.flt, filter_header};
	int r2 = csv_read_lines("t.csv", csv, strlen(csv), &pre, pick, &b, &e2);
	int same = r1 == 0 && r2 == 0 && a.n == want && b.n == a.n;
	for (int i = 0; same && i < a.n; i++)
		same &= a.lines[i] == b.lines[i];
	ok(same, "'%s': the prefiltered read picks the same %d rows", term, want);
	if (!same)
		printf("#   full read %d (%d rows, %s), prefiltered %d (%d rows, %s)\n", r1, a.n,
			e1.msg, r2, b.n, e2.msg);
	filter_free(a.flt);
}

int main(void)
{
	/* Text. */
	ok(match("name=Acme", "Acme", "", "") == 1, "= on text");
	ok(match("name=acme", "Acme", "", "") == 0, "= on text is exact");
	ok(match("name!=Acme", "Acme", "", "") == 0, "!= on text");
	ok(match("name!=Acme", "Acne", "", "") == 1, "!= on other text");
	ok(match("name=", "", "", "") == 1, "field= matches an empty field");
	ok(match("name!=", "x", "", "") == 1, "field!= matches a non-empty one");
	ok(match("name<b", "a", "", "") == 1, "< on text is byte order");
	ok(match("name>=b", "a", "", "") == 0, ">= on text");
	ok(match("name=a=b", "a=b", "", "") == 1, "the first operator splits; the rest is value");
	ok(match("name=北京", "北京", "", "") == 1, "= on UTF-8 text");

	/* Money: values, not strings. */
	ok(match("amount>9.5", "", "10.00", "") == 1, "money compares as money: 10.00 > 9.5");
	ok(match("amount<9.5", "", "10.00", "") == 0, "not as text ('1' < '9')");
	ok(match("amount=10", "", "10.00", "") == 1, "= on money compares values");
	ok(match("amount=10.0", "", "10", "") == 1, "both sides read as money");
	ok(match("amount!=10", "", "10.00", "") == 0, "!= on money");
	ok(match("amount<0", "", "-0.01", "") == 1, "negative amounts");
	ok(match("amount>-1", "", "-0.50", "") == 1, "a negative bound");
	ok(match("amount<=92233720368547758.07", "", "92233720368547758.07", "") == 1,
		"the largest amount");
	ok(match("amount>=0", "", "", "") == 0, "an empty money field matches no comparison");
	ok(match("amount<0", "", "", "") == 0, "on either side");
	ok(match("amount=", "", "", "") == 1, "amount= finds empty amounts");
	ok(match("amount=10", "", "", "") == 0, "an empty amount is not 10");
	ok(match("amount>1", "", "junk", "") == 0, "an unreadable amount matches no comparison");

	/* Dates: days, not strings. */
	ok(match("date<2026-11-01", "", "", "2026-10-31") == 1, "dates compare as dates");
	ok(match("date>=2026-11-01", "", "", "2026-10-31") == 0, "and in order");
	ok(match("date=2026-11-01", "", "", "2026-11-01") == 1, "= on a date");
	ok(match("date>2024-02-28", "", "", "2024-02-29") == 1, "a leap day");
	ok(match("date<=2026-12-31", "", "", "") == 0, "an empty date matches no comparison");

	/* Numbers and enums. */
	char *nt[] = {"qty>9"};
	ok(matchv(nt, 1, "", "", "", "10", NULL) == 1, "int compares as a number: 10 > 9");
	char *nt2[] = {"qty<-5"};
	ok(matchv(nt2, 1, "", "", "", "-10", NULL) == 1, "negative numbers");
	ok(match("grade<=B", "", "", "") == 1, "an enum compares as text");
	ok(match("grade=B", "", "", "") == 1, "= on an enum");

	/* AND. */
	char *both[] = {"name~^A", "amount>=5"};
	ok(matchv(both, 2, "Acme", "5.00", "", "", NULL) == 1, "terms are joined by AND");
	ok(matchv(both, 2, "Acme", "4.99", "", "", NULL) == 0, "each must hold");
	ok(matchv(both, 0, "x", "", "", "", NULL) == 1, "no terms match everything");

	/* Regular expressions: PCRE2, UTF-8. */
	ok(match("name~^北京.*公司$", "北京用友科技有限公司", "", "") == 1, "UTF-8 regex");
	ok(match("name~^.{4}$", "北京用友", "", "") == 1, "'.' is a character, not a byte");
	ok(match("name~(?i)acme", "ACME", "", "") == 1, "regex options");
	ok(match("name~x", "abc", "", "") == 0, "regex no match");
	ok(match("name~", "abc", "", "") == 1, "an empty regex matches all");
	ok(match("amount~^1", "", "10.00", "") == 1, "a regex on money sees its text");
	ok(match("date~-11-", "", "", "2026-11-22") == 1, "and on a date");

	/* Refusals: usage (2) for a term, bad data (65) for a value. */
	refused("name~(", 65, "argument: name: bad regular expression 'name~(' at offset 1: missing closing parenthesis");
	refused("name~(", 65, "argument: name:");
	refused("name~\\", 65, "bad regular expression");
	refused("amount>abc", 65, "'abc' is not a value of this field's type");
	refused("amount>12.345", 65, "'12.345' is not a value");
	refused("amount>1e3", 65, "'1e3' is not a value");
	refused("amount=nan", 65, "'nan' is not a value");
	refused("date<2026-02-30", 65, "'2026-02-30' is not a value");
	refused("date=2026-1-1", 65, "'2026-1-1' is not a value");
	refused("qty>1.5", 65, "'1.5' is not a value");
	refused("colour=red", 2, "'colour': no such field");
	refused("nam=x", 2, "'nam': no such field");
	refused("nameAcme", 2, "'nameAcme' is not a filter");
	refused("=x", 2, "is not a filter");
	refused("name!x", 2, "is not a filter");

	/* The limit: an error naming file, line and field, never "no match". */
	char *longa = malloc(4096);
	memset(longa, 'a', 4094);
	longa[4094] = 'b';
	longa[4095] = 0;
	struct filter *flt = NULL;
	crm_err e = {0};
	char *terms[] = {"name~^(a+)+$"};
	char *v[] = {longa, "", "", "A", ""};
	ok(filter_parse(&flt, f, NF, terms, 1, 2, &e) == 0, "a catastrophic pattern compiles");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int m = filter_match(flt, v, "c.csv", 12, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(m == -1 && e.code == 65 && strstr(e.msg, "c.csv:12: name: regular expression '^(a+)+$'") &&
		strstr(e.msg, "limit"), "catastrophic backtracking is an error naming file and line");
	if (m != -1)
		printf("#   match %d, message '%s'\n", m, e.msg);
	ok(secs < 0.5, "and it fails fast (%.3f s)", secs);
	crm_err e2 = {0};
	char *v2[] = {"aaaa", "", "", "A", ""};
	ok(filter_match(flt, v2, "c.csv", 13, &e2) == 1, "the same pattern on a short name matches");
	filter_free(flt);
	free(longa);

	ok(filter_is_term("a<=b") && filter_is_term("a!=b") && filter_is_term("a~x") &&
		filter_is_term("a=") && !filter_is_term("C000001") && !filter_is_term("=x") &&
		!filter_is_term("a!b") && !filter_is_term(""), "terms told from ids");

	/* Prefilters agree with the full read. */
	const char *csv = "name,amount,date,grade,qty\n"
		"Acme,1.00,2026-01-01,A,1\n"
		"\"Acme, Inc\",2.00,2026-02-01,B,2\n"
		"acme\\nbranch,3.00,,C,3\n"
		"\"say \"\"Acme\"\"\",4.00,,D,4\n"
		"Other,Acme,,A,5\n"
		"\n"
		"北京Acme,6.00,2026-03-01,A,6\n"
		"Ac me,7.00,,A,7\n";
	same_rows("name~Acme", csv, 4);
	same_rows("name~acme", csv, 1);
	same_rows("name~(?i)acme", csv, 5);
	same_rows("name~^Acme", csv, 2);
	same_rows("name~e$", csv, 3);
	same_rows("name~c.m", csv, 1);
	same_rows("name~[^,]+Acme", csv, 2);
	same_rows("name=Acme", csv, 1);
	same_rows("name=Acme, Inc", csv, 1);
	same_rows("amount>=4", csv, 3);
	same_rows("grade=A", csv, 4);
	same_rows("name~Acme", "name\nAcme\n", 1);
	/* Anchors are the value's ends, quoted or not; patterns without a literal too. */
	same_rows("name~^Acme, Inc$", csv, 1);
	same_rows("name~Inc$", csv, 1);
	same_rows("name~^.{4}$", csv, 1);
	same_rows("name~^[A-Z]", csv, 4);
	same_rows("name~(?i)^acme", csv, 3);
	same_rows("name~^$", csv, 0);
	same_rows("name~(?<!,) Inc", csv, 0);
	same_rows("amount~^[0-9]\\.00$", csv, 6);
	same_rows("name~^Acme", "name,amount\n\"Acme\",1\nx,Acme\n", 1);

	/* Loosened patterns: anchors dropped, classes and escapes kept, assertions refused. */
	struct { const char *pat, *want; } lz[] = {
		{"^a$", "a"}, {"[^a]$", "[^a]"}, {"(?i)^acme", "(?i)acme"}, {"^(Acme|Nova) [A-Z]+", "(Acme|Nova) [A-Z]+"},
		{"\\^x\\$", "\\^x\\$"}, {"\\p{^Han}$", "\\p{^Han}"}, {"[]^]x", "[]^]x"}, {"[[:^alpha:]]$", "[[:^alpha:]]"},
		{"(?<n>a)\\k<n>$", "(?<n>a)\\k<n>"}, {"", ""},
		{"(?<=a)b", NULL}, {"a(?!b)", NULL}, {"\\bx", NULL}, {"x\\z", NULL}, {"(?x)^a", NULL},
		{"^*a", NULL}, {"(*UTF)a", NULL}, {"(?(1)a|b)", NULL}, {"\\Qa^\\E", NULL},
	};
	for (size_t i = 0; i < sizeof lz / sizeof lz[0]; i++) {
		char *got = re_loosen(lz[i].pat);
		ok(lz[i].want ? got && strcmp(got, lz[i].want) == 0 : !got, "loosened '%s' is '%s'",
			lz[i].pat, lz[i].want ? lz[i].want : "(none)");
		if (got && (!lz[i].want || strcmp(got, lz[i].want)))
			printf("#   got '%s'\n", got);
		free(got);
	}

	/* Pinned to a column: only for patterns anchored at the value's start. */
	struct { const char *pat; int col; const char *want; } pz[] = {
		{"^a", 1, "(?m)^(?:(?:\"[^\"\\n]*\"|[^,\"\\n]*),){1}\"?(?:a)"},
		{"(?i)^acme$", 2, "(?m)(?i)^(?:(?:\"[^\"\\n]*\"|[^,\"\\n]*),){2}\"?(?:acme)"},
		{"^(a|b)[|]", 0, "(?m)^(?:(?:\"[^\"\\n]*\"|[^,\"\\n]*),){0}\"?(?:(a|b)[|])"},
		{"^a|b", 0, NULL}, {"a$", 0, NULL}, {"^", 0, NULL}, {"^*a", 0, NULL}, {"^(?=a)", 0, NULL},
	};
	for (size_t i = 0; i < sizeof pz / sizeof pz[0]; i++) {
		char *got = re_pin(pz[i].pat, pz[i].col);
		ok(pz[i].want ? got && strcmp(got, pz[i].want) == 0 : !got, "'%s' pinned to column %d",
			pz[i].pat, pz[i].col);
		if (got && (!pz[i].want || strcmp(got, pz[i].want)))
			printf("#   got '%s'\n", got);
		free(got);
	}
	return done_testing();
}
