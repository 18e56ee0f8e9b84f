/* crm-report: top N, period over period, pivots, 80/20, KPIs, funnel, work reports, churn risk (crm-report(1)). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bulkmem.h"
#include "chart.h"
#include "cli.h"
#include "customer.h"
#include "date.h"
#include "money.h"
#include "order.h"
#include "cols.h"
#include "report.h"

enum { OPT_FROM = OPT_CMD, OPT_TO, OPT_OF, OPT_PERIOD, OPT_YOY, OPT_SUM, OPT_CLASSES, OPT_BY, OPT_CHART,
	OPT_FACTOR, OPT_DROP };

static const struct option opts[] = {
	{"from", required_argument, NULL, OPT_FROM},
	{"to", required_argument, NULL, OPT_TO},
	{"of", required_argument, NULL, OPT_OF},
	{"period", required_argument, NULL, OPT_PERIOD},
	{"yoy", no_argument, NULL, OPT_YOY},
	{"sum", required_argument, NULL, OPT_SUM},
	{"classes", required_argument, NULL, OPT_CLASSES},
	{"by", required_argument, NULL, OPT_BY},
	{"chart", no_argument, NULL, OPT_CHART},
	{"factor", required_argument, NULL, OPT_FACTOR},
	{"drop", required_argument, NULL, OPT_DROP},
	{0},
};

struct cmd {
	struct cli cli;
	struct store s;
	const char *from_s, *to_s, *of, *period, *sum, *classes, *by, *factor, *drop;
	int yoy, chart, svg;
	int32_t from, to;
	struct rctx r;               /* the ledgers the verb reads, opened before it runs */
	int ropen;
};

static int on_opt(void *ctx, int opt, const char *arg, crm_err *e)
{
	struct cmd *c = ctx;
	switch (opt) {
	case OPT_FROM: c->from_s = arg; return 0;
	case OPT_TO: c->to_s = arg; return 0;
	case OPT_OF: c->of = arg; return 0;
	case OPT_PERIOD: c->period = arg; return 0;
	case OPT_YOY: c->yoy = 1; return 0;
	case OPT_SUM: c->sum = arg; return 0;
	case OPT_CLASSES: c->classes = arg; return 0;
	case OPT_BY: c->by = arg; return 0;
	case OPT_CHART: c->chart = 1; return 0;
	case OPT_FACTOR: c->factor = arg; return 0;
	case OPT_DROP: c->drop = arg; return 0;
	}
	return cli_usage(&c->cli, e, "unknown option");
}

static int get_measure(struct cmd *c, const char *s, enum measure *m, crm_err *e)
{
	if (measure_parse(s, m))
		return cli_usage(&c->cli, e, "unknown measure: sales booked margin qty orders receipts balance visits new_customers quotes pipeline");
	return 0;
}

static void fmt_value(struct cmd *c, enum measure m, int64_t v, char *buf)
{
	if (measure_is_money(m))
		money_fmt(v, c->s.digits, buf);
	else
		sprintf(buf, "%lld", (long long)v);
}

/* Rows are printed as a table or CSV, or drawn: --chart on a terminal, -o svg anywhere. */
static int emit(struct cmd *c, const char *const *cols, int ncol, struct recs *rows, int label, int value,
	const char *title, crm_err *e)
{
	if (c->svg || c->chart) {
		struct chart ch = {.title = title, .svg = c->svg};
		/* Bars are labelled by name where the rows have one (customers, products), else by key. */
		for (size_t i = 0; i < rows->n; i++) {
			const rec *row = rows->r[i];
			int named = label + 1 < row->t->nf && !strcmp(row->t->f[label + 1].name, "name") && *row->v[label + 1];
			chart_add(&ch, row->v[named ? label + 1 : label], row->v[value]);
		}
		int rc = chart_draw(&ch, stdout, e);
		chart_free(&ch);
		if (c->svg || rc)
			return rc;
	}
	struct out o;
	out_start(&o, c->chart ? OUT_TABLE : c->cli.fmt, cols, ncol);
	for (size_t i = 0; i < rows->n; i++)
		out_row(&o, (const char *const *)rows->r[i]->v);
	return out_finish(&o, e);
}

/* A table of text rows: reports are small, and rec_pack keeps one allocation a row. */
static struct field text_fields[16];
static struct table T_ROWS = {"report", T_LEDGER, "", text_fields, 0, -1, 0};

static void rows_init(const char *const *cols, int n)
{
	for (int i = 0; i < n; i++)
		text_fields[i] = (struct field){cols[i], FT_TEXT, NULL, 0};
	T_ROWS.nf = n;
}

static void rows_add(struct recs *rows, const char **v)
{
	recs_push(rows, rec_pack(&T_ROWS, (char *const *)v));
}

static int by_value_desc(const void *x, const void *y)
{
	const struct rgroup *a = x, *b = y;
	if (a->v != b->v)
		return a->v > b->v ? -1 : 1;
	return strcmp(a->k1, b->k1);
}

static int by_keys(const void *x, const void *y)
{
	const struct rgroup *a = x, *b = y;
	int c = strcmp(a->k1, b->k1);
	return c ? c : strcmp(a->k2, b->k2);
}

static int of_dim(struct cmd *c, struct dimspec *d, crm_err *e)
{
	const char *of = c->of ? c->of : "customers";
	static const char *const names[] = {"customers", "products", "owners", "regions", "categories"};
	static const enum dim dims[] = {D_CUSTOMER, D_SKU, D_OWNER, D_REGION, D_CATEGORY};
	for (int i = 0; i < 5; i++)
		if (!strcmp(of, names[i])) {
			d->d = dims[i];
			d->depth = 0;
			return 0;
		}
	return cli_usage(&c->cli, e, "--of customers, products, owners, regions or categories");
}

static const char *name_of(struct rctx *r, enum dim d, const char *key)
{
	long i = d == D_CUSTOMER ? rctx_customer_index(r, key) : d == D_SKU ? rctx_product_index(r, key) : -1;
	return i < 0 ? "" : d == D_CUSTOMER ? rctx_cf(r, i, CU_NAME) : rctx_pf(r, i, PR_NAME);
}

/*
 * The n largest groups first, in by_value_desc order (the rest after them in
 * no order): a million customers need not all be sorted for ten of them.
 */
static void top_first(struct rresult *res, size_t n)
{
	if (n * 16 > res->n) {
		if (res->n > 1)
			qsort(res->g, res->n, sizeof *res->g, by_value_desc);
		return;
	}
	size_t *best = xmalloc((n + 1) * sizeof *best), nb = 0;
	for (size_t i = 0; i < res->n; i++) {
		if (nb == n && by_value_desc(&res->g[i], &res->g[best[nb - 1]]) >= 0)
			continue;
		size_t j = nb < n ? nb++ : n - 1;
		for (; j > 0 && by_value_desc(&res->g[i], &res->g[best[j - 1]]) < 0; j--)
			best[j] = best[j - 1];
		best[j] = i;
	}
	struct rgroup *g = xmalloc(res->n * sizeof *g);
	unsigned char *taken = xcalloc(res->n, 1);
	size_t k = 0;
	for (size_t j = 0; j < nb; j++) {
		g[k++] = res->g[best[j]];
		taken[best[j]] = 1;
	}
	for (size_t i = 0; i < res->n; i++)
		if (!taken[i])
			g[k++] = res->g[i];
	free(res->g);
	res->g = g;
	res->cap = res->n;
	free(best);
	free(taken);
}

static int cmd_top(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct rctx *r = &c->r;
	char *end;
	long n = argc >= 2 ? strtol(argv[0], &end, 10) : 0;
	if (argc < 2 || *end || n < 1)
		return cli_usage(&c->cli, e, "top N MEASURE");
	enum measure m;
	struct dimspec d;
	int rc = get_measure(c, argv[1], &m, e);
	if (!rc)
		rc = of_dim(c, &d, e);
	struct rresult res;
	r->top = (size_t)n; /* a million customers' sums need not all become groups for ten of them */
	if (rc || (rc = report_sum(r, m, &d, NULL, &res, e)))
		return rc;
	top_first(&res, (size_t)n);
	int64_t total = res.total;
	for (size_t i = 0; !res.part && i < res.n; i++)
		total += res.g[i].v;
	static const char *cols[] = {"rank", "key", "name", "value", "share_pct"};
	cols[1] = c->of ? c->of : "customers";
	rows_init(cols, 5);
	struct recs rows = {0};
	for (size_t i = 0; i < res.n && i < (size_t)n; i++) {
		char rank[16], v[32], sh[32];
		snprintf(rank, sizeof rank, "%zu", i + 1);
		fmt_value(c, m, res.g[i].v, v);
		pct_fmt(res.g[i].v, total, sh, sizeof sh);
		const char *row[] = {rank, res.g[i].k1, name_of(r, d.d, res.g[i].k1), v, sh};
		rows_add(&rows, row);
	}
	char title[120];
	snprintf(title, sizeof title, "top %ld %s by %s", n, cols[1], measure_name(m));
	rc = rows.n ? emit(c, cols, 5, &rows, 1, 3, title, e) : CRM_ENOTFOUND;
	recs_free(&rows);
	rresult_free(&res);
	return rc;
}

