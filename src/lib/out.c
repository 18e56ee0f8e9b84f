#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "csvio.h"
#include "out.h"

int out_parse_fmt(const char *s, enum outfmt *f)
{
	static const char *names[] = {"auto", "table", "csv", "tsv", "json", "excel"};
	for (int i = 0; i < 6; i++)
		if (strcmp(s, names[i]) == 0) {
			*f = (enum outfmt)i;
			return 0;
		}
	return -1;
}

void out_start(struct out *o, enum outfmt fmt, const char *const *cols, int n)
{
	memset(o, 0, sizeof *o);
	if (fmt == OUT_AUTO)
		fmt = isatty(STDOUT_FILENO) ? OUT_TABLE : OUT_CSV;
	o->fmt = fmt;
	o->n = n;
	o->cols = xmalloc((size_t)n * sizeof *o->cols);
	memcpy(o->cols, cols, (size_t)n * sizeof *cols);
	if (fmt == OUT_CSV) {
		csv_put_row(&o->line, cols, n);
		fwrite(o->line.s, 1, o->line.len, stdout);
	} else if (fmt == OUT_EXCEL) {
		/* the byte order mark is how Excel knows the file is UTF-8 */
		fputs("\xEF\xBB\xBF", stdout);
		csv_put_row_crlf(&o->line, cols, n);
		fwrite(o->line.s, 1, o->line.len, stdout);
	} else if (fmt == OUT_TSV) {
		for (int i = 0; i < n; i++)
			printf("%s%s", i ? "\t" : "", cols[i]);
		putchar('\n');
	}
}

static void put_json_str(sbuf *b, const char *s)
{
	sb_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_addc(b, '\\'), sb_addc(b, (char)*p);
		else if (*p == '\n')
			sb_adds(b, "\\n");
		else if (*p == '\t')
			sb_adds(b, "\\t");
		else if (*p == '\r')
			sb_adds(b, "\\r");
		else if (*p < 0x20 || *p == 0x7F)
			sb_printf(b, "\\u%04x", *p);
		else
			sb_addc(b, (char)*p);
	}
	sb_addc(b, '"');
}

/* A cell that a spreadsheet would evaluate gets a leading quote. */
static const char *neutral(const char *v, sbuf *tmp)
{
	if (!strchr("=+-@\t\r", v[0]) || !v[0])
		return v;
	tmp->len = 0;
	sb_addc(tmp, '\'');
	sb_adds(tmp, v);
	return tmp->s;
}

/* A row of cells a spreadsheet will not run: every value neutralised, then written. */
static void put_neutral(sbuf *b, const char *const *vals, int n, int excel)
{
	sbuf tmp[CSV_MAX_FIELDS] = {{0}};
	const char *v[CSV_MAX_FIELDS] = {0};
	for (int i = 0; i < n && i < CSV_MAX_FIELDS; i++)
		v[i] = neutral(vals[i] ? vals[i] : "", &tmp[i]);
	if (excel)
		csv_put_row_crlf(b, v, n);
	else
		csv_put_row(b, v, n);
	for (int i = 0; i < n && i < CSV_MAX_FIELDS; i++)
		sb_free(&tmp[i]);
}

void out_row(struct out *o, const char *const *vals)
{
	sbuf *b = &o->line;
	b->len = 0;
	switch (o->fmt) {
	case OUT_TABLE:
		if (o->rows == o->cap) {
			o->cap = o->cap ? o->cap * 2 : 64;
			o->cells = xrealloc(o->cells, o->cap * (size_t)o->n * sizeof *o->cells);
		}
		for (int i = 0; i < o->n; i++) {
			sbuf v = {0};
			sb_add_visible(&v, vals[i] ? vals[i] : "");
			o->cells[o->rows * (size_t)o->n + (size_t)i] = v.s ? v.s : xstrdup("");
		}
		o->rows++;
		return;
	case OUT_CSV:
	case OUT_EXCEL:
		if (!o->spreadsheet && o->fmt == OUT_CSV) {
			csv_put_row(b, vals, o->n);
			break;
		}
		put_neutral(b, vals, o->n, o->fmt == OUT_EXCEL);
		break;
	case OUT_TSV:
		for (int i = 0; i < o->n; i++) {
			if (i)
				sb_addc(b, '\t');
			for (const char *p = vals[i] ? vals[i] : ""; *p; p++) {
				if (*p == '\t')
					sb_adds(b, "\\t");
				else if (*p == '\n')
					sb_adds(b, "\\n");
				else if (*p == '\r')
					sb_adds(b, "\\r");
				else if (*p == '\\')
					sb_adds(b, "\\\\");
				else
					sb_addc(b, *p);
			}
		}
		sb_addc(b, '\n');
		break;
	case OUT_JSON:
		sb_addc(b, '{');
		for (int i = 0; i < o->n; i++) {
			if (i)
				sb_addc(b, ',');
			put_json_str(b, o->cols[i]);
			sb_addc(b, ':');
			put_json_str(b, vals[i] ? vals[i] : "");
		}
		sb_adds(b, "}\n");
		break;
	default:
		break;
	}
	if (o->capture)
		sb_add(o->capture, b->s, b->len);
	else
		fwrite(b->s, 1, b->len, stdout);
}

void out_raw(struct out *o, const char *line, size_t len)
{
	if (o->capture) {
		sb_add(o->capture, line, len);
		sb_addc(o->capture, '\n');
	} else {
		fwrite(line, 1, len, stdout);
		putchar('\n');
	}
}

static void pad(size_t n)
{
	while (n--)
		putchar(' ');
}

static void print_table(struct out *o)
{
	size_t *w = xcalloc((size_t)o->n, sizeof *w);
	for (int i = 0; i < o->n; i++)
		w[i] = text_width(o->cols[i]);
	for (size_t r = 0; r < o->rows; r++)
		for (int i = 0; i < o->n; i++) {
			size_t cw = text_width(o->cells[r * (size_t)o->n + (size_t)i]);
			if (cw > w[i])
				w[i] = cw;
		}
	for (size_t r = 0; r <= o->rows; r++) {
		for (int i = 0; i < o->n; i++) {
			const char *c = r == 0 ? o->cols[i] : o->cells[(r - 1) * (size_t)o->n + (size_t)i];
			fputs(c, stdout);
			if (i + 1 < o->n)
				pad(w[i] - text_width(c) + 2);
		}
		putchar('\n');
	}
	free(w);
}

int out_close_stdout(crm_err *e)
{
	if (fflush(stdout) || ferror(stdout))
		return crm_fail(e, CRM_ECANTCREAT, "write error on standard output: %s",
			strerror(errno ? errno : EIO));
	return 0;
}

int out_finish(struct out *o, crm_err *e)
{
	if (o->fmt == OUT_TABLE && o->rows)
		print_table(o);
	for (size_t i = 0; i < o->rows * (size_t)o->n; i++)
		free(o->cells[i]);
	free(o->cells);
	free(o->cols);
	sb_free(&o->line);
	memset(o, 0, sizeof *o);
	return out_close_stdout(e);
}
