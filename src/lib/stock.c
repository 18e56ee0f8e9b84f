#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "money.h"
#include "stock.h"

/*
 * SKU x warehouse -> balance, in open addressing with the key and its hash
 * inline: a million moves each look one up, and a lookup that chases a
 * pointer to its key string costs a cache miss more (half the time of level).
 */
static uint64_t sq_hash(const char *sku, size_t ls, const char *wh, size_t lw)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < ls; i++)
		h = (h ^ (unsigned char)sku[i]) * 1099511628211ull;
	h = (h ^ '@') * 1099511628211ull;
	for (size_t i = 0; i < lw; i++)
		h = (h ^ (unsigned char)wh[i]) * 1099511628211ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h | 1; /* 0 marks an empty slot */
}

static void sq_insert(struct stockmap *m, uint64_t h, size_t idx)
{
	size_t i = (size_t)h & (m->tcap - 1);
	while (m->t[i].h)
		i = (i + 1) & (m->tcap - 1);
	m->t[i].h = h;
	m->t[i].idx = idx;
}

static void sq_rehash(struct stockmap *m)
{
	free(m->t);
	m->tcap = m->tcap ? m->tcap * 2 : 1024;
	while (m->tcap < 2 * (m->n + 1))
		m->tcap *= 2;
	m->t = xcalloc(m->tcap, sizeof *m->t);
	for (size_t i = 0; i < m->n; i++)
		sq_insert(m, m->a[i].h, i);
}

static struct sq *sq_find(struct stockmap *m, const char *sku, size_t ls, const char *wh, size_t lw)
{
	uint64_t h = sq_hash(sku, ls, wh, lw);
	for (size_t i = m->tcap ? (size_t)h & (m->tcap - 1) : 0; m->tcap && m->t[i].h; i = (i + 1) & (m->tcap - 1)) {
		struct sq *q = &m->a[m->t[i].idx];
		if (m->t[i].h == h && !memcmp(q->sku, sku, ls) && !q->sku[ls] && !memcmp(q->wh, wh, lw) && !q->wh[lw])
			return q;
	}
	if (2 * (m->n + 1) > m->tcap)
		sq_rehash(m);
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 256;
		m->a = xrealloc(m->a, m->cap * sizeof *m->a);
	}
	struct sq *q = &m->a[m->n];
	/* Ids are at most 40 bytes (id_check); longer ones never reach here. */
	snprintf(q->sku, sizeof q->sku, "%.*s", (int)ls, sku);
	snprintf(q->wh, sizeof q->wh, "%.*s", (int)lw, wh);
	q->q = q->v = 0;
	q->h = h;
	sq_insert(m, h, m->n++);
	return q;
}

struct sq *stockmap_at(struct stockmap *m, const char *sku, const char *wh)
{
	return sq_find(m, sku, strlen(sku), wh, strlen(wh));
}

struct sq *stockmap_get(struct stockmap *m, const char *sku, const char *wh)
{
	uint64_t h = sq_hash(sku, strlen(sku), wh, strlen(wh));
	for (size_t i = m->tcap ? (size_t)h & (m->tcap - 1) : 0; m->tcap && m->t[i].h; i = (i + 1) & (m->tcap - 1)) {
		struct sq *q = &m->a[m->t[i].idx];
		if (m->t[i].h == h && !strcmp(q->sku, sku) && !strcmp(q->wh, wh))
			return q;
	}
	return NULL;
}

void stockmap_free(struct stockmap *m)
{
	free(m->a);
	free(m->t);
	memset(m, 0, sizeof *m);
}

static int sq_cmp(const void *x, const void *y)
{
	const struct sq *a = x, *b = y;
	int c = strcmp(a->sku, b->sku);
	return c ? c : strcmp(a->wh, b->wh);
}

void stockmap_sort(struct stockmap *m)
{
	if (m->n > 1)
		qsort(m->a, m->n, sizeof *m->a, sq_cmp);
	/* The table points at the old places: rebuild it. */
	memset(m->t, 0, m->tcap * sizeof *m->t);
	for (size_t i = 0; i < m->n; i++)
		sq_insert(m, m->a[i].h, i);
}

struct adder {
	struct stockmap *m;
	int digits;
	int qf, vf;           /* fields holding qty and value */
	int32_t as_of;        /* moves after it are left out (INT32_MAX: none) */
};