static int cmd_compare(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct rctx *r = &c->r;
	if (argc < 1)
		return cli_usage(&c->cli, e, "compare MEASURE");
	enum measure m;
	struct dimspec d = {D_MONTH, 0};
	int rc = get_measure(c, argv[0], &m, e);
	if (!rc && c->period) {
		crm_err pe = {0};
		if (dim_parse(c->period, &d, &pe) || (d.d != D_MONTH && d.d != D_QUARTER && d.d != D_YEAR))
			rc = cli_usage(&c->cli, e, "--period month, quarter or year");
	}
	if (rc)
		return rc;
	/* The previous period of the first one counts too: read from a year before --from. */
	int32_t from = r->from, to = r->to;
	if (from != INT32_MIN)
		r->from = period_start(D_YEAR, from) - 366;
	struct rresult res;
	rc = report_sum(r, m, &d, NULL, &res, e);
	r->from = from;
	if (rc)
		return rc;
	if (!res.n) {
		rresult_free(&res);
		return CRM_ENOTFOUND;
	}
	if (res.n > 1)
		qsort(res.g, res.n, sizeof *res.g, by_keys);
	/* Every period from --from (else the first with data) to --to (else the last), empty ones too. */
	int32_t first = from != INT32_MIN ? from : res.first, last = to != INT32_MAX ? to : res.last;
	if (from == INT32_MIN && res.first < period_start(D_YEAR, res.last) - 366 * 50)
		first = period_start(D_YEAR, res.last) - 366 * 50; /* a stray old date does not make a thousand rows */
	static const char *cols[] = {"period", "value", "previous", "growth", "growth_pct"};
	rows_init(cols, 5);
	struct recs rows = {0};
	for (int32_t p = period_start(d.d, first); p <= last; p = period_next(d.d, p)) {
		char k[32], pk[32], vs[32], ps[32], gs[32], gp[32];
		/* The period before, or with --yoy the same period a year before. */
		int32_t prev = period_start(d.d, p - 1);
		if (c->yoy) {
			int y, mo, dd;
			date_to_ymd(p, &y, &mo, &dd);
			prev = date_from_ymd(y - 1, mo, 1);
		}
		period_key(d.d, p, k, sizeof k);
		period_key(d.d, prev, pk, sizeof pk);
		int64_t v = 0, pv = 0;
		for (size_t i = 0; i < res.n; i++) {
			if (!strcmp(res.g[i].k1, k))
				v = res.g[i].v;
			if (!strcmp(res.g[i].k1, pk))
				pv = res.g[i].v;
		}
		fmt_value(c, m, v, vs);
		fmt_value(c, m, pv, ps);
		fmt_value(c, m, v - pv, gs);
		pct_fmt(v - pv, pv < 0 ? -pv : pv, gp, sizeof gp);
		const char *row[] = {k, vs, ps, gs, gp};
		rows_add(&rows, row);
	}
	char title[120];
	snprintf(title, sizeof title, "%s by %s", measure_name(m), c->period ? c->period : "month");
	rc = emit(c, cols, 5, &rows, 0, 1, title, e);
	recs_free(&rows);
	rresult_free(&res);
	return rc;
}

static int cmd_pivot(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct rctx *r = &c->r;
	struct dimspec d1, d2 = {D_NONE, 0};
	enum measure m = M_SALES;
	if (c->svg)
		return cli_usage(&c->cli, e, "pivot is a table: -o svg draws top, compare, abc, funnel, kpi, work and risk");
	int nd = argc >= 2 && !strchr(argv[1], '=') && !strchr(argv[1], '~') && !strchr(argv[1], '<') &&
		!strchr(argv[1], '>') ? 2 : 1;
	if (argc < 1)
		return cli_usage(&c->cli, e, "pivot ROW [COL] [--sum MEASURE]");
	int rc = dim_parse(argv[0], &d1, e);
	if (!rc && nd == 2)
		rc = dim_parse(argv[1], &d2, e);
	if (!rc && c->sum)
		rc = get_measure(c, c->sum, &m, e);
	if (rc)
		return rc == CRM_EUSAGE ? cli_usage(&c->cli, e, e->msg) : rc;
	struct rresult res;
	if ((rc = report_sum(r, m, &d1, &d2, &res, e)))
		return rc;
	if (!res.n) {
		rresult_free(&res);
		return CRM_ENOTFOUND;
	}
	/* Columns: the second dimension's keys, sorted, then the row total. */
	struct strmap cidx = {0}, ridx = {0};
	char **ck = NULL, **rk = NULL;
	size_t nc = 0, nr = 0;
	if (res.n > 1)
		qsort(res.g, res.n, sizeof *res.g, by_keys);
	for (size_t i = 0; i < res.n; i++) {
		if (strmap_get(&cidx, res.g[i].k2, (size_t)-1) == (size_t)-1) {
			ck = xrealloc(ck, (nc + 1) * sizeof *ck);
			ck[nc] = res.g[i].k2;
			strmap_put(&cidx, res.g[i].k2, nc++);
		}
		if (strmap_get(&ridx, res.g[i].k1, (size_t)-1) == (size_t)-1) {
			rk = xrealloc(rk, (nr + 1) * sizeof *rk);
			rk[nr] = res.g[i].k1;
			strmap_put(&ridx, res.g[i].k1, nr++);
		}
	}
	for (size_t i = 1; i < nc; i++) /* insertion sort of the column keys */
		for (size_t j = i; j > 0 && strcmp(ck[j - 1], ck[j]) > 0; j--) {
			char *t = ck[j];
			ck[j] = ck[j - 1], ck[j - 1] = t;
		}
	strmap_clear(&cidx);
	for (size_t i = 0; i < nc; i++)
		strmap_put(&cidx, ck[i], i);
	int64_t *cell = xcalloc(nr * nc + 1, sizeof *cell), *ctot = xcalloc(nc + 1, sizeof *ctot);
	for (size_t i = 0; i < res.n; i++) {
		size_t a = strmap_get(&ridx, res.g[i].k1, 0), b = strmap_get(&cidx, res.g[i].k2, 0);
		cell[a * nc + b] = res.g[i].v;
		ctot[b] += res.g[i].v;
	}
	/* As many columns as the second dimension has values (37 months, say), then the total. */
	int ncol = (int)(nd == 2 ? nc + 2 : 2);
	const char **cols = xmalloc((size_t)ncol * sizeof *cols), **row = xmalloc((size_t)ncol * sizeof *row);
	char (*buf)[32] = xmalloc((size_t)ncol * sizeof *buf);
	cols[0] = argv[0];
	for (size_t i = 0; nd == 2 && i < nc; i++)
		cols[i + 1] = ck[i];
	cols[ncol - 1] = "total";
	struct out o;
	out_start(&o, c->cli.fmt, cols, ncol);
	int64_t all = 0;
	for (size_t a = 0; a <= nr; a++) {
		int64_t tot = 0;
		row[0] = a < nr ? rk[a] : "total";
		for (size_t b = 0; b < nc; b++) {
			int64_t v = a < nr ? cell[a * nc + b] : ctot[b];
			tot += v;
			if (nd == 2)
				fmt_value(c, m, v, buf[b + 1]), row[b + 1] = buf[b + 1];
		}
		if (a < nr)
			all += tot;
		fmt_value(c, m, a < nr ? tot : all, buf[0]);
		row[ncol - 1] = buf[0];
		out_row(&o, row);
	}
	rc = out_finish(&o, e);
	free(cols);
	free(row);
	free(buf);
	free(cell);
	free(ctot);
	free(ck);
	free(rk);
	strmap_clear(&cidx);
	strmap_clear(&ridx);
	rresult_free(&res);
	return rc;
}

