/* crm-stock: products, warehouses, stock moves at a moving-average cost (crm-stock(1)). */
#include <stdlib.h>
#include <string.h>
#include "bulkmem.h"
#include "progress.h"
#include "cli.h"
#include "date.h"
#include "money.h"
#include "query.h"
#include "stock.h"

enum { OPT_COST = OPT_CMD, OPT_WH, OPT_REF, OPT_DATE, OPT_NOTE, OPT_FROM, OPT_TO,
	OPT_FIELDS, OPT_ALL, OPT_DEPTH };

static const struct option opts[] = {
	{"cost", required_argument, NULL, OPT_COST},
	{"wh", required_argument, NULL, OPT_WH},
	{"ref", required_argument, NULL, OPT_REF},
	{"date", required_argument, NULL, OPT_DATE},
	{"note", required_argument, NULL, OPT_NOTE},
	{"from", required_argument, NULL, OPT_FROM},
	{"to", required_argument, NULL, OPT_TO},
	{"fields", required_argument, NULL, OPT_FIELDS},
	{"all", no_argument, NULL, OPT_ALL},
	{"depth", required_argument, NULL, OPT_DEPTH},
	{0},
};

struct cmd {
	struct cli cli;
	struct store s;
	const char *cost, *wh, *ref, *date, *note, *from, *to, *fields, *depth;
	int all;
};

static int on_opt(void *ctx, int opt, const char *arg, crm_err *e)
{
	struct cmd *c = ctx;
	switch (opt) {
	case OPT_COST: c->cost = arg; return 0;
	case OPT_WH: c->wh = arg; return 0;
	case OPT_REF: c->ref = arg; return 0;
	case OPT_DATE: c->date = arg; return 0;
	case OPT_NOTE: c->note = arg; return 0;
	case OPT_FROM: c->from = arg; return 0;
	case OPT_TO: c->to = arg; return 0;
	case OPT_FIELDS: c->fields = arg; return 0;
	case OPT_ALL: c->all = 1; return 0;
	case OPT_DEPTH: c->depth = arg; return 0;
	}
	return cli_usage(&c->cli, e, "unknown option");
}

static int need_write(struct cmd *c, crm_err *e)
{
	return cli_write_lock(&c->cli, &c->s, e);
}


static int arg_qty(const char *v, int64_t *q, int zero_ok, crm_err *e)
{
	const char *why = int_parse(v, q);
	if (!why && (*q < 0 || (*q == 0 && !zero_ok)))
		why = zero_ok ? "must be a whole number, 0 or more" : "must be a positive whole number";
	return cli_arg_bad("qty", v, why, e);
}

static int arg_date(struct cmd *c, const char **date, crm_err *e)
{
	int32_t d;
	*date = c->date ? c->date : c->cli.today;
	return cli_arg_bad("date", *date, date_parse(*date, &d), e);
}


static int commit(struct cmd *c, const char *msg, crm_err *e)
{
	return store_commit(&c->s, msg, e);
}

/* ---- warehouses and products ---- */

static int warehouse_list(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "warehouse list takes no operands");
	struct query q = {.s = &c->s, .t = &T_WAREHOUSES};
	return query_list(&q, NULL, 0, c->fields, c->cli.fmt, e);
}

static int warehouse_add(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc < 2)
		return cli_usage(&c->cli, e, "warehouse add ID NAME [parent=ID]");
	int rc = need_write(c, e);
	struct stockedit se;
	stockedit_init(&se, &c->s);
	rec *r = rec_new(&T_WAREHOUSES), *had = NULL, *parent = NULL;
	if (!rc)
		rc = assign_value(&r, WH_ID, argv[0], c->s.digits, e);
	if (!rc)
		rc = assign_value(&r, WH_NAME, argv[1], c->s.digits, e);
	for (int i = 2; i < argc && !rc; i++)
		rc = assign_apply(&r, argv[i], c->s.digits, 0, e);
	if (!rc)
		rc = stock_warehouse(&se, argv[0], &had, e);
	if (!rc && had)
		rc = crm_fail_at(e, "argument", 0, "id", "warehouse '%s' exists", argv[0]);
	if (!rc && *r->v[WH_PARENT] && !(rc = stock_warehouse(&se, r->v[WH_PARENT], &parent, e)) && !parent)
		rc = crm_fail_at(e, "argument", 0, "parent", "no warehouse '%s'", r->v[WH_PARENT]);
	if (!rc && !strcmp(r->v[WH_PARENT], argv[0]))
		rc = crm_fail_at(e, "argument", 0, "parent", "a warehouse is not its own parent");
	if (!rc) {
		rc = tabedit_put(&se.warehouses, r, e);
		r = NULL;
	}
	if (!rc)
		rc = stockedit_flush(&se, e);
	char msg[300];
	snprintf(msg, sizeof msg, "warehouse add %s", argv[0]);
	if (!rc)
		rc = commit(c, msg, e);
	if (!rc)
		printf("%s\n", argv[0]);
	free(r);
	stockedit_free(&se);
	return rc;
}

