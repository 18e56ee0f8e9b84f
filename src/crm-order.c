/* crm-order: quotes, orders, shipments and returns (crm-order(1)). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bulkmem.h"
#include "progress.h"
#include "cli.h"
#include "date.h"
#include "money.h"
#include "order.h"
#include "query.h"

enum { OPT_STAGE = OPT_CMD, OPT_PROB, OPT_CLOSE, OPT_DATE, OPT_TERMS, OPT_PLAN, OPT_REF, OPT_WH,
	OPT_REASON, OPT_FIELDS, OPT_CURRENCY, OPT_NOTE, OPT_DISCOUNT, OPT_WITHSTOCK };

static const struct option opts[] = {
	{"stage", required_argument, NULL, OPT_STAGE},
	{"probability", required_argument, NULL, OPT_PROB},
	{"close", required_argument, NULL, OPT_CLOSE},
	{"date", required_argument, NULL, OPT_DATE},
	{"terms", required_argument, NULL, OPT_TERMS},
	{"plan", required_argument, NULL, OPT_PLAN},
	{"ref", required_argument, NULL, OPT_REF},
	{"wh", required_argument, NULL, OPT_WH},
	{"reason", required_argument, NULL, OPT_REASON},
	{"fields", required_argument, NULL, OPT_FIELDS},
	{"currency", required_argument, NULL, OPT_CURRENCY},
	{"note", required_argument, NULL, OPT_NOTE},
	{"discount", required_argument, NULL, OPT_DISCOUNT},
	{"with-stock", no_argument, NULL, OPT_WITHSTOCK},
	{0},
};

struct cmd {
	struct cli cli;
	struct store s;
	const char *stage, *close, *date, *terms, *plan, *ref, *wh, *reason, *fields, *currency, *note, *discount;
	int64_t probability;
	int with_stock;
};

static int on_opt(void *ctx, int opt, const char *arg, crm_err *e)
{
	struct cmd *c = ctx;
	const char *why;
	switch (opt) {
	case OPT_STAGE: c->stage = arg; return 0;
	case OPT_CLOSE: c->close = arg; return 0;
	case OPT_DATE: c->date = arg; return 0;
	case OPT_TERMS: c->terms = arg; return 0;
	case OPT_PLAN: c->plan = arg; return 0;
	case OPT_REF: c->ref = arg; return 0;
	case OPT_WH: c->wh = arg; return 0;
	case OPT_REASON: c->reason = arg; return 0;
	case OPT_FIELDS: c->fields = arg; return 0;
	case OPT_CURRENCY: c->currency = arg; return 0;
	case OPT_NOTE: c->note = arg; return 0;
	case OPT_DISCOUNT: c->discount = arg; return 0;
	case OPT_WITHSTOCK: c->with_stock = 1; return 0;
	case OPT_PROB:
		if ((why = int_parse(arg, &c->probability)) || c->probability < 0 || c->probability > 100)
			return crm_fail_at(e, "argument", 0, "probability", "a percent from 0 to 100, not '%s'", arg);
		return 0;
	}
	return cli_usage(&c->cli, e, "unknown option");
}

static int need_write(struct cmd *c, crm_err *e)
{
	return cli_write_lock(&c->cli, &c->s, e);
}


static int arg_date(struct cmd *c, const char **date, crm_err *e)
{
	int32_t d;
	*date = c->date ? c->date : c->cli.today;
	return cli_arg_bad("date", *date, date_parse(*date, &d), e);
}

static int arg_texts(struct cmd *c, crm_err *e)
{
	const char *v[] = {c->reason, c->note, c->ref, c->stage};
	const char *f[] = {"reason", "note", "ref", "stage"};
	int rc = 0;
	for (int i = 0; i < 4 && !rc; i++)
		rc = cli_arg_utf8(f[i], v[i], e);
	return rc;
}

/* SKU:QTY[@PRICE] operands; --discount applies to every line. */
static int lines_parse(struct cmd *c, int argc, char **argv, struct line_req *l, crm_err *e)
{
	int64_t d = 0;
	const char *why;
	if (c->discount && ((why = money_parse(c->discount, 2, &d)) || d < 0 || d >= 10000))
		return cli_arg_bad("discount", c->discount, why ? why : "a percent from 0 to under 100", e);
	if (argc > ORDER_LINES)
		return crm_fail_at(e, "argument", 0, "line", "at most %d lines", ORDER_LINES);
	for (int i = 0; i < argc; i++) {
		int rc = line_parse(argv[i], c->s.digits, &l[i], e);
		if (rc)
			return rc;
		l[i].discount = d;
	}
	return 0;
}