/* cum / total >= pct / 10000, in 128-bit integers. */
static int share_reaches(int64_t cum, int64_t total, int64_t pct)
{
	__extension__ typedef __int128 i128;
	return (i128)cum * 10000 >= (i128)pct * total;
}

static int cmd_abc(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct rctx *r = &c->r;
	(void)argc, (void)argv;
	enum measure m = M_SALES;
	struct dimspec d;
	int64_t a = 8000, b = 9500; /* hundredths of a percent */
	int rc = of_dim(c, &d, e);
	if (!rc && d.d != D_CUSTOMER && d.d != D_SKU)
		rc = cli_usage(&c->cli, e, "abc --of customers or products");
	if (!rc && c->sum)
		rc = get_measure(c, c->sum, &m, e);
	if (!rc && c->classes) {
		const char *comma = strchr(c->classes, ',');
		char first[32];
		snprintf(first, sizeof first, "%.*s", comma ? (int)(comma - c->classes) : 0, c->classes);
		if (!comma || money_parse(first, 2, &a) || money_parse(comma + 1, 2, &b) || a <= 0 || b <= a || b > 10000)
			rc = cli_usage(&c->cli, e, "--classes A,B: cumulative percents, like 80,95");
	}
	struct rresult res;
	if (rc || (rc = report_sum(r, m, &d, NULL, &res, e)))
		return rc;
	if (res.n > 1)
		qsort(res.g, res.n, sizeof *res.g, by_value_desc);
	int64_t total = 0, cum = 0;
	for (size_t i = 0; i < res.n; i++)
		total += res.g[i].v > 0 ? res.g[i].v : 0;
	static const char *cols[] = {"rank", "key", "name", "value", "share_pct", "cumulative_pct", "class"};
	cols[1] = d.d == D_CUSTOMER ? "customer" : "sku";
	rows_init(cols, 7);
	struct recs rows = {0};
	/* A is the smallest set of the top whose share reaches A %: the one crossing the line is in A. */
	char cls = 'A';
	for (size_t i = 0; i < res.n && total > 0; i++) {
		if (res.g[i].v <= 0)
			break;
		cum += res.g[i].v;
		char rank[16], v[32], sh[32], cu[32], cl[2] = {cls, 0};
		snprintf(rank, sizeof rank, "%zu", i + 1);
		fmt_value(c, m, res.g[i].v, v);
		pct_fmt(res.g[i].v, total, sh, sizeof sh);
		pct_fmt(cum, total, cu, sizeof cu);
		const char *row[] = {rank, res.g[i].k1, name_of(r, d.d, res.g[i].k1), v, sh, cu, cl};
		rows_add(&rows, row);
		/* cum / total >= a / 10000, in integers */
		if (cls == 'A' && share_reaches(cum, total, a))
			cls = 'B';
		else if (cls == 'B' && share_reaches(cum, total, b))
			cls = 'C';
	}
	rc = rows.n ? emit(c, cols, 7, &rows, 1, 3, "abc", e) : CRM_ENOTFOUND;
	recs_free(&rows);
	rresult_free(&res);
	return rc;
}

/* ---- funnel: the quotes by stage, and what became of them ---- */

struct fstage {
	char *owner, *stage;
	int order;               /* position in order.stages; won and lost after */
	long long n;
	int64_t amount, weighted;
};

struct funnel {
	struct cmd *c;
	struct rctx *r;
	struct strmap gidx, oidx;   /* owner+stage -> group; order id -> group */
	struct fstage *g;
	size_t ng;
	int64_t *prob;              /* per order in oidx */
	size_t *grp;
	char **cur;                 /* its currency and day: values count in the base currency */
	int32_t *day;
	size_t no;
	struct fx fx;
};

static size_t fgroup(struct funnel *f, const char *owner, const char *stage, int order)
{
	char key[300];
	snprintf(key, sizeof key, "%s\n%s", owner, stage);
	size_t i = strmap_get(&f->gidx, key, (size_t)-1);
	if (i == (size_t)-1) {
		f->g = xrealloc(f->g, (f->ng + 1) * sizeof *f->g);
		f->g[f->ng] = (struct fstage){xstrdup(owner), xstrdup(stage), order, 0, 0, 0};
		strmap_put(&f->gidx, key, i = f->ng++);
	}
	return i;
}

static int funnel_order(void *ctx, rec *o, crm_err *e)
{
	(void)e;
	struct funnel *f = ctx;
	int32_t d = 0;
	date_parse(o->v[OR_DATE], &d);
	/* The funnel is what went through it: quotes, and orders that were quotes (they keep a stage). */
	if (!*o->v[OR_STAGE] || d < f->r->from || d > f->r->to)
		return 0;
	const char *st = o->v[OR_STATUS], *owner = f->c->by ? o->v[OR_OWNER] : "all";
	int quote = !strcmp(st, "quote"), lost = !strcmp(st, "lost") || !strcmp(st, "cancelled");
	size_t g = quote ? fgroup(f, owner, o->v[OR_STAGE], stage_position(&f->c->s, o->v[OR_STAGE]))
		: fgroup(f, owner, lost ? "lost" : "won", lost ? 1001 : 1000);
	f->g[g].n++;
	int64_t p = 0;
	int_parse(o->v[OR_PROB], &p);
	f->prob = xrealloc(f->prob, (f->no + 1) * sizeof *f->prob);
	f->grp = xrealloc(f->grp, (f->no + 1) * sizeof *f->grp);
	f->cur = xrealloc(f->cur, (f->no + 1) * sizeof *f->cur);
	f->day = xrealloc(f->day, (f->no + 1) * sizeof *f->day);
	f->prob[f->no] = quote ? p : 0;
	f->grp[f->no] = g;
	f->cur[f->no] = xstrdup(o->v[OR_CURRENCY]);
	f->day[f->no] = d;
	strmap_put(&f->oidx, o->v[OR_ID], f->no++);
	return 0;
}

static int funnel_line(void *ctx, rec *l, crm_err *e)
{
	struct funnel *f = ctx;
	size_t i = strmap_get(&f->oidx, l->v[LN_ORDER], (size_t)-1);
	if (i == (size_t)-1)
		return 0;
	int64_t q = 0, p = 0, d = 0, v, w;
	int_parse(l->v[LN_QTY], &q);
	money_parse(l->v[LN_PRICE], f->c->s.digits, &p);
	if (*l->v[LN_DISCOUNT])
		money_parse(l->v[LN_DISCOUNT], 2, &d);
	if (line_value(q, p, d, &v) || money_muldiv(v, f->prob[i], 100, &w))
		return crm_fail_at(e, l->file, l->line, "qty", "the value overflows");
	int rc = fx_base(&f->fx, f->cur[i], f->day[i], v, &v, e);
	if (!rc)
		rc = fx_base(&f->fx, f->cur[i], f->day[i], w, &w, e);
	if (!rc && (money_add(&f->g[f->grp[i]].amount, v) || money_add(&f->g[f->grp[i]].weighted, w)))
		rc = crm_fail_at(e, l->file, l->line, "qty", "the value overflows");
	return rc;
}

static int fstage_cmp(const void *x, const void *y)
{
	const struct fstage *a = x, *b = y;
	int c = strcmp(a->owner, b->owner);
	return c ? c : a->order - b->order;
}

