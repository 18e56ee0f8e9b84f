#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "date.h"
#include "plist.h"
#include "query.h"

int is_assignment(const struct table *t, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || strchr("!<>~", eq[-1]))
		return 0;
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
	return table_field(t, name) >= 0 || strspn(name, "abcdefghijklmnopqrstuvwxyz_") == strlen(name);
}

int assign_apply(rec **r, const char *arg, int digits, int allow_auto, crm_err *e)
{
	const char *eq = strchr(arg, '=');
	char name[64];
	if (!eq || (size_t)(eq - arg) >= sizeof name)
		return crm_fail(e, CRM_EUSAGE, "'%s' is not field=value", arg);
	snprintf(name, sizeof name, "%.*s", (int)(eq - arg), arg);
	int i = table_field((*r)->t, name);
	if (i < 0)
		return crm_fail_at(e, "argument", 0, name, "no such field in %s", (*r)->t->name);
	if (((*r)->t->f[i].flags & F_AUTO) && !allow_auto)
		return crm_fail_at(e, "argument", 0, name, "kept by crm; cannot be set");
	return assign_value(r, i, eq + 1, digits, e);
}

int assign_value(rec **r, int i, const char *v, int digits, crm_err *e)
{
	const struct field *f = &(*r)->t->f[i];
	/* Files are checked for UTF-8 as they are read; a value from argv would bypass that and break the shard. */
	size_t n = strlen(v), ok = utf8_valid(v, n);
	if (ok < n)
		return crm_fail_at(e, "argument", 0, f->name, "invalid UTF-8 at byte %zu", ok + 1);
	const char *why = field_check(f, v, digits);
	if (why && !*v)
		return crm_fail_at(e, "argument", 0, f->name, "%s", why);
	if (why)
		return crm_fail_at(e, "argument", 0, f->name, "%s '%s'", why, v);
	*r = rec_set(*r, i, v);
	return 0;
}

void idlist_add(struct idlist *l, const char *id)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->id = xrealloc(l->id, l->cap * sizeof *l->id);
	}
	l->id[l->n++] = xstrdup(id);
}

void idlist_free(struct idlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->id[i]);
	free(l->id);
	recs_free(&l->recs);
	memset(l, 0, sizeof *l);
}

static int push_rec(void *ctx, rec *r, crm_err *e)
{
	struct idlist *l = ctx;
	if (!*r->v[0])
		return crm_fail_at(e, r->file, r->line, r->t->f[0].name, "empty %s", r->t->f[0].name);
	idlist_add(l, r->v[0]);
	recs_push(&l->recs, rec_dup(r));
	return 0;
}

/*
 * A first line with a comma, or the single word "id", is a CSV header: an id
 * cannot hold a comma, so such a line was never meant as an id, and a header
 * with an unknown or missing column is refused as a header, by its name.
 */
static int is_header(const char *line, size_t n, const char *key)
{
	return memchr(line, ',', n) || (n == strlen(key) && memcmp(line, key, n) == 0);
}

static int header_has_id(const char *line, size_t n, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = line, *end = line + n; p < end;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t k = c ? (size_t)(c - p) : (size_t)(end - p);
		/* a header some systems write with every name quoted */
		int q = k == kl + 2 && p[0] == '"' && p[k - 1] == '"';
		if ((k == kl || q) && memcmp(p + q, key, kl) == 0)
			return 1;
		p += k + 1;
	}
	return 0;
}

int idlist_read(struct idlist *l, const struct table *t, const char *file,
	const char *encoding, int digits, crm_err *e)
{
	struct input in;
	int rc = input_load(&in, file, encoding, e);
	if (rc)
		return rc;
	size_t len = in.len;
	const char *p = in.buf, *end = in.buf + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	size_t first = strcspn(p, "\r\n");
	const char *key = t->f[0].name;
	if (is_header(p, first, key)) {
		/* Without an id column every record would fail as "empty id": say what is missing. */
		if (!header_has_id(p, first, key))
			rc = crm_fail_at(e, file, 1, key, "required column missing from header");
		if (!rc)
			rc = input_records(&in, t, digits, 1, push_rec, l, e);
		input_free(&in);
		return rc;
	}
	for (long line = 1; p < end && !rc; line++) {
		size_t n = strcspn(p, "\r\n");
		char *id = xstrndup(p, n);
		char *s = id, *x = id + strlen(id);
		while (*s == ' ' || *s == '\t')
			s++;
		while (x > s && (x[-1] == ' ' || x[-1] == '\t'))
			*--x = 0;
		const char *why = *s ? id_check(s) : NULL;
		if (why)
			rc = crm_fail_at(e, file, line, key, "%s '%s'", why, s);
		else if (*s)
			idlist_add(l, s);
		free(id);
		p += n;
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
	}
	input_free(&in);
	return rc;
}