/* One story per verb: load, change, flush, one commit naming what was done and who allowed what. */
static int commit(struct cmd *c, struct orders *o, const char *verb, const char *more, crm_err *e)
{
	char msg[900], v[40] = "";
	if (o->value)
		snprintf(v, sizeof v, " (%s)", money_fmt(o->value, c->s.digits, msg));
	snprintf(msg, sizeof msg, "%s %s%s%s%s%s", verb, o->id, more, v, *o->allowed ? "; " : "", o->allowed);
	int rc = orders_flush(o, e);
	if (!rc)
		rc = store_commit(&c->s, msg, e);
	return rc;
}

static int cmd_create(struct cmd *c, int argc, char **argv, int quote, crm_err *e)
{
	if (argc < 2)
		return cli_usage(&c->cli, e, quote ? "quote CUSTOMER SKU:QTY[@PRICE]..." : "new CUSTOMER SKU:QTY[@PRICE]...");
	struct line_req l[ORDER_LINES];
	struct order_req q = {.customer = argv[0], .status = quote ? "quote" : "open", .stage = c->stage,
		.close = c->close, .terms = c->terms, .plan = c->plan, .ref = c->ref, .note = c->note,
		.probability = c->probability, .lines = l, .n = argc - 1, .at = {"argument", 0}};
	q.currency = c->currency; /* NULL: the customer's, else crm.conf's (ar_currency) */
	int rc = arg_date(c, &q.date, e);
	if (!rc)
		rc = arg_texts(c, e);
	if (!rc && c->currency)
		rc = cli_arg_bad("currency", c->currency, currency_check(c->currency), e);
	if (!rc)
		rc = lines_parse(c, argc - 1, argv + 1, l, e);
	if (!rc && !quote && (c->stage || c->probability >= 0 || c->close))
		rc = cli_usage(&c->cli, e, "new: --stage, --probability and --close are for quotes");
	if (!rc)
		rc = need_write(c, e);
	struct orders o;
	orders_init(&o, &c->s, c->reason);
	if (!rc)
		rc = order_create(&o, &q, e);
	if (!rc)
		rc = commit(c, &o, quote ? "quote" : "new", "", e);
	if (!rc)
		printf("%s\n", o.id);
	orders_free(&o);
	return rc;
}

static int cmd_change(struct cmd *c, int argc, char **argv, const char *verb, crm_err *e)
{
	int want = !strcmp(verb, "stage") ? 2 : 1;
	if (argc != want)
		return cli_usage(&c->cli, e, !strcmp(verb, "stage") ? "stage QUOTE STAGE" : "win, lose and cancel take one order");
	if (!strcmp(verb, "lose") && (!c->reason || !*c->reason))
		return cli_usage(&c->cli, e, "lose: --reason is needed (why it was lost)");
	int rc = arg_texts(c, e);
	if (!rc)
		rc = need_write(c, e);
	struct orders o;
	orders_init(&o, &c->s, c->reason);
	if (!rc && !strcmp(verb, "stage"))
		rc = order_stage(&o, argv[0], argv[1], c->probability, e);
	else if (!rc && !strcmp(verb, "win"))
		rc = order_win(&o, argv[0], e);
	else if (!rc && !strcmp(verb, "lose"))
		rc = order_lose(&o, argv[0], c->reason, e);
	else if (!rc)
		rc = order_cancel(&o, argv[0], e);
	char more[300] = "";
	if (!strcmp(verb, "stage"))
		snprintf(more, sizeof more, " to %s", argc > 1 ? argv[1] : "");
	else if (!strcmp(verb, "lose"))
		snprintf(more, sizeof more, ": %s", c->reason);
	if (!rc)
		rc = commit(c, &o, verb, more, e);
	orders_free(&o);
	return rc;
}

static int ship_wh(struct cmd *c, const char **wh, crm_err *e)
{
	if (c->wh)
		return cli_arg_bad("warehouse", c->wh, id_check(c->wh), e) ? e->code : (*wh = c->wh, 0);
	return stock_default_wh(&c->s, wh, e);
}

