#include <stdlib.h>
#include <string.h>
#include "chart.h"
#include "money.h"
#include "text.h"

#define BAR_WIDTH 40   /* terminal columns of the longest bar */
#define SVG_BAR 480    /* pixels of the longest bar */

void chart_add(struct chart *c, const char *label, const char *value)
{
	c->label = xrealloc(c->label, (c->n + 1) * sizeof *c->label);
	c->value = xrealloc(c->value, (c->n + 1) * sizeof *c->value);
	c->label[c->n] = xstrdup(label);
	c->value[c->n++] = xstrdup(value);
}

void chart_free(struct chart *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->label[i]);
		free(c->value[i]);
	}
	free(c->label);
	free(c->value);
}

/* Values are read as decimals with up to 6 places, so money and counts scale alike. */
static int64_t scaled(const char *v)
{
	int64_t m = 0;
	if (money_parse(v, 6, &m))
		return 0;
	return m;
}

static void xml_put(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else if ((unsigned char)*s >= 0x20 || *s == '\t')
			fputc(*s, f);
	}
}

/* Eighths of a cell: a bar's length is exact to 1/8 of a column. */
static void bar(FILE *f, int64_t v, int64_t max)
{
	static const char *const part[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	int64_t eighths = 0;
	if (v > 0 && max > 0 && money_muldiv(v, BAR_WIDTH * 8, max, &eighths))
		eighths = 0;
	for (int64_t i = 0; i < eighths / 8; i++)
		fputs("█", f);
	fputs(part[eighths % 8], f);
}

int chart_draw(struct chart *c, FILE *f, crm_err *e)
{
	int64_t max = 0;
	size_t lw = 0, vw = 0;
	for (size_t i = 0; i < c->n; i++) {
		int64_t v = scaled(c->value[i]);
		if (v > max)
			max = v;
		if (text_width(c->label[i]) > lw)
			lw = text_width(c->label[i]);
		if (strlen(c->value[i]) > vw)
			vw = strlen(c->value[i]);
	}
	if (!c->svg) {
		if (c->title)
			fprintf(f, "%s\n", c->title);
		for (size_t i = 0; i < c->n; i++) {
			sbuf l = {0};
			sb_add_visible(&l, c->label[i]);
			fprintf(f, "%s%*s  %*s ", sb_str(&l), (int)(lw - text_width(c->label[i])), "", (int)vw, c->value[i]);
			sb_free(&l);
			bar(f, scaled(c->value[i]), max);
			fputc('\n', f);
		}
		fputc('\n', f);
	} else {
		int rowh = 24, left = 16 + (int)(lw > 40 ? 40 : lw) * 8, top = 40;
		int w = left + SVG_BAR + 120, h = top + rowh * (int)c->n + 16;
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
			"font-family=\"sans-serif\" font-size=\"13\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", w, h, w, h);
		if (c->title) {
			fputs("<text x=\"8\" y=\"22\" font-size=\"16\" font-weight=\"bold\">", f);
			xml_put(f, c->title);
			fputs("</text>\n", f);
		}
		for (size_t i = 0; i < c->n; i++) {
			int64_t v = scaled(c->value[i]), px = 0;
			if (v > 0 && max > 0 && money_muldiv(v, SVG_BAR, max, &px))
				px = 0;
			int y = top + rowh * (int)i;
			fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8, y + 16);
			xml_put(f, c->label[i]);
			fprintf(f, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%lld\" height=\"%d\" fill=\"#4a7ab0\"/>\n",
				left, y + 4, (long long)px, rowh - 8);
			fprintf(f, "<text x=\"%lld\" y=\"%d\">", (long long)(left + px + 6), y + 16);
			xml_put(f, c->value[i]);
			fputs("</text>\n", f);
		}
		fputs("</svg>\n", f);
	}
	if (fflush(f) || ferror(f))
		return crm_fail(e, CRM_ECANTCREAT, "cannot write the chart");
	return 0;
}