static int product_add(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc < 2)
		return cli_usage(&c->cli, e, "product add SKU NAME [field=value...]");
	int rc = need_write(c, e);
	struct stockedit se;
	stockedit_init(&se, &c->s);
	rec *r = rec_new(&T_PRODUCTS), *had = NULL;
	r = rec_set(r, PR_STATUS, "active");
	if (!rc)
		rc = assign_value(&r, PR_SKU, argv[0], c->s.digits, e);
	if (!rc)
		rc = assign_value(&r, PR_NAME, argv[1], c->s.digits, e);
	for (int i = 2; i < argc && !rc; i++)
		rc = assign_apply(&r, argv[i], c->s.digits, 0, e);
	if (!rc)
		rc = product_check(r, "argument", 0, e);
	if (!rc)
		rc = stock_product(&se, argv[0], &had, e);
	if (!rc && had)
		rc = crm_fail_at(e, "argument", 0, "sku", "product '%s' exists (a SKU is never reused)", argv[0]);
	if (!rc) {
		rc = tabedit_put(&se.products, rec_canon(r, c->s.digits), e);
		r = NULL;
	}
	if (!rc)
		rc = stockedit_flush(&se, e);
	char msg[300];
	snprintf(msg, sizeof msg, "product add %s %s", argv[0], argv[1]);
	if (!rc)
		rc = commit(c, msg, e);
	if (!rc)
		printf("%s\n", argv[0]);
	free(r);
	stockedit_free(&se);
	return rc;
}

/* Fields from a record read on stdin (its present columns) or from field=value operands. */
static int product_apply(struct cmd *c, rec **r, const rec *in, char **as, int nas, crm_err *e)
{
	int rc = 0;
	for (int k = 1; in && !nas && k < T_PRODUCTS.nf; k++) /* with field=value, records only name SKUs */
		if (in->present >> k & 1)
			*r = rec_set(*r, k, in->v[k]);
	for (int i = 0; i < nas && !rc; i++)
		rc = strncmp(as[i], "sku=", 4) ? assign_apply(r, as[i], c->s.digits, 0, e) :
			crm_fail_at(e, "argument", 0, "sku", "cannot be set: a SKU is never renamed or reused");
	if (!rc && !*(*r)->v[PR_NAME])
		rc = crm_fail_at(e, in ? in->file : "argument", in ? in->line : 0, "name", "must not be empty");
	if (!rc && !*(*r)->v[PR_STATUS])
		*r = rec_set(*r, PR_STATUS, "active");
	if (!rc)
		rc = product_check(*r, in ? in->file : "argument", in ? in->line : 0, e);
	if (!rc)
		*r = rec_canon(*r, c->s.digits);
	return rc;
}

static int product_set(struct cmd *c, int argc, char **argv, crm_err *e)
{
	int rc = need_write(c, e), i = 0;
	struct idlist ids = {0};
	for (; i < argc && !rc && !is_assignment(&T_PRODUCTS, argv[i]); i++) {
		if (!strcmp(argv[i], "-") && ids.n == 0 && !ids.recs.n)
			rc = idlist_read(&ids, &T_PRODUCTS, "-", c->cli.encoding, c->s.digits, e);
		else if (id_check(argv[i]))
			rc = crm_fail_at(e, "argument", 0, "sku", "%s '%s'", id_check(argv[i]), argv[i]);
		else
			idlist_add(&ids, argv[i]);
	}
	if (!rc && (ids.n == 0 || (i == argc && !ids.recs.n)))
		rc = cli_usage(&c->cli, e, "product set SKU...|- field=value...");
	struct stockedit se;
	stockedit_init(&se, &c->s);
	for (size_t k = 0; k < ids.n && !rc; k++) {
		rec *cur;
		if (!(rc = stock_product(&se, ids.id[k], &cur, e)) && !cur)
			rc = crm_fail_at(e, "argument", 0, "sku", "no product '%s'", ids.id[k]);
		rec *r = rc ? NULL : rec_dup(cur);
		if (!rc)
			rc = product_apply(c, &r, ids.recs.n ? ids.recs.r[k] : NULL, argv + i, argc - i, e);
		if (!rc) {
			rc = tabedit_put(&se.products, r, e);
			r = NULL;
		}
		free(r);
	}
	if (!rc)
		rc = stockedit_flush(&se, e);
	char msg[300];
	if (ids.n == 1)
		snprintf(msg, sizeof msg, "product set %s", ids.n ? ids.id[0] : "");
	else
		snprintf(msg, sizeof msg, "product set %zu products", ids.n);
	if (!rc)
		rc = commit(c, msg, e);
	stockedit_free(&se);
	idlist_free(&ids);
	return rc;
}

