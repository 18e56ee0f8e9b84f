/* Output: aligned table on a terminal, CSV in a pipe, or what -o asks for. */
#ifndef CRM_OUT_H
#define CRM_OUT_H
#include <stdio.h>
#include "err.h"
#include "text.h"

/* OUT_EXCEL: what a spreadsheet opens as is (BOM, CRLF, real line breaks, formulas neutralised). */
enum outfmt { OUT_AUTO, OUT_TABLE, OUT_CSV, OUT_TSV, OUT_JSON, OUT_EXCEL };

struct out {
	enum outfmt fmt;
	int n;
	const char **cols;
	int spreadsheet; /* neutralise cells a spreadsheet would run as formulas */
	char **cells;    /* table: rows kept to measure widths */
	size_t rows, cap;
	sbuf line;
	sbuf *capture;   /* not NULL: rows (not a table's) are added here, not written */
};

int out_parse_fmt(const char *s, enum outfmt *f);
void out_start(struct out *o, enum outfmt fmt, const char *const *cols, int n);
void out_row(struct out *o, const char *const *vals);
/* A line already in the store's CSV dialect (OUT_CSV only), its line end added. */
void out_raw(struct out *o, const char *line, size_t len);
/* Flushes and checks stdout, so `>/dev/full` fails. */
int out_finish(struct out *o, crm_err *e);
/* Checks stdout after plain printing. */
int out_close_stdout(crm_err *e);

#endif
