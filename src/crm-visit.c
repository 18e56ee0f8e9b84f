/* crm-visit: the customer's visit archive, follow-ups, activity figures (crm-visit(1)). */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "date.h"
#include "visit.h"

enum { OPT_DATE = OPT_CMD, OPT_KIND, OPT_BY, OPT_NEXT, OPT_ACTION, OPT_WITHIN,
	OPT_DAYS, OPT_FROM, OPT_TO, OPT_OVER, OPT_FIELDS };

static const struct option opts[] = {
	{"date", required_argument, NULL, OPT_DATE},
	{"kind", required_argument, NULL, OPT_KIND},
	{"by", required_argument, NULL, OPT_BY},
	{"next", required_argument, NULL, OPT_NEXT},
	{"action", required_argument, NULL, OPT_ACTION},
	{"within", required_argument, NULL, OPT_WITHIN},
	{"days", required_argument, NULL, OPT_DAYS},
	{"from", required_argument, NULL, OPT_FROM},
	{"to", required_argument, NULL, OPT_TO},
	{"over", required_argument, NULL, OPT_OVER},
	{"fields", required_argument, NULL, OPT_FIELDS},
	{0},
};

enum { V_ID, V_DATE, V_CUSTOMER, V_BY, V_KIND, V_SUMMARY, V_NEXT, V_ACTION, V_DONE };

struct cmd {
	struct cli cli;
	struct store s;
	const char *date, *kind, *by, *next, *action, *fields;
	const char *from, *to;
	long within, days, over;
	int have_days, have_over;
};

static int number(const char *opt, const char *arg, long *out, crm_err *e)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (!*arg || *end || v < 0 || v > 100000)
		return crm_fail(e, CRM_EUSAGE, "%s takes a whole number of days, not '%s'", opt, arg);
	*out = v;
	return 0;
}

static int on_opt(void *ctx, int opt, const char *arg, crm_err *e)
{
	struct cmd *c = ctx;
	switch (opt) {
	case OPT_DATE: c->date = arg; return 0;
	case OPT_KIND: c->kind = arg; return 0;
	case OPT_BY: c->by = arg; return 0;
	case OPT_NEXT: c->next = arg; return 0;
	case OPT_ACTION: c->action = arg; return 0;
	case OPT_FIELDS: c->fields = arg; return 0;
	case OPT_FROM: c->from = arg; return 0;
	case OPT_TO: c->to = arg; return 0;
	case OPT_WITHIN: return number("--within", arg, &c->within, e);
	case OPT_OVER: c->have_over = 1; return number("--over", arg, &c->over, e);
	case OPT_DAYS: c->have_days = 1; return number("--days", arg, &c->days, e);
	}
	return cli_usage(&c->cli, e, "unknown option");
}

static int need_write(struct cmd *c, crm_err *e)
{
	return cli_write_lock(&c->cli, &c->s, e);
}

/* One visit from the options; for a record read from stdin, the options are its defaults. */
static rec *visit_new(struct cmd *c, const rec *in, const char *customer, const char *summary)
{
	static char empty[1];
	char *v[CSV_MAX_FIELDS];
	for (int f = 0; f < T_VISITS.nf; f++)
		v[f] = in && (in->present >> f & 1) ? in->v[f] : empty;
	v[V_ID] = empty;
	if (!in) {
		v[V_CUSTOMER] = (char *)customer;
		v[V_SUMMARY] = (char *)summary;
		v[V_NEXT] = (char *)(c->next ? c->next : "");
		v[V_ACTION] = (char *)(c->action ? c->action : "");
	}
	if (!*v[V_DATE])
		v[V_DATE] = (char *)(c->date ? c->date : c->cli.today);
	if (!*v[V_KIND])
		v[V_KIND] = (char *)(c->kind ? c->kind : "visit");
	if (!*v[V_BY])
		v[V_BY] = (char *)(c->by ? c->by : store_user(&c->s));
	v[V_DONE] = empty;
	return rec_pack(&T_VISITS, v);
}

struct logger {
	struct cmd *c;
	struct tabedit cust;
	struct ledger led;
	size_t n;
	char last[64];
};

static int log_one(struct logger *L, rec *r, const char *where, long line, crm_err *e)
{
	int rc = visit_check(&L->c->s, &L->cust, r, where, line, e);
	if (!rc)
		rc = ledger_append(&L->led, r->v, L->last, sizeof L->last, e);
	if (!rc)
		L->n++;
	return rc;
}