struct pimport {
	struct cmd *c;
	struct stockedit se;
	size_t added, updated;
	struct progress pg;
};

static int pimport_row(void *ctx, rec *in, crm_err *e)
{
	struct pimport *im = ctx;
	if (!(in->present & 1))
		return crm_fail_at(e, in->file, 1, "sku", "required column missing from header");
	if (!*in->v[PR_SKU])
		return crm_fail_at(e, in->file, in->line, "sku", "must not be empty");
	rec *cur;
	int rc = stock_product(&im->se, in->v[PR_SKU], &cur, e);
	if (rc)
		return rc;
	if (cur && cur->file == in->file)
		return crm_fail_at(e, in->file, in->line, "sku", "'%s' given twice (first on line %ld)",
			in->v[PR_SKU], cur->line);
	rec *r = cur ? rec_dup(cur) : rec_new(&T_PRODUCTS);
	r = rec_set(r, PR_SKU, in->v[PR_SKU]);
	rc = product_apply(im->c, &r, in, NULL, 0, e);
	if (rc) {
		free(r);
		return rc;
	}
	r->file = in->file;
	r->line = in->line;
	cur ? im->updated++ : im->added++;
	progress_tick(&im->pg, im->added + im->updated);
	return tabedit_put(&im->se.products, r, e);
}

static int product_import(struct cmd *c, int argc, char **argv, crm_err *e)
{
	const char *file = argc > 0 ? argv[0] : "-";
	if (argc > 1)
		return cli_usage(&c->cli, e, "product import: one file (or -)");
	struct input in;
	int rc = input_load(&in, file, c->cli.encoding, e);
	if (rc)
		return rc;
	struct pimport im = {.c = c};
	stockedit_init(&im.se, &c->s);
	progress_start(&im.pg, "crm-stock", "imported", progress_rows(in.buf, in.len));
	bulk_heap(2 * in.len);
	if (!(rc = need_write(c, e)))
		rc = input_records(&in, &T_PRODUCTS, c->s.digits, 1, pimport_row, &im, e);
	if (!rc && im.added + im.updated == 0)
		rc = crm_fail(e, CRM_EDATA, "%s: no products in the input", file);
	if (!rc)
		rc = stockedit_flush(&im.se, e);
	char msg[200];
	snprintf(msg, sizeof msg, "product import %zu added, %zu updated", im.added, im.updated);
	if (!rc)
		rc = commit(c, msg, e);
	progress_end(&im.pg);
	if (!rc)
		fprintf(stderr, "crm-stock: %s\n", msg + 15);
	stockedit_free(&im.se);
	input_free(&in);
	return rc;
}


/* Products lie in hash shards: gathered, then printed in SKU order. */
static int product_list(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct query q = {.s = &c->s, .t = &T_PRODUCTS};
	struct matches l = {0};
	int rc = columns_pick(&T_PRODUCTS, c->fields, c->cli.fmt, q.cols, &q.ncols, e);
	if (!rc)
		rc = filter_parse(&l.flt, T_PRODUCTS.f, T_PRODUCTS.nf, argv, argc, c->s.digits, e);
	struct csv_pre pre = {filter_line, filter_skip, l.flt, filter_header};
	c->s.pre = &pre;
	if (!rc)
		rc = store_scan(&c->s, &T_PRODUCTS, matches_keep, &l, e);
	c->s.pre = NULL;
	recs_sort_by_id(&l.rs);
	const char *names[CSV_MAX_FIELDS];
	for (int i = 0; i < q.ncols; i++)
		names[i] = T_PRODUCTS.f[q.cols[i]].name;
	if (!rc) {
		out_start(&q.out, c->cli.fmt, names, q.ncols);
		for (size_t i = 0; i < l.rs.n; i++)
			query_print(&q, l.rs.r[i]);
		rc = out_finish(&q.out, e);
	}
	if (!rc && l.rs.n == 0)
		rc = CRM_ENOTFOUND;
	recs_free(&l.rs);
	filter_free(l.flt);
	return rc;
}

/* ---- moves ---- */

static int move_args(struct cmd *c, int argc, char **argv, int zero_ok, struct move *m, crm_err *e)
{
	if (argc != 2)
		return cli_usage(&c->cli, e, "a SKU and a quantity");
	memset(m, 0, sizeof *m);
	m->file = "argument";
	m->sku = argv[0];
	m->ref = c->ref;
	m->note = c->note;
	int rc = cli_arg_bad("sku", argv[0], id_check(argv[0]), e);
	if (!rc)
		rc = arg_qty(argv[1], &m->qty, zero_ok, e);
	if (!rc)
		rc = arg_date(c, &m->date, e);
	if (!rc)
		rc = cli_arg_utf8("ref", c->ref, e);
	if (!rc)
		rc = cli_arg_utf8("note", c->note, e);
	return rc;
}

