#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "date.h"
#include "edit.h"

/*
 * A write rewrites whole segments: a shipment appends to three ledgers and
 * changes an order and its lines in place, and each 128 KiB segment it touched
 * cost a 25-30 KB blob (131 KB a ship at 100,000 customers). At 32 KiB each is
 * 7 KB, while a month of a million customers' lines stays under a thousand files.
 */
#define SEGMENT_BYTES (32 * 1024)

void ledger_init(struct ledger *l, struct store *s, const struct table *t)
{
	memset(l, 0, sizeof *l);
	l->s = s;
	l->t = t;
	int kb = store_conf_int(s, "store.segment-kib", SEGMENT_BYTES / 1024);
	l->cap_bytes = (size_t)(kb > 0 ? kb : SEGMENT_BYTES / 1024) * 1024;
}

void ledger_free(struct ledger *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->seg[i].path);
		sb_free(&l->seg[i].buf);
	}
	free(l->seg);
	free(l->bym);
	memset(l, 0, sizeof *l);
}

/* The month's name (at most 7 bytes) as one number: the same name, the same number. */
static unsigned long long month_no(const char *month)
{
	unsigned long long v = 0;
	for (int i = 0; i < 7 && month[i]; i++)
		v = v << 8 | (unsigned char)month[i];
	return v;
}

static size_t bym_slot(const struct ledger *l, unsigned long long m)
{
	size_t h = (size_t)(m * 0x9E3779B97F4A7C15ull >> 40) & (l->bymcap - 1);
	while (l->bym[h].idx && l->bym[h].month != m)
		h = (h + 1) & (l->bymcap - 1);
	return h;
}

/* Index i of seg is month m's; the table kept at most half full. */
static void bym_put(struct ledger *l, unsigned long long m, size_t i)
{
	if (2 * (l->n + 1) > l->bymcap) {
		size_t old = l->bymcap;
		struct month_slot *was = l->bym;
		l->bymcap = old ? 2 * old : 64;
		l->bym = xcalloc(l->bymcap, sizeof *l->bym);
		for (size_t k = 0; k < old; k++)
			if (was[k].idx)
				l->bym[bym_slot(l, was[k].month)] = was[k];
		free(was);
	}
	size_t h = bym_slot(l, m);
	l->bym[h].month = m;
	l->bym[h].idx = i + 1;
}

int ledger_dir_of(const struct table *t, const char *id, char *out, size_t cap)
{
	size_t pl = strlen(t->prefix);
	if (strncmp(id, t->prefix, pl) != 0)
		return -1;
	const char *d = id + pl;
	for (int i = 0; i < 6; i++)
		if (d[i] < '0' || d[i] > '9')
			return -1;
	if (d[6] != '-')
		return -1;
	snprintf(out, cap, "%s/%.4s-%.2s", t->name, d, d + 4);
	return 0;
}

/*
 * A month's first SEG_FAN segments lie in its folder (visits/2026-11/0001.csv),
 * each later run of SEG_FAN in a sub-folder named by its first number
 * (shipments/2026-11/0033/0033.csv ... 0064.csv, 0065/0065.csv): a write
 * rewrites every tree on its path, and a month of a million customers'
 * shipments, 879 segments in one folder, was a tree of 31,644 bytes; now 59
 * entries (1,989 bytes) and a sub-folder of at most 32 (1,152). A write pays
 * about 2F + S/F entries for S segments: at a million customers the four
 * month trees a ship rewrites come to 8.8 KB with F = 32, 14.7 KB with 64 and
 * 7.3 KB with 16; 32 keeps a month of up to 1 MB of one ledger in one folder
 * (stores of up to some 30,000 customers), and hundreds of customers are far
 * from it.
 * The names sort as the numbers do (0032.csv, 0033/...): a listing is in the
 * order written. A month written flat past SEG_FAN before sub-folders (flat)
 * goes on flat.
 */
#define SEG_FAN 32

static void seg_path(struct ledger *l, struct segment *g)
{
	char p[256];
	if (g->no <= SEG_FAN || g->flat)
		snprintf(p, sizeof p, "%s/%s/%04d.csv", l->t->name, g->month, g->no);
	else
		snprintf(p, sizeof p, "%s/%s/%04d/%04d.csv", l->t->name, g->month,
			(g->no - 1) / SEG_FAN * SEG_FAN + 1, g->no);
	free(g->path);
	g->path = xstrdup(p);
}

size_t ledger_month_len(const char *path)
{
	const char *slash = strchr(path, '/');
	const char *end = slash ? strchr(slash + 1, '/') : NULL;
	return end ? (size_t)(end - path) : slash ? (size_t)(slash - path) : strlen(path);
}

static unsigned long long month_seq(const char *id)
{
	const char *dash = strchr(id, '-');
	return dash ? strtoull(dash + 1, NULL, 10) : 0;
}

struct segscan {
	unsigned long long max;
	size_t rows;
};

static int seg_row(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct segscan *ss = ctx;
	unsigned long long v = month_seq(r->v[0]);
	if (v > ss->max)
		ss->max = v;
	ss->rows++;
	return 0;
}