static int log_row(void *ctx, rec *in, crm_err *e)
{
	struct logger *L = ctx;
	static const int need[] = {V_CUSTOMER, V_SUMMARY};
	for (size_t i = 0; i < sizeof need / sizeof *need; i++)
		if (!(in->present >> need[i] & 1))
			return crm_fail_at(e, in->file, 1, T_VISITS.f[need[i]].name, "missing column in the header");
	/* An id or a done date copied from another store would claim a history this one lacks. */
	if (*in->v[V_ID])
		return crm_fail_at(e, in->file, in->line, "id", "is given when the visit is logged '%s'", in->v[V_ID]);
	if (*in->v[V_DONE])
		return crm_fail_at(e, in->file, in->line, "done", "is set by crm-visit done '%s'", in->v[V_DONE]);
	rec *r = visit_new(L->c, in, NULL, NULL);
	int rc = log_one(L, r, in->file, in->line, e);
	free(r);
	return rc;
}

static int cmd_log(struct cmd *c, int argc, char **argv, crm_err *e)
{
	int from_stdin = argc == 1 && strcmp(argv[0], "-") == 0;
	if (!from_stdin && argc != 2)
		return cli_usage(&c->cli, e, "log: a customer and a summary (or - for CSV on stdin)");
	if (from_stdin && (c->next || c->action))
		return cli_usage(&c->cli, e, "log -: --next and --action belong in the records");
	struct input in = {0};
	int rc = from_stdin ? input_load(&in, "-", c->cli.encoding, e) : 0;
	if (!rc)
		rc = need_write(c, e);
	struct logger L = {.c = c};
	tabedit_init(&L.cust, &c->s, &T_CUSTOMERS);
	ledger_init(&L.led, &c->s, &T_VISITS);
	if (!rc && from_stdin) {
		rc = input_records(&in, &T_VISITS, c->s.digits, 1, log_row, &L, e);
	} else if (!rc) {
		rec *r = visit_new(c, NULL, argv[0], argv[1]);
		rc = log_one(&L, r, "argument", 0, e);
		free(r);
	}
	if (!rc && L.n == 0)
		rc = crm_fail(e, CRM_EDATA, "-: no visits in the input");
	if (!rc)
		rc = ledger_flush(&L.led, e);
	if (!rc) {
		char msg[300];
		if (L.n == 1)
			snprintf(msg, sizeof msg, "log %s %s", L.last, from_stdin ? "" : argv[0]);
		else
			snprintf(msg, sizeof msg, "log %zu visits", L.n);
		rc = store_commit(&c->s, msg, e);
	}
	if (!rc && !from_stdin)
		printf("%s\n", L.last);
	if (!rc && from_stdin)
		fprintf(stderr, "crm-visit: %zu visit%s logged\n", L.n, L.n == 1 ? "" : "s");
	tabedit_free(&L.cust);
	ledger_free(&L.led);
	input_free(&in);
	return rc;
}


static int newest_first(const void *a, const void *b)
{
	const rec *x = *(rec *const *)a, *y = *(rec *const *)b;
	int c = strcmp(y->v[V_DATE], x->v[V_DATE]);
	return c ? c : id_cmp(y->v[V_ID], x->v[V_ID]);
}

/*
 * A month folder holds the visits dated in that month, so newest first is
 * the folders from the last, each sorted alone (its sub-folders with it):
 * memory holds one month's matches, never the whole archive.
 */
static int list_months(struct cmd *c, struct matches *l, struct query *q, crm_err *e)
{
	char **paths;
	size_t n;
	int rc = store_list(&c->s, T_VISITS.name, &paths, &n, e);
	for (size_t end = n; end > 0 && !rc;) {
		size_t dirlen = ledger_month_len(paths[end - 1]), start = end;
		while (start > 0 && strncmp(paths[start - 1], paths[end - 1], dirlen + 1) == 0)
			start--;
		for (size_t i = start; i < end && !rc; i++)
			rc = store_scan_file(&c->s, &T_VISITS, paths[i], matches_keep, l, e);
		if (!rc && l->rs.n > 1)
			qsort(l->rs.r, l->rs.n, sizeof *l->rs.r, newest_first);
		for (size_t i = 0; !rc && i < l->rs.n; i++)
			query_print(q, l->rs.r[i]);
		q->matched += l->rs.n;
		recs_free(&l->rs);
		end = start;
	}
	store_list_free(paths, n);
	return rc;
}