static int cmd_funnel(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct rctx *r = &c->r;
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "funnel takes options only");
	if (c->by && strcmp(c->by, "owner"))
		return cli_usage(&c->cli, e, "funnel --by owner");
	struct funnel f = {.c = c, .r = r};
	int rc = fx_open(&f.fx, &c->s, e);
	if (!rc)
		rc = ledger_scan(&c->s, &T_ORDERS, INT32_MIN, INT32_MAX, funnel_order, &f, e);
	if (!rc && f.no)
		rc = ledger_scan(&c->s, &T_LINES, INT32_MIN, INT32_MAX, funnel_line, &f, e);
	if (f.ng > 1)
		qsort(f.g, f.ng, sizeof *f.g, fstage_cmp);
	static const char *cols[] = {"owner", "stage", "count", "amount", "weighted", "conversion_pct"};
	rows_init(cols, 6);
	struct recs rows = {0};
	for (size_t i = 0; !rc && i < f.ng; i++) {
		char n[24], a[32], w[32], cv[32] = "";
		snprintf(n, sizeof n, "%lld", f.g[i].n);
		money_fmt(f.g[i].amount, c->s.digits, a);
		money_fmt(f.g[i].weighted, c->s.digits, w);
		if (!strcmp(f.g[i].stage, "won")) {
			/* Won of what was decided: won / (won + lost). */
			long long lost = 0;
			for (size_t j = 0; j < f.ng; j++)
				if (!strcmp(f.g[j].owner, f.g[i].owner) && !strcmp(f.g[j].stage, "lost"))
					lost = f.g[j].n;
			pct_fmt(f.g[i].n, f.g[i].n + lost, cv, sizeof cv);
		}
		const char *row[] = {f.g[i].owner, f.g[i].stage, n, a, w, cv};
		rows_add(&rows, row);
	}
	if (!rc)
		rc = rows.n ? emit(c, cols, 6, &rows, 1, 3, "funnel", e) : CRM_ENOTFOUND;
	recs_free(&rows);
	for (size_t i = 0; i < f.ng; i++) {
		free(f.g[i].owner);
		free(f.g[i].stage);
	}
	free(f.g);
	free(f.prob);
	for (size_t i = 0; i < f.no; i++)
		free(f.cur[i]);
	free(f.cur);
	free(f.day);
	fx_close(&f.fx);
	free(f.grp);
	strmap_clear(&f.gidx);
	strmap_clear(&f.oidx);
	return rc;
}

/* ---- kpi and work: a table of figures per owner (or region, or owner and period) ---- */

enum { K_VISITS, K_VISITED, K_NEW, K_BUYERS, K_REPEAT, K_DUE, K_RECEIVED, K_AGRADE, K_SALES, K_MARGIN,
	K_TARGET, K_QUOTES, K_WON, K_SHIPMENTS, K_DONE, K_OVERDUE, K_N };

struct kgroup {
	char *key;
	int64_t f[K_N];
};

struct kpi {
	struct cmd *c;
	struct rctx *r;
	int by_region;
	enum dim period;             /* work: D_DAY/D_WEEK/D_MONTH; kpi: D_NONE */
	struct strmap idx;
	struct kgroup *g;
	size_t n;
	struct strmap cust;          /* per customer: visits seen, orders counted (kpi) */
	struct cstat {               /* two bytes: a million customers' stay in the cache */
		unsigned char visited, orders;   /* orders counted up to 2 */
	} *cs;
	size_t ncs;
	struct fx fx;                /* money in the base currency at the rate of its day */
	/* Read as columns: per customer index its who (owner or region) among the distinct ones, made
	 * once for both threads (kpi only), each thread's group of a who, and per customer its counts; */
	const int32_t *cw;
	const char **whos;
	size_t nwho;
	long *wgid;
	struct kown {                /* an owner's group by its text as two words (kg_owner) */
		uint64_t w[2];
		long gid;            /* + 1; 0: an empty slot */
	} *om;
	size_t nom;
	struct cstat *ccs;
	/* and per file, each distinct customer's index (-2: one the filter leaves out) and owner's group. */
	long *cix, *ogid;
	size_t capc, capo;
	unsigned char *flag;         /* per distinct value of a file's column: what the scan asks of it */
	size_t capf;
	int work;
	int rc;                      /* of the scan on a thread of its own */
	crm_err e;
};

static size_t kg_key(struct kpi *k, const char *key);

/* The group of who (an owner or a region) in the period of day, made when new. */
static size_t kg_who(struct kpi *k, const char *who, int32_t day)
{
	/* By no period the key is who itself: no key is printed for each of a file's owners. */
	char key[300], per[32];
	const char *kk = *who ? who : "(none)";
	if (k->period != D_NONE) {
		period_key(k->period, day, per, sizeof per);
		snprintf(key, sizeof key, "%s\t%s", kk, per);
		kk = key;
	}
	size_t i = strmap_get(&k->idx, kk, (size_t)-1);
	return i != (size_t)-1 ? i : kg_key(k, kk);
}

/* Who a fact of customer c (an index, or -1) with its own owner counts for. */
static const char *kwho(struct kpi *k, long c, const char *owner)
{
	return k->by_region ? (c >= 0 ? rctx_cf(k->r, c, CU_REGION) : "")
		: owner && *owner ? owner : c >= 0 ? rctx_cf(k->r, c, CU_OWNER) : "";
}

static struct kgroup *kg(struct kpi *k, const char *customer, const char *owner, int32_t day)
{
	long c = customer ? rctx_customer_index(k->r, customer) : -1;
	if (customer && c < 0 && k->r->cflt)
		return NULL;
	size_t gi = kg_who(k, kwho(k, c, owner), day);
	return &k->g[gi];
}

static struct cstat *cstat_of(struct kpi *k, const char *customer)
{
	size_t i = strmap_get(&k->cust, customer, (size_t)-1);
	if (i == (size_t)-1) {
		k->cs = xrealloc(k->cs, (k->ncs + 1) * sizeof *k->cs);
		k->cs[k->ncs] = (struct cstat){0, 0};
		strmap_put(&k->cust, customer, i = k->ncs++);
	}
	return &k->cs[i];
}

static int in_period(struct kpi *k, const char *date, int32_t *day)
{
	return !date_parse(date, day) && *day >= k->r->from && *day <= k->r->to;
}

/* New and A-grade customers, of those the filters keep (held already). */
static size_t kcust_gid(struct kpi *k, long c, int32_t day);

static void k_customers(struct kpi *k)
{
	const struct rctx *r = k->r;
	for (long i = 0; i < (long)r->cust.n; i++) {
		int32_t d;
		const char *created = rctx_cf(r, i, CU_CREATED);
		if (!strcmp(rctx_cf(r, i, CU_STATUS), "archived"))
			continue;
		if (*created && in_period(k, created, &d)) {
			size_t gi = k->period != D_NONE ? kg_who(k, kwho(k, i, NULL), d) : kcust_gid(k, i, d);
			k->g[gi].f[K_NEW]++;
		}
		if (!strcmp(rctx_cf(r, i, CU_GRADE), "A") && k->period == D_NONE)
			k->g[kcust_gid(k, i, 0)].f[K_AGRADE]++;
	}
}

/* The file's customers and owners, once each. */
static void kmap(struct kpi *k, const struct col *cu, const struct col *ow)
{
	if (cu->nstr > k->capc)
		k->cix = xrealloc(k->cix, (k->capc = cu->nstr) * sizeof *k->cix);
	ctab_find_many(&k->r->cust, cu->str, cu->nstr, k->cix);
	for (uint32_t i = 0; i < cu->nstr; i++)
		if (k->cix[i] < 0)
			k->cix[i] = k->r->cflt ? -2 : -1;
	if (!ow)
		return;
	if (ow->nstr > k->capo)
		k->ogid = xrealloc(k->ogid, (k->capo = ow->nstr) * sizeof *k->ogid);
	/* -2: not asked yet (a group is made only for what counts in it); -1: by the customer. */
	for (uint32_t i = 0; i < ow->nstr; i++)
		k->ogid[i] = *ow->str[i] && !k->by_region && k->period == D_NONE ? -2 : -1;
}

/* The group of customer c's own owner (region), by period none: made once per who and thread. */
static size_t kcust_gid(struct kpi *k, long c, int32_t day)
{
	int32_t w = k->cw[c];
	if (k->wgid[w] < 0)
		k->wgid[w] = (long)kg_who(k, k->whos[w], day);
	return (size_t)k->wgid[w];
}

/* Thread k's own groups of the whos kwhos found in k0 (k0 itself: its own). */
static void kwhos_share(struct kpi *k, const struct kpi *k0)
{
	k->cw = k0->cw, k->whos = k0->whos, k->nwho = k0->nwho;
	k->wgid = xmalloc((k->nwho + 1) * sizeof *k->wgid);
	for (size_t i = 0; i < k->nwho; i++)
		k->wgid[i] = -1;
}

/*
 * Every customer's who as a small number, by one sweep in the order the
 * customers were read: asked row by row, a million customers' owners were a
 * million misses of the cache. A customers' file holds each owner's bytes
 * once, so a who is known by its address first, then by its text.
 */
