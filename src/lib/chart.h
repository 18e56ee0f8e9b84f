/* Pictures of a report: horizontal bars in Unicode blocks on a terminal, or a self-contained SVG. */
#ifndef CRM_CHART_H
#define CRM_CHART_H
#include <stdio.h>
#include "err.h"

struct chart {
	const char *title;
	int svg;
	char **label;
	char **value;      /* as printed: "1234.50", "17" */
	size_t n;
};
void chart_add(struct chart *c, const char *label, const char *value);
/* Bars scaled to the largest value; negative values draw no bar. */
int chart_draw(struct chart *c, FILE *f, crm_err *e);
void chart_free(struct chart *c);

#endif