static int cmd_list(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct query q = {.s = &c->s, .t = &T_VISITS};
	struct matches l = {0};
	int rc = columns_pick(&T_VISITS, c->fields, c->cli.fmt, q.cols, &q.ncols, e);
	if (!rc)
		rc = filter_parse(&l.flt, T_VISITS.f, T_VISITS.nf, argv, argc, c->s.digits, e);
	const char *names[CSV_MAX_FIELDS];
	for (int i = 0; i < q.ncols; i++)
		names[i] = T_VISITS.f[q.cols[i]].name;
	struct csv_pre pre = {filter_line, filter_skip, l.flt, filter_header};
	c->s.pre = &pre;
	if (!rc) {
		out_start(&q.out, c->cli.fmt, names, q.ncols);
		rc = list_months(c, &l, &q, e);
		int orc = out_finish(&q.out, e);
		rc = rc ? rc : orc;
	}
	c->s.pre = NULL;
	if (!rc && q.matched == 0)
		rc = CRM_ENOTFOUND;
	recs_free(&l.rs);
	filter_free(l.flt);
	return rc;
}

static int due_order(const void *a, const void *b)
{
	const struct cust *x = *(struct cust *const *)a, *y = *(struct cust *const *)b;
	if (x->next != y->next)
		return x->next < y->next ? -1 : 1;
	return id_cmp(x->id, y->id);
}

static int cmd_due(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "due takes no operands");
	struct book b;
	int32_t today = date_today(), until = today + (int32_t)c->within;
	int rc = book_load(&c->s, &b, 1, 0, e);
	struct cust **due = xcalloc(b.n + 1, sizeof *due);
	size_t n = 0;
	for (size_t i = 0; !rc && i < b.n; i++) {
		struct cust *k = &b.c[i];
		if (k->archived || k->next == INT32_MIN || k->next > until)
			continue;
		if (c->by && strcmp(k->next_by, c->by) != 0)
			continue;
		due[n++] = k;
	}
	if (n > 1)
		qsort(due, n, sizeof *due, due_order);
	if (!rc && n) {
		static const char *cols[] = {"due", "overdue", "customer", "name", "action", "by", "visit"};
		struct out o;
		out_start(&o, c->cli.fmt, cols, 7);
		for (size_t i = 0; i < n; i++) {
			char d[11], late[16];
			snprintf(late, sizeof late, "%ld", today > due[i]->next ? (long)(today - due[i]->next) : 0L);
			const char *v[] = {date_fmt(due[i]->next, d), late, due[i]->id, due[i]->name,
				due[i]->next_action ? due[i]->next_action : "", due[i]->next_by, due[i]->next_visit};
			out_row(&o, v);
		}
		rc = out_finish(&o, e);
	}
	free(due);
	book_free(&b);
	return rc; /* nothing due: silent, 0, for cron */
}

/* A follow-up is done once; moving or closing it again is refused, not a silent no-op commit. */
static int change_visit(struct ledit *ve, const char *id, int f, const char *value, crm_err *e)
{
	rec **slot;
	int rc = ledit_get(ve, id, &slot, e);
	if (rc)
		return rc;
	rec *r = *slot;
	const char *what = f == V_NEXT ? "move" : "mark done";
	if (!*r->v[V_NEXT])
		return crm_fail_at(e, "argument", 0, "next_date", "%s has no follow-up to %s", id, what);
	if (*r->v[V_DONE])
		return crm_fail_at(e, "argument", 0, "done", "%s was done on %s", id, r->v[V_DONE]);
	if (f == V_NEXT && strcmp(value, r->v[V_DATE]) < 0)
		return crm_fail_at(e, "argument", 0, "next_date", "%s is before the visit date %s",
			value, r->v[V_DATE]);
	*slot = rec_set(r, f, value);
	return 0;
}

static int cmd_done_move(struct cmd *c, int argc, char **argv, int move, crm_err *e)
{
	if (move ? argc != 2 : argc < 1)
		return cli_usage(&c->cli, e, move ? "move: a visit id and a date" : "done: visit ids");
	int32_t d;
	const char *why = move ? date_parse(argv[1], &d) : NULL;
	if (why)
		return crm_fail_at(e, "argument", 0, "next_date", "%s '%s'", why, argv[1]);
	struct idlist ids = {0};
	int rc = 0;
	if (!move && argc == 1 && strcmp(argv[0], "-") == 0) {
		rc = idlist_read(&ids, &T_VISITS, "-", c->cli.encoding, c->s.digits, e);
		if (!rc && ids.n == 0)
			rc = crm_fail(e, CRM_EDATA, "-: no visit ids in the input");
		argc = (int)ids.n;
		argv = ids.id;
	}
	if (!rc)
		rc = need_write(c, e);
	struct ledit ve;
	ledit_init(&ve, &c->s, &T_VISITS, "visit");
	sbuf msg = {0};
	sb_adds(&msg, move ? "move" : "done");
	for (int i = 0; !rc && i < (move ? 1 : argc); i++) {
		rc = change_visit(&ve, argv[i], move ? V_NEXT : V_DONE, move ? argv[1] : c->cli.today, e);
		if (i < 5) {
			sb_addc(&msg, ' ');
			sb_adds(&msg, argv[i]);
		}
	}
	if (move) {
		sb_adds(&msg, " to ");
		sb_adds(&msg, argv[1]);
	} else if (argc > 5) {
		char more[32];
		snprintf(more, sizeof more, " and %d more", argc - 5);
		sb_adds(&msg, more);
	}
	if (!rc)
		rc = ledit_flush(&ve, e);
	if (!rc)
		rc = store_commit(&c->s, msg.s, e);
	sb_free(&msg);
	ledit_free(&ve);
	idlist_free(&ids);
	return rc;
}

