/*
 * Reports over a whole table read only a few fields of each record. A record
 * is one physical line in the store's dialect, so the values up to the last
 * one wanted are cut out of each line here, in place in the file's buffer,
 * without the CSV library, and the rest of the line is never read. A file is
 * read this way only when every line passes (values checked as the full
 * reader checks them); else the full reader takes it, and names any problem.
 *
 * Files are independent, so a table's files are shared out among threads
 * (scan_workers); each thread calls fn with its own context, and the caller
 * adds the contexts up at the end. The first failing file (in path order)
 * gives the error, as a scan file by file would.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "store.h"

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

/* The character at *p, an escape (\n, \r, \\) decoded (*p left on its last byte); 0 when not as crm writes it. */
static char plain_char(char **p, const char *nl)
{
	char c = **p;
	if (c == '\r')
		return 0;
	if (c != '\\')
		return c;
	if (++*p >= nl)
		return 0;
	return **p == 'n' ? '\n' : **p == 'r' ? '\r' : **p == '\\' ? '\\' : 0;
}

/*
 * The value of the store's dialect at p, unescaped in place and ended by a NUL
 * (an unescaped value is never longer than its text, so the NUL lands at the
 * latest on its comma or line end): quoted ("" for a quote) or not, with \n,
 * \r and \\ for line breaks and backslashes. Returns where the value's text
 * ended (its comma or nl), or NULL when it is not as crm writes it.
 */
static char *cut(char *p, char *nl)
{
	char *out = p;
	if (p < nl && *p == '"') {
		for (p++;; p++) {
			if (p >= nl)
				return NULL;
			char c = *p;
			if (c == '"') {
				if (p + 1 < nl && p[1] == '"') {
					p++;
				} else {
					p++;
					if (p < nl && *p != ',')
						return NULL;
					break;
				}
			} else if ((c = plain_char(&p, nl)) == 0) {
				return NULL;
			}
			*out++ = c;
		}
		*out = 0;
		return p;
	}
	/* Unquoted: most values have no escape, and are left where they are. */
	char *end = p;
	while (end < nl && *end != ',' && *end != '\\' && *end != '\r')
		end++;
	if (end == nl || *end == ',') {
		*end = 0;
		return end;
	}
	for (out = end, p = end; p < nl && *p != ','; p++) {
		char c = plain_char(&p, nl);
		if (!c)
			return NULL;
		*out++ = c;
	}
	*out = 0;
	return p;
}

/* One worker's file: its bytes, and per line the wanted values (into them). */
struct cutfile {
	sbuf buf;
	char **v;              /* nw per line */
	long *line;
	size_t n, cap;
};

static void cf_push(struct cutfile *cf, int nw, long line)
{
	if (cf->n == cf->cap) {
		cf->cap = cf->cap ? cf->cap * 2 : 512;
		cf->v = xrealloc(cf->v, cf->cap * (size_t)nw * sizeof *cf->v);
		cf->line = xrealloc(cf->line, cf->cap * sizeof *cf->line);
	}
	cf->line[cf->n++] = line;
}

/* Every line's wanted values, checked; FULL_READER when a line is not as crm writes it. */
static int cut_file(const struct table *t, struct cutfile *cf, int digits, const int *want, int nw)
{
	char *buf = cf->buf.s, *end = buf + cf->buf.len, *nl = memchr(buf, '\n', cf->buf.len);
	struct plan pl;
	cf->n = 0;
	if (!nl || memchr(buf, 0, cf->buf.len) || plan_header(t, buf, nl, want, nw, &pl))
		return FULL_READER;
	long line = 1;
	for (char *p = nl + 1, *q; p < end; p = q + 1) {
		q = memchr(p, '\n', (size_t)(end - p));
		if (!q)
			q = end;
		line++;
		if (q == p)
			continue;
		cf_push(cf, nw, line);
		char **v = cf->v + (cf->n - 1) * (size_t)nw;
		for (int col = 0; col < pl.need; col++) {
			if (p > q)
				return FULL_READER;
			char *at = p;
			p = cut(p, q);
			if (!p)
				return FULL_READER;
			for (int k = 0; k < nw; k++)
				if (pl.col[k] == col)
					v[k] = at;
			p++; /* past the comma, or past the line end on the last column */
			if (p > q && col + 1 < pl.need)
				return FULL_READER;
		}
		for (int k = 0; k < nw; k++)
			if (field_check(&t->f[want[k]], v[k], digits))
				return FULL_READER;
	}
	return 0;
}

static void rec_line(rec *r, const struct cutfile *cf, size_t i, const int *want, int nw)
{
	char **v = cf->v + i * (size_t)nw;
	for (int k = 0; k < nw; k++)
		r->v[want[k]] = v[k];
	r->line = cf->line[i];
}

/* ahead sees each record AHEAD_FAR and then AHEAD_NEAR records before fn does. */
#define AHEAD_FAR 16
#define AHEAD_NEAR 4

static int deliver(const struct table *t, const char *path, struct cutfile *cf, const int *want, int nw,
	const struct scanfn *f, void *ctx, crm_err *e)
{
	static char empty[1];
	rec r = {0};
	r.t = t;
	r.file = path;
	for (int i = 0; i < t->nf; i++)
		r.v[i] = empty;
	for (int k = 0; k < nw; k++)
		r.present |= 1ull << want[k];
	rec ra = r;
	int rc = 0;
	for (size_t i = 0; i < cf->n && !rc; i++) {
		if (f->ahead && i + AHEAD_FAR < cf->n) {
			rec_line(&ra, cf, i + AHEAD_FAR, want, nw);
			f->ahead(ctx, &ra, 1);
		}
		if (f->ahead && i + AHEAD_NEAR < cf->n) {
			rec_line(&ra, cf, i + AHEAD_NEAR, want, nw);
			f->ahead(ctx, &ra, 0);
		}
		rec_line(&r, cf, i, want, nw);
		rc = f->fn(ctx, &r, e);
	}
	return rc;
}