static void kwhos(struct kpi *k)
{
	enum { BITS = 16 };
	const struct rctx *r = k->r;
	size_t n = r->cust.n;
	int32_t *cw = xmalloc((n + 1) * sizeof *cw);
	bulk_buffer(cw, (n + 1) * sizeof *cw); /* a million customers: page faults of 2 MiB */
	struct wmemo {
		const char *who;
		int32_t w;
	} *memo = xcalloc((size_t)1 << BITS, sizeof *memo);
	struct strmap seen = {0};
	const char **whos = NULL;
	size_t nwho = 0;
	for (size_t c = 0; c < n; c++) {
		const char *who = kwho(k, (long)c, NULL);
		uint64_t h = ((uintptr_t)who >> 3) * 0x9e3779b97f4a7c15ull;
		struct wmemo *m = &memo[h >> (64 - BITS)];
		if (m->who != who) {
			size_t w = strmap_get(&seen, who, (size_t)-1);
			if (w == (size_t)-1) {
				whos = xrealloc(whos, (nwho + 1) * sizeof *whos);
				whos[nwho] = who;
				strmap_put(&seen, who, w = nwho++);
			}
			m->who = who;
			m->w = (int32_t)w;
		}
		cw[c] = m->w;
	}
	free(memo);
	strmap_clear(&seen);
	k->cw = cw, k->whos = whos, k->nwho = nwho;
	kwhos_share(k, k);
}

#define KO_BITS 12
#define KO (1u << KO_BITS)

/*
 * An owner's group (period none) by its text: each file's owners are asked
 * again, ten million times over a million customers' ledgers, so a text of
 * 15 bytes or fewer is found as two words in a table of its own.
 */
static size_t kg_owner(struct kpi *k, const char *who)
{
	size_t len = strlen(who);
	if (!len || len > 15 || k->nom >= KO / 2)
		return kg_who(k, who, 0);
	uint64_t w[2] = {0, 0};
	memcpy(w, who, len);
	uint64_t h = (w[0] * 0x9e3779b97f4a7c15ull) ^ (w[1] * 0xc2b2ae3d27d4eb4full);
	for (size_t i = h >> (64 - KO_BITS);; i = (i + 1) & (KO - 1)) {
		struct kown *o = &k->om[i];
		if (o->gid && o->w[0] == w[0] && o->w[1] == w[1])
			return (size_t)o->gid - 1;
		if (!o->gid) {
			o->w[0] = w[0], o->w[1] = w[1];
			o->gid = (long)kg_who(k, who, 0) + 1;
			k->nom++;
			return (size_t)o->gid - 1;
		}
	}
}

/* Row i's group (kg's, without text per row unless by period), or NULL when the filter leaves it out. */
static struct kgroup *kgrow(struct kpi *k, const struct col *cu, const struct col *ow, size_t i, int32_t day)
{
	long c = k->cix[cu->ix[i]];
	if (c == -2)
		return NULL;
	const char *owner = ow ? ow->str[ow->ix[i]] : NULL;
	size_t gi; /* made before k->g is read: making a group may move it */
	if (k->period != D_NONE || (c < 0 && !(ow && k->ogid[ow->ix[i]] != -1))) {
		gi = kg_who(k, kwho(k, c, owner), day);
	} else if (ow && k->ogid[ow->ix[i]] != -1) {
		if (k->ogid[ow->ix[i]] == -2)
			k->ogid[ow->ix[i]] = (long)kg_owner(k, owner);
		gi = (size_t)k->ogid[ow->ix[i]];
	} else {
		gi = kcust_gid(k, c, day);
	}
	return &k->g[gi];
}

/* Row i's customer's cells into the cache some rows before they are asked for. */
static void kahead(const struct kpi *k, const struct col *cu, size_t i, size_t n)
{
	if (i + 8 < n) {
		long c = k->cix[cu->ix[i + 8]];
		if (c >= 0) {
			__builtin_prefetch(&k->ccs[c]);
			if (k->cw)
				__builtin_prefetch(&k->cw[c]);
		}
	}
}

/* Per distinct value of column col: 1 when it is the base currency (or none), for fx_base to be skipped. */
static const unsigned char *kbase(struct kpi *k, const struct col *cur)
{
	if (cur->nstr > k->capf)
		k->flag = xrealloc(k->flag, (k->capf = cur->nstr));
	for (uint32_t i = 0; i < cur->nstr; i++)
		k->flag[i] = !*cur->str[i] || !strcmp(cur->str[i], k->fx.base);
	return k->flag;
}

/* Money v of row i in the base currency at the rate of day. */
static int kmoney(struct kpi *k, const struct col *cur, const unsigned char *base, size_t i, int32_t day, int64_t *v,
	crm_err *e)
{
	return base[cur->ix[i]] ? 0 : fx_base(&k->fx, cur->str[cur->ix[i]], day, *v, v, e);
}

static struct cstat *kcstat(struct kpi *k, const struct col *cu, size_t i)
{
	long c = k->cix[cu->ix[i]];
	return c >= 0 ? &k->ccs[c] : cstat_of(k, cu->str[cu->ix[i]]);
}

static int kin(const struct kpi *k, int32_t day)
{
	return day != INT32_MIN && day >= k->r->from && day <= k->r->to;
}

/* visits: date, customer, by, next_date, done */
static const int kw_visit[] = {1, 2, 3, 6, 8};

static int kb_visit(void *ctx, struct colfile *f, crm_err *e)
{
	(void)e;
	struct kpi *k = ctx;
	const struct col *cu = &f->c[1], *by = &f->c[2];
	kmap(k, cu, by);
	int32_t today = date_today();
	for (size_t i = 0; i < f->n; i++) {
		int32_t d = f->c[0].day[i], nd = f->c[3].day[i], dd = f->c[4].day[i];
		struct kgroup *g;
		kahead(k, cu, i, f->n);
		if (kin(k, d) && (g = kgrow(k, cu, by, i, d))) {
			g->f[K_VISITS]++;
			struct cstat *cs = kcstat(k, cu, i);
			if (!cs->visited) {
				cs->visited = 1;
				g->f[K_VISITED]++;
			}
		}
		if (kin(k, dd) && (g = kgrow(k, cu, by, i, dd)))
			g->f[K_DONE]++;
		/* A follow-up due in the period, not done, and past by today: overdue. */
		if (dd == INT32_MIN && kin(k, nd) && nd < today && (g = kgrow(k, cu, by, i, nd)))
			g->f[K_OVERDUE]++;
	}
	return 0;
}

static const int kw_order[] = {OR_DATE, OR_CUSTOMER, OR_OWNER, OR_STATUS, OR_STAGE};

static int kb_order(void *ctx, struct colfile *f, crm_err *e)
{
	(void)e;
	struct kpi *k = ctx;
	const struct col *cu = &f->c[1], *ow = &f->c[2], *st = &f->c[3], *sg = &f->c[4];
	kmap(k, cu, ow);
	/* Per distinct status: an order that counts (not a quote, lost or cancelled). */
	if (st->nstr > k->capf)
		k->flag = xrealloc(k->flag, (k->capf = st->nstr));
	unsigned char *open = k->flag;
	for (uint32_t i = 0; i < st->nstr; i++)
		open[i] = strcmp(st->str[i], "quote") && strcmp(st->str[i], "lost") && strcmp(st->str[i], "cancelled");
	for (size_t i = 0; i < f->n; i++) {
		int32_t d = f->c[0].day[i];
		struct kgroup *g;
		kahead(k, cu, i, f->n);
		if (!kin(k, d) || !(g = kgrow(k, cu, ow, i, d)))
			continue;
		int staged = *sg->str[sg->ix[i]] != 0;
		if (staged)
			g->f[K_QUOTES]++;
		if (!open[st->ix[i]])
			continue;
		g->f[K_WON] += staged;
		/* Repeat purchase: customers with two orders among those with one. */
		struct cstat *cs = kcstat(k, cu, i);
		if (cs->orders < 2)
			g->f[++cs->orders == 1 ? K_BUYERS : K_REPEAT]++;
	}
	return 0;
}

/* shipments: date, customer, owner, sales, cost (in the base currency), currency */
static const int kw_ship[] = {1, 3, 4, 7, 8, 9};

static int kb_shipment(void *ctx, struct colfile *f, crm_err *e)
{
	struct kpi *k = ctx;
	const struct col *cu = &f->c[1], *ow = &f->c[2], *cur = &f->c[5];
	kmap(k, cu, ow);
	const unsigned char *base = kbase(k, cur);
	for (size_t i = 0; i < f->n; i++) {
		int32_t d = f->c[0].day[i];
		struct kgroup *g;
		kahead(k, cu, i, f->n);
		if (!kin(k, d) || !(g = kgrow(k, cu, ow, i, d)))
			continue;
		int64_t sales = f->c[3].num[i];
		int rc = kmoney(k, cur, base, i, d, &sales, e);
		if (rc)
			return rc;
		g->f[K_SALES] += sales;
		g->f[K_MARGIN] += sales - f->c[4].num[i];
		g->f[K_SHIPMENTS]++;
	}
	return 0;
}

