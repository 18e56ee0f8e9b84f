/*
 * The one CSV dialect (crm-store(5)): RFC 4180, UTF-8, LF, one record per
 * physical line. A line break or backslash inside a value is written as \n,
 * \r or \\, so grep and diff see whole records. Read with libcsv, written here.
 */
#ifndef CRM_CSVIO_H
#define CRM_CSVIO_H
#include <stddef.h>
#include "err.h"
#include "text.h"

#define CSV_MAX_FIELDS 64
#define CSV_MAX_LINE (1 << 20)

typedef struct csv_row {
	const char *file;
	long line;      /* physical line, from 1 */
	int n;
	char *f[CSV_MAX_FIELDS]; /* NUL-terminated, unescaped, valid in the callback only */
	size_t len[CSV_MAX_FIELDS];
	const char *raw;          /* csv_read_lines: the line, when each value stands in it as
	                           * csv_put_field writes it (else NULL) */
	size_t rawlen;
	size_t rawoff[CSV_MAX_FIELDS + 1]; /* with raw: where value i's text starts; rawoff[n] is rawlen + 1 */
	const char *at;           /* csv_read_lines: where the line starts in the buffer read */
} csv_row;

/* Returns 0 to go on, CSV_STOP to end quietly, or an error status. */
#define CSV_STOP (-1)
typedef int (*csv_row_fn)(void *ctx, csv_row *row, crm_err *e);

/* Every record of buf (the whole file), in order; the header is row line 1. */
int csv_read(const char *file, const char *buf, size_t len, csv_row_fn fn,
	void *ctx, crm_err *e);

/*
 * Where values 0..upto of a line without backslashes or doubled quotes lie
 * (off[i], len[i], quotes left out): the bytes the reader would give them.
 * Returns how many it found, fewer than upto + 1 on a short line, or -1 when
 * a closing quote is not followed by a comma: such lines are the reader's to judge.
 */
int csv_spans(const char *line, size_t n, int upto, size_t *off, size_t *len);

/*
 * The same, offering each data line that has no backslash and no doubled
 * quote (so its values stand in it verbatim) to pre first: 0 skips it
 * unparsed. Used by filters that can tell from the raw line.
 */
typedef int (*csv_line_fn)(void *ctx, const char *line, size_t n);
/*
 * And a bulk form: given the plain lines [p, end), where the first line that
 * could match lies (any byte of it), or end. Lines before it are not parsed:
 * a filter reads only what it may return (crm check reads every line). It sets
 * *lines to the line ends it passed over when it went line by line, so the
 * reader need not count them again, or to -1.
 */
typedef const char *(*csv_skip_fn)(void *ctx, const char *p, const char *end, long *lines);
/* Told each file's header before its lines: where the columns stand. */
typedef void (*csv_header_fn)(void *ctx, const csv_row *header);
struct csv_pre {
	csv_line_fn line;
	csv_skip_fn skip;
	void *ctx;
	csv_header_fn header;
};
int csv_read_lines(const char *file, const char *buf, size_t len, const struct csv_pre *pre,
	csv_row_fn fn, void *ctx, crm_err *e);

/*
 * Input from outside (import, `-`): any RFC 4180 file as spreadsheets and
 * other systems write it. A quoted value may span lines; CRLF, a byte order
 * mark, no final newline and a stray quote inside an unquoted value (taken
 * literally) are all accepted. row->line is the physical line the record
 * starts on. Backslash escapes are read as the line dialect writes them,
 * unless literal is set or the file starts with a byte order mark (a
 * spreadsheet's file, where a backslash is data).
 */
struct csv_in {
	int literal;
	const char *utf8_hint; /* appended to an "invalid UTF-8" message */
};
int csv_read_input(const char *file, const char *buf, size_t len, const struct csv_in *opt,
	csv_row_fn fn, void *ctx, crm_err *e);

void csv_put_field(sbuf *b, const char *s);
/* Would a reader take s, unquoted, for something else at a line's start? Then it is quoted. */
int csv_special(const char *s);
/* Fields joined by commas, then LF. */
void csv_put_row(sbuf *b, const char *const *f, int n);
/* RFC 4180 for a spreadsheet: line breaks and backslashes as they are, CRLF. */
void csv_put_row_crlf(sbuf *b, const char *const *f, int n);

#endif