static int move_wh(struct cmd *c, const char *given, const char **wh, crm_err *e)
{
	if (given)
		return cli_arg_bad("warehouse", given, id_check(given), e) ? e->code : (*wh = given, 0);
	return stock_default_wh(&c->s, wh, e);
}

/* Writes the moves post() makes in one commit and prints their ids. */
static int moves_commit(struct cmd *c, struct stockedit *se, const char *verb, const char *sku, crm_err *e)
{
	int rc = stockedit_flush(se, e);
	char msg[300];
	if (se->n == 1)
		snprintf(msg, sizeof msg, "%s %s %s", verb, se->last[1], sku);
	else
		snprintf(msg, sizeof msg, "%s %s %s and %s", verb, sku, se->last[0], se->last[1]);
	if (!rc)
		rc = commit(c, msg, e);
	if (!rc && se->n == 2)
		printf("%s\n", se->last[0]);
	if (!rc)
		printf("%s\n", se->last[1]);
	return rc;
}

static int cmd_inout(struct cmd *c, int argc, char **argv, int in, crm_err *e)
{
	struct move m;
	int rc = move_args(c, argc, argv, 0, &m, e);
	if (!rc && in && !c->cost)
		rc = cli_usage(&c->cli, e, "in: --cost (the unit cost) is needed");
	if (!rc && !in && c->cost)
		rc = cli_usage(&c->cli, e, "out: the cost is the moving average; --cost is for in");
	int64_t cost = 0;
	if (!rc && in) {
		const char *why = money_parse(c->cost, c->s.digits, &cost);
		if (!why && cost < 0)
			why = "must not be negative";
		rc = cli_arg_bad("cost", c->cost, why, e);
	}
	if (!rc && in && money_muldiv(cost, m.qty, 1, &m.value))
		rc = crm_fail_at(e, "argument", 0, "cost", "qty x cost overflows");
	if (!rc)
		rc = move_wh(c, c->wh, &m.wh, e);
	m.kind = in ? "in" : "out";
	if (!in)
		m.qty = -m.qty;
	if (!rc)
		rc = need_write(c, e);
	struct stockedit se;
	stockedit_init(&se, &c->s);
	char id[48];
	if (!rc)
		rc = stock_post(&se, &m, id, sizeof id, e);
	if (!rc)
		rc = moves_commit(c, &se, m.kind, m.sku, e);
	stockedit_free(&se);
	return rc;
}

static int cmd_move(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct move m;
	int rc = move_args(c, argc, argv, 0, &m, e);
	if (!rc && (!c->from || !c->to))
		rc = cli_usage(&c->cli, e, "move: --from W and --to W");
	if (!rc && (cli_arg_bad("from", c->from, id_check(c->from), e) || cli_arg_bad("to", c->to, id_check(c->to), e)))
		rc = e->code;
	m.wh = c->from;
	m.kind = "move";
	m.qty = -m.qty;
	if (!rc)
		rc = need_write(c, e);
	struct stockedit se;
	stockedit_init(&se, &c->s);
	if (!rc)
		rc = stock_transfer(&se, &m, c->to, e);
	if (!rc)
		rc = moves_commit(c, &se, "move", m.sku, e);
	stockedit_free(&se);
	return rc;
}

static int cmd_count(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct move m;
	int64_t counted;
	/* Zero is a count like any other: the shelf is empty. */
	int rc = move_args(c, argc, argv, 1, &m, e);
	counted = m.qty;
	if (!rc)
		rc = move_wh(c, c->wh, &m.wh, e);
	m.kind = "count";
	if (!rc)
		rc = need_write(c, e);
	struct stockedit se;
	stockedit_init(&se, &c->s);
	int none = 0;
	if (!rc)
		rc = stock_count(&se, &m, &none, e);
	if (!rc && none)
		fprintf(stderr, "crm-stock: %s at %s: %lld counted, as recorded; nothing to change\n",
			m.sku, m.wh, (long long)counted);
	else if (!rc)
		rc = moves_commit(c, &se, "count", m.sku, e);
	stockedit_free(&se);
	return rc;
}

/* Moves from CSV: the moves table's columns, plus cost (a unit cost for in). */
static const struct field mimport_fields[] = {
	{"date", FT_DATE, NULL, 0}, {"sku", FT_ID, NULL, F_REQ}, {"warehouse", FT_ID, NULL, 0},
	{"qty", FT_INT, NULL, F_REQ}, {"kind", FT_ENUM, "in,out,count", 0}, {"cost", FT_MONEY, NULL, 0},
	{"value", FT_MONEY, NULL, 0}, {"ref", FT_TEXT, NULL, 0}, {"by", FT_TEXT, NULL, 0},
	{"note", FT_TEXT, NULL, 0},
};
static const struct table T_MIMPORT = {"moves", T_LEDGER, "M", mimport_fields, 10, 0, 0};
enum { MI_DATE, MI_SKU, MI_WH, MI_QTY, MI_KIND, MI_COST, MI_VALUE, MI_REF, MI_BY, MI_NOTE };