static int cmd_ship(struct cmd *c, int argc, char **argv, int ret, crm_err *e)
{
	if (argc < 1 || (ret && argc != 2))
		return cli_usage(&c->cli, e, ret ? "return ORDER SKU:QTY" : "ship ORDER [SKU:QTY...]");
	struct line_req l[ORDER_LINES];
	const char *date, *wh = NULL;
	int rc = arg_date(c, &date, e);
	if (!rc)
		rc = arg_texts(c, e);
	if (!rc)
		rc = lines_parse(c, argc - 1, argv + 1, l, e);
	if (!rc)
		rc = ship_wh(c, &wh, e);
	if (!rc)
		rc = need_write(c, e);
	struct orders o;
	orders_init(&o, &c->s, c->reason);
	if (!rc)
		rc = ret ? order_return(&o, argv[0], &l[0], wh, date, e) : order_ship(&o, argv[0], l, argc - 1, wh, date, e);
	char more[64];
	snprintf(more, sizeof more, " %s %s", ret ? "to" : "from", wh ? wh : "");
	if (!rc)
		rc = commit(c, &o, ret ? "return" : "ship", more, e);
	/* What the shipment raised: its invoices (or the return's credit note), one per line. */
	for (size_t i = 0; !rc && i < o.ar.ndocs; i++)
		printf("%s\n", o.ar.docs[i]);
	orders_free(&o);
	return rc;
}

static int cmd_list(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct query q = {.s = &c->s, .t = &T_ORDERS};
	return query_list(&q, argv, argc, c->fields, c->cli.fmt, e);
}

/* show: the order, then its lines with what shipped, the cost and the margin, then its invoices. */
struct invsum {
	const char *order;
	struct recs inv;
	int64_t paid, discount, credited, written; /* of its invoices: money, cash discount, credit, bad debt */
	int digits;
};

static int inv_keep(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct invsum *s = ctx;
	if (!strcmp(r->v[IN_ORDER], s->order))
		recs_push(&s->inv, rec_dup(r));
	return 0;
}

static int app_keep(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct invsum *s = ctx;
	for (size_t i = 0; i < s->inv.n; i++)
		if (!strcmp(s->inv.r[i]->v[IN_ID], r->v[AP_INVOICE])) {
			int64_t v = 0, d = 0;
			money_parse(r->v[AP_SETTLED], s->digits, &v);
			money_parse(r->v[AP_DISCOUNT], s->digits, &d);
			if (!strcmp(r->v[AP_KIND], "receipt"))
				s->paid += v - d, s->discount += d;
			else if (!strcmp(r->v[AP_KIND], "credit"))
				s->credited += v;
			else
				s->written += v;
		}
	return 0;
}

