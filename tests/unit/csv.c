/* The CSV dialect: errors name file and physical line; write then read is the identity. */
#include <stdlib.h>
#include "csvio.h"
#include "tap.h"

#define MAXR 40
#define MAXF 66

struct got {
	int rows;
	long lines[MAXR];
	int nf[MAXR];
	char f[MAXR][MAXF][128];
	size_t len[MAXR][MAXF];
	int stop_after; /* CSV_STOP after this many rows, when set */
};

static int collect(void *ctx, csv_row *r, crm_err *e)
{
	(void)e;
	struct got *g = ctx;
	if (g->rows < MAXR) {
		g->lines[g->rows] = r->line;
		g->nf[g->rows] = r->n;
		for (int i = 0; i < r->n && i < MAXF; i++) {
			snprintf(g->f[g->rows][i], 128, "%s", r->f[i]);
			g->len[g->rows][i] = r->len[i];
		}
	}
	g->rows++;
	return g->stop_after && g->rows == g->stop_after ? CSV_STOP : 0;
}

static int read_n(const char *s, size_t n, struct got *g, crm_err *e)
{
	memset(g, 0, sizeof *g);
	memset(e, 0, sizeof *e);
	return csv_read("t.csv", s, n, collect, g, e);
}

#define READ(lit, g, e) read_n(lit, sizeof lit - 1, g, e)

/* Refused with status 65 and exactly this message. */
static void refused(const char *in, size_t n, const char *want, const char *name)
{
	static struct got g;
	crm_err e;
	int rc = read_n(in, n, &g, &e);
	ok(rc == 65 && strcmp(e.msg, want) == 0, "%s", name);
	if (rc != 65 || strcmp(e.msg, want))
		printf("#   status %d, message '%s'\n#   wanted '%s'\n", rc, e.msg, want);
}

#define REFUSED(lit, want, name) refused(lit, sizeof lit - 1, want, name)

static int fail_on_2(void *ctx, csv_row *r, crm_err *e)
{
	(void)ctx;
	if (r->line == 2)
		return crm_fail_at(e, r->file, r->line, r->n > 1 ? "b" : "a", "no good");
	return 0;
}

static int no_line(void *ctx, const char *line, size_t n)
{
	(void)ctx, (void)line, (void)n;
	return 0;
}

/* Reads what was written; the rows must come back field for field. */
static int round_trip(const char *const *vals, int nvals, int width, const char *name)
{
	sbuf b = {0};
	int rows = 0;
	for (int i = 0; i + width <= nvals && rows < MAXR; i += width, rows++)
		csv_put_row(&b, vals + i, width);
	size_t lines = 0;
	for (size_t i = 0; i < b.len; i++)
		lines += b.s[i] == '\n';
	static struct got g;
	crm_err e;
	int rc = read_n(b.s, b.len, &g, &e);
	int same = rc == 0 && g.rows == rows && lines == (size_t)rows;
	for (int r = 0; same && r < rows; r++) {
		same &= g.nf[r] == width && g.lines[r] == r + 1;
		for (int i = 0; i < width && same; i++) {
			same &= strcmp(g.f[r][i], vals[r * width + i]) == 0 &&
				g.len[r][i] == strlen(vals[r * width + i]);
			if (!same)
				printf("#   row %d field %d: '%s' came back '%s'\n", r, i,
					vals[r * width + i], g.f[r][i]);
		}
	}
	/* Written twice, the same bytes: the writer has one spelling per value. */
	sbuf b2 = {0};
	for (int r = 0; same && r < rows; r++) {
		const char *row[MAXF];
		for (int i = 0; i < width; i++)
			row[i] = g.f[r][i];
		csv_put_row(&b2, row, width);
	}
	same &= b2.len == b.len && memcmp(b2.s, b.s, b.len) == 0;
	ok(same, "%s", name);
	if (!same)
		printf("#   status %d '%s', %d rows in %zu lines\n", rc, e.msg, g.rows, lines);
	sb_free(&b);
	sb_free(&b2);
	return same;
}

static const char *put(const char *v)
{
	static sbuf b;
	b.len = 0;
	csv_put_field(&b, v);
	return sb_str(&b);
}