struct mimport {
	struct cmd *c;
	struct stockedit se;
	const char *defwh;
};

static int mimport_row(void *ctx, rec *in, crm_err *e)
{
	struct mimport *im = ctx;
	struct move m = {.file = in->file, .line = in->line};
	m.date = *in->v[MI_DATE] ? in->v[MI_DATE] : im->c->cli.today;
	m.sku = in->v[MI_SKU];
	m.kind = *in->v[MI_KIND] ? in->v[MI_KIND] : "in";
	m.ref = in->v[MI_REF];
	m.by = *in->v[MI_BY] ? in->v[MI_BY] : NULL;
	m.note = in->v[MI_NOTE];
	int rc = 0;
	if (*in->v[MI_WH])
		m.wh = in->v[MI_WH];
	else if (!im->defwh && (rc = stock_default_wh(&im->c->s, &im->defwh, e))) {
		char why[sizeof e->msg];
		snprintf(why, sizeof why, "%s", e->msg);
		e->code = 0;
		return crm_fail_at(e, in->file, in->line, "warehouse", "empty, and %s", why);
	}
	if (!m.wh)
		m.wh = im->defwh;
	int_parse(in->v[MI_QTY], &m.qty);
	int count = !strcmp(m.kind, "count");
	if (m.qty < 0 || (m.qty == 0 && !count))
		return crm_fail_at(e, in->file, in->line, "qty", "must be a positive whole number '%s'", in->v[MI_QTY]);
	if (count) {
		int none;
		return stock_count(&im->se, &m, &none, e);
	}
	if (!strcmp(m.kind, "out")) {
		if (*in->v[MI_COST] || *in->v[MI_VALUE])
			return crm_fail_at(e, in->file, in->line, *in->v[MI_COST] ? "cost" : "value",
				"an out move takes the moving average");
		m.qty = -m.qty;
	} else {
		int64_t cost;
		if (*in->v[MI_COST] && *in->v[MI_VALUE])
			return crm_fail_at(e, in->file, in->line, "cost", "give cost (per unit) or value (in all), not both");
		if (*in->v[MI_VALUE])
			money_parse(in->v[MI_VALUE], im->c->s.digits, &m.value);
		else if (*in->v[MI_COST] && !money_parse(in->v[MI_COST], im->c->s.digits, &cost) &&
			 money_muldiv(cost, m.qty, 1, &m.value))
			return crm_fail_at(e, in->file, in->line, "cost", "qty x cost overflows");
		else if (!*in->v[MI_COST])
			return crm_fail_at(e, in->file, in->line, "cost", "an in move needs its cost (or value)");
		if (m.value < 0)
			return crm_fail_at(e, in->file, in->line, *in->v[MI_COST] ? "cost" : "value", "must not be negative");
	}
	char id[48];
	return stock_post(&im->se, &m, id, sizeof id, e);
}

static int cmd_import(struct cmd *c, int argc, char **argv, crm_err *e)
{
	const char *file = argc > 0 ? argv[0] : "-";
	if (argc > 1)
		return cli_usage(&c->cli, e, "import: one file (or -)");
	struct input in;
	int rc = input_load(&in, file, c->cli.encoding, e);
	if (rc)
		return rc;
	struct mimport im = {.c = c};
	stockedit_init(&im.se, &c->s);
	if (!(rc = need_write(c, e)))
		rc = input_records(&in, &T_MIMPORT, c->s.digits, 1, mimport_row, &im, e);
	if (!rc && im.se.n == 0)
		rc = crm_fail(e, CRM_EDATA, "%s: no moves in the input (or every count as recorded)", file);
	if (!rc)
		rc = stockedit_flush(&im.se, e);
	char msg[200];
	snprintf(msg, sizeof msg, "import %zu moves", im.se.n);
	if (!rc)
		rc = commit(c, msg, e);
	if (!rc)
		fprintf(stderr, "crm-stock: %zu moves\n", im.se.n);
	stockedit_free(&im.se);
	input_free(&in);
	return rc;
}

/* ---- reads ---- */