static int stale_order(const void *a, const void *b)
{
	const struct cust *x = *(struct cust *const *)a, *y = *(struct cust *const *)b;
	int gx = x->grade ? x->grade : 'Z', gy = y->grade ? y->grade : 'Z';
	if (gx != gy)
		return gx < gy ? -1 : 1;
	int32_t lx = x->last != INT32_MIN ? x->last : x->created, ly = y->last != INT32_MIN ? y->last : y->created;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return id_cmp(x->id, y->id);
}

static int cmd_stale(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc || !c->have_days)
		return cli_usage(&c->cli, e, "stale --days N");
	struct book b;
	int32_t today = date_today(), cut = today - (int32_t)c->days;
	int rc = book_load(&c->s, &b, 1, 0, e);
	struct cust **st = xcalloc(b.n + 1, sizeof *st);
	size_t n = 0;
	for (size_t i = 0; !rc && i < b.n; i++) {
		struct cust *k = &b.c[i];
		int32_t since = k->last != INT32_MIN ? k->last : k->created;
		if (k->archived || since == INT32_MIN || since > cut)
			continue;
		if (c->by && strcmp(k->owner, c->by) != 0)
			continue;
		st[n++] = k;
	}
	if (n > 1)
		qsort(st, n, sizeof *st, stale_order);
	if (!rc && n) {
		static const char *cols[] = {"customer", "name", "grade", "owner", "last_visit", "days"};
		struct out o;
		out_start(&o, c->cli.fmt, cols, 6);
		for (size_t i = 0; i < n; i++) {
			char d[11] = "", days[16], g[2] = {st[i]->grade, 0};
			int32_t since = st[i]->last != INT32_MIN ? st[i]->last : st[i]->created;
			if (st[i]->last != INT32_MIN)
				date_fmt(st[i]->last, d);
			snprintf(days, sizeof days, "%ld", (long)(today - since));
			const char *v[] = {st[i]->id, st[i]->name, g, st[i]->owner, d, days};
			out_row(&o, v);
		}
		rc = out_finish(&o, e);
	}
	free(st);
	book_free(&b);
	return rc;
}

struct group {
	char *key;
	long long visits, visited, cust_visits, new_customers, not_visited, over, a_total, a_visited;
};

struct stats {
	struct group *g;
	size_t n;
	struct strmap idx;
	int by_region;
};

static struct group *group_of(struct stats *st, const char *key)
{
	size_t i = strmap_get(&st->idx, key, (size_t)-1);
	if (i != (size_t)-1)
		return &st->g[i];
	st->g = xrealloc(st->g, (st->n + 1) * sizeof *st->g);
	memset(&st->g[st->n], 0, sizeof *st->g);
	st->g[st->n].key = xstrdup(key);
	strmap_put(&st->idx, key, st->n);
	return &st->g[st->n++];
}

/* Visits count for who made them (owner) or where the customer is (region). */
static int stats_visit(void *ctx, const rec *r, int32_t day, struct cust *k)
{
	struct stats *st = ctx;
	(void)day;
	group_of(st, st->by_region ? (k ? k->region : "") : r->v[V_BY])->visits++;
	return 0;
}

/* Everything but visits looks at the group's own customers: its owner's, or its region's. */
static void stats_customer(struct stats *st, const struct cust *k, int32_t from, int32_t to, long over)
{
	if (k->archived || (k->created != INT32_MIN && k->created > to))
		return;
	struct group *g = group_of(st, st->by_region ? k->region : k->owner);
	g->visited += k->in_period > 0;
	g->cust_visits += k->in_period;
	g->not_visited += k->in_period == 0;
	g->over += k->in_period > (unsigned long)over;
	g->new_customers += k->created != INT32_MIN && k->created >= from;
	if (k->grade == 'A') {
		g->a_total++;
		g->a_visited += k->in_period > 0;
	}
}