/* The month's open segment: its last file (the highest number: names sort as
 * numbers), and the highest id number used in the month. */
static int seg_open(struct ledger *l, const char *month, struct segment **out, crm_err *e)
{
	unsigned long long m = month_no(month);
	if (l->bymcap) {
		size_t h = bym_slot(l, m);
		if (l->bym[h].idx) {
			*out = &l->seg[l->bym[h].idx - 1];
			return 0;
		}
	}
	bym_put(l, m, l->n);
	l->seg = xrealloc(l->seg, (l->n + 1) * sizeof *l->seg);
	struct segment *g = &l->seg[l->n++];
	memset(g, 0, sizeof *g);
	snprintf(g->month, sizeof g->month, "%s", month);
	char dir[64];
	snprintf(dir, sizeof dir, "%s/%s", l->t->name, month);
	char **paths;
	size_t n;
	int rc = store_list(l->s, dir, &paths, &n, e);
	g->no = 1;
	for (size_t k = n; k-- > 0 && !rc;) {
		const char *base = strrchr(paths[k], '/') + 1;
		struct segscan ss = {0};
		rc = store_scan_file(l->s, l->t, paths[k], seg_row, &ss, e);
		if (k == n - 1) {
			g->no = atoi(base);
			g->flat = g->no > SEG_FAN && base == paths[k] + strlen(dir) + 1;
			g->rows = ss.rows;
			char *buf;
			size_t len;
			if (!rc && !(rc = store_load(l->s, paths[k], &buf, &len, e)) && buf) {
				sb_add(&g->buf, buf, len);
				free(buf);
			}
		}
		g->last_seq = ss.max;
		if (ss.rows)
			break;
	}
	store_list_free(paths, n);
	if (!rc && g->buf.len && g->buf.s[g->buf.len - 1] != '\n')
		sb_addc(&g->buf, '\n');
	if (!g->buf.len)
		table_write_header(l->t, &g->buf);
	seg_path(l, g);
	*out = g;
	return rc;
}

/* PREFIX YYYYMM-NNNNN[-node] (O202611-00007), as snprintf's "%s%.4s%.2s-%05llu-%s"
 * would write it: an import mints millions, and snprintf was a tenth of it. */
static void mint_id(struct ledger *l, const char *month, unsigned long long seq, char *out, size_t cap)
{
	const char *node = store_node(l->s);
	char id[128], num[24];
	size_t n = strlen(l->t->prefix), ml = strlen(month);
	int k = 0;
	for (unsigned long long v = seq; k < 5 || v; v /= 10)
		num[k++] = (char)('0' + v % 10);
	memcpy(id, l->t->prefix, n); /* a table's prefix is a letter */
	memcpy(id + n, month, ml < 4 ? ml : 4);
	n += ml < 4 ? ml : 4;
	if (ml > 5) {
		memcpy(id + n, month + 5, ml - 5 < 2 ? ml - 5 : 2);
		n += ml - 5 < 2 ? ml - 5 : 2;
	}
	id[n++] = '-';
	while (k > 0)
		id[n++] = num[--k];
	if (*node) {
		size_t nl = strnlen(node, sizeof id - n - 2);
		id[n++] = '-';
		memcpy(id + n, node, nl);
		n += nl;
	}
	str_put(out, cap, id, n);
}

int ledger_append(struct ledger *l, char **v, char *idout, size_t cap, crm_err *e)
{
	const char *date = v[l->t->date_field];
	char month[8];
	size_t ml = strnlen(date, 7);
	memcpy(month, date, ml);
	month[ml] = 0;
	struct segment *g;
	int rc = seg_open(l, month, &g, e);
	if (rc)
		return rc;
	unsigned long long seq;
	if (!*v[0]) {
		mint_id(l, month, seq = g->last_seq + 1, idout, cap);
		v[0] = idout;
	} else {
		seq = month_seq(v[0]);
	}
	/* Written in place; a line that overfills the segment moves to a new one. */
	size_t at = g->buf.len;
	csv_put_row(&g->buf, (const char *const *)v, l->t->nf);
	if (g->rows && g->buf.len > l->cap_bytes) {
		sbuf line = {0};
		sb_add(&line, g->buf.s + at, g->buf.len - at);
		g->buf.len = at;
		if (g->dirty) {
			/* Handed to the store as it is: an import fills thousands. */
			char *full = g->buf.s;
			g->buf = (sbuf){0};
			sb_grow(&g->buf, l->cap_bytes + 1024);
			if ((rc = store_put_own(l->s, g->path, full, at, e))) {
				sb_free(&line);
				return rc;
			}
		}
		g->no++;
		g->rows = 0;
		g->buf.len = 0;
		table_write_header(l->t, &g->buf);
		seg_path(l, g);
		sb_add(&g->buf, line.s, line.len);
		sb_free(&line);
	}
	g->rows++;
	g->dirty = 1;
	if (seq > g->last_seq)
		g->last_seq = seq;
	return 0;
}