/* Every product, by SKU, for names and categories. */
static int load_products(struct store *s, struct recs *rs, struct strmap *idx, crm_err *e)
{
	struct matches l = {0};
	static const int want[] = {PR_SKU, PR_NAME, PR_CATEGORY, PR_UNIT, PR_ALERT, PR_REORDER, PR_STATUS};
	int rc = filter_parse(&l.flt, T_PRODUCTS.f, T_PRODUCTS.nf, NULL, 0, s->digits, e);
	if (!rc)
		rc = store_scan_table_fields(s, &T_PRODUCTS, want, 7, matches_keep, &l, e);
	filter_free(l.flt);
	*rs = l.rs;
	for (size_t i = 0; i < rs->n; i++)
		strmap_put(idx, rs->r[i]->v[PR_SKU], i);
	return rc;
}

/* The stock the read asks for: balances, or the moves up to --as-of. */
static int load_stock(struct cmd *c, struct stockmap *m, crm_err *e)
{
	if (c->cli.as_of)
		return stock_scan(&c->s, date_today(), m, e);
	return stock_balances(&c->s, m, e);
}

static const struct field level_fields[] = {
	{"sku", FT_ID, NULL, 0}, {"name", FT_TEXT, NULL, 0}, {"category", FT_TEXT, NULL, 0},
	{"warehouse", FT_ID, NULL, 0}, {"qty", FT_INT, NULL, 0}, {"unit", FT_TEXT, NULL, 0},
	{"avg_cost", FT_MONEY, NULL, 0}, {"value", FT_MONEY, NULL, 0},
};
#define NLEVEL 8

static void avg_cost(int64_t q, int64_t v, int digits, char *buf)
{
	int64_t a;
	*buf = 0;
	if (q != 0 && !money_muldiv(v, 1, q, &a))
		money_fmt(a, digits, buf);
}

struct reader {
	struct stockmap m;
	struct recs prods;
	struct strmap pidx;
	struct filter *flt;
};

static int reader_open(struct cmd *c, struct reader *r, int argc, char **argv, crm_err *e)
{
	memset(r, 0, sizeof *r);
	if (c->wh && id_check(c->wh))
		return cli_arg_bad("warehouse", c->wh, id_check(c->wh), e);
	int rc = filter_parse(&r->flt, level_fields, NLEVEL, argv, argc, c->s.digits, e);
	if (!rc && c->wh) {
		struct tabedit te;
		rec *w;
		tabedit_init(&te, &c->s, &T_WAREHOUSES);
		if (!(rc = tabedit_get(&te, c->wh, &w, e)) && !w)
			rc = crm_fail_at(e, "argument", 0, "warehouse", "no warehouse '%s'", c->wh);
		tabedit_free(&te);
	}
	if (!rc)
		rc = load_products(&c->s, &r->prods, &r->pidx, e);
	if (!rc)
		rc = load_stock(c, &r->m, e);
	if (!rc)
		stockmap_sort(&r->m);
	return rc;
}

static void reader_close(struct reader *r)
{
	stockmap_free(&r->m);
	recs_free(&r->prods);
	strmap_clear(&r->pidx);
	filter_free(r->flt);
}

static const rec *product_of(struct reader *r, const char *sku)
{
	size_t i = strmap_get(&r->pidx, sku, (size_t)-1);
	return i == (size_t)-1 ? NULL : r->prods.r[i];
}

/* The level row of one balance; 0 when the filters or --wh leave it out. */
static int level_row(struct cmd *c, struct reader *r, const struct sq *q, char **v, char bufs[3][32], crm_err *e)
{
	if (c->wh && strcmp(q->wh, c->wh) != 0)
		return 0;
	const rec *p = product_of(r, q->sku);
	snprintf(bufs[0], 32, "%lld", (long long)q->q);
	avg_cost(q->q, q->v, c->s.digits, bufs[1]);
	money_fmt(q->v, c->s.digits, bufs[2]);
	static char empty[1];
	char *vals[NLEVEL] = {(char *)q->sku, p ? p->v[PR_NAME] : empty, p ? p->v[PR_CATEGORY] : empty, (char *)q->wh,
		bufs[0], p ? p->v[PR_UNIT] : empty, bufs[1], bufs[2]};
	memcpy(v, vals, sizeof vals);
	return filter_match(r->flt, v, "level", 0, e);
}

static int cmd_level(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct reader r;
	int rc = reader_open(c, &r, argc, argv, e);
	static const char *cols[NLEVEL] = {"sku", "name", "category", "warehouse", "qty", "unit", "avg_cost", "value"};
	struct out o;
	size_t rows = 0;
	if (!rc)
		out_start(&o, c->cli.fmt, cols, NLEVEL);
	for (size_t i = 0; !rc && i < r.m.n; i++) {
		struct sq *q = &r.m.a[i];
		char *v[NLEVEL], bufs[3][32];
		if (!c->all && q->q == 0 && q->v == 0)
			continue;
		int m = level_row(c, &r, q, v, bufs, e);
		if (m < 0)
			rc = e->code;
		else if (m && ++rows)
			out_row(&o, (const char *const *)v);
	}
	if (!rc)
		rc = out_finish(&o, e);
	if (!rc && !rows)
		rc = CRM_ENOTFOUND;
	reader_close(&r);
	return rc;
}