static int group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->key, ((const struct group *)b)->key);
}

static int stats_print(struct stats *st, long long workdays, enum outfmt fmt, crm_err *e)
{
	static const char *cols[] = {"group", "visits", "per_workday", "customers_visited",
		"per_customer", "new_customers", "not_visited", "over_visited", "a_visited_pct"};
	struct out o;
	out_start(&o, fmt, cols, 9);
	for (size_t i = 0; i < st->n; i++) {
		struct group *g = &st->g[i];
		char v1[24], pw[24], cv[24], pc[24], nc[24], nv[24], ov[24], ap[24] = "";
		snprintf(v1, sizeof v1, "%lld", g->visits);
		ratio_fmt(g->visits, workdays, pw, sizeof pw);
		snprintf(cv, sizeof cv, "%lld", g->visited);
		ratio_fmt(g->cust_visits, g->visited, pc, sizeof pc);
		snprintf(nc, sizeof nc, "%lld", g->new_customers);
		snprintf(nv, sizeof nv, "%lld", g->not_visited);
		snprintf(ov, sizeof ov, "%lld", g->over);
		if (g->a_total) /* no A-grade customers: no share, rather than a misleading 0 */
			ratio_fmt(g->a_visited * 100, g->a_total, ap, sizeof ap);
		const char *v[] = {*g->key ? g->key : "(none)", v1, pw, cv, pc, nc, nv, ov, ap};
		out_row(&o, v);
	}
	return out_finish(&o, e);
}

static int cmd_stats(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "stats takes options only");
	int32_t from, to = date_today();
	int y, m, d;
	date_to_ymd(to, &y, &m, &d);
	from = date_from_ymd(y, m, 1);
	const char *why;
	if (c->from && (why = date_parse(c->from, &from)))
		return crm_fail_at(e, "argument", 0, "from", "%s '%s'", why, c->from);
	if (c->to && (why = date_parse(c->to, &to)))
		return crm_fail_at(e, "argument", 0, "to", "%s '%s'", why, c->to);
	if (to < from)
		return cli_usage(&c->cli, e, "--to is before --from");
	struct stats st = {.by_region = c->by && strcmp(c->by, "region") == 0};
	if (c->by && !st.by_region && strcmp(c->by, "owner") != 0)
		return cli_usage(&c->cli, e, "stats --by owner or --by region");
	struct book b;
	int rc = book_load_period(&c->s, &b, from, to, stats_visit, &st, e);
	for (size_t i = 0; !rc && i < b.n; i++)
		stats_customer(&st, &b.c[i], from, to, c->have_over ? c->over : 8);
	if (st.n > 1) {
		qsort(st.g, st.n, sizeof *st.g, group_cmp);
		/* qsort moved the groups: the map's indexes are stale, and no longer needed. */
	}
	if (!rc)
		rc = stats_print(&st, date_workdays(from, to), c->cli.fmt, e);
	for (size_t i = 0; i < st.n; i++)
		free(st.g[i].key);
	free(st.g);
	strmap_clear(&st.idx);
	book_free(&b);
	return rc;
}

static int cmd_done(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_done_move(c, argc, argv, 0, e);
}

static int cmd_move(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_done_move(c, argc, argv, 1, e);
}

static const struct cli_verb verbs[] = {
	{"log", cmd_log, "CUSTOMER SUMMARY [--date D] [--kind K] [--by USER] [--next D] [--action TEXT] | -",
		.help = "record a visit (or visits as CSV records on stdin); prints its id"},
	{"list", cmd_list, "[--fields F] [FILTER...]", .help = "visits, newest first"},
	{"due", cmd_due, "[--within DAYS] [--by USER]", .help = "open follow-ups due by then"},
	{"done", cmd_done, "ID...|-", .help = "close follow-ups"},
	{"move", cmd_move, "ID DATE", .help = "put a follow-up off to another day"},
	{"stale", cmd_stale, "--days N [--by USER]", .help = "customers not visited for N days"},
	{"stats", cmd_stats, "[--by owner|region] [--from D] [--to D] [--over M]", .help = "visits per owner or region"},
	{0},
};

static const struct cli_prog prog = {
	.name = "crm-visit", .synopsis = "[-C dir] [-n] [-m msg] [-o fmt] [--at rev|date] [--as-of date]",
	.verbs = verbs, .opts = opts, .on_opt = on_opt,
};

int main(int argc, char **argv)
{
	struct cmd c = {0};
	return cli_main(&prog, &c, &c.cli, &c.s, argc, argv);
}