int ledger_flush(struct ledger *l, crm_err *e)
{
	int rc = 0;
	for (size_t i = 0; i < l->n && !rc; i++)
		if (l->seg[i].dirty)
			rc = store_put(l->s, l->seg[i].path, l->seg[i].buf.s, l->seg[i].buf.len, e);
	return rc;
}

void ledit_init(struct ledit *ve, struct store *s, const struct table *t, const char *noun)
{
	memset(ve, 0, sizeof *ve);
	ve->s = s;
	ve->t = t;
	ve->noun = noun;
}

void ledit_free(struct ledit *ve)
{
	for (size_t i = 0; i < ve->n; i++) {
		free(ve->seg[i].path);
		recs_free(&ve->seg[i].rs);
	}
	free(ve->seg);
	memset(ve, 0, sizeof *ve);
}

static rec **seg_find(struct lseg *g, const char *id)
{
	for (size_t i = 0; i < g->rs.n; i++)
		if (strcmp(g->rs.r[i]->v[0], id) == 0)
			return &g->rs.r[i];
	return NULL;
}

static struct lseg *seg_loaded(struct ledit *ve, const char *path)
{
	for (size_t i = 0; i < ve->n; i++)
		if (strcmp(ve->seg[i].path, path) == 0)
			return &ve->seg[i];
	return NULL;
}

/* Only the segments of the id's month (its sub-folders too) are read, newest first:
 * a change is usually recent. */
int ledit_get(struct ledit *ve, const char *id, rec ***slot, crm_err *e)
{
	char dir[64];
	if (id_check(id) || ledger_dir_of(ve->t, id, dir, sizeof dir))
		return crm_fail(e, CRM_ENOTFOUND, "no %s '%s'", ve->noun, id);
	char **paths;
	size_t n;
	int rc = store_list(ve->s, dir, &paths, &n, e);
	*slot = NULL;
	for (size_t k = n; k-- > 0 && !rc && !*slot;) {
		struct lseg *g = seg_loaded(ve, paths[k]);
		if (!g) {
			ve->seg = xrealloc(ve->seg, (ve->n + 1) * sizeof *ve->seg);
			g = &ve->seg[ve->n++];
			memset(g, 0, sizeof *g);
			g->path = xstrdup(paths[k]);
			rc = store_load_recs(ve->s, ve->t, paths[k], &g->rs, e);
		}
		if (!rc && (*slot = seg_find(g, id)))
			g->dirty = 1;
	}
	store_list_free(paths, n);
	if (!rc && !*slot)
		rc = crm_fail(e, CRM_ENOTFOUND, "no %s '%s'", ve->noun, id);
	return rc;
}

int ledit_flush(struct ledit *ve, crm_err *e)
{
	int rc = 0;
	for (size_t i = 0; i < ve->n && !rc; i++)
		if (ve->seg[i].dirty)
			rc = store_put_recs(ve->s, ve->t, ve->seg[i].path, &ve->seg[i].rs, e);
	return rc;
}

int ledger_scan(struct store *s, const struct table *t, int32_t from, int32_t to, rec_fn fn, void *ctx, crm_err *e)
{
	return ledger_scan_fields(s, t, from, to, NULL, 0, fn, ctx, e);
}

int ledger_paths(struct store *s, const struct table *t, int32_t from, int32_t to, char ***paths, size_t *n,
	crm_err *e)
{
	char first[11] = "0000-00-00", last[11] = "9999-99-99";
	size_t skip = strlen(t->name) + 1, kept = 0;
	if (from != INT32_MIN)
		date_fmt(from, first);
	if (to != INT32_MAX)
		date_fmt(to, last);
	int rc = store_list(s, t->name, paths, n, e);
	for (size_t i = 0; i < *n; i++) {
		/* t/YYYY-MM/NNNN.csv: a month outside the range holds nothing wanted. */
		const char *m = (*paths)[i] + skip;
		if (strlen((*paths)[i]) > skip + 7 && (strncmp(m, last, 7) > 0 || strncmp(m, first, 7) < 0))
			free((*paths)[i]);
		else
			(*paths)[kept++] = (*paths)[i];
	}
	*n = kept;
	return rc;
}

int ledger_scan_par(struct store *s, const struct table *t, int32_t from, int32_t to, const int *want, int nw,
	const struct scanfn *f, void *const *ctx, int nctx, crm_err *e)
{
	char **paths;
	size_t n;
	int rc = ledger_paths(s, t, from, to, &paths, &n, e);
	if (!rc)
		rc = store_scan_paths_par(s, t, paths, n, want, nw, f, ctx, nctx, e);
	store_list_free(paths, n);
	return rc;
}

int ledger_scan_fields(struct store *s, const struct table *t, int32_t from, int32_t to, const int *want, int nw,
	rec_fn fn, void *ctx, crm_err *e)
{
	char **paths;
	size_t n;
	int rc = ledger_paths(s, t, from, to, &paths, &n, e);
	for (size_t i = 0; i < n && !rc; i++)
		rc = nw ? store_scan_fields(s, t, paths[i], want, nw, fn, ctx, e) : store_scan_file(s, t, paths[i], fn, ctx, e);
	store_list_free(paths, n);
	return rc == CSV_STOP ? 0 : rc;
}