static int add_rec(void *ctx, rec *r, crm_err *e)
{
	struct adder *a = ctx;
	int64_t q, v;
	int ski = a->qf == ST_QTY ? ST_SKU : MV_SKU, whi = a->qf == ST_QTY ? ST_WH : MV_WH;
	if (a->as_of != INT32_MAX) {
		int32_t d;
		date_parse(r->v[MV_DATE], &d);
		if (d > a->as_of)
			return 0;
	}
	/* Values were checked by table_read; only an empty one is left to refuse. */
	if (int_parse(r->v[a->qf], &q) || money_parse(r->v[a->vf], a->digits, &v))
		return crm_fail_at(e, r->file, r->line, "qty", "empty quantity or value");
	struct sq *s = stockmap_at(a->m, r->v[ski], r->v[whi]);
	if (__builtin_add_overflow(s->q, q, &s->q) || __builtin_add_overflow(s->v, v, &s->v))
		return crm_fail_at(e, r->file, r->line, "value", "stock of %s overflows", r->v[ski]);
	return 0;
}

int stock_balances(struct store *s, struct stockmap *m, crm_err *e)
{
	struct adder a = {m, s->digits, ST_QTY, ST_VALUE, INT32_MAX};
	return store_scan(s, &T_STOCK, add_rec, &a, e);
}