static int cmd_card(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc != 1)
		return cli_usage(&c->cli, e, "card SKU");
	int32_t from = INT32_MIN, to = INT32_MAX;
	int rc = cli_arg_bad("sku", argv[0], id_check(argv[0]), e);
	if (!rc && c->from)
		rc = cli_arg_bad("from", c->from, date_parse(c->from, &from), e);
	if (!rc && c->to)
		rc = cli_arg_bad("to", c->to, date_parse(c->to, &to), e);
	if (!rc && to < from)
		rc = cli_usage(&c->cli, e, "--to is before --from");
	struct recs mv = {0};
	if (!rc)
		rc = stock_card(&c->s, argv[0], c->wh, &mv, e);
	static const char *cols[] = {"date", "id", "kind", "warehouse", "qty", "value",
		"balance_qty", "balance_value", "avg_cost", "ref"};
	struct out o;
	int64_t bq = 0, bv = 0;
	size_t rows = 0;
	if (!rc)
		out_start(&o, c->cli.fmt, cols, 10);
	for (size_t i = 0; !rc && i < mv.n; i++) {
		rec *m = mv.r[i];
		int64_t q, v;
		int32_t d;
		int_parse(m->v[MV_QTY], &q);
		money_parse(m->v[MV_VALUE], c->s.digits, &v);
		date_parse(m->v[MV_DATE], &d);
		bq += q, bv += v;
		if (d < from || d > to)
			continue;
		char qs[32], vs[32], as[32];
		snprintf(qs, sizeof qs, "%lld", (long long)bq);
		money_fmt(bv, c->s.digits, vs);
		avg_cost(bq, bv, c->s.digits, as);
		const char *row[] = {m->v[MV_DATE], m->v[MV_ID], m->v[MV_KIND], m->v[MV_WH], m->v[MV_QTY],
			m->v[MV_VALUE], qs, vs, as, m->v[MV_REF]};
		out_row(&o, row);
		rows++;
	}
	if (!rc)
		rc = out_finish(&o, e);
	if (!rc && !rows)
		rc = crm_fail(e, CRM_ENOTFOUND, "no moves of '%s'", argv[0]);
	recs_free(&mv);
	return rc;
}

static int cmd_alert(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc)
		return cli_usage(&c->cli, e, "alert takes options only");
	struct reader r;
	int rc = reader_open(c, &r, 0, argv, e);
	int64_t *onhand = xcalloc(r.prods.n + 1, sizeof *onhand);
	for (size_t i = 0; !rc && i < r.m.n; i++) {
		size_t k = strmap_get(&r.pidx, r.m.a[i].sku, (size_t)-1);
		if (k != (size_t)-1 && (!c->wh || !strcmp(r.m.a[i].wh, c->wh)))
			onhand[k] += r.m.a[i].q;
	}
	recs_sort_by_id(&r.prods); /* pidx still gives each SKU its slot in onhand */
	static const char *cols[] = {"sku", "name", "qty", "alert_level", "reorder_qty", "order_qty"};
	struct out o;
	size_t rows = 0;
	for (size_t i = 0; !rc && i < r.prods.n; i++) {
		const rec *p = r.prods.r[i];
		int64_t lvl, re = 0, q = onhand[strmap_get(&r.pidx, p->v[PR_SKU], 0)];
		if (strcmp(p->v[PR_STATUS], "active") || int_parse(p->v[PR_ALERT], &lvl) || q >= lvl)
			continue;
		if (int_parse(p->v[PR_REORDER], &re) || re <= 0)
			re = lvl - q;
		char qs[32], os[32];
		snprintf(qs, sizeof qs, "%lld", (long long)q);
		snprintf(os, sizeof os, "%lld", (long long)re);
		const char *row[] = {p->v[PR_SKU], p->v[PR_NAME], qs, p->v[PR_ALERT], p->v[PR_REORDER], os};
		/* Nothing low, nothing printed, not even a header: cron mails only news. */
		if (!rows++)
			out_start(&o, c->cli.fmt, cols, 6);
		out_row(&o, row);
	}
	if (!rc && rows)
		rc = out_finish(&o, e);
	free(onhand);
	reader_close(&r);
	return rc;
}

struct vgroup {
	char *cat;
	int64_t q, v;
};

static int vgroup_cmp(const void *a, const void *b)
{
	return strcmp(((const struct vgroup *)a)->cat, ((const struct vgroup *)b)->cat);
}