static int scan_one(struct store *s, const struct table *t, const char *path, struct cutfile *cf,
	const int *want, int nw, const struct scanfn *f, void *ctx, crm_err *e)
{
	int found;
	int rc = store_load_listed(s, path, &cf->buf, &found, e);
	if (rc || !found)
		return rc;
	rc = cut_file(t, cf, s->digits, want, nw);
	if (rc != FULL_READER)
		return deliver(t, path, cf, want, nw, f, ctx, e);
	/* The buffer was cut up: the full reader reads the file again. */
	rc = store_load_listed(s, path, &cf->buf, &found, e);
	return rc ? rc : table_read(t, path, cf->buf.s, cf->buf.len, s->digits, f->fn, ctx, e);
}

static void cf_free(struct cutfile *cf)
{
	sb_free(&cf->buf);
	free(cf->v);
	free(cf->line);
}

int store_scan_fields(struct store *s, const struct table *t, const char *path, const int *want, int nw,
	rec_fn fn, void *ctx, crm_err *e)
{
	struct cutfile cf = {0};
	struct scanfn f = {fn, NULL};
	int rc = scan_one(s, t, path, &cf, want, nw, &f, ctx, e);
	cf_free(&cf);
	return rc;
}

int scan_workers(struct store *s)
{
	int n = crm_threads();
	/* --at and a store being repaired read through libgit2, one thread at a time. */
	if (s->at || s->at_tree)
		n = 1;
	return n > SCAN_MAX ? SCAN_MAX : n;
}

struct parjob {
	size_t n;
	par_fn fn;
	void *job;
	atomic_size_t next, stop;  /* stop: the first item that failed; later ones are left */
	struct pworker {
		struct parjob *p;
		int k;
		size_t failed;     /* the item it failed on, or n */
		int rc;
		crm_err e;
	} w[SCAN_MAX];
};

static void *par_run(void *arg)
{
	struct pworker *w = arg;
	struct parjob *p = w->p;
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->n || i > atomic_load(&p->stop))
			break;
		int rc = p->fn(p->job, w->k, i, &w->e);
		if (rc) {
			w->rc = rc;
			w->failed = i;
			size_t st = atomic_load(&p->stop);
			while (i < st && !atomic_compare_exchange_weak(&p->stop, &st, i))
				;
			break;
		}
	}
	return NULL;
}

int par_items(size_t n, int nthreads, par_fn fn, void *job, crm_err *e)
{
	struct parjob *p = xcalloc(1, sizeof *p);
	p->n = n;
	p->fn = fn;
	p->job = job;
	atomic_init(&p->next, 0);
	atomic_init(&p->stop, n);
	if (nthreads > SCAN_MAX)
		nthreads = SCAN_MAX;
	pthread_t th[SCAN_MAX];
	int started = 0;
	for (int k = 0; k < nthreads; k++)
		p->w[k] = (struct pworker){.p = p, .k = k, .failed = n};
	/* Worker 0 is this thread; a thread that cannot start leaves its share to the others. */
	for (int k = 1; k < nthreads && (size_t)k < n; k++, started++)
		if (pthread_create(&th[k], NULL, par_run, &p->w[k]))
			break;
	par_run(&p->w[0]);
	for (int k = 1; k <= started; k++)
		pthread_join(th[k], NULL);
	int rc = 0;
	size_t first = n;
	for (int k = 0; k < nthreads; k++)
		if (p->w[k].rc && p->w[k].failed < first) {
			first = p->w[k].failed;
			rc = p->w[k].rc;
			*e = p->w[k].e;
		}
	free(p);
	return rc == CSV_STOP ? 0 : rc;
}

struct pscan {
	struct store *s;
	const struct table *t;
	char *const *paths;
	const int *want;
	int nw;
	struct scanfn f;
	void *const *ctx;
	struct cutfile cf[SCAN_MAX];
};

static int pscan_one(void *job, int k, size_t i, crm_err *e)
{
	struct pscan *p = job;
	return scan_one(p->s, p->t, p->paths[i], &p->cf[k], p->want, p->nw, &p->f, p->ctx[k], e);
}

int store_scan_paths_par(struct store *s, const struct table *t, char *const *paths, size_t n,
	const int *want, int nw, const struct scanfn *f, void *const *ctx, int nctx, crm_err *e)
{
	struct pscan *p = xcalloc(1, sizeof *p);
	*p = (struct pscan){.s = s, .t = t, .paths = paths, .want = want, .nw = nw, .f = *f, .ctx = ctx};
	int rc = par_items(n, nctx, pscan_one, p, e);
	for (int k = 0; k < SCAN_MAX; k++)
		cf_free(&p->cf[k]);
	free(p);
	return rc;
}

int store_scan_par(struct store *s, const struct table *t, const int *want, int nw, const struct scanfn *f,
	void *const *ctx, int nctx, crm_err *e)
{
	char **paths;
	size_t n;
	int rc = store_list(s, t->name, &paths, &n, e);
	if (!rc)
		rc = store_scan_paths_par(s, t, paths, n, want, nw, f, ctx, nctx, e);
	store_list_free(paths, n);
	return rc;
}

int store_scan_table_fields(struct store *s, const struct table *t, const int *want, int nw,
	rec_fn fn, void *ctx, crm_err *e)
{
	struct scanfn f = {fn, NULL};
	return store_scan_par(s, t, want, nw, &f, &ctx, 1, e);
}