static int cmd_show(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc != 1)
		return cli_usage(&c->cli, e, "show ORDER");
	struct recs ord = {0}, lines = {0};
	int rc = order_read(&c->s, argv[0], &ord, &lines, e);
	struct invsum s = {.order = argv[0], .digits = c->s.digits};
	if (!rc)
		rc = store_scan(&c->s, &T_INVOICES, inv_keep, &s, e);
	if (!rc && s.inv.n)
		rc = store_scan(&c->s, &T_APPLICATIONS, app_keep, &s, e);
	int tty = c->cli.fmt == OUT_TABLE || (c->cli.fmt == OUT_AUTO && isatty(1));
	if (!rc && tty)
		for (int i = 0; i < T_ORDERS.nf; i++) {
			sbuf v = {0};
			sb_add_visible(&v, ord.r[0]->v[i]);
			printf("%-13s %s\n", T_ORDERS.f[i].name, sb_str(&v));
			sb_free(&v);
		}
	static const char *cols[] = {"order", "line", "sku", "qty", "price", "discount", "value", "shipped", "sales",
		"cost", "margin"};
	struct out o;
	int64_t tv = 0, ts = 0, tc = 0;
	if (!rc) {
		if (tty)
			printf("\nlines:\n");
		out_start(&o, tty ? OUT_TABLE : c->cli.fmt, cols, 11);
		for (size_t i = 0; i < lines.n; i++) {
			rec *l = lines.r[i];
			int64_t q = 0, sh = 0, p = 0, d = 0, cost = 0, v = 0, sales = 0;
			int_parse(l->v[LN_QTY], &q);
			int_parse(l->v[LN_SHIPPED], &sh);
			money_parse(l->v[LN_PRICE], c->s.digits, &p);
			if (*l->v[LN_DISCOUNT])
				money_parse(l->v[LN_DISCOUNT], 2, &d);
			money_parse(l->v[LN_COST], c->s.digits, &cost);
			line_value(q, p, d, &v);
			line_value(sh, p, d, &sales);
			tv += v, ts += sales, tc += cost;
			char vs[32], ss[32], ms[32];
			const char *row[] = {l->v[LN_ORDER], l->v[LN_LINE], l->v[LN_SKU], l->v[LN_QTY], l->v[LN_PRICE],
				l->v[LN_DISCOUNT], money_fmt(v, c->s.digits, vs), l->v[LN_SHIPPED],
				money_fmt(sales, c->s.digits, ss), l->v[LN_COST], money_fmt(sales - cost, c->s.digits, ms)};
			out_row(&o, row);
		}
		rc = out_finish(&o, e);
	}
	if (!rc && tty) {
		/* Its invoices, and what settled them: invoiced - paid - discount - credited - written off is owed. */
		int64_t inv = 0, notes = 0;
		for (size_t i = 0; i < s.inv.n; i++) {
			int64_t a = 0;
			money_parse(s.inv.r[i]->v[IN_AMOUNT], c->s.digits, &a);
			*(a < 0 ? &notes : &inv) += a;
		}
		int64_t owed = inv - s.paid - s.discount - s.credited - s.written;
		char a[32], b[32], d[32], f[32], g[32], h[32], x[32], y[32], w[32], n[32], ow[32];
		printf("\nordered %s  shipped %s  cost %s  margin %s  credit notes %s\n"
			"invoiced %s  paid %s  discount %s  credited %s  written off %s  owed %s\n",
			money_fmt(tv, c->s.digits, a), money_fmt(ts, c->s.digits, b), money_fmt(tc, c->s.digits, d),
			money_fmt(ts - tc, c->s.digits, f), money_fmt(-notes, c->s.digits, n), money_fmt(inv, c->s.digits, g),
			money_fmt(s.paid, c->s.digits, h), money_fmt(s.discount, c->s.digits, x),
			money_fmt(s.credited, c->s.digits, y), money_fmt(s.written, c->s.digits, w), money_fmt(owed, c->s.digits, ow));
		for (size_t i = 0; i < s.inv.n; i++)
			printf("  %s %s %s %s due %s\n", s.inv.r[i]->v[IN_ID], s.inv.r[i]->v[IN_DATE], s.inv.r[i]->v[IN_KIND],
				s.inv.r[i]->v[IN_AMOUNT], s.inv.r[i]->v[IN_DUE]);
	}
	recs_free(&ord);
	recs_free(&lines);
	recs_free(&s.inv);
	return rc;
}

/* ---- import: one row per order line; rows sharing ref are one order ---- */

static const struct field imp_fields[] = {
	{"ref", FT_TEXT, NULL, F_REQ}, {"date", FT_DATE, NULL, F_REQ}, {"customer", FT_ID, NULL, F_REQ},
	{"sku", FT_ID, NULL, F_REQ}, {"qty", FT_INT, NULL, F_REQ}, {"price", FT_MONEY, NULL, F_REQ},
	{"discount", FT_MONEY, NULL, 0}, {"owner", FT_TEXT, NULL, 0}, {"terms", FT_TERMS, NULL, 0},
	{"status", FT_ENUM, "open,shipped,closed,cancelled,lost", 0}, {"ship_date", FT_DATE, NULL, 0},
};
static const struct table T_IMP = {"orders", T_LEDGER, "O", imp_fields, 11, 1, 0};
enum { IM_REF, IM_DATE, IM_CUSTOMER, IM_SKU, IM_QTY, IM_PRICE, IM_DISCOUNT, IM_OWNER, IM_TERMS, IM_STATUS, IM_SHIP };

struct importer {
	struct cmd *c;
	struct orders o;
	struct recs rows;      /* the rows of the order being gathered */
	size_t orders, lines, shipped;
	struct strset refs, known; /* refs of this input, and of the orders the store has */
	sbuf seen;             /* this input's refs while each sorted after the last (refs empty) */
	size_t lastat;         /* the last one's offset in seen */
	int unsorted;
	const char *wh;
	struct progress pg;
	size_t rows_read;
};

static int known_ref(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	if (*r->v[OR_REF])
		strset_add(ctx, r->v[OR_REF]);
	return 0;
}

