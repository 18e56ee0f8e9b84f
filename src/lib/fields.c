/*
 * Reports over a whole table read only a few fields of each record. A record
 * is one physical line in the store's dialect, so the values up to the last
 * one wanted are read off each line here, without the CSV library, and the
 * rest of the line is never read. A file is read this way only when every
 * line passes (values checked as the full reader checks them); else the full
 * reader takes it, and names any problem.
 */
#include <stdlib.h>
#include <string.h>
#include "store.h"

#define SCRATCH 512   /* wanted values of one line, NUL-terminated */
#define FULL_READER (-2) /* this file needs the full reader */

struct plan {
	int col[CSV_MAX_FIELDS];  /* file column of each wanted field */
	int need;                 /* columns to split: the last wanted + 1 */
	int ncol;                 /* columns of the header */
};

/* The header's columns for the wanted fields; -1 when one is missing (the full reader says why). */
static int plan_header(const struct table *t, const char *p, const char *nl, const int *want, int nw, struct plan *pl)
{
	const char *name[CSV_MAX_FIELDS];
	size_t len[CSV_MAX_FIELDS];
	int n = 0;
	for (const char *f = p; f <= nl && n < CSV_MAX_FIELDS; n++) {
		const char *c = memchr(f, ',', (size_t)(nl - f));
		name[n] = f;
		len[n] = (size_t)((c ? c : nl) - f);
		f = (c ? c : nl) + 1;
	}
	pl->ncol = n;
	pl->need = 0;
	for (int k = 0; k < nw; k++) {
		const char *fname = t->f[want[k]].name;
		pl->col[k] = -1;
		for (int i = 0; i < n; i++)
			if (strlen(fname) == len[i] && !memcmp(fname, name[i], len[i]))
				pl->col[k] = i;
		if (pl->col[k] < 0)
			return -1;
		if (pl->col[k] >= pl->need)
			pl->need = pl->col[k] + 1;
	}
	return 0;
}

/*
 * One value of the store's dialect at *pp, unescaped into out (NULL: skipped):
 * quoted ("" for a quote) or not, with \n, \r and \\ for line breaks and
 * backslashes. -1 when it is not as crm writes it (the full reader says why).
 */
static int field(const char **pp, const char *nl, char *out, size_t cap, size_t *len)
{
	const char *p = *pp;
	size_t n = 0;
	int quoted = p < nl && *p == '"';
	p += quoted;
	for (;; p++) {
		if (p >= nl) {
			if (quoted)
				return -1;
			break;
		}
		char c = *p;
		if (quoted && c == '"') {
			if (p + 1 < nl && p[1] == '"') {
				p++;
			} else {
				p++;
				if (p < nl && *p != ',')
					return -1;
				break;
			}
		} else if (!quoted && c == ',') {
			break;
		} else if (c == '\\') {
			if (++p >= nl)
				return -1;
			c = *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == '\\' ? '\\' : 0;
			if (!c)
				return -1;
		} else if (c == '\r') {
			return -1;
		}
		if (out) {
			if (n + 1 >= cap)
				return -1;
			out[n] = c;
		}
		n++;
	}
	if (out)
		out[n] = 0;
	*len = n;
	*pp = p;
	return 0;
}

/* The wanted values of one line into r (others empty), unescaped into scratch; -1 when not as written. */
static int fill(const struct table *t, const struct plan *pl, const int *want, int nw, const char *p, const char *nl,
	rec *r, char *scratch)
{
	static char empty[1];
	char *at[CSV_MAX_FIELDS] = {0};
	size_t used = 0;
	for (int i = 0; i < t->nf; i++)
		r->v[i] = empty;
	for (int col = 0; col < pl->need; col++) {
		int k = 0;
		while (k < nw && pl->col[k] != col)
			k++;
		size_t n;
		char *out = k < nw ? scratch + used : NULL;
		if (p > nl || field(&p, nl, out, SCRATCH - used, &n))
			return -1;
		if (out) {
			at[k] = out;
			used += n + 1;
		}
		if (p < nl)
			p++; /* the comma */
		else if (col + 1 < pl->need)
			return -1;
	}
	for (int k = 0; k < nw; k++)
		r->v[want[k]] = at[k] ? at[k] : empty;
	return 0;
}

static int plain_file(const struct table *t, const char *path, const char *buf, size_t len, int digits,
	const int *want, int nw, rec_fn fn, void *ctx, crm_err *e)
{
	const char *end = buf + len, *nl = memchr(buf, '\n', len);
	struct plan pl;
	if (!nl || memchr(buf, 0, len) || plan_header(t, buf, nl, want, nw, &pl))
		return FULL_READER;
	rec *r = xcalloc(1, sizeof *r);
	char scratch[SCRATCH];
	r->t = t;
	r->file = path;
	for (int k = 0; k < nw; k++)
		r->present |= 1ull << want[k];
	int rc = 0;
	/* First every line is checked, so a file either passes whole or goes to the full reader unread. */
	for (int pass = 0; pass < 2 && !rc; pass++) {
		long line = 1;
		for (const char *p = nl + 1, *q; p < end && !rc; p = q + 1) {
			q = memchr(p, '\n', (size_t)(end - p));
			if (!q)
				q = end;
			line++;
			if (q == p)
				continue;
			if (fill(t, &pl, want, nw, p, q, r, scratch)) {
				rc = FULL_READER; /* only in the first pass: the second reads the same lines */
				break;
			}
			if (pass == 0) {
				for (int k = 0; k < nw && !rc; k++)
					if (field_check(&t->f[want[k]], r->v[want[k]], digits))
						rc = FULL_READER;
			} else {
				r->line = line;
				rc = fn(ctx, r, e);
			}
		}
	}
	free(r);
	return rc;
}

int store_scan_fields(struct store *s, const struct table *t, const char *path, const int *want, int nw,
	rec_fn fn, void *ctx, crm_err *e)
{
	char *buf;
	size_t len;
	int rc = store_load(s, path, &buf, &len, e);
	if (rc || !buf)
		return rc;
	rc = plain_file(t, path, buf, len, s->digits, want, nw, fn, ctx, e);
	if (rc == FULL_READER)
		rc = table_read(t, path, buf, len, s->digits, fn, ctx, e);
	free(buf);
	return rc;
}

int store_scan_table_fields(struct store *s, const struct table *t, const int *want, int nw,
	rec_fn fn, void *ctx, crm_err *e)
{
	char **paths;
	size_t n;
	int rc = store_list(s, t->name, &paths, &n, e);
	for (size_t i = 0; i < n && !rc; i++)
		rc = store_scan_fields(s, t, paths[i], want, nw, fn, ctx, e);
	store_list_free(paths, n);
	return rc == CSV_STOP ? 0 : rc;
}