static const int kw_receipt[] = {RC_DATE, RC_CUSTOMER, RC_AMOUNT, RC_CURRENCY};

static int kb_receipt(void *ctx, struct colfile *f, crm_err *e)
{
	struct kpi *k = ctx;
	const struct col *cu = &f->c[1], *cur = &f->c[3];
	kmap(k, cu, NULL);
	const unsigned char *base = kbase(k, cur);
	for (size_t i = 0; i < f->n; i++) {
		int32_t d = f->c[0].day[i];
		struct kgroup *g;
		kahead(k, cu, i, f->n);
		if (!kin(k, d) || !(g = kgrow(k, cu, NULL, i, d)))
			continue;
		int64_t m = f->c[2].num[i];
		int rc = kmoney(k, cur, base, i, d, &m, e);
		if (rc)
			return rc;
		g->f[K_RECEIVED] += m;
	}
	return 0;
}

/* Collection rate: received against what fell due in the period (invoices: kind, due, customer, amount, currency). */
static const int kw_invoice[] = {IN_KIND, IN_DUE, IN_CUSTOMER, IN_AMOUNT, IN_CURRENCY};

static int kb_invoice(void *ctx, struct colfile *f, crm_err *e)
{
	struct kpi *k = ctx;
	const struct col *kind = &f->c[0], *cu = &f->c[2], *cur = &f->c[4];
	kmap(k, cu, NULL);
	const unsigned char *base = kbase(k, cur);
	uint32_t inv = UINT32_MAX; /* the kind "invoice" in this file */
	for (uint32_t i = 0; i < kind->nstr; i++)
		if (!strcmp(kind->str[i], "invoice"))
			inv = i;
	for (size_t i = 0; i < f->n; i++) {
		int32_t d = f->c[1].day[i];
		struct kgroup *g;
		kahead(k, cu, i, f->n);
		if (!kin(k, d) || kind->ix[i] != inv || !(g = kgrow(k, cu, NULL, i, d)))
			continue;
		/* At the rate of the day it fell due, as it counts in that period. */
		int64_t m = f->c[3].num[i];
		int rc = kmoney(k, cur, base, i, d, &m, e);
		if (rc)
			return rc;
		g->f[K_DUE] += m;
	}
	return 0;
}

#define NW(a) ((int)(sizeof a / sizeof *a))

static void kstart(struct kpi *k)
{
	size_t n = k->r->cust.n + 1;
	k->cw = NULL, k->whos = NULL, k->nwho = 0, k->wgid = NULL;
	k->om = xcalloc(KO, sizeof *k->om), k->nom = 0;
	k->ccs = xcalloc(n, sizeof *k->ccs);
	bulk_buffer(k->ccs, n * sizeof *k->ccs);
	k->idx = (struct strmap){0};
	k->cust = (struct strmap){0};
	k->g = NULL, k->n = 0, k->cs = NULL, k->ncs = 0;
	k->cix = k->ogid = NULL, k->capc = k->capo = 0, k->flag = NULL, k->capf = 0;
}

static void kfree(struct kpi *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->g[i].key);
	free(k->g);
	free(k->cs);
	free(k->wgid);
	free(k->om);
	free(k->ccs);
	free(k->cix);
	free(k->ogid);
	free(k->flag);
	strmap_clear(&k->idx);
	strmap_clear(&k->cust);
}

/* A group by its whole key (who, and a tab and the period when by period), made when new. */
static size_t kg_key(struct kpi *k, const char *key)
{
	size_t i = strmap_get(&k->idx, key, (size_t)-1);
	if (i == (size_t)-1) {
		k->g = xrealloc(k->g, (k->n + 1) * sizeof *k->g);
		memset(&k->g[k->n], 0, sizeof k->g[k->n]);
		k->g[k->n].key = xstrdup(key);
		strmap_put(&k->idx, key, i = k->n++);
	}
	return i;
}

/* A ledger's files as columns, in order, on this thread: figures that count a customer once depend on it. */
static int kscan(struct kpi *k, const struct table *t, int32_t from, int32_t to, const int *want, int nw, col_fn fn,
	crm_err *e)
{
	void *ctx[1] = {k};
	return t == &T_INVOICES ? cols_table_par(&k->c->s, t, want, nw, 0, fn, ctx, 1, e)
				: cols_ledger_par(&k->c->s, t, from, to, want, nw, 0, fn, ctx, 1, e);
}

/*
 * The ledgers in two shares of about the same work: visits and orders here;
 * shipments, receipts and invoices (kscan_sales) on a thread of their own,
 * whose groups are added to these after. A share keeps its ledgers' files in
 * order: visited, buyers and repeat count a customer once.
 */
static int kscan_visits(struct kpi *k, crm_err *e)
{
	struct rctx *r = k->r;
	int rc = kscan(k, &T_VISITS, INT32_MIN, INT32_MAX, kw_visit, NW(kw_visit), kb_visit, e);
	if (!rc)
		rc = kscan(k, &T_ORDERS, r->from, r->to, kw_order, NW(kw_order), kb_order, e);
	return rc;
}

static void *kscan_sales(void *arg)
{
	struct kpi *k = arg;
	struct rctx *r = k->r;
	crm_err *e = &k->e;
	int rc = kscan(k, &T_SHIPMENTS, r->from, r->to, kw_ship, NW(kw_ship), kb_shipment, e);
	if (!rc)
		rc = kscan(k, &T_RECEIPTS, r->from, r->to, kw_receipt, NW(kw_receipt), kb_receipt, e);
	if (!rc && !k->work)
		rc = kscan(k, &T_INVOICES, INT32_MIN, INT32_MAX, kw_invoice, NW(kw_invoice), kb_invoice, e);
	k->rc = rc;
	return NULL;
}

/* targets/YYYY.csv: period, owner, customer, measure, amount; sales targets of periods inside the range. */
static const struct field target_fields[] = {
	{"period", FT_TEXT, NULL, F_REQ}, {"owner", FT_TEXT, NULL, 0}, {"customer", FT_TEXT, NULL, 0},
	{"measure", FT_ENUM, "sales,receipts,new_customers,visits", F_REQ}, {"amount", FT_MONEY, NULL, F_REQ},
};
static const struct table T_TARGETS = {"targets", T_MASTER, "", target_fields, 5, -1, 0};

