/* The CSV dialect: errors name physical lines; write then read is the identity. */
#include <stdlib.h>
#include "csvio.h"
#include "tap.h"

struct got {
	int rows;
	long lines[16];
	char first[16][256];
	int nf[16];
	char all[16][8][128];
};

static int collect(void *ctx, csv_row *r, crm_err *e)
{
	(void)e;
	struct got *g = ctx;
	if (g->rows < 16) {
		g->lines[g->rows] = r->line;
		g->nf[g->rows] = r->n;
		snprintf(g->first[g->rows], 256, "%s", r->n ? r->f[0] : "");
		for (int i = 0; i < r->n && i < 8; i++)
			snprintf(g->all[g->rows][i], 128, "%s", r->f[i]);
	}
	g->rows++;
	return 0;
}

static int read_str(const char *s, size_t n, struct got *g, crm_err *e)
{
	memset(g, 0, sizeof *g);
	memset(e, 0, sizeof *e);
	return csv_read("t.csv", s, n, collect, g, e);
}

#define READ(lit, g, e) read_str(lit, sizeof lit - 1, g, e)

int main(void)
{
	struct got g;
	crm_err e;
	ok(READ("a,b\n1,2\n", &g, &e) == 0 && g.rows == 2 && g.nf[1] == 2, "plain rows");
	ok(READ("a,b\r\n\r\n1,2\r\n", &g, &e) == 0 && g.rows == 2 && g.lines[1] == 3,
		"CRLF and a blank line: physical line 3");
	ok(READ("\xEF\xBB\xBF" "a,b\n1,2\n", &g, &e) == 0 && strcmp(g.first[0], "a") == 0,
		"a byte order mark is dropped");
	ok(READ("a,b\n1,2", &g, &e) == 0 && g.rows == 2, "no final newline");
	ok(READ("a,b\n\" x \",2\n", &g, &e) == 0 && strcmp(g.first[1], " x ") == 0,
		"spaces are data, not trimmed");
	ok(READ("a\n x \n", &g, &e) == 0 && strcmp(g.first[1], " x ") == 0, "unquoted spaces kept");
	ok(READ("a,b\n\"1,5\",\"say \"\"hi\"\"\"\n", &g, &e) == 0 &&
		strcmp(g.all[1][0], "1,5") == 0 && strcmp(g.all[1][1], "say \"hi\"") == 0,
		"quoted comma and doubled quotes");
	ok(READ("a\nline\\nbreak\\\\x\n", &g, &e) == 0 && strcmp(g.first[1], "line\nbreak\\x") == 0,
		"\\n and \\\\ escapes");
	ok(READ("a,b\n,\n", &g, &e) == 0 && g.nf[1] == 2 && !*g.all[1][0] && !*g.all[1][1], "empty fields");

	ok(READ("a,b\n1,2\n\"open,3\n4,5\n", &g, &e) == 65 &&
		strstr(e.msg, "t.csv:3: csv: unterminated quote") != NULL, "unterminated quote named at its line");
	ok(READ("a,b\nx\"y,2\n", &g, &e) == 65 && strstr(e.msg, "t.csv:2: csv: quote inside an unquoted field"),
		"quote inside an unquoted field");
	ok(read_str("a,b\n1,\0002\n", 9, &g, &e) == 65 && strstr(e.msg, "t.csv:2: csv: NUL byte"), "NUL byte");
	ok(READ("a,b\n1,\xff\n", &g, &e) == 65 && strstr(e.msg, "t.csv:2: csv: invalid UTF-8 at column 3"),
		"invalid UTF-8");
	ok(READ("a,b\n1,\xed\xa0\x80\n", &g, &e) == 65, "UTF-16 surrogate refused");
	ok(READ("a,b\n1,\xc0\xaf\n", &g, &e) == 65, "overlong form refused");
	ok(READ("a,b\n<<<<<<< HEAD\n", &g, &e) == 65 && strstr(e.msg, "merge conflict marker"),
		"conflict marker");
	ok(READ("", &g, &e) == 65 && strstr(e.msg, "empty file"), "a zero-byte file is an error");
	char *big = malloc(CSV_MAX_LINE + 16);
	memset(big, 'x', CSV_MAX_LINE + 10);
	big[0] = 'a', big[1] = '\n';
	ok(read_str(big, CSV_MAX_LINE + 10, &g, &e) == 65 && strstr(e.msg, "longer than"),
		"a line past the limit is refused, not read whole");
	free(big);

	/* Round trip: write with csv_put_row, read back, compare. */
	const char *vals[] = {"plain", "with,comma", "with \"quote\"", "two\nlines", "back\\slash",
		"", " lead", "cr\rhere", "北京,科技", "\\n literal"};
	int n = (int)(sizeof vals / sizeof vals[0]);
	sbuf b = {0};
	csv_put_row(&b, vals, 8);
	csv_put_row(&b, vals + 2, 8);
	struct got h;
	memset(&h, 0, sizeof h);
	crm_err e2 = {0};
	ok(csv_read("rt.csv", b.s, b.len, collect, &h, &e2) == 0 && h.rows == 2, "written rows read back");
	int same = 1;
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < 8 && r + i < n; i++)
			same &= strcmp(h.all[r][i], vals[r * 2 + i]) == 0;
	ok(same, "read(write(x)) == x for commas, quotes, line breaks, backslashes, CJK");
	ok(memchr(b.s, '\n', b.len) == b.s + b.len - 1 - (strchr(b.s, '\n') ? (size_t)(b.s + b.len - 1 - strchr(b.s, '\n')) : 0),
		"one physical line per record");
	sb_free(&b);
	return done_testing();
}