int columns_pick(const struct table *t, const char *spec, enum outfmt fmt, int *cols, int *n, crm_err *e)
{
	*n = 0;
	if (spec) {
		char *tmp = xstrdup(spec);
		int rc = 0;
		for (char *tok = strtok(tmp, ","); tok && !rc; tok = strtok(NULL, ",")) {
			int i = table_field(t, tok);
			if (i < 0)
				rc = crm_fail(e, CRM_EUSAGE, "--fields: '%s': no such field in %s", tok, t->name);
			else if (*n < CSV_MAX_FIELDS)
				cols[(*n)++] = i;
		}
		free(tmp);
		return rc;
	}
	if (fmt == OUT_AUTO)
		fmt = isatty(STDOUT_FILENO) ? OUT_TABLE : OUT_CSV;
	for (int i = 0; i < t->nf; i++)
		if (fmt != OUT_TABLE || (t->f[i].flags & F_BRIEF))
			cols[(*n)++] = i;
	return 0;
}

/* Every field in the table's order, as CSV for a pipe: a line read as crm wrote it is printed as it is
 * (or with an empty value for each field its file lacks). */
static int prints_lines(const struct query *q)
{
	if (q->out.fmt != OUT_CSV || q->out.spreadsheet || q->keep || q->ncols != q->t->nf)
		return 0;
	for (int i = 0; i < q->ncols; i++)
		if (q->cols[i] != i)
			return 0;
	return 1;
}

/* A line whose file lacks some of the table's fields (an older shard), with an
 * empty value put in for each: its present values' runs added to b as they are. */
static void spliced(sbuf *b, const rec *r)
{
	unsigned long long has = r->present;
	int nf = r->t->nf;
	for (int i = 0, col = 0; i < nf;) {
		if (i)
			sb_addc(b, ',');
		if (!(has >> i & 1)) {
			i++;
			continue;
		}
		int from = col;
		for (; i < nf && (has >> i & 1); i++)
			col++;
		sb_add(b, r->raw + r->rawoff[from], r->rawoff[col] - 1 - r->rawoff[from]);
	}
}

void query_print(struct query *q, const rec *r)
{
	if (r->raw && q->lines) {
		int nf = r->t->nf;
		if (r->present == (nf < 64 ? (1ull << nf) - 1 : ~0ull)) {
			out_raw(&q->out, r->raw, r->rawlen);
		} else if (q->out.capture) {
			/* a list's worker: straight into the buffer it fills */
			spliced(q->out.capture, r);
			sb_addc(q->out.capture, '\n');
		} else {
			q->out.line.len = 0;
			spliced(&q->out.line, r);
			out_raw(&q->out, q->out.line.s, q->out.line.len);
		}
		return;
	}
	const char *v[CSV_MAX_FIELDS];
	for (int i = 0; i < q->ncols; i++)
		v[i] = r->v[q->cols[i]];
	out_row(&q->out, v);
}

int query_one(void *ctx, rec *r, crm_err *e)
{
	struct query *q = ctx;
	/* A line the pre-filter matched on its bytes is not matched again. */
	int m = !q->flt || filter_sure(q->flt, r->at) ? 1 : filter_match(q->flt, r->v, r->file, r->line, e);
	if (m < 0)
		return e->code;
	if (!m || (q->keep && !q->keep(q->ctx, r)))
		return 0;
	q->matched++;
	query_print(q, r);
	return 0;
}

int query_list(struct query *q, char **terms, int nterms, const char *fields,
	enum outfmt fmt, crm_err *e)
{
	int rc = columns_pick(q->t, fields, fmt, q->cols, &q->ncols, e);
	if (!rc)
		rc = filter_parse(&q->flt, q->t->f, q->t->nf, terms, nterms, q->s->digits, e);
	if (rc) {
		filter_free(q->flt);
		return rc;
	}
	const char *names[CSV_MAX_FIELDS];
	for (int i = 0; i < q->ncols; i++)
		names[i] = q->t->f[q->cols[i]].name;
	/* 64 KiB writes to a file or pipe, not stdio's 4 KiB: 28,000 customers listed
	 * were 891 write calls. Nothing has been written to stdout yet; glibc takes
	 * the size only with a buffer given. */
	static char obuf[1 << 16];
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	out_start(&q->out, fmt, names, q->ncols);
	q->out.spreadsheet = q->spreadsheet;
	q->lines = prints_lines(q);
	rc = plist_run(q, terms, nterms, e);
	if (rc == PLIST_ONE_THREAD) {
		struct csv_pre pre = {filter_line, filter_skip, q->flt, filter_header};
		q->s->pre = &pre;
		rc = store_scan(q->s, q->t, query_one, q, e);
		q->s->pre = NULL;
	}
	int orc = out_finish(&q->out, e);
	filter_free(q->flt);
	q->flt = NULL;
	if (!rc)
		rc = orc;
	if (!rc && q->matched == 0)
		rc = CRM_ENOTFOUND;
	return rc;
}

int matches_keep(void *ctx, rec *r, crm_err *e)
{
	struct matches *l = ctx;
	int m = filter_match(l->flt, r->v, r->file, r->line, e);
	if (m < 0)
		return e->code;
	if (m)
		recs_push(&l->rs, rec_dup(r));
	return 0;
}