/* Writes the gathered rows as one order, and ships the lines that carry a ship_date, by date. */
static int import_order(struct importer *im, crm_err *e)
{
	if (!im->rows.n)
		return 0;
	struct cmd *c = im->c;
	rec *first = im->rows.r[0];
	struct where at = {first->file, first->line};
	struct line_req l[ORDER_LINES];
	for (size_t i = 0; i < im->rows.n; i++) {
		rec *r = im->rows.r[i];
		l[i] = (struct line_req){r->v[IM_SKU], 0, 0, 0};
		int_parse(r->v[IM_QTY], &l[i].qty);
		money_parse(r->v[IM_PRICE], c->s.digits, &l[i].price);
		if (*r->v[IM_DISCOUNT])
			money_parse(r->v[IM_DISCOUNT], 2, &l[i].discount);
		if (l[i].qty <= 0)
			return crm_fail_at(e, r->file, r->line, "qty", "must be a positive whole number '%s'", r->v[IM_QTY]);
		if (strcmp(r->v[IM_DATE], first->v[IM_DATE]) || strcmp(r->v[IM_CUSTOMER], first->v[IM_CUSTOMER]))
			return crm_fail_at(e, r->file, r->line, "ref", "'%s' has another date or customer on line %ld",
				r->v[IM_REF], first->line);
	}
	const char *ship[ORDER_LINES];
	for (size_t i = 0; i < im->rows.n; i++)
		ship[i] = im->rows.r[i]->v[IM_SHIP];
	/* A past order's own status stands; only an open one counts against the credit limit. */
	const char *st = *first->v[IM_STATUS] ? first->v[IM_STATUS] : "open";
	struct order_req q = {.customer = first->v[IM_CUSTOMER], .date = first->v[IM_DATE], .status = st,
		.terms = first->v[IM_TERMS], .currency = NULL, .ref = first->v[IM_REF], .owner = first->v[IM_OWNER],
		.probability = -1, .lines = l, .n = (int)im->rows.n, .ship = ship, .wh = c->with_stock ? im->wh : NULL,
		.at = at};
	int rc = order_create(&im->o, &q, e);
	for (size_t i = 0; i < im->rows.n; i++)
		im->shipped += *ship[i] != 0;
	im->orders++;
	im->lines += im->rows.n;
	im->rows.n = 0; /* the records are the reader's (input_records_ahead) */
	return rc;
}

/* 1 if ref is new to this input. An export lists its refs sorted, mostly:
 * while each sorts after the last it is new, and the set is made only when
 * one does not (a third of a million refs hashed was a twentieth of it). */
static int ref_new(struct importer *im, const char *ref)
{
	if (!im->unsorted) {
		if (!im->seen.len || strcmp(ref, im->seen.s + im->lastat) > 0) {
			im->lastat = im->seen.len;
			sb_add(&im->seen, ref, strlen(ref) + 1);
			return 1;
		}
		im->unsorted = 1;
		for (size_t at = 0; at < im->seen.len; at += strlen(im->seen.s + at) + 1)
			strset_add(&im->refs, im->seen.s + at);
		sb_free(&im->seen);
	}
	return strset_add(&im->refs, ref);
}

static int import_row(void *ctx, rec *in, crm_err *e)
{
	struct importer *im = ctx;
	if (im->rows.n && strcmp(im->rows.r[0]->v[IM_REF], in->v[IM_REF])) {
		int rc = import_order(im, e);
		if (rc)
			return rc;
	}
	if (!im->rows.n && strset_has(&im->known, in->v[IM_REF]))
		return crm_fail_at(e, in->file, in->line, "ref", "'%s' is in the store already (imported before?)", in->v[IM_REF]);
	if (!im->rows.n && !ref_new(im, in->v[IM_REF]))
		return crm_fail_at(e, in->file, in->line, "ref", "'%s' again, apart from its other lines (keep an order's rows together)",
			in->v[IM_REF]);
	/* Said here, while the order's first row is still held (input_records_ahead). */
	if (im->rows.n == ORDER_LINES)
		return crm_fail_at(e, im->rows.r[0]->file, im->rows.r[0]->line, "ref", "'%s' has more than %d lines",
			in->v[IM_REF], ORDER_LINES);
	recs_push(&im->rows, in);
	progress_tick(&im->pg, ++im->rows_read);
	return 0;
}

/* Freeing a million lines' records one by one took 0.6 s after the commit, and
 * the process ends with the command: a successful import leaves them to the
 * exit, held here: valgrind counts them still reachable, not lost (volatile,
 * or the compiler drops a store nothing reads). */
static struct importer *volatile import_left;