int main(void)
{
	static struct got g;
	crm_err e;

	/* What reads. */
	ok(READ("a,b\n1,2\n", &g, &e) == 0 && g.rows == 2 && g.nf[1] == 2 &&
		strcmp(g.f[1][1], "2") == 0, "plain rows");
	ok(READ("a,b\r\n\r\n1,2\r\n", &g, &e) == 0 && g.rows == 2 && g.lines[1] == 3 &&
		strcmp(g.f[1][1], "2") == 0 && strcmp(g.f[0][1], "b") == 0,
		"CRLF: no CR left in values, and a blank line keeps physical line 3");
	ok(READ("a\n\n\n1\n\n2\n", &g, &e) == 0 && g.rows == 3 && g.lines[0] == 1 &&
		g.lines[1] == 4 && g.lines[2] == 6, "blank lines are skipped, lines stay physical");
	ok(READ("\na,b\n1,2\n", &g, &e) == 0 && g.rows == 2 && g.lines[0] == 2,
		"a blank first line: the header is line 2");
	ok(READ("\xEF\xBB\xBF" "a,b\n1,2\n", &g, &e) == 0 && strcmp(g.f[0][0], "a") == 0 &&
		g.len[0][0] == 1, "a byte order mark is dropped");
	ok(READ("a,b\n\xEF\xBB\xBF" "1,2\n", &g, &e) == 0 && g.len[1][0] == 4,
		"only at the start of the file");
	ok(READ("a,b\n1,2", &g, &e) == 0 && g.rows == 2 && strcmp(g.f[1][1], "2") == 0,
		"no final newline");
	ok(READ("a,b\n1,2\r", &g, &e) == 0 && g.rows == 2 && strcmp(g.f[1][1], "2") == 0,
		"no final newline after a CR");
	ok(READ("a,b\n\" x \",2\n", &g, &e) == 0 && strcmp(g.f[1][0], " x ") == 0,
		"spaces are data, not trimmed");
	ok(READ("a\n x \n", &g, &e) == 0 && strcmp(g.f[1][0], " x ") == 0, "unquoted spaces kept");
	ok(READ("a,b\n\"1,5\",\"say \"\"hi\"\"\"\n", &g, &e) == 0 &&
		strcmp(g.f[1][0], "1,5") == 0 && strcmp(g.f[1][1], "say \"hi\"") == 0,
		"quoted comma and doubled quotes");
	ok(READ("a\nline\\nbreak\\\\x\\ry\n", &g, &e) == 0 &&
		strcmp(g.f[1][0], "line\nbreak\\x\ry") == 0 && g.len[1][0] == 14,
		"\\n, \\r and \\\\ escapes, and the length follows");
	ok(READ("a,b\n\"x,\\n\",\\\\\n", &g, &e) == 0 && strcmp(g.f[1][0], "x,\n") == 0 &&
		strcmp(g.f[1][1], "\\") == 0, "escapes inside quotes too");
	ok(READ("a\nC:\\temp\\\n", &g, &e) == 0 && strcmp(g.f[1][0], "C:\\temp\\") == 0,
		"any other backslash, and a last one, stays");
	ok(READ("a,b\n,\n", &g, &e) == 0 && g.nf[1] == 2 && !*g.f[1][0] && !*g.f[1][1],
		"empty fields");
	ok(READ("a,b\n\"\",\"\"\n", &g, &e) == 0 && g.nf[1] == 2 && !*g.f[1][0] && !*g.f[1][1],
		"quoted empty fields");
	ok(READ("a\n\"\"\n", &g, &e) == 0 && g.rows == 2 && g.nf[1] == 1 && !*g.f[1][0],
		"a line of one quoted empty value is a record");
	ok(READ("a,b,c\n1,,3\n", &g, &e) == 0 && g.nf[1] == 3 && !*g.f[1][1], "an empty middle field");
	ok(READ("a,b\n北京,\"上海,深圳\"\n", &g, &e) == 0 && strcmp(g.f[1][1], "上海,深圳") == 0,
		"UTF-8 values");
	ok(READ("a,b\n1,2\n3\n", &g, &e) == 0 && g.nf[1] == 2 && g.nf[2] == 1,
		"field counts are the caller's to check, row by row");
	{
		sbuf b = {0};
		for (int i = 0; i < CSV_MAX_FIELDS; i++)
			sb_adds(&b, i ? ",x" : "x");
		sb_addc(&b, '\n');
		ok(read_n(b.s, b.len, &g, &e) == 0 && g.nf[0] == CSV_MAX_FIELDS, "%d fields read",
			CSV_MAX_FIELDS);
		b.len--;
		sb_adds(&b, ",x\n");
		ok(read_n(b.s, b.len, &g, &e) == 65 &&
			strcmp(e.msg, "t.csv:1: csv: more than 64 fields") == 0, "%d are refused",
			CSV_MAX_FIELDS + 1);
		b.len = 0;
		sb_adds(&b, "a\n\"q\"");
		for (int i = 0; i < CSV_MAX_FIELDS; i++)
			sb_adds(&b, ",\"x\"");
		sb_addc(&b, '\n');
		ok(read_n(b.s, b.len, &g, &e) == 65 && strstr(e.msg, "t.csv:2: csv: more than 64"),
			"quoted lines too");
		sb_free(&b);
	}
	g.stop_after = 0;
	memset(&g, 0, sizeof g);
	g.stop_after = 2;
	memset(&e, 0, sizeof e);
	ok(csv_read("t.csv", "a\n1\n2\n3\n", 8, collect, &g, &e) == 0 && g.rows == 2,
		"CSV_STOP ends the read quietly");
	memset(&e, 0, sizeof e);
	ok(csv_read("t.csv", "a,b\n1,2\n", 8, fail_on_2, NULL, &e) == 65 &&
		strcmp(e.msg, "t.csv:2: b: no good") == 0, "the callback's error is the read's");

	/* What is refused: exit 65 and file:line: field: message, naming the physical line. */
	REFUSED("a,b\n1,2\n\"open,3\n4,5\n", "t.csv:3: csv: unterminated quote (a line break "
		"inside a value must be written \\n)", "an unterminated quote, named at its line");
	REFUSED("a,b\r\n\r\n1,2\r\n\"open,3\r\n4,5\r\n", "t.csv:4: csv: unterminated quote (a line "
		"break inside a value must be written \\n)", "after CRLF and a blank line: line 4");
	REFUSED("a,b\n1,\"2", "t.csv:2: csv: unterminated quote (a line break inside a value must "
		"be written \\n)", "an unterminated quote at the end of the file");
	REFUSED("a,b\nx\"y,2\n", "t.csv:2: csv: quote inside an unquoted field (column 2)",
		"a quote inside an unquoted field");
	REFUSED("a,b\n\"x\"y,2\n", "t.csv:2: csv: quote inside an unquoted field (column 4)",
		"text after a closing quote");
	REFUSED("a,b\n1, \"2\"\n", "t.csv:2: csv: quote inside an unquoted field (column 4)",
		"a space before an opening quote");
	refused("a,b\n1,\0002\n", 9, "t.csv:2: csv: NUL byte", "a NUL byte");
	refused("a,b\n\n\n1,2\0\n", 11, "t.csv:4: csv: NUL byte", "a NUL byte at the end of line 4");
	REFUSED("a,b\n1,\xff\n", "t.csv:2: csv: invalid UTF-8 at column 3", "invalid UTF-8");
	REFUSED("a,b\r\n\r\n1,2\r\n12345678901234\xe4\xb8\n",
		"t.csv:4: csv: invalid UTF-8 at column 15", "a cut sequence after CRLF lines");
	REFUSED("a,b\n1,\xed\xa0\x80\n", "t.csv:2: csv: invalid UTF-8 at column 3",
		"UTF-16 surrogates");
	REFUSED("a,b\n1,\xc0\xaf\n", "t.csv:2: csv: invalid UTF-8 at column 3", "overlong forms");
	REFUSED("a,b\n\"\xfe\"\n", "t.csv:2: csv: invalid UTF-8 at column 2", "in quotes too");
	REFUSED("a\xe4\n", "t.csv:1: csv: invalid UTF-8 at column 2", "in the header");
	REFUSED("a,b\nx\ry,2\n", "t.csv:2: csv: carriage return inside a line (column 2; write \\r "
		"in a value)", "a bare CR inside a line");
	REFUSED("a,b\n\"x\"\r\"y\"\n", "t.csv:2: csv: carriage return inside a line (column 4; "
		"write \\r in a value)", "a bare CR between quoted values (libcsv would split there)");
	REFUSED("a,b\n1,2\r\r\n", "t.csv:2: csv: carriage return inside a line (column 4; write "
		"\\r in a value)", "CR CR LF");
	REFUSED("a,b\n<<<<<<< HEAD\n", "t.csv:2: csv: merge conflict marker", "<<<<<<<");
	REFUSED("a,b\n1,2\n=======\n", "t.csv:3: csv: merge conflict marker", "=======");
	REFUSED("a,b\n>>>>>>> theirs\n", "t.csv:2: csv: merge conflict marker", ">>>>>>>");
	REFUSED("", "t.csv: csv: empty file (no header line)", "a zero-byte file is data loss");
	REFUSED("\n\n", "t.csv: csv: empty file (no header line)", "so is one of blank lines");
	REFUSED("\r\n", "t.csv: csv: empty file (no header line)", "or of a CRLF");
	REFUSED("\xEF\xBB\xBF", "t.csv: csv: empty file (no header line)", "or of a BOM alone");
	{
		char *big = malloc(CSV_MAX_LINE + 16);
		memset(big, 'x', CSV_MAX_LINE + 10);
		memcpy(big, "a\n", 2);
		refused(big, CSV_MAX_LINE + 10, "t.csv:2: csv: line longer than 1048576 bytes",
			"a line past the limit is refused, not read whole");
		big[CSV_MAX_LINE + 2] = '\n';
		memcpy(big + CSV_MAX_LINE + 3, "y\n", 2);
		ok(read_n(big, CSV_MAX_LINE + 5, &g, &e) == 0 && g.rows == 3 &&
			g.len[1][0] == CSV_MAX_LINE && g.lines[2] == 3, "a line at the limit is read");
		free(big);
	}

	/* Minimal quoting, in one place. */
	is_str(put("plain"), "plain", "a plain value is written bare");
	is_str(put(""), "", "an empty value is nothing");
	is_str(put("a,b"), "\"a,b\"", "a comma quotes");
	is_str(put("say \"hi\""), "\"say \"\"hi\"\"\"", "a quote is doubled, inside quotes");
	is_str(put("two\nlines"), "two\\nlines", "a line break is escaped, not quoted");
	is_str(put("a\\b"), "a\\\\b", "a backslash is doubled");
	is_str(put("x\r"), "x\\r", "a CR is escaped");
	is_str(put(" x "), " x ", "spaces need nothing");
	is_str(put("=======") , "\"=======\"", "a value that looks like a conflict marker is quoted");
	is_str(put("\xEF\xBB\xBFx"), "\"\xEF\xBB\xBFx\"", "and one that starts with a BOM");
	{
		sbuf b = {0};
		const char *one[] = {""};
		csv_put_row(&b, one, 1);
		is_str(sb_str(&b), "\"\"\n", "a record of one empty value is not a blank line");
		sb_free(&b);
	}

	/* Round trips: write, read back, compare; then write again, the same bytes. */
	const char *vals[] = {
		"plain", "with,comma", "with \"quote\"", "two\nlines", "back\\slash",
		"", " lead", "cr\rhere", "北京,科技", "\\n literal",
		"\"", "\\", ",", "\n", "\r\n",
		"trail\\", "\\\\n", "a\"\"b", "\"\"", "tab\there",
		"<<<<<<< HEAD", "=======", ">>>>>>> x", "\xEF\xBB\xBF" "bom", "😀 emoji",
		"=1+2", "@cmd", "-5", "+5", "'q",
	};
	int n = (int)(sizeof vals / sizeof vals[0]);
	round_trip(vals, n, 5, "read(write(x)) == x for commas, quotes, line breaks, backslashes, CJK");
	round_trip(vals, n, 1, "one value a record, each of them");
	round_trip(vals + 20, 5, 5, "markers and a BOM even at the start of a line");
	const char *empties[] = {"", "", "", "", "", ""};
	round_trip(empties, 6, 1, "records of one empty value");
	round_trip(empties, 6, 3, "records of empty values");
	const char *first_bom[] = {"\xEF\xBB\xBF", "x"};
	round_trip(first_bom, 2, 2, "a header that starts with a BOM character");
	{
		char *huge = malloc(200001);
		for (int i = 0; i < 200000; i++)
			huge[i] = "ab,\"\n\\"[i % 6];
		huge[200000] = 0;
		sbuf b = {0};
		const char *row[] = {"h", huge};
		csv_put_row(&b, row, 1);
		csv_put_row(&b, row + 1, 1);
		struct got *h = calloc(1, sizeof *h);
		crm_err e2 = {0};
		ok(csv_read("big.csv", b.s, b.len, collect, h, &e2) == 0 && h->rows == 2 &&
			h->len[1][0] == 200000, "a 200 kB value of commas, quotes and breaks reads back");
		free(h);
		free(huge);
		sb_free(&b);
	}

	/* The prefiltered reader still delivers the header and keeps line numbers. */
	{
		struct csv_pre pre = {no_line, NULL, NULL, NULL};
		memset(&g, 0, sizeof g);
		memset(&e, 0, sizeof e);
		const char *s = "a,b\n1,2\n\n3,\"x\"\"y\"\n4,a\\nb\n";
		ok(csv_read_lines("t.csv", s, strlen(s), &pre, collect, &g, &e) == 0 && g.rows == 3 &&
			g.lines[0] == 1 && g.lines[1] == 4 && g.lines[2] == 5 &&
			strcmp(g.f[1][1], "x\"y") == 0 && strcmp(g.f[2][1], "a\nb") == 0,
			"lines the prefilter may not judge are parsed, at their physical lines");
	}
	return done_testing();
}