static int period_bounds(const char *p, int32_t *from, int32_t *to)
{
	int y, q, m;
	char tail;
	if (sscanf(p, "%4d-Q%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4) {
		*from = date_from_ymd(y, (q - 1) * 3 + 1, 1);
		*to = period_next(D_QUARTER, *from) - 1;
	} else if (sscanf(p, "%4d-%2d%c", &y, &m, &tail) == 2 && m >= 1 && m <= 12) {
		*from = date_from_ymd(y, m, 1);
		*to = period_next(D_MONTH, *from) - 1;
	} else if (sscanf(p, "%4d%c", &y, &tail) == 1 && strlen(p) == 4) {
		*from = date_from_ymd(y, 1, 1);
		*to = date_from_ymd(y, 12, 31);
	} else {
		return -1;
	}
	return 0;
}

static int k_target(void *ctx, rec *t, crm_err *e)
{
	struct kpi *k = ctx;
	int32_t a, b;
	if (period_bounds(t->v[0], &a, &b))
		return crm_fail_at(e, t->file, t->line, "period", "2026, 2026-Q3 or 2026-11, not '%s'", t->v[0]);
	if (strcmp(t->v[3], "sales") || a < k->r->from || b > k->r->to)
		return 0;
	/* An owner's target has no region: by region, only customers' targets count. */
	if (k->by_region && !*t->v[2])
		return 0;
	struct kgroup *g = kg(k, *t->v[2] ? t->v[2] : NULL, t->v[1], a);
	int64_t m = 0;
	money_parse(t->v[4], k->c->s.digits, &m);
	if (g)
		g->f[K_TARGET] += m;
	return 0;
}

static int kgroup_cmp(const void *x, const void *y)
{
	return strcmp(((const struct kgroup *)x)->key, ((const struct kgroup *)y)->key);
}

static void ratio2(long long num, long long den, char *buf, size_t cap)
{
	int64_t q;
	if (!den || money_muldiv(num, 100, den, &q)) {
		snprintf(buf, cap, "%s", den ? "" : "0.00");
		return;
	}
	money_fmt(q, 2, buf);
}

static int cmd_kpi(struct cmd *c, int argc, int work, crm_err *e)
{
	struct rctx *r = &c->r;
	if (argc)
		return cli_usage(&c->cli, e, work ? "work takes options only" : "kpi takes options only");
	struct kpi k = {.c = c, .r = r, .period = D_NONE};
	if (c->by && !strcmp(c->by, "region") && !work)
		k.by_region = 1;
	else if (c->by && strcmp(c->by, "owner"))
		return cli_usage(&c->cli, e, work ? "work --by owner" : "kpi --by owner or region");
	if (work) {
		struct dimspec d = {D_WEEK, 0};
		crm_err pe = {0};
		if (c->period && (dim_parse(c->period, &d, &pe) || (d.d != D_DAY && d.d != D_WEEK && d.d != D_MONTH)))
			return cli_usage(&c->cli, e, "work --period day, week or month");
		k.period = d.d;
	}
	/* The period: --from/--to, else this month (kpi) or the last four weeks (work), as of today. */
	if (r->to == INT32_MAX)
		r->to = date_today();
	if (r->from == INT32_MIN)
		r->from = work ? r->to - 27 : period_start(D_MONTH, r->to);
	k.work = work;
	int rc = fx_open(&k.fx, &c->s, e);
	struct kpi k2 = k; /* the second thread's: shipments, receipts and invoices */
	kstart(&k);
	kstart(&k2);
	if (k.period == D_NONE) {
		kwhos(&k);
		kwhos_share(&k2, &k);
	}
	pthread_t th;
	int par = !rc && scan_workers(&c->s) > 1 && !pthread_create(&th, NULL, kscan_sales, &k2);
	if (!rc)
		rc = kscan_visits(&k, e);
	if (!rc)
		k_customers(&k); /* while the other thread still reads */
	if (par)
		pthread_join(th, NULL);
	else if (!rc)
		kscan_sales(&k2);
	if (!rc && k2.rc)
		rc = k2.rc, *e = k2.e;
	/* The two add up: each counted its own figures, in groups of the same keys. */
	for (size_t i = 0; i < k2.n; i++) {
		size_t gi = kg_key(&k, k2.g[i].key); /* before k.g is read: it may move */
		struct kgroup *g = &k.g[gi];
		for (int f = 0; f < K_N; f++)
			g->f[f] += k2.g[i].f[f];
	}
	kfree(&k2);
	if (!rc && !work)
		rc = store_scan(&c->s, &T_TARGETS, k_target, &k, e);
	if (k.n > 1)
		qsort(k.g, k.n, sizeof *k.g, kgroup_cmp);
	static const char *kcols[] = {"group", "visits", "per_workday", "per_customer", "new_customers", "repeat_pct",
		"collection_pct", "a_customers", "sales", "margin", "target", "attainment_pct"};
	static const char *wcols[] = {"owner", "period", "visits", "new_customers", "quotes", "won", "shipments",
		"receipts", "followups_done", "followups_overdue"};
	kcols[0] = k.by_region ? "region" : "owner";
	rows_init(work ? wcols : kcols, work ? 10 : 12);
	struct recs rows = {0};
	int64_t workdays = date_workdays(r->from, r->to);
	for (size_t i = 0; !rc && i < k.n; i++) {
		int64_t *f = k.g[i].f;
		char b[12][32], *key = k.g[i].key, *tab = strchr(key, '\t');
		if (work) {
			if (tab)
				*tab = 0;
			snprintf(b[0], 32, "%lld", (long long)f[K_VISITS]);
			snprintf(b[1], 32, "%lld", (long long)f[K_NEW]);
			snprintf(b[2], 32, "%lld", (long long)f[K_QUOTES]);
			snprintf(b[3], 32, "%lld", (long long)f[K_WON]);
			snprintf(b[4], 32, "%lld", (long long)f[K_SHIPMENTS]);
			money_fmt(f[K_RECEIVED], c->s.digits, b[5]);
			snprintf(b[6], 32, "%lld", (long long)f[K_DONE]);
			snprintf(b[7], 32, "%lld", (long long)f[K_OVERDUE]);
			const char *row[] = {key, tab ? tab + 1 : "", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]};
			rows_add(&rows, row);
			continue;
		}
		snprintf(b[0], 32, "%lld", (long long)f[K_VISITS]);
		ratio2(f[K_VISITS], workdays, b[1], 32);
		ratio2(f[K_VISITS], f[K_VISITED], b[2], 32);
		snprintf(b[3], 32, "%lld", (long long)f[K_NEW]);
		pct_fmt(f[K_REPEAT], f[K_BUYERS], b[4], 32);
		pct_fmt(f[K_RECEIVED], f[K_DUE], b[5], 32);
		snprintf(b[6], 32, "%lld", (long long)f[K_AGRADE]);
		money_fmt(f[K_SALES], c->s.digits, b[7]);
		money_fmt(f[K_MARGIN], c->s.digits, b[8]);
		if (f[K_TARGET])
			money_fmt(f[K_TARGET], c->s.digits, b[9]);
		else
			b[9][0] = 0;
		pct_fmt(f[K_SALES], f[K_TARGET], b[10], 32);
		const char *row[] = {key, b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10]};
		rows_add(&rows, row);
	}
	if (!rc)
		rc = rows.n ? emit(c, work ? wcols : kcols, work ? 10 : 12, &rows, 0, work ? 2 : 8, work ? "work" : "kpi", e)
			    : CRM_ENOTFOUND;
	recs_free(&rows);
	free((void *)k.cw);
	free(k.whos);
	kfree(&k);
	fx_close(&k.fx);
	return rc;
}

/* ---- risk: customers likely to stop buying ---- */

struct rcust {
	int32_t *days;       /* order dates, for the customer's own rhythm */
	size_t n;
	int64_t last_year, year_before;
	int32_t last_visit;
};

struct risker {
	struct cmd *c;
	struct rctx *r;
	struct rcust *cs;    /* by index in r->cust */
	int32_t today;
	struct fx fx;
};

static struct rcust *rc_of(struct risker *k, const char *id)
{
	long i = rctx_customer_index(k->r, id);
	return i < 0 ? NULL : &k->cs[i];
}

static int risk_order(void *ctx, rec *o, crm_err *e)
{
	(void)e;
	struct risker *k = ctx;
	const char *st = o->v[OR_STATUS];
	struct rcust *c = rc_of(k, o->v[OR_CUSTOMER]);
	int32_t d;
	if (!c || !strcmp(st, "quote") || !strcmp(st, "lost") || !strcmp(st, "cancelled") || date_parse(o->v[OR_DATE], &d))
		return 0;
	c->days = xrealloc(c->days, (c->n + 1) * sizeof *c->days);
	c->days[c->n++] = d;
	return 0;
}

static int risk_shipment(void *ctx, rec *r, crm_err *e)
{
	struct risker *k = ctx;
	struct rcust *c = rc_of(k, r->v[3]);
	int32_t d;
	int64_t s = 0;
	if (!c || date_parse(r->v[1], &d) || d <= k->today - 730 || d > k->today)
		return 0;
	money_parse(r->v[7], k->c->s.digits, &s);
	int rc = fx_base(&k->fx, r->v[9], d, s, &s, e);
	if (rc)
		return rc;
	if (d > k->today - 365 && d <= k->today)
		c->last_year += s;
	else if (d > k->today - 730 && d <= k->today - 365)
		c->year_before += s;
	return 0;
}

static int risk_visit(void *ctx, rec *v, crm_err *e)
{
	(void)e;
	struct risker *k = ctx;
	struct rcust *c = rc_of(k, v->v[2]);
	int32_t d;
	if (c && !date_parse(v->v[1], &d) && d <= k->today && d > c->last_visit)
		c->last_visit = d;
	return 0;
}

static int int_cmp(const void *x, const void *y)
{
	int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
	return (a > b) - (a < b);
}