/* A plain decimal with exactly `digits` fraction digits (as the store writes them), or -1. */
static int fast_num(const char *p, const char *end, int digits, int64_t *out)
{
	int neg = p < end && *p == '-', frac = -1;
	uint64_t v = 0;
	p += neg;
	if (p == end)
		return -1;
	for (; p < end; p++) {
		if (*p == '.' && frac < 0 && digits > 0) {
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9' || v > UINT64_MAX / 20)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
		if (frac >= 0)
			frac++;
	}
	if ((frac < 0 ? 0 : frac) != digits || v > INT64_MAX)
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

enum { FAST_NCOL = 5 };

/*
 * A moves file summed without the full reader: only date, sku, warehouse, qty
 * and value are looked at. A record is one physical line in the store's
 * dialect, so a quoted note further along the line does not matter; a needed
 * value that is quoted or escaped, or anything unexpected, returns 1, and the
 * full reader takes the file and names the problem.
 */
struct pend {
	size_t i;
	int64_t q, v;
};

static int sum_plain(struct adder *a, const char *buf, size_t len, const char *last)
{
	static struct pend *pd;
	static size_t npd, cap;
	npd = 0;
	static const int want[FAST_NCOL] = {MV_DATE, MV_SKU, MV_WH, MV_QTY, MV_VALUE};
	if (memchr(buf, 0, len))
		return 1;
	const char *p = buf, *end = buf + len, *nl = memchr(p, '\n', len);
	if (!nl)
		return 1;
	int col[FAST_NCOL], ncol = 0;
	for (int k = 0; k < FAST_NCOL; k++)
		col[k] = -1;
	for (const char *f = p; f <= nl; ncol++) {
		const char *c = memchr(f, ',', (size_t)(nl - f));
		size_t n = (size_t)((c ? c : nl) - f);
		for (int k = 0; k < FAST_NCOL; k++) {
			const char *name = T_MOVES.f[want[k]].name;
			if (strlen(name) == n && !memcmp(name, f, n))
				col[k] = ncol;
		}
		f = (c ? c : nl) + 1;
	}
	int need = 0;
	for (int k = 0; k < FAST_NCOL; k++) {
		if (col[k] < 0)
			return 1;
		if (col[k] >= need)
			need = col[k] + 1;
	}
	for (p = nl + 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl == p)
			continue;
		/* Only the columns up to the last one needed are split; what follows is not read. */
		const char *fs[CSV_MAX_FIELDS + 1];
		int nf = 0;
		const char *f = p;
		while (nf < need) {
			if (*f == '"')
				return 1;
			fs[nf++] = f;
			const char *c = memchr(f, ',', (size_t)(nl - f));
			f = c ? c + 1 : nl + 1;
			if (!c)
				break;
		}
		if (nf < need || (nf < ncol && f > nl))
			return 1;
		fs[nf] = f;
		if (memchr(p, '\\', (size_t)(f - 1 - p)) || memchr(p, '\r', (size_t)(f - 1 - p)))
			return 1;
		const char *v[FAST_NCOL], *ve[FAST_NCOL];
		for (int k = 0; k < FAST_NCOL; k++) {
			v[k] = fs[col[k]];
			ve[k] = fs[col[k] + 1] - 1;
		}
		if (ve[0] - v[0] != 10 || v[0][4] != '-' || v[0][7] != '-')
			return 1;
		if (last && memcmp(v[0], last, 10) > 0)
			continue;
		int64_t q, val;
		size_t ls = (size_t)(ve[1] - v[1]), lw = (size_t)(ve[2] - v[2]);
		if (!ls || !lw || ls > 40 || lw > 40 || fast_num(v[3], ve[3], 0, &q) ||
		    fast_num(v[4], ve[4], a->digits, &val))
			return 1;
		if (npd == cap) {
			cap = cap ? cap * 2 : 4096;
			pd = xrealloc(pd, cap * sizeof *pd);
		}
		pd[npd++] = (struct pend){(size_t)(sq_find(a->m, v[1], ls, v[2], lw) - a->m->a), q, val};
	}
	/* Added only once the whole file has parsed, so a fall back to the full reader starts clean. */
	for (size_t k = 0; k < npd; k++) {
		struct sq *s = &a->m->a[pd[k].i];
		if (__builtin_add_overflow(s->q, pd[k].q, &s->q) || __builtin_add_overflow(s->v, pd[k].v, &s->v)) {
			for (size_t j = 0; j < k; j++)
				a->m->a[pd[j].i].q -= pd[j].q, a->m->a[pd[j].i].v -= pd[j].v;
			return 1;
		}
	}
	return 0;
}

int stock_scan(struct store *s, int32_t as_of, struct stockmap *m, crm_err *e)
{
	struct adder a = {m, s->digits, MV_QTY, MV_VALUE, as_of};
	char **paths, last[11] = "", month[8] = "";
	size_t n;
	if (as_of != INT32_MAX) {
		date_fmt(as_of, last);
		snprintf(month, sizeof month, "%.7s", last);
	}
	int rc = store_list(s, T_MOVES.name, &paths, &n, e);
	size_t skip = strlen(T_MOVES.name) + 1;
	for (size_t i = 0; i < n && !rc; i++) {
		/* moves/YYYY-MM/NNNN.csv: a month after as_of holds nothing wanted. */
		if (as_of != INT32_MAX && strlen(paths[i]) > skip + 7 && strncmp(paths[i] + skip, month, 7) > 0)
			continue;
		char *buf;
		size_t len;
		if ((rc = store_load(s, paths[i], &buf, &len, e)) || !buf)
			continue;
		if (sum_plain(&a, buf, len, as_of == INT32_MAX ? NULL : last))
			rc = table_read(&T_MOVES, paths[i], buf, len, s->digits, add_rec, &a, e);
		free(buf);
	}
	store_list_free(paths, n);
	return rc;
}

struct carder {
	const char *sku, *wh;
	struct recs *out;
};

static int card_rec(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct carder *c = ctx;
	if (strcmp(r->v[MV_SKU], c->sku) == 0 && (!c->wh || strcmp(r->v[MV_WH], c->wh) == 0))
		recs_push(c->out, rec_dup(r));
	return 0;
}

/* Lines without ",SKU," cannot be the SKU's moves (a SKU has no comma or quote). */
static int card_line(void *ctx, const char *line, size_t n)
{
	const char *sku = ((struct carder *)ctx)->sku;
	size_t k = strlen(sku);
	for (const char *p = line; (p = memchr(p, ',', (size_t)(line + n - p))) != NULL; p++)
		if ((size_t)(line + n - p) > k + 1 && memcmp(p + 1, sku, k) == 0 && p[k + 1] == ',')
			return 1;
	return 0;
}

static int by_date_id(const void *x, const void *y)
{
	const rec *a = *(rec *const *)x, *b = *(rec *const *)y;
	int c = strcmp(a->v[MV_DATE], b->v[MV_DATE]);
	return c ? c : id_cmp(a->v[MV_ID], b->v[MV_ID]);
}

int stock_card(struct store *s, const char *sku, const char *wh, struct recs *out, crm_err *e)
{
	struct carder c = {sku, wh, out};
	struct csv_pre pre = {card_line, NULL, &c, NULL};
	const struct csv_pre *was = s->pre;
	s->pre = &pre;
	int rc = store_scan(s, &T_MOVES, card_rec, &c, e);
	s->pre = was;
	if (!rc && out->n > 1)
		qsort(out->r, out->n, sizeof *out->r, by_date_id);
	return rc;
}

const char *category_check(const char *path)
{
	if (!*path)
		return NULL;
	if (*path == '/' || path[strlen(path) - 1] == '/' || strstr(path, "//"))
		return "a category path has no empty segment ('tools/hand/wrench')";
	return NULL;
}

void category_cut(const char *path, int depth, char *out, size_t cap)
{
	const char *p = path;
	for (int d = 0; *p && d < depth; d++) {
		const char *slash = strchr(p, '/');
		if (!slash || d == depth - 1) {
			p = slash ? slash : p + strlen(p);
			break;
		}
		p = slash + 1;
	}
	snprintf(out, cap, "%.*s", (int)(p - path), path);
}

int product_check(const rec *p, const char *file, long line, crm_err *e)
{
	const char *why = category_check(p->v[PR_CATEGORY]);
	if (why)
		return crm_fail_at(e, file, line, "category", "%s '%s'", why, p->v[PR_CATEGORY]);
	for (int f = PR_PRICE; f <= PR_REORDER; f++)
		if (p->v[f][0] == '-')
			return crm_fail_at(e, file, line, T_PRODUCTS.f[f].name, "must not be negative '%s'", p->v[f]);
	return 0;
}

void stockedit_init(struct stockedit *se, struct store *s)
{
	memset(se, 0, sizeof *se);
	se->s = s;
	tabedit_init(&se->products, s, &T_PRODUCTS);
	tabedit_init(&se->warehouses, s, &T_WAREHOUSES);
	tabedit_init(&se->bal, s, &T_STOCK);
	ledger_init(&se->moves, s, &T_MOVES);
	const char *neg = store_conf_str(s, "stock.allow-negative", "false");
	se->allow_negative = !strcmp(neg, "true") || !strcmp(neg, "yes") || !strcmp(neg, "1") || !strcmp(neg, "on");
}

void stockedit_free(struct stockedit *se)
{
	tabedit_free(&se->products);
	tabedit_free(&se->warehouses);
	tabedit_free(&se->bal);
	ledger_free(&se->moves);
}

int stock_product(struct stockedit *se, const char *sku, rec **p, crm_err *e)
{
	return tabedit_peek(&se->products, sku, p, e);
}

int stock_warehouse(struct stockedit *se, const char *wh, rec **w, crm_err *e)
{
	return tabedit_peek(&se->warehouses, wh, w, e);
}

static int balance_get(struct stockedit *se, const char *sku, const char *wh, rec **r, crm_err *e)
{
	char key[100];
	snprintf(key, sizeof key, "%s@%s", sku, wh);
	return tabedit_get(&se->bal, key, r, e);
}

int stock_onhand(struct stockedit *se, const char *sku, const char *wh, int64_t *q, int64_t *v, crm_err *e)
{
	rec *r;
	int rc = balance_get(se, sku, wh, &r, e);
	*q = *v = 0;
	if (rc || !r)
		return rc;
	if (int_parse(r->v[ST_QTY], q) || money_parse(r->v[ST_VALUE], se->s->digits, v))
		return crm_fail_at(e, r->file, r->line, "qty", "stock of %s at %s is not a number", sku, wh);
	return 0;
}

static int balance_put(struct stockedit *se, const char *sku, const char *wh, int64_t q, int64_t v, crm_err *e)
{
	char key[100], qs[32], vs[32];
	snprintf(key, sizeof key, "%s@%s", sku, wh);
	snprintf(qs, sizeof qs, "%lld", (long long)q);
	money_fmt(v, se->s->digits, vs);
	char *vals[] = {key, (char *)sku, (char *)wh, qs, vs};
	return tabedit_put(&se->bal, rec_pack(&T_STOCK, vals), e);
}

/* What an outgoing q (> 0) takes from Q and V: the average, all of V for the last unit. */
static int64_t take_value(int64_t Q, int64_t V, int64_t q, int *overflow)
{
	int64_t out = 0;
	*overflow = 0;
	if (Q <= 0)
		return 0; /* nothing on hand (stock.allow-negative): no cost to take */
	if (q == Q)
		return V;
	if (money_muldiv(V, q, Q, &out))
		*overflow = 1;
	return out;
}

static int check_refs(struct stockedit *se, const struct move *m, crm_err *e)
{
	rec *p, *w;
	int rc = stock_product(se, m->sku, &p, e);
	if (!rc && !p)
		return crm_fail_at(e, m->file, m->line, "sku", "no product '%s'", m->sku);
	if (!rc && m->qty > 0 && !strcmp(m->kind, "in") && !strcmp(p->v[PR_STATUS], "discontinued"))
		return crm_fail_at(e, m->file, m->line, "sku", "'%s' is discontinued; nothing comes in", m->sku);
	if (!rc)
		rc = stock_warehouse(se, m->wh, &w, e);
	if (!rc && !w)
		return crm_fail_at(e, m->file, m->line, "warehouse", "no warehouse '%s'", m->wh);
	return rc;
}

int stock_post(struct stockedit *se, struct move *m, char *id, size_t cap, crm_err *e)
{
	int64_t Q, V;
	int rc = check_refs(se, m, e);
	if (!rc)
		rc = stock_onhand(se, m->sku, m->wh, &Q, &V, e);
	if (rc)
		return rc;
	if (m->qty < 0) {
		int64_t q = -m->qty;
		if (q > Q && !se->allow_negative)
			return crm_fail_at(e, m->file, m->line, "qty",
				"%s at %s has %lld on hand, cannot take %lld (stock.allow-negative is off)",
				m->sku, m->wh, (long long)Q, (long long)q);
		int over;
		m->value = -take_value(Q, V, q, &over);
		if (over)
			return crm_fail_at(e, m->file, m->line, "value", "the value of %s overflows", m->sku);
	}
	if (__builtin_add_overflow(Q, m->qty, &Q) || __builtin_add_overflow(V, m->value, &V))
		return crm_fail_at(e, m->file, m->line, "qty", "the stock of %s overflows", m->sku);
	char qs[32], vs[32];
	snprintf(qs, sizeof qs, "%lld", (long long)m->qty);
	money_fmt(m->value, se->s->digits, vs);
	static char empty[1];
	char *v[] = {empty, (char *)m->date, (char *)m->sku, (char *)m->wh, qs, vs, (char *)m->kind,
		(char *)(m->ref ? m->ref : ""), (char *)(m->by ? m->by : store_user(se->s)),
		(char *)(m->note ? m->note : "")};
	rc = ledger_append(&se->moves, v, id, cap, e);
	if (!rc)
		rc = balance_put(se, m->sku, m->wh, Q, V, e);
	if (!rc) {
		memcpy(se->last[0], se->last[1], sizeof se->last[0]);
		snprintf(se->last[1], sizeof se->last[1], "%s", id);
		se->n++;
	}
	return rc;
}

int stock_transfer(struct stockedit *se, struct move *m, const char *to, crm_err *e)
{
	char id[48];
	if (strcmp(m->wh, to) == 0)
		return crm_fail_at(e, m->file, m->line, "to", "'%s' is where it comes from", to);
	struct move in = *m;
	in.wh = to;
	int rc = check_refs(se, &in, e);
	if (!rc)
		rc = stock_post(se, m, id, sizeof id, e);
	if (rc)
		return rc;
	in.qty = -m->qty;
	in.value = -m->value;
	return stock_post(se, &in, id, sizeof id, e);
}

int stock_count(struct stockedit *se, struct move *m, int *none, crm_err *e)
{
	int64_t Q, V;
	char id[48];
	*none = 0;
	int rc = check_refs(se, m, e);
	if (!rc)
		rc = stock_onhand(se, m->sku, m->wh, &Q, &V, e);
	if (rc)
		return rc;
	int64_t d = m->qty - Q;
	if (d == 0) {
		*none = 1;
		return 0;
	}
	m->qty = d;
	m->value = 0;
	/* Found units come in at the average of what is there (nothing there: no value). */
	if (d > 0 && Q > 0 && money_muldiv(V, d, Q, &m->value))
		return crm_fail_at(e, m->file, m->line, "value", "the value of %s overflows", m->sku);
	return stock_post(se, m, id, sizeof id, e);
}

struct whs {
	size_t n;
	char first[48];
};

static int count_wh(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct whs *w = ctx;
	if (!w->n++)
		snprintf(w->first, sizeof w->first, "%s", r->v[WH_ID]);
	return 0;
}

int stock_default_wh(struct store *s, const char **wh, crm_err *e)
{
	static char conf[64];
	snprintf(conf, sizeof conf, "%s", store_conf_str(s, "stock.warehouse", ""));
	if (*conf) {
		*wh = conf;
		return 0;
	}
	static struct whs w;
	memset(&w, 0, sizeof w);
	int rc = store_scan(s, &T_WAREHOUSES, count_wh, &w, e);
	if (rc)
		return rc;
	if (w.n != 1)
		return crm_fail(e, CRM_EUSAGE, w.n ? "--wh is needed: %zu warehouses, and no stock.warehouse in crm.conf" :
			"--wh is needed: no warehouse yet (crm-stock warehouse add ID NAME)%.0zu", w.n);
	*wh = w.first;
	return 0;
}

int stockedit_flush(struct stockedit *se, crm_err *e)
{
	int rc = ledger_flush(&se->moves, e);
	if (!rc)
		rc = tabedit_flush(&se->bal, e);
	if (!rc)
		rc = tabedit_flush(&se->products, e);
	if (!rc)
		rc = tabedit_flush(&se->warehouses, e);
	return rc;
}

struct verifier {
	struct stockmap *sums;
	int digits;
	void (*problem)(void *ctx, const char *msg);
	void *ctx;
	size_t n;
	unsigned char *seen;
};

static void verify_problem(struct verifier *vf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void verify_problem(struct verifier *vf, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	vf->n++;
	vf->problem(vf->ctx, msg);
}

static int verify_rec(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct verifier *vf = ctx;
	char key[100], vs[32];
	snprintf(key, sizeof key, "%s@%s", r->v[ST_SKU], r->v[ST_WH]);
	if (strcmp(key, r->v[ST_KEY]) != 0)
		verify_problem(vf, "%s:%ld: key: '%s' is not sku@warehouse ('%s')", r->file, r->line, r->v[ST_KEY], key);
	struct sq *hit = stockmap_get(vf->sums, r->v[ST_SKU], r->v[ST_WH]);
	int64_t q = 0, v = 0, sq = 0, sv = 0;
	int_parse(r->v[ST_QTY], &q);
	money_parse(r->v[ST_VALUE], vf->digits, &v);
	if (hit) {
		sq = hit->q, sv = hit->v;
		vf->seen[hit - vf->sums->a] = 1;
	}
	if (q != sq || v != sv)
		verify_problem(vf, "%s:%ld: qty: %s at %s holds %lld (%s) where its moves add up to %lld (%s)",
			r->file, r->line, r->v[ST_SKU], r->v[ST_WH], (long long)q, r->v[ST_VALUE],
			(long long)sq, money_fmt(sv, vf->digits, vs));
	return 0;
}

int stock_check(struct store *s, void (*problem)(void *ctx, const char *msg), void *ctx,
	size_t *problems, crm_err *e)
{
	struct stockmap sums = {0};
	struct verifier vf = {&sums, s->digits, problem, ctx, 0, NULL};
	int rc = stock_scan(s, INT32_MAX, &sums, e);
	if (!rc) {
		vf.seen = xcalloc(sums.n + 1, 1);
		rc = store_scan(s, &T_STOCK, verify_rec, &vf, e);
	}
	for (size_t i = 0; !rc && i < sums.n; i++)
		if (!vf.seen[i] && (sums.a[i].q || sums.a[i].v)) {
			char vs[32];
			verify_problem(&vf, "stock/: qty: no balance for %s at %s, whose moves add up to %lld (%s)",
				sums.a[i].sku, sums.a[i].wh, (long long)sums.a[i].q, money_fmt(sums.a[i].v, s->digits, vs));
		}
	*problems = vf.n;
	free(vf.seen);
	stockmap_free(&sums);
	return rc;
}
