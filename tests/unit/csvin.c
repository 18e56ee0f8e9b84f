/* Input from outside: RFC 4180 shapes read, records named by the line they start on. */
#include <stdlib.h>
#include "csvio.h"
#include "tap.h"

#define MAXR 16

struct got {
	int rows;
	long line[MAXR];
	int nf[MAXR];
	char f[MAXR][4][64];
};

static int collect(void *ctx, csv_row *r, crm_err *e)
{
	(void)e;
	struct got *g = ctx;
	if (g->rows < MAXR) {
		g->line[g->rows] = r->line;
		g->nf[g->rows] = r->n;
		for (int i = 0; i < r->n && i < 4; i++)
			snprintf(g->f[g->rows][i], 64, "%s", r->f[i]);
	}
	g->rows++;
	return 0;
}

static int rd(const char *s, size_t n, int literal, struct got *g, crm_err *e)
{
	struct csv_in opt = {.literal = literal};
	memset(g, 0, sizeof *g);
	memset(e, 0, sizeof *e);
	return csv_read_input("in.csv", s, n, &opt, collect, g, e);
}

#define RD(lit, literal) rd(lit, sizeof lit - 1, literal, &g, &e)

int main(void)
{
	static struct got g;
	crm_err e;

	ok(RD("a,b\n\"x\ny\",2\n3,4\n", 0) == 0 && g.rows == 3 && g.line[1] == 2 && g.line[2] == 4 &&
		strcmp(g.f[1][0], "x\ny") == 0, "a quoted value across lines; the next record keeps its physical line");
	ok(RD("a,b\r\n\"x\r\ny\",2\r\n", 0) == 0 && strcmp(g.f[1][0], "x\r\ny") == 0 &&
		strcmp(g.f[0][1], "b") == 0 && strcmp(g.f[1][1], "2") == 0,
		"CRLF ends records; a CRLF inside quotes is kept");
	ok(RD("a,b\n1,2", 0) == 0 && g.rows == 2 && strcmp(g.f[1][1], "2") == 0, "no final newline");
	ok(RD("a,b\n1,\"2\"", 0) == 0 && g.rows == 2 && strcmp(g.f[1][1], "2") == 0,
		"no final newline after a quoted value");
	ok(RD("a,b\n1,37\"N\n", 0) == 0 && strcmp(g.f[1][1], "37\"N") == 0, "a stray quote is data");
	ok(RD("a\n\"C:\\\\new\\n\"\n", 0) == 0 && strcmp(g.f[1][0], "C:\\new\n") == 0,
		"escapes read as the line dialect writes them");
	ok(RD("a\nC:\\new\n", 1) == 0 && strcmp(g.f[1][0], "C:\\new") == 0, "literal: a backslash is data");
	ok(RD("\xEF\xBB\xBF" "a\nC:\\new\n", 0) == 0 && strcmp(g.f[0][0], "a") == 0 &&
		strcmp(g.f[1][0], "C:\\new") == 0, "a byte order mark: dropped, and backslashes are data");
	ok(RD("a\n\n\"x\n\n\"\n\nb\n", 0) == 0 && g.rows == 3 && strcmp(g.f[1][0], "x\n\n") == 0 &&
		g.line[1] == 3 && g.line[2] == 7, "blank lines skipped between records, kept inside values");
	ok(RD("a\n\"x\n=======\ny\"\n", 0) == 0 && strcmp(g.f[1][0], "x\n=======\ny") == 0,
		"a marker-like line inside a value is data");
	ok(RD("a,b\n1,2\n\"open,3\nmore\n", 0) == 65 &&
		strcmp(e.msg, "in.csv:3: csv: unterminated quote (the value opened here runs to the end of the input)") == 0,
		"an unterminated quote names the line it opened on");
	ok(RD("a\n\"x\nab\xff\"\n", 0) == 65 && strcmp(e.msg, "in.csv:3: csv: invalid UTF-8 at column 3") == 0,
		"bad UTF-8 inside a value: its own line and column");
	ok(RD("a\n<<<<<<< HEAD\n", 0) == 65 && strcmp(e.msg, "in.csv:2: csv: merge conflict marker") == 0,
		"a conflict marker at a record's start is refused");
	ok(RD("\n\r\n", 0) == 65 && strcmp(e.msg, "in.csv: csv: empty file (no header line)") == 0 &&
		RD("", 0) == 65, "nothing but blank lines is an empty file");
	return done_testing();
}