static int cmd_risk(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct rctx *r = &c->r;
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "risk takes options only");
	long factor = 2, drop = 50;
	char *end;
	if (c->factor && ((factor = strtol(c->factor, &end, 10)) < 1 || *end))
		return cli_usage(&c->cli, e, "--factor takes a whole number from 1");
	if (c->drop && ((drop = strtol(c->drop, &end, 10)) < 1 || drop > 100 || *end))
		return cli_usage(&c->cli, e, "--drop takes a percent from 1 to 100");
	struct risker k = {.c = c, .r = r, .today = date_today()};
	k.cs = xcalloc(r->cust.n + 1, sizeof *k.cs);
	for (size_t i = 0; i < r->cust.n; i++)
		k.cs[i].last_visit = INT32_MIN;
	int stale = c->s.pool_stale_days;
	int rc = fx_open(&k.fx, &c->s, e);
	if (!rc)
		rc = ledger_scan(&c->s, &T_ORDERS, INT32_MIN, k.today, risk_order, &k, e);
	if (!rc)
		rc = ledger_scan(&c->s, &T_SHIPMENTS, k.today - 730, k.today, risk_shipment, &k, e);
	if (!rc)
		rc = ledger_scan(&c->s, &T_VISITS, INT32_MIN, k.today, risk_visit, &k, e);
	static const char *cols[] = {"customer", "name", "owner", "value_at_risk", "last_order", "why"};
	rows_init(cols, 6);
	struct recs rows = {0};
	struct rgroup *order = xcalloc(r->cust.n + 1, sizeof *order);
	size_t nr = 0;
	char (*why)[160] = xcalloc(r->cust.n + 1, sizeof *why);
	for (size_t i = 0; !rc && i < r->cust.n; i++) {
		struct rcust *cu = &k.cs[i];
		if (!cu->n || !strcmp(rctx_cf(r, (long)i, CU_STATUS), "archived"))
			continue;
		qsort(cu->days, cu->n, sizeof *cu->days, int_cmp);
		int32_t last = cu->days[cu->n - 1];
		char *w = why[i];
		size_t wl = 0;
		/* Silence beyond k times the customer's own median gap between orders. */
		if (cu->n >= 3) {
			int32_t *gaps = xmalloc(cu->n * sizeof *gaps);
			for (size_t j = 1; j < cu->n; j++)
				gaps[j - 1] = cu->days[j] - cu->days[j - 1];
			qsort(gaps, cu->n - 1, sizeof *gaps, int_cmp);
			int32_t med = gaps[(cu->n - 2) / 2];
			if (med > 0 && k.today - last > factor * med)
				wl += (size_t)snprintf(w + wl, 160 - wl, "%d days since the last order (usually %d); ", k.today - last, med);
			free(gaps);
		}
		if (cu->year_before > 0 && (cu->year_before - cu->last_year) * 100 >= drop * cu->year_before) {
			char p[32];
			pct_fmt(cu->year_before - cu->last_year, cu->year_before, p, sizeof p);
			wl += (size_t)snprintf(w + wl, 160 - wl, "sales down %s%% on the year before; ", p);
		}
		if (stale > 0 && (cu->last_visit == INT32_MIN || k.today - cu->last_visit > stale) && wl)
			wl += (size_t)snprintf(w + wl, 160 - wl, "no visit for %d days; ", stale);
		if (!wl)
			continue;
		w[wl - 2] = 0;
		order[nr++] = (struct rgroup){(char *)rctx_cf(r, (long)i, CU_ID), w, cu->last_year > cu->year_before ? cu->last_year : cu->year_before};
	}
	if (nr > 1)
		qsort(order, nr, sizeof *order, by_value_desc);
	for (size_t i = 0; i < nr; i++) {
		long ci = rctx_customer_index(r, order[i].k1);
		struct rcust *cu = &k.cs[ci];
		char v[32], d[11];
		money_fmt(order[i].v, c->s.digits, v);
		const char *row[] = {order[i].k1, rctx_cf(r, ci, CU_NAME), rctx_cf(r, ci, CU_OWNER), v, date_fmt(cu->days[cu->n - 1], d), order[i].k2};
		rows_add(&rows, row);
	}
	/* Nobody at risk, nothing printed: cron mails only news. */
	if (!rc && rows.n)
		rc = emit(c, cols, 6, &rows, 0, 3, "value at risk", e);
	recs_free(&rows);
	for (size_t i = 0; i < r->cust.n; i++)
		free(k.cs[i].days);
	free(k.cs);
	free(order);
	free(why);
	fx_close(&k.fx);
	return rc;
}

/* The dates, the chart, and the ledgers: read once, whatever the verb. */
static int before(struct cmd *c, const struct cli_verb *v, crm_err *e)
{
	c->from = INT32_MIN, c->to = INT32_MAX;
	const char *why;
	if (c->from_s && (why = date_parse(c->from_s, &c->from)))
		return crm_fail_at(e, "argument", 0, "from", "%s '%s'", why, c->from_s);
	if (c->to_s && (why = date_parse(c->to_s, &c->to)))
		return crm_fail_at(e, "argument", 0, "to", "%s '%s'", why, c->to_s);
	if (c->to < c->from)
		return cli_usage(&c->cli, e, "--from is after --to");
	c->svg = c->cli.svg;
	/* Bars on a terminal only: in a pipe, --chart leaves the CSV as it is. */
	if (c->chart && !isatty(STDOUT_FILENO))
		c->chart = 0;
	/* The verb's own operands come first; a filter term ends them, and the rest filter. */
	int argc = c->cli.argc, ops = 0;
	char **argv = c->cli.argv;
	while (ops < v->ops && ops < argc && !filter_is_term(argv[ops]))
		ops++;
	c->cli.argc = ops;
	c->ropen = 1;
	/* top and abc of customers or products name them and nothing else of a customer. */
	uint64_t cneed = 0;
	if ((!strcmp(v->name, "top") || !strcmp(v->name, "abc")) &&
	    (!c->of || !strcmp(c->of, "customers") || !strcmp(c->of, "products")))
		cneed = 1ull << CU_ID | 1ull << CU_NAME;
	/* kpi and work group by owner or region and count new, archived and A-grade customers: no names. */
	if (!strcmp(v->name, "kpi") || !strcmp(v->name, "work"))
		cneed = 1ull << CU_ID | 1ull << CU_OWNER | 1ull << CU_REGION | 1ull << CU_STATUS | 1ull << CU_GRADE |
			1ull << CU_CREATED;
	int rc = rctx_open(&c->r, &c->s, argv + ops, argc - ops, c->from, c->to, cneed, e);
	if (rc == CRM_EUSAGE)
		c->cli.show_usage = 1;
	return rc;
}

static void after(struct cmd *c)
{
	if (c->ropen)
		rctx_close(&c->r);
}

static int cmd_kpis(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	return cmd_kpi(c, argc, 0, e);
}

static int cmd_work(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	return cmd_kpi(c, argc, 1, e);
}

static const struct cli_verb verbs[] = {
	{"top", cmd_top, "N MEASURE [--of customers|products|owners|regions|categories] [FILTER...]",
		.help = "the N biggest by a measure", .ops = 2},
	{"compare", cmd_compare, "MEASURE [--period month|quarter|year] [--yoy] [FILTER...]",
		.help = "a measure period over period", .ops = 1},
	{"pivot", cmd_pivot, "ROW [COL] [--sum MEASURE] [FILTER...]", .help = "a measure by one or two dimensions", .ops = 2},
	{"abc", cmd_abc, "[--of customers|products] [--sum MEASURE] [--classes 80,95] [FILTER...]",
		.help = "the 80/20 classes"},
	{"funnel", cmd_funnel, "[--by owner]", .help = "quotes through the pipeline stages"},
	{"kpi", cmd_kpis, "[--by owner|region]", .help = "the figures of the period per owner or region"},
	{"work", cmd_work, "[--by owner] [--period day|week|month]", .help = "visits, quotes and orders per owner and period"},
	{"risk", cmd_risk, "[--factor K] [--drop PCT]", .help = "customers buying less, or late to reorder"},
	{0},
};

static const struct cli_prog prog = {
	.name = "crm-report", .synopsis = "[-C dir] [-o fmt|svg] [--at rev|date] [--as-of date] [--from D] [--to D] [--chart]",
	.verbs = verbs, .opts = opts, .on_opt = on_opt, .allow_svg = 1, .before = before, .after = after,
	.notes = "measures: sales booked margin qty orders receipts balance visits new_customers quotes pipeline\n",
};

int main(int argc, char **argv)
{
	struct cmd c = {0};
	return cli_main(&prog, &c, &c.cli, &c.s, argc, argv);
}