static int cmd_import(struct cmd *c, int argc, char **argv, crm_err *e)
{
	const char *file = argc > 0 ? argv[0] : "-";
	if (argc > 1)
		return cli_usage(&c->cli, e, "import: one file (or -)");
	struct input in;
	int rc = input_load(&in, file, c->cli.encoding, e);
	struct importer *im = xcalloc(1, sizeof *im);
	im->c = c;
	orders_init(&im->o, &c->s, c->reason);
	im->o.history = 1;
	if (!rc && c->with_stock)
		rc = ship_wh(c, &im->wh, e);
	if (!rc)
		rc = need_write(c, e);
	if (!rc)
		rc = store_scan(&c->s, &T_ORDERS, known_ref, &im->known, e);
	if (!rc) {
		progress_start(&im->pg, "crm-order", "imported", progress_rows(in.buf, in.len));
		/* An import's records come to about five times its input; four, faulted in
		 * beside the parse, measured faster than two or six (tmpfs, 1M lines). */
		bulk_heap(4 * in.len);
		rc = input_records_ahead(&in, &T_IMP, c->s.digits, 0, import_row, im, e);
	}
	if (!rc)
		rc = import_order(im, e);
	if (!rc && !im->orders)
		rc = crm_fail(e, CRM_EDATA, "%s: no orders in the input", file);
	char msg[200];
	snprintf(msg, sizeof msg, "import %zu orders, %zu lines, %zu shipped", im->orders, im->lines, im->shipped);
	if (!rc)
		rc = orders_flush(&im->o, e);
	if (!rc)
		rc = store_commit(&c->s, msg, e);
	progress_end(&im->pg);
	if (!rc)
		fprintf(stderr, "crm-order: %s\n", msg + 7);
	free(im->rows.r);
	im->rows = (struct recs){0};
	input_free(&in);
	if (!rc) {
		import_left = im;
		return 0;
	}
	strset_clear(&im->refs);
	strset_clear(&im->known);
	sb_free(&im->seen);
	orders_free(&im->o);
	free(im);
	return rc;
}

static int cmd_quote(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_create(c, argc, argv, 1, e);
}

static int cmd_new(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_create(c, argc, argv, 0, e);
}

static int cmd_send(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_ship(c, argc, argv, 0, e);
}

static int cmd_return(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_ship(c, argc, argv, 1, e);
}

/* stage, win, lose and cancel: one change of state, told apart by the verb. */
static int cmd_state(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_change(c, argc, argv, c->cli.verb->name, e);
}

static const struct cli_verb verbs[] = {
	{"quote", cmd_quote, "CUSTOMER SKU:QTY[@PRICE]... [--stage S] [--probability P] [--close D] [--date D]",
		.help = "a quote: an order not yet won"},
	{"stage", cmd_state, "QUOTE STAGE [--probability P]", .help = "move a quote along the pipeline"},
	{"win", cmd_state, "QUOTE", .help = "a quote becomes an open order"},
	{"lose", cmd_state, "QUOTE --reason TEXT", .help = "a quote is lost, saying why"},
	{"new", cmd_new, "CUSTOMER SKU:QTY[@PRICE]... [--terms T] [--plan P] [--date D] [--ref R]",
		.help = "an order; prints its id"},
	{"ship", cmd_send, "ORDER [SKU:QTY...] [--wh W] [--date D]", .help = "stock out and invoices, one commit"},
	{"return", cmd_return, "ORDER SKU:QTY [--wh W] [--date D]", .help = "stock back and a credit note"},
	{"cancel", cmd_state, "ORDER", .help = "cancel the part not shipped"},
	{"list", cmd_list, "[--fields F] [FILTER...]", .help = "orders and quotes that match every filter"},
	{"show", cmd_show, "ORDER", .help = "one order with its lines, shipments and invoices"},
	{"import", cmd_import, "[FILE|-] [--with-stock] [--wh W]", .help = "past orders, one row per line"},
	{0},
};

static const struct cli_prog prog = {
	.name = "crm-order", .synopsis = "[-C dir] [-n] [-m msg] [-o fmt] [--at rev|date] [--as-of date]",
	.verbs = verbs, .opts = opts, .on_opt = on_opt,
	.notes = "  --reason TEXT lets a finance or director member pass a price or credit guard\n",
};

int main(int argc, char **argv)
{
	struct cmd c = {.probability = -1};
	return cli_main(&prog, &c, &c.cli, &c.s, argc, argv);
}