static int cmd_value(struct cmd *c, int argc, char **argv, crm_err *e)
{
	long depth = 1;
	if (c->depth) {
		char *end;
		depth = strtol(c->depth, &end, 10);
		if (!*c->depth || *end || depth < 1 || depth > 64)
			return cli_usage(&c->cli, e, "--depth takes a whole number from 1");
	}
	struct reader r;
	int rc = reader_open(c, &r, argc, argv, e);
	struct strmap gidx = {0};
	struct vgroup *g = NULL;
	size_t ng = 0;
	int64_t tq = 0, tv = 0;
	for (size_t i = 0; !rc && i < r.m.n; i++) {
		char *v[NLEVEL], bufs[3][32], cat[512];
		int m = level_row(c, &r, &r.m.a[i], v, bufs, e);
		if (m < 0)
			rc = e->code;
		if (m <= 0)
			continue;
		category_cut(v[2], (int)depth, cat, sizeof cat);
		size_t k = strmap_get(&gidx, cat, (size_t)-1);
		if (k == (size_t)-1) {
			g = xrealloc(g, (ng + 1) * sizeof *g);
			g[ng] = (struct vgroup){xstrdup(cat), 0, 0};
			strmap_put(&gidx, cat, k = ng++);
		}
		g[k].q += r.m.a[i].q, g[k].v += r.m.a[i].v;
		tq += r.m.a[i].q, tv += r.m.a[i].v;
	}
	if (ng > 1)
		qsort(g, ng, sizeof *g, vgroup_cmp);
	static const char *cols[] = {"category", "qty", "value"};
	struct out o;
	if (!rc) {
		out_start(&o, c->cli.fmt, cols, 3);
		for (size_t i = 0; i <= ng; i++) {
			char qs[32], vs[32];
			int64_t q = i < ng ? g[i].q : tq, v = i < ng ? g[i].v : tv;
			snprintf(qs, sizeof qs, "%lld", (long long)q);
			money_fmt(v, c->s.digits, vs);
			const char *row[] = {i < ng ? (*g[i].cat ? g[i].cat : "(none)") : "total", qs, vs};
			out_row(&o, row);
		}
		rc = out_finish(&o, e);
	}
	for (size_t i = 0; i < ng; i++)
		free(g[i].cat);
	free(g);
	strmap_clear(&gidx);
	reader_close(&r);
	return rc;
}

static int cmd_in(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_inout(c, argc, argv, 1, e);
}

static int cmd_out(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_inout(c, argc, argv, 0, e);
}

static const struct cli_verb warehouse_verbs[] = {
	{"add", warehouse_add, "ID NAME [parent=ID]", .help = "a new warehouse, or a place inside one; prints its id"},
	{"list", warehouse_list, "", .help = "the warehouses"},
	{0},
};

static const struct cli_verb product_verbs[] = {
	{"add", product_add, "SKU NAME [field=value...]", .help = "a new product; prints its SKU"},
	{"set", product_set, "SKU...|- field=value...", .help = "change fields of products, in one commit"},
	{"list", product_list, "[--fields F] [FILTER...]", .help = "products that match every filter"},
	{"import", product_import, "[FILE|-]", .help = "products as CSV records: new ones added, known SKUs updated"},
	{0},
};

static const struct cli_verb verbs[] = {
	{"warehouse", .sub = warehouse_verbs, .help = "warehouses"},
	{"product", .sub = product_verbs, .help = "products"},
	{"in", cmd_in, "SKU QTY --cost C [--wh W] [--ref R] [--date D] [--note N]", .help = "goods received at a unit cost"},
	{"out", cmd_out, "SKU QTY [--wh W] [--ref R] [--date D] [--note N]", .help = "goods issued at the moving average cost"},
	{"move", cmd_move, "SKU QTY --from W --to W [--ref R] [--date D]", .help = "goods from one warehouse to another"},
	{"count", cmd_count, "SKU QTY [--wh W] [--date D]", .help = "stocktake: the difference is a count move"},
	{"import", cmd_import, "[FILE|-]", .help = "moves as CSV: date,sku,warehouse,qty,kind,cost,value,ref,by,note"},
	{"level", cmd_level, "[--wh W] [--all] [FILTER...]", .help = "qty, average cost and value per SKU and warehouse"},
	{"card", cmd_card, "SKU [--wh W] [--from D] [--to D]", .help = "every move with the running balance"},
	{"alert", cmd_alert, "[--wh W]", .help = "products below their alert level"},
	{"value", cmd_value, "[--depth N] [--wh W] [FILTER...]", .help = "valuation per category"},
	{0},
};

static const struct cli_prog prog = {
	.name = "crm-stock", .synopsis = "[-C dir] [-n] [-m msg] [-o fmt] [--at rev|date] [--as-of date]",
	.verbs = verbs, .opts = opts, .on_opt = on_opt,
};

int main(int argc, char **argv)
{
	struct cmd c = {0};
	return cli_main(&prog, &c, &c.cli, &c.s, argc, argv);
}
