/* crm-ar: receivables, cash discounts, aging, reminders, statements (crm-ar(1)). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ar.h"
#include "cdir.h"
#include "cli.h"
#include "customer.h"
#include "date.h"
#include "money.h"
#include "psort.h"
#include "query.h"
#include "request.h"

enum { OPT_TERMS = OPT_CMD, OPT_PLAN, OPT_DATE, OPT_CURRENCY, OPT_NOTE, OPT_REASON, OPT_INVOICE,
	OPT_METHOD, OPT_REF, OPT_FIELDS, OPT_BY, OPT_BASIS, OPT_WITHIN, OPT_EVERY, OPT_FROM, OPT_TO, OPT_FORMAT,
	OPT_REQUEST };

static const struct option opts[] = {
	{"terms", required_argument, NULL, OPT_TERMS},
	{"plan", required_argument, NULL, OPT_PLAN},
	{"date", required_argument, NULL, OPT_DATE},
	{"currency", required_argument, NULL, OPT_CURRENCY},
	{"note", required_argument, NULL, OPT_NOTE},
	{"reason", required_argument, NULL, OPT_REASON},
	{"invoice", required_argument, NULL, OPT_INVOICE},
	{"method", required_argument, NULL, OPT_METHOD},
	{"ref", required_argument, NULL, OPT_REF},
	{"fields", required_argument, NULL, OPT_FIELDS},
	{"by", required_argument, NULL, OPT_BY},
	{"basis", required_argument, NULL, OPT_BASIS},
	{"within", required_argument, NULL, OPT_WITHIN},
	{"every", required_argument, NULL, OPT_EVERY},
	{"from", required_argument, NULL, OPT_FROM},
	{"to", required_argument, NULL, OPT_TO},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"request", no_argument, NULL, OPT_REQUEST},
	{0},
};

struct cmd {
	struct cli cli;
	struct store s;
	const char *terms, *plan, *date, *currency, *note, *reason, *invoice, *method, *ref;
	const char *fields, *by, *basis, *every, *from, *to, *format;
	long within;
	int request;
};

static int on_opt(void *ctx, int opt, const char *arg, crm_err *e)
{
	struct cmd *c = ctx;
	char *end;
	switch (opt) {
	case OPT_TERMS: c->terms = arg; return 0;
	case OPT_PLAN: c->plan = arg; return 0;
	case OPT_DATE: c->date = arg; return 0;
	case OPT_CURRENCY: c->currency = arg; return 0;
	case OPT_NOTE: c->note = arg; return 0;
	case OPT_REASON: c->reason = arg; return 0;
	case OPT_INVOICE: c->invoice = arg; return 0;
	case OPT_METHOD: c->method = arg; return 0;
	case OPT_REF: c->ref = arg; return 0;
	case OPT_FIELDS: c->fields = arg; return 0;
	case OPT_BY: c->by = arg; return 0;
	case OPT_BASIS: c->basis = arg; return 0;
	case OPT_EVERY: c->every = arg; return 0;
	case OPT_FROM: c->from = arg; return 0;
	case OPT_TO: c->to = arg; return 0;
	case OPT_FORMAT: c->format = arg; return 0;
	case OPT_REQUEST: c->request = 1; return 0;
	case OPT_WITHIN:
		c->within = strtol(arg, &end, 10);
		if (!*arg || *end || c->within < 0 || c->within > 3650)
			return cli_usage(&c->cli, e, "--within takes a whole number of days");
		return 0;
	}
	return cli_usage(&c->cli, e, "unknown option");
}

static int need_write(struct cmd *c, crm_err *e)
{
	return cli_write_lock(&c->cli, &c->s, e);
}


static int arg_amount(struct cmd *c, const char *v, int64_t *m, crm_err *e)
{
	const char *why = money_parse(v, c->s.digits, m);
	if (!why && *m <= 0)
		why = "must be more than 0";
	return cli_arg_bad("amount", v, why, e);
}


/* The dated event's date and currency, checked. */
static int arg_common(struct cmd *c, const char **date, const char **cur, crm_err *e)
{
	int32_t d;
	*date = c->date ? c->date : c->cli.today;
	*cur = c->currency; /* NULL: the customer's, else crm.conf's (ar_currency) */
	int rc = cli_arg_bad("date", *date, date_parse(*date, &d), e);
	if (!rc && *cur)
		rc = cli_arg_bad("currency", *cur, currency_check(*cur), e);
	for (const char **t = (const char *[]){c->note, c->reason, c->method, c->ref, NULL}; !rc && *t; t++)
		rc = cli_arg_utf8("note", *t, e);
	return rc;
}

/* Roles guard what the rules do not give (DESIGN §5): 77 for anyone else, nothing changed. */
static int need_role(struct cmd *c, const char *r1, const char *r2, const char *what, const char **who, crm_err *e)
{
	if (store_has_role(&c->s, r1))
		*who = r1;
	else if (r2 && store_has_role(&c->s, r2))
		*who = r2;
	else
		return crm_fail(e, CRM_EPERM, "%s needs the %s%s%s role; %s is not a member", what, r1,
			r2 ? " or " : "", r2 ? r2 : "", store_user(&c->s));
	if (!c->reason || !*c->reason)
		return cli_usage(&c->cli, e, "--reason is needed: the commit records why");
	return 0;
}

/* Prints the documents raised (invoices of a plan: one per line). */
static void print_docs(const struct ar *a)
{
	for (size_t i = 0; i < a->ndocs; i++)
		printf("%s\n", a->docs[i]);
}

static int commit_ar(struct cmd *c, struct ar *a, const char *msg, crm_err *e)
{
	int rc = ar_flush(a, e);
	if (!rc)
		rc = store_commit(&c->s, msg, e);
	return rc;
}

static int cmd_invoice(struct cmd *c, int argc, char **argv, int credit, crm_err *e)
{
	if (argc != 2)
		return cli_usage(&c->cli, e, credit ? "credit CUSTOMER AMOUNT --reason TEXT" : "invoice CUSTOMER AMOUNT");
	struct invoice_req q = {.customer = argv[0], .terms = c->terms, .plan = c->plan,
		.note = credit ? c->reason : c->note, .at = {"argument", 0}};
	int rc = arg_amount(c, argv[1], &q.amount, e);
	if (!rc)
		rc = arg_common(c, &q.date, &q.currency, e);
	if (!rc && credit && (!c->reason || !*c->reason))
		rc = cli_usage(&c->cli, e, "credit: --reason is needed");
	if (!rc && credit && (c->terms || c->plan))
		rc = cli_usage(&c->cli, e, "credit: a credit note has no terms or plan");
	if (!rc)
		rc = need_write(c, e);
	struct ar a;
	ar_init(&a, &c->s);
	if (!rc)
		rc = credit ? ar_credit(&a, &q, e) : ar_raise(&a, &q, e);
	char msg[400];
	if (!rc) {
		snprintf(msg, sizeof msg, "%s %s%s%s %s %s", credit ? "credit" : "invoice", a.docs[0],
			a.ndocs > 1 ? ".." : "", a.ndocs > 1 ? a.docs[a.ndocs - 1] : "", argv[0], argv[1]);
		if (credit)
			snprintf(msg + strlen(msg), sizeof msg - strlen(msg), ": %s", c->reason);
		rc = commit_ar(c, &a, msg, e);
	}
	if (!rc)
		print_docs(&a);
	ar_free(&a);
	return rc;
}

static int cmd_pay(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc != 2)
		return cli_usage(&c->cli, e, "pay CUSTOMER AMOUNT");
	struct pay_req p = {.customer = argv[0], .invoice = c->invoice, .method = c->method, .ref = c->ref,
		.at = {"argument", 0}};
	int rc = arg_amount(c, argv[1], &p.amount, e);
	if (!rc)
		rc = arg_common(c, &p.date, &p.currency, e);
	if (!rc)
		rc = need_write(c, e);
	struct ar a;
	ar_init(&a, &c->s);
	if (!rc)
		rc = ar_pay(&a, &p, e);
	char msg[400];
	if (!rc) {
		snprintf(msg, sizeof msg, "pay %s %s %s (%zu application%s)", a.docs[0], argv[0], argv[1],
			a.napps, a.napps == 1 ? "" : "s");
		rc = commit_ar(c, &a, msg, e);
	}
	if (!rc)
		print_docs(&a);
	ar_free(&a);
	return rc;
}

/* --request: a pending request for a member's `crm approve`, in one commit, instead of the act. */
static int file_request(struct cmd *c, const char *action, const char *target, const char *value, crm_err *e)
{
	char id[48] = "", msg[600];
	int rc = cli_arg_utf8("reason", c->reason, e);
	if (!rc && (rc = cli_arg_bad("invoice", target, id_check(target), e)) == 0)
		rc = need_write(c, e);
	if (!rc)
		rc = request_file(&c->s, action, target, value, c->reason, id, sizeof id, e);
	if (!rc) {
		snprintf(msg, sizeof msg, "request %s: %s %s%s%s: %s", id, action, target, value ? " " : "",
			value ? value : "", c->reason ? c->reason : "");
		rc = store_commit(&c->s, msg, e);
	}
	if (!rc)
		printf("%s\n", id);
	return rc;
}

static int cmd_override(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc != 2)
		return cli_usage(&c->cli, e, "override INVOICE PCT --reason TEXT");
	int64_t r;
	const char *why = money_parse(argv[1], 2, &r), *role = NULL;
	if (!why && (r < 0 || r >= 10000))
		why = "a percent from 0 to under 100";
	int rc = cli_arg_bad("discount", argv[1], why, e);
	if (!rc && c->request)
		return file_request(c, "override", argv[0], argv[1], e);
	if (!rc)
		rc = cli_arg_utf8("reason", c->reason, e);
	if (!rc)
		rc = need_role(c, "finance", "director", "a discount override", &role, e);
	if (!rc)
		rc = need_write(c, e);
	struct ar a;
	ar_init(&a, &c->s);
	if (!rc)
		rc = ar_override(&a, argv[0], (int32_t)r, e);
	char msg[600];
	snprintf(msg, sizeof msg, "override %s %s%% by %s (%s): %s", argv[0], argv[1], store_user(&c->s), role ? role : "",
		c->reason ? c->reason : "");
	if (!rc)
		rc = commit_ar(c, &a, msg, e);
	ar_free(&a);
	return rc;
}

static int cmd_writeoff(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc != 1)
		return cli_usage(&c->cli, e, "writeoff INVOICE --reason TEXT");
	const char *role = NULL, *date, *cur;
	if (c->request)
		return file_request(c, "writeoff", argv[0], NULL, e);
	int rc = arg_common(c, &date, &cur, e);
	if (!rc)
		rc = need_role(c, "finance", NULL, "a write-off", &role, e);
	if (!rc)
		rc = need_write(c, e);
	struct ar a;
	ar_init(&a, &c->s);
	if (!rc)
		rc = ar_writeoff(&a, argv[0], date, c->reason, e);
	char msg[600];
	snprintf(msg, sizeof msg, "writeoff %s by %s (%s): %s", argv[0], store_user(&c->s), role ? role : "",
		c->reason ? c->reason : "");
	if (!rc)
		rc = commit_ar(c, &a, msg, e);
	ar_free(&a);
	return rc;
}

static int cmd_list(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct query q = {.s = &c->s, .t = &T_INVOICES};
	return query_list(&q, argv, argc, c->fields, c->cli.fmt, e);
}

/* ---- customers, for names, owners and regions ---- */

/* What aging and remind print beside a customer. */
static int cinfo_load(struct store *s, struct cdir *ci, crm_err *e)
{
	static const int want[] = {CU_NAME, CU_REGION, CU_OWNER};
	return cdir_load(s, ci, want, 3, e);
}

/* ---- show ---- */

struct shower {
	const char *id;
	struct out *o;
	int digits;
	size_t n;
};

static int show_app(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct shower *sh = ctx;
	if (strcmp(r->v[AP_INVOICE], sh->id) && strcmp(r->v[AP_SOURCE], sh->id))
		return 0;
	const char *v[] = {r->v[AP_ID], r->v[AP_DATE], r->v[AP_KIND], r->v[AP_SOURCE], r->v[AP_INVOICE],
		r->v[AP_RATE], r->v[AP_SETTLED], r->v[AP_DISCOUNT]};
	out_row(sh->o, v);
	sh->n++;
	return 0;
}

static int cmd_show(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc != 1)
		return cli_usage(&c->cli, e, "show INVOICE|RECEIPT");
	const char *id = argv[0];
	const struct table *t = id[0] == 'R' ? &T_RECEIPTS : &T_INVOICES;
	char dir[64];
	if (id_check(id) || ledger_dir_of(t, id, dir, sizeof dir))
		return crm_fail(e, CRM_ENOTFOUND, "no invoice or receipt '%s'", id);
	struct recs rs = {0};
	int rc = 0;
	char **paths;
	size_t n;
	rc = store_list(&c->s, dir, &paths, &n, e);
	for (size_t i = 0; i < n && !rc; i++)
		rc = store_load_recs(&c->s, t, paths[i], &rs, e);
	store_list_free(paths, n);
	rec *doc = NULL;
	for (size_t i = 0; i < rs.n && !doc; i++)
		if (!strcmp(rs.r[i]->v[0], id))
			doc = rs.r[i];
	if (!rc && !doc)
		rc = crm_fail(e, CRM_ENOTFOUND, "no %s '%s'", t == &T_RECEIPTS ? "receipt" : "invoice", id);
	if (!rc) {
		for (int i = 0; i < t->nf; i++) {
			sbuf v = {0};
			sb_add_visible(&v, doc->v[i]);
			printf("%-13s %s\n", t->f[i].name, sb_str(&v));
			sb_free(&v);
		}
		static const char *cols[] = {"id", "date", "kind", "source", "invoice", "rate", "settled", "discount"};
		struct out o;
		printf("\napplications:\n");
		out_start(&o, c->cli.fmt == OUT_AUTO && isatty(1) ? OUT_TABLE : c->cli.fmt, cols, 8);
		struct shower sh = {id, &o, c->s.digits, 0};
		rc = store_scan(&c->s, &T_APPLICATIONS, show_app, &sh, e);
		int orc = out_finish(&o, e);
		rc = rc ? rc : orc;
	}
	recs_free(&rs);
	return rc;
}

/* ---- aging ---- */

/* A row of the list: its group ("C000123", an owner, a region), sorted by its first bytes then the rest. */
struct agerow {
	uint64_t pre;               /* the group's first 8 bytes, big-endian */
	const char *group, *name, *currency;
	const struct age *g;        /* in the list's table */
};

struct agesum {
	struct age g;
	const char *name;           /* in the customer directory */
};

struct agelist {
	struct cdir ci;
	struct fx fx;
	int32_t as_of;
	int field;                  /* CU_ID, CU_OWNER or CU_REGION */
	struct gtab idx;            /* "group\0currency" -> struct agesum */
	struct agerow *r;
	size_t n;
	int ncol;
};

static int age_add(void *ctx, const char *customer, const char *currency, const struct age *g, crm_err *e)
{
	struct agelist *al = ctx;
	const char *cv[CDIR_FIELDS];   /* name, region, owner: cinfo_load's order */
	cdir_row(&al->ci, customer, cv);
	const char *group = al->field == CU_ID ? customer : al->field == CU_OWNER ? cv[2] : cv[1];
	/* In the base currency at the rate on or before --as-of, each bucket rounded in it. */
	struct age conv = *g;
	int rc = fx_base(&al->fx, currency, al->as_of, g->credit, &conv.credit, e);
	for (int k = 0; k < al->ncol && !rc; k++)
		rc = fx_base(&al->fx, currency, al->as_of, g->col[k], &conv.col[k], e);
	if (rc)
		return rc;
	g = &conv;
	currency = al->fx.base;
	char buf[128];
	size_t gl = strlen(group), cl = strlen(currency), len = gl + 1 + cl;
	char *key = len <= sizeof buf ? buf : xmalloc(len);
	memcpy(key, group, gl + 1);
	memcpy(key + gl + 1, currency, cl);
	size_t n = al->idx.n;
	struct agesum *sum = gtab_get(&al->idx, key, len, 1);
	if (key != buf)
		free(key);
	if (al->idx.n != n)
		sum->name = al->field == CU_ID ? cv[0] : "";
	for (int k = 0; k < al->ncol; k++)
		if (money_add(&sum->g.col[k], g->col[k]))
			return crm_fail(e, CRM_EDATA, "aging: the total of %s passes what an amount can hold", group);
	if (money_add(&sum->g.credit, g->credit))
		return crm_fail(e, CRM_EDATA, "aging: the total of %s passes what an amount can hold", group);
	return 0;
}

static int agerow_cmp(const void *x, const void *y)
{
	const struct agerow *a = x, *b = y;
	if (a->pre != b->pre)
		return a->pre < b->pre ? -1 : 1;
	int c = strcmp(a->group, b->group);
	return c ? c : strcmp(a->currency, b->currency);
}

/* The groups as rows, in order. */
static void age_rows(struct agelist *al)
{
	al->n = al->idx.n;
	al->r = xmalloc((al->n ? al->n : 1) * sizeof *al->r);
	for (size_t i = 0; i < al->n; i++) {
		const char *key = gtab_key(&al->idx, i);
		const struct agesum *sum = gtab_val(&al->idx, i);
		uint64_t pre = 0;
		for (int j = 0, end = 0; j < 8; j++) {
			end |= !key[j];
			pre = pre << 8 | (end ? 0 : (unsigned char)key[j]);
		}
		al->r[i] = (struct agerow){pre, key, sum->name, key + strlen(key) + 1, &sum->g};
	}
	if (al->n > 1)
		qsort(al->r, al->n, sizeof *al->r, agerow_cmp);
}

static void age_print_row(struct out *o, const struct agelist *al, const char *group, const char *name,
	const char *currency, const struct age *g, int first, int digits)
{
	char cells[AGE_MAX + 4][32];
	const char *v[AGE_MAX + 8];
	int n = 0;
	int64_t total = g->credit;
	v[n++] = *group ? group : "(none)";
	if (al->field == CU_ID)
		v[n++] = name;
	v[n++] = currency;
	for (int k = first; k < al->ncol; k++) {
		money_add(&total, g->col[k]); /* checked by age_totals before anything is printed */
		v[n++] = money_fmt(g->col[k], digits, cells[k]);
	}
	v[n++] = money_fmt(g->credit, digits, cells[AGE_MAX + 2]);
	v[n++] = money_fmt(total, digits, cells[AGE_MAX + 3]);
	out_row(o, v);
}

/* Every row's total and the totals per currency, checked before the first line is printed. */
static int age_totals(struct agelist *al, struct age *tot, const char **tcur, int *ncur, crm_err *e)
{
	for (size_t i = 0; i < al->n; i++) {
		int64_t row = al->r[i].g->credit;
		int k = 0, bad = 0;
		for (int j = 0; j < al->ncol; j++)
			bad |= money_add(&row, al->r[i].g->col[j]);
		while (k < *ncur && strcmp(tcur[k], al->r[i].currency))
			k++;
		if (k == *ncur && *ncur < 8)
			tcur[(*ncur)++] = al->r[i].currency;
		for (int j = 0; k < 8 && j < al->ncol; j++)
			bad |= money_add(&tot[k].col[j], al->r[i].g->col[j]);
		if (k < 8)
			bad |= money_add(&tot[k].credit, al->r[i].g->credit);
		int64_t all = tot[k < 8 ? k : 0].credit;
		for (int j = 0; k < 8 && j < al->ncol; j++)
			bad |= money_add(&all, tot[k].col[j]);
		if (bad)
			return crm_fail(e, CRM_EDATA, "aging: the balance of %s passes what an amount can hold", al->r[i].group);
	}
	return 0;
}

static int cmd_aging(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "aging takes options only");
	struct agelist al = {.field = CU_ID, .as_of = date_today()};
	gtab_init(&al.idx, sizeof(struct agesum));
	if (c->by && !strcmp(c->by, "owner"))
		al.field = CU_OWNER;
	else if (c->by && !strcmp(c->by, "region"))
		al.field = CU_REGION;
	else if (c->by && strcmp(c->by, "customer"))
		return cli_usage(&c->cli, e, "aging --by customer, owner or region");
	int basis_invoice = c->basis && !strcmp(c->basis, "invoice");
	if (c->basis && !basis_invoice && strcmp(c->basis, "due"))
		return cli_usage(&c->cli, e, "aging --basis due or invoice");
	struct buckets b;
	int rc = buckets_parse(store_conf_str(&c->s, "aging.buckets", "30,60,90"), &b, e);
	al.ncol = b.n + 2;
	if (!rc)
		rc = cinfo_load(&c->s, &al.ci, e);
	if (!rc)
		rc = fx_open(&al.fx, &c->s, e);
	if (!rc)
		rc = ar_aging(&c->s, date_today(), basis_invoice, &b, age_add, &al, e);
	age_rows(&al);
	/* Column names from the buckets: not_due, 1-30, 31-60, 61-90, over_90. */
	char names[AGE_MAX + 2][24];
	const char *cols[AGE_MAX + 8];
	int nc = 0, first = basis_invoice ? 1 : 0;
	cols[nc++] = al.field == CU_ID ? "customer" : al.field == CU_OWNER ? "owner" : "region";
	if (al.field == CU_ID)
		cols[nc++] = "name";
	cols[nc++] = "currency";
	for (int k = first; k < al.ncol; k++) {
		if (k == 0)
			snprintf(names[k], sizeof names[k], "not_due");
		else if (k == al.ncol - 1)
			snprintf(names[k], sizeof names[k], "over_%d", b.upto[b.n - 1]);
		else
			snprintf(names[k], sizeof names[k], "%d-%d", k == 1 ? (basis_invoice ? 0 : 1) : b.upto[k - 2] + 1, b.upto[k - 1]);
		cols[nc++] = names[k];
	}
	cols[nc++] = "credit";
	cols[nc++] = "total";
	struct out o;
	struct age tot[8];
	const char *tcur[8] = {0};
	int ncur = 0;
	memset(tot, 0, sizeof tot);
	if (!rc)
		rc = age_totals(&al, tot, tcur, &ncur, e);
	if (!rc) {
		out_start(&o, c->cli.fmt, cols, nc);
		for (size_t i = 0; i < al.n; i++)
			age_print_row(&o, &al, al.r[i].group, al.r[i].name, al.r[i].currency, al.r[i].g, first, c->s.digits);
		for (int k = 0; k < ncur; k++)
			age_print_row(&o, &al, "total", "", tcur[k], &tot[k], first, c->s.digits);
		rc = out_finish(&o, e);
	}
	if (!rc && !al.n)
		rc = CRM_ENOTFOUND;
	free(al.r);
	gtab_free(&al.idx);
	cdir_free(&al.ci);
	fx_close(&al.fx);
	return rc;
}

/* ---- remind and schedule: read open/, as things stand ---- */

static const char *const remind_cols[] = {
	"owner", "customer", "name", "invoice", "event", "date", "rate", "pay", "saving", "open",
};
/* In strcmp order of their names, as the list sorts them. */
enum { EV_DISCOUNT, EV_DUE, EV_OVERDUE };
static const char *const event_name[] = {"discount", "due", "overdue"};

/* A reminder as numbers: 850,000 of them are made, sorted and printed. */
struct rrow {
	const char *owner, *name;  /* in the customer directory */
	union {
		size_t at;             /* while scanning: offsets in the thread's text */
		const char *s;
	} customer, invoice;
	int64_t pay, saving, open;
	int32_t day, rate;
	int event;
	unsigned owner_no;         /* the owner's number in its thread, then its rank */
};

/*
 * What a reminder sorts by, in 32 bytes (qsort moves them, not pointers):
 * the owner's rank and the day, the invoice id's number, then the bytes
 * after that number with the event in the last one when they fit (a
 * "plain" id), which orders as id_cmp and then the event's name would.
 */
struct rkey {
	uint64_t owner_day, idn, rest;
	const struct rrow *row;
};

struct reminder {
	struct cmd *c;
	const struct cdir *ci;
	struct rrow *rows;
	size_t n, cap;
	sbuf text;                 /* the customer and invoice ids of rows */
	struct gtab owners;        /* owner -> its number here */
	int32_t today, until;
};

/* Owner's rank and day, then the invoice id's number. */
static int rkey_head(const struct rkey *a, const struct rkey *b)
{
	if (a->owner_day != b->owner_day)
		return a->owner_day < b->owner_day ? -1 : 1;
	return a->idn < b->idn ? -1 : a->idn > b->idn;
}

static int rkey_cmp(const void *x, const void *y)
{
	const struct rkey *a = x, *b = y;
	int c = rkey_head(a, b);
	return c ? c : a->rest < b->rest ? -1 : a->rest > b->rest;
}

static int rkey_cmp_ids(const void *x, const void *y)
{
	const struct rkey *a = x, *b = y;
	int c = rkey_head(a, b);
	if (!c)
		c = strcmp(a->row->invoice.s, b->row->invoice.s);
	return c ? c : a->row->event - b->row->event;
}

/* The bytes of id after its first number, big-endian, the event in the last; 0 when they do not fit. */
static int id_rest(const char *id, int event, uint64_t *rest)
{
	size_t pl = strlen(T_INVOICES.prefix);
	if (strncmp(id, T_INVOICES.prefix, pl) || id[pl] < '1' || id[pl] > '9')
		return 0;
	const char *p = id + pl;
	while (*p >= '0' && *p <= '9')
		p++;
	uint64_t v = 0;
	int i = 0;
	for (; i < 7 && p[i]; i++)
		v = v << 8 | (unsigned char)p[i];
	if (p[i])
		return 0;
	*rest = (i ? v << 8 * (8 - i) : 0) | (uint64_t)event;
	return 1;
}

static size_t keep_text(struct reminder *r, const char *v)
{
	size_t at = r->text.len;
	sb_add(&r->text, v, strlen(v) + 1);
	return at;
}

static unsigned owner_no(struct reminder *r, const char *owner)
{
	size_t n = r->owners.n;
	unsigned *no = gtab_get(&r->owners, owner, strlen(owner), 1);
	if (r->owners.n != n)
		*no = (unsigned)n;
	return *no;
}

static void remind_row(struct reminder *r, const rec *it, const char *const *cv, int event, int32_t day,
	int32_t rate, int64_t pay, int64_t saving, int64_t open)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->rows = xrealloc(r->rows, r->cap * sizeof *r->rows);
	}
	struct rrow *w = &r->rows[r->n++];
	*w = (struct rrow){.owner = cv[2], .name = cv[0], .pay = pay, .saving = saving, .open = open,
		.day = day, .rate = rate, .event = event, .owner_no = owner_no(r, cv[2])};
	w->customer.at = keep_text(r, it->v[OP_CUSTOMER]);
	w->invoice.at = keep_text(r, it->v[OP_DOC]);
}

static int remind_item(void *ctx, rec *it, crm_err *e)
{
	(void)e;
	struct reminder *r = ctx;
	int64_t open = 0;
	money_parse(it->v[OP_OPEN], r->c->s.digits, &open);
	if (open <= 0 || strcmp(it->v[OP_KIND], "invoice"))
		return 0;
	const char *cv[CDIR_FIELDS];   /* name, region, owner: cinfo_load's order */
	cdir_row(r->ci, it->v[OP_CUSTOMER], cv);
	if (r->c->by && strcmp(cv[2], r->c->by))
		return 0;
	int32_t due, date, rate, last;
	date_parse(it->v[OP_DUE], &due);
	date_parse(it->v[OP_DATE], &date);
	struct terms t;
	if (!*it->v[OP_DISCOUNT] && *it->v[OP_TERMS] && !terms_parse(it->v[OP_TERMS], &t) &&
	    terms_window(&t, date, r->today, &rate, &last) && rate > 0 && last <= r->until) {
		int64_t f = terms_full(open, rate);
		remind_row(r, it, cv, EV_DISCOUNT, last, rate, f, open - f, open);
	}
	if (due < r->today)
		remind_row(r, it, cv, EV_OVERDUE, due, 0, open, 0, open);
	else if (due <= r->until)
		remind_row(r, it, cv, EV_DUE, due, 0, open, 0, open);
	return 0;
}

/* Open items name customers at random among a million: each is asked into the cache ahead. */
static void remind_ahead(void *ctx, const rec *it, int far)
{
	struct reminder *r = ctx;
	cdir_prefetch(r->ci, it->v[OP_CUSTOMER], far);
}

static int str_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Every thread's owner numbers turned into the owners' ranks in byte order. */
static void rank_owners(struct reminder *r, int nw)
{
	size_t n = 0;
	for (int k = 0; k < nw; k++)
		n += r[k].owners.n;
	const char **names = xmalloc((n ? n : 1) * sizeof *names);
	n = 0;
	for (int k = 0; k < nw; k++)
		for (size_t i = 0; i < r[k].owners.n; i++)
			names[n++] = gtab_key(&r[k].owners, i);
	qsort(names, n, sizeof *names, str_cmp);
	for (int k = 0; k < nw; k++) {
		unsigned *rank = xmalloc((r[k].owners.n ? r[k].owners.n : 1) * sizeof *rank);
		for (size_t i = 0; i < r[k].owners.n; i++) {
			const char *key = gtab_key(&r[k].owners, i);
			size_t lo = 0, hi = n;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (strcmp(names[mid], key) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			rank[i] = (unsigned)lo;
		}
		for (size_t i = 0; i < r[k].n; i++)
			r[k].rows[i].owner_no = rank[r[k].rows[i].owner_no];
		free(rank);
	}
	free(names);
}

/* The sort keys of r's rows (their ids' text now in place); *odd set when an id is not plain. */
static struct rkey *remind_keys(struct reminder *r, int *odd)
{
	struct rkey *keys = xmalloc((r->n ? r->n : 1) * sizeof *keys);
	for (size_t i = 0; i < r->n; i++) {
		struct rrow *w = &r->rows[i];
		w->customer.s = r->text.s + w->customer.at;
		w->invoice.s = r->text.s + w->invoice.at;
		keys[i] = (struct rkey){(uint64_t)w->owner_no << 32 | ((uint32_t)w->day ^ 0x80000000u),
			id_number(w->invoice.s), 0, w};
		if (!id_rest(w->invoice.s, w->event, &keys[i].rest))
			*odd = 1;
	}
	return keys;
}

static void remind_print(struct out *o, const struct rrow *w, int digits)
{
	char d[11], rs[32] = "", ps[32], ss[32] = "", os[32];
	if (w->rate)
		money_fmt(w->rate, 2, rs);
	if (w->saving)
		money_fmt(w->saving, digits, ss);
	const char *v[] = {w->owner, w->customer.s, w->name, w->invoice.s, event_name[w->event],
		date_fmt(w->day, d), rs, money_fmt(w->pay, digits, ps), ss, money_fmt(w->open, digits, os)};
	out_row(o, v);
}

static int cmd_remind(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "remind takes options only");
	/* A reminder per thread over open/; their rows are sorted on their threads and merged. */
	struct reminder r[SCAN_MAX];
	void *ctx[SCAN_MAX];
	int nw = scan_workers(&c->s);
	struct cdir ci;
	int rc = cinfo_load(&c->s, &ci, e);
	for (int k = 0; k < nw; k++) {
		r[k] = (struct reminder){.c = c, .ci = &ci, .today = date_today()};
		r[k].until = r[k].today + (int32_t)(c->within >= 0 ? c->within : 3);
		gtab_init(&r[k].owners, sizeof(unsigned));
		ctx[k] = &r[k];
	}
	if (!rc)
		rc = ar_open_scan(&c->s, &(struct scanfn){remind_item, remind_ahead}, ctx, nw, e);
	rank_owners(r, nw);
	struct psort_part parts[SCAN_MAX];
	size_t total = 0;
	int odd = 0;
	for (int k = 0; k < nw; k++) {
		parts[k] = (struct psort_part){remind_keys(&r[k], &odd), r[k].n};
		total += r[k].n;
	}
	/* Nothing to say, nothing printed, not even a header: cron mails only news. */
	if (!rc && total) {
		const void **order = xmalloc(total * sizeof *order);
		psort_merge(parts, nw, sizeof(struct rkey), odd ? rkey_cmp_ids : rkey_cmp, order);
		struct out o;
		out_start(&o, c->cli.fmt, remind_cols, 10);
		for (size_t i = 0; i < total; i++)
			remind_print(&o, ((const struct rkey *)order[i])->row, c->s.digits);
		rc = out_finish(&o, e);
		free(order);
	}
	for (int k = 0; k < nw; k++) {
		free(parts[k].base);
		free(r[k].rows);
		sb_free(&r[k].text);
		gtab_free(&r[k].owners);
	}
	cdir_free(&ci);
	return rc;
}

struct scheduler {
	struct cmd *c;
	const char *customer, *invoice, *order;
	struct strset of_order;    /* the invoices an order raised */
	struct recs items;
};

static int order_invoices(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct scheduler *s = ctx;
	if (!strcmp(r->v[IN_ORDER], s->order))
		strset_add(&s->of_order, r->v[IN_ID]);
	return 0;
}

static int sched_keep(void *ctx, rec *it, crm_err *e)
{
	(void)e;
	struct scheduler *s = ctx;
	if (strcmp(it->v[OP_KIND], "invoice") || it->v[OP_OPEN][0] == '-')
		return 0;
	if ((s->invoice && !strcmp(it->v[OP_DOC], s->invoice)) ||
	    (s->customer && !strcmp(it->v[OP_CUSTOMER], s->customer)) ||
	    (s->order && strset_has(&s->of_order, it->v[OP_DOC])))
		recs_push(&s->items, rec_dup(it));
	return 0;
}

static void sched_row(struct out *o, const rec *it, int32_t by, int32_t rate, int64_t open, int digits)
{
	char d[11], rs[32] = "0", ps[32], ss[32];
	int64_t f = terms_full(open, rate);
	if (rate)
		money_fmt(rate, 2, rs);
	const char *v[] = {it->v[OP_DOC], it->v[OP_CUSTOMER], date_fmt(by, d), rs, money_fmt(f, digits, ps),
		money_fmt(open - f, digits, ss)};
	out_row(o, v);
}

static int cmd_schedule(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc != 1)
		return cli_usage(&c->cli, e, "schedule INVOICE|ORDER|CUSTOMER [--every day|week]");
	int step = 0;
	if (c->every && !strcmp(c->every, "day"))
		step = 1;
	else if (c->every && !strcmp(c->every, "week"))
		step = 7;
	else if (c->every)
		return cli_usage(&c->cli, e, "--every day or week");
	struct scheduler s = {.c = c};
	char dir[64];
	int rc = 0;
	if (!ledger_dir_of(&T_INVOICES, argv[0], dir, sizeof dir))
		s.invoice = argv[0];
	else if (!ledger_dir_of(&T_ORDERS, argv[0], dir, sizeof dir)) {
		s.order = argv[0];
		rc = store_scan(&c->s, &T_INVOICES, order_invoices, &s, e);
	}
	else
		s.customer = argv[0];
	if (!rc)
		rc = ar_open_scan(&c->s, &(struct scanfn){sched_keep, NULL}, (void *[]){&s}, 1, e);
	if (!rc && !s.items.n)
		rc = crm_fail(e, CRM_ENOTFOUND, "nothing open for '%s'", argv[0]);
	static const char *cols[] = {"invoice", "customer", "pay_by", "rate", "amount", "saving"};
	struct out o;
	if (!rc)
		out_start(&o, c->cli.fmt, cols, 6);
	int32_t today = date_today();
	for (size_t i = 0; !rc && i < s.items.n; i++) {
		rec *it = s.items.r[i];
		int64_t open;
		int32_t date, due;
		money_parse(it->v[OP_OPEN], c->s.digits, &open);
		date_parse(it->v[OP_DATE], &date);
		date_parse(it->v[OP_DUE], &due);
		struct terms t = {0};
		if (*it->v[OP_TERMS])
			terms_parse(it->v[OP_TERMS], &t);
		if (step) {
			for (int32_t d = today; d <= due || d == today; d += step)
				sched_row(&o, it, d, ar_rate(it, d), open, c->s.digits);
			continue;
		}
		/* One row per window still open, then the net due date. */
		for (int k = 0; k < t.n && !*it->v[OP_DISCOUNT]; k++)
			if (date + t.t[k].days >= today)
				sched_row(&o, it, date + t.t[k].days, t.t[k].rate, open, c->s.digits);
		if (*it->v[OP_DISCOUNT])
			sched_row(&o, it, due, ar_rate(it, today), open, c->s.digits);
		else
			sched_row(&o, it, due, 0, open, c->s.digits);
	}
	if (!rc)
		rc = out_finish(&o, e);
	recs_free(&s.items);
	strset_clear(&s.of_order);
	return rc;
}

/* ---- statement ---- */

struct event {
	const char *date, *doc, *what;
	int64_t amount;   /* + owed, - paid or credited */
};

static int event_cmp(const void *x, const void *y)
{
	const struct event *a = x, *b = y;
	int c = strcmp(a->date, b->date);
	return c ? c : id_cmp(a->doc, b->doc);
}

struct one_age {
	const char *customer, *currency;
	struct age g;
};

static int stmt_age(void *ctx, const char *customer, const char *currency, const struct age *g, crm_err *e)
{
	(void)e;
	struct one_age *want = ctx;
	if (!strcmp(customer, want->customer) && !strcmp(currency, want->currency))
		for (int k = 0; k < AGE_MAX + 2; k++)
			want->g.col[k] += g->col[k];
	return 0;
}

/*
 * A statement is in one currency: --currency, else the one the customer's
 * documents are in, else the customer's; documents in two refuse to mix.
 */
static int stmt_currency(struct cmd *c, const char *customer, const struct docs *d, const char **cur, crm_err *e)
{
	const char *seen = NULL;
	const struct recs *rs[] = {&d->inv, &d->rec};
	const int f[] = {IN_CURRENCY, RC_CURRENCY};
	if (c->currency) {
		*cur = c->currency;
		return 0;
	}
	for (int t = 0; t < 2; t++)
		for (size_t i = 0; i < rs[t]->n; i++) {
			const char *v = rs[t]->r[i]->v[f[t]];
			if (seen && strcmp(seen, v))
				return crm_fail(e, CRM_EDATA, "statement: %s has documents in %s and %s; a statement is in one "
					"currency (--currency C)", customer, seen, v);
			seen = v;
		}
	if (seen)
		*cur = seen;
	return 0;
}

static int cmd_statement(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc != 1)
		return cli_usage(&c->cli, e, "statement CUSTOMER [--from D] [--to D]");
	int32_t from = INT32_MIN, to = date_today();
	int rc = 0;
	if (c->from)
		rc = cli_arg_bad("from", c->from, date_parse(c->from, &from), e);
	if (!rc && c->to)
		rc = cli_arg_bad("to", c->to, date_parse(c->to, &to), e);
	if (!rc && to < from)
		rc = cli_usage(&c->cli, e, "--to is before --from");
	struct tabedit te;
	rec *cust = NULL;
	tabedit_init(&te, &c->s, &T_CUSTOMERS);
	if (!rc && !(rc = tabedit_get(&te, argv[0], &cust, e)) && !cust)
		rc = crm_fail_at(e, "argument", 0, "customer", "no customer '%s'", argv[0]);
	const char *cur = NULL;
	if (!rc && c->currency)
		rc = cli_arg_bad("currency", c->currency, currency_check(c->currency), e);
	if (!rc)
		rc = ar_currency(&c->s, cust, NULL, (struct where){"argument", 0}, &cur, e);
	struct docs d = {0};
	if (!rc)
		rc = ar_docs(&c->s, argv[0], &d, e);
	if (!rc)
		rc = stmt_currency(c, argv[0], &d, &cur, e);
	if (rc) {
		tabedit_free(&te);
		docs_free(&d);
		return rc;
	}
	size_t n = d.inv.n + d.rec.n + d.app.n, k = 0;
	struct event *ev = xcalloc(n + 1, sizeof *ev);
	for (size_t i = 0; i < d.inv.n; i++) {
		rec *r = d.inv.r[i];
		int64_t m = 0;
		if (strcmp(r->v[IN_CURRENCY], cur))
			continue;
		money_parse(r->v[IN_AMOUNT], c->s.digits, &m);
		ev[k++] = (struct event){r->v[IN_DATE], r->v[IN_ID], strcmp(r->v[IN_KIND], "credit") ? "invoice" : "credit note", m};
	}
	for (size_t i = 0; i < d.rec.n; i++) {
		rec *r = d.rec.r[i];
		int64_t m = 0;
		if (strcmp(r->v[RC_CURRENCY], cur))
			continue;
		money_parse(r->v[RC_AMOUNT], c->s.digits, &m);
		ev[k++] = (struct event){r->v[RC_DATE], r->v[RC_ID], "receipt", -m};
	}
	for (size_t i = 0; i < d.app.n; i++) {
		rec *r = d.app.r[i];
		int64_t disc = 0, settled = 0;
		if (strcmp(r->v[AP_CURRENCY], cur))
			continue;
		money_parse(r->v[AP_DISCOUNT], c->s.digits, &disc);
		money_parse(r->v[AP_SETTLED], c->s.digits, &settled);
		if (!strcmp(r->v[AP_KIND], "writeoff"))
			ev[k++] = (struct event){r->v[AP_DATE], r->v[AP_INVOICE], "written off", -settled};
		else if (disc)
			ev[k++] = (struct event){r->v[AP_DATE], r->v[AP_INVOICE], "cash discount", -disc};
	}
	qsort(ev, k, sizeof *ev, event_cmp);
	int64_t bal = 0, run = 0;
	size_t i = 0;
	for (size_t j = 0; j < k; j++)
		if (money_add(&run, ev[j].amount)) {
			rc = crm_fail(e, CRM_EDATA, "statement: the balance of %s passes what an amount can hold (at %s)",
				argv[0], ev[j].doc);
			free(ev);
			docs_free(&d);
			tabedit_free(&te);
			return rc;
		}
	for (; i < k; i++) {
		int32_t day;
		date_parse(ev[i].date, &day);
		if (day >= from)
			break;
		bal += ev[i].amount;
	}
	static const char *cols[] = {"date", "doc", "what", "amount", "balance"};
	struct out o;
	out_start(&o, c->cli.fmt, cols, 5);
	char b1[32], b2[32], day[11];
	const char *open[] = {c->from ? c->from : "", "", "opening balance", "", money_fmt(bal, c->s.digits, b2)};
	out_row(&o, open);
	for (; i < k; i++) {
		int32_t dd;
		date_parse(ev[i].date, &dd);
		if (dd > to)
			break;
		bal += ev[i].amount;
		const char *v[] = {ev[i].date, ev[i].doc, ev[i].what, money_fmt(ev[i].amount, c->s.digits, b1),
			money_fmt(bal, c->s.digits, b2)};
		out_row(&o, v);
	}
	const char *close[] = {date_fmt(to, day), "", "closing balance", "", money_fmt(bal, c->s.digits, b2)};
	out_row(&o, close);
	rc = out_finish(&o, e);
	/* The aging footer: what of the closing balance is how late, as of --to. */
	struct buckets b;
	struct one_age want = {argv[0], cur, {{0}, 0}};
	if (!rc)
		rc = buckets_parse(store_conf_str(&c->s, "aging.buckets", "30,60,90"), &b, e);
	if (!rc)
		rc = ar_aging(&c->s, to, 0, &b, stmt_age, &want, e);
	if (!rc && (c->cli.fmt == OUT_TABLE || (c->cli.fmt == OUT_AUTO && isatty(1)))) {
		printf("\naging as of %s%s%s: not due %s", day, strcmp(cur, c->s.currency) ? " in " : "",
			strcmp(cur, c->s.currency) ? cur : "", money_fmt(want.g.col[0], c->s.digits, b1));
		for (int j = 1; j <= b.n + 1; j++) {
			if (j <= b.n)
				printf(", %d-%d %s", j == 1 ? 1 : b.upto[j - 2] + 1, b.upto[j - 1], money_fmt(want.g.col[j], c->s.digits, b1));
			else
				printf(", over %d %s", b.upto[b.n - 1], money_fmt(want.g.col[j], c->s.digits, b1));
		}
		printf("\n");
	}
	free(ev);
	docs_free(&d);
	tabedit_free(&te); /* cur may be the customer's */
	return rc;
}

/* ---- import: opening balances and past receipts, in the order given ---- */

static const struct field imp_fields[] = {
	{"type", FT_ENUM, "invoice,credit,receipt", 0}, {"date", FT_DATE, NULL, F_REQ},
	{"customer", FT_ID, NULL, F_REQ}, {"amount", FT_MONEY, NULL, F_REQ}, {"currency", FT_CURRENCY, NULL, 0},
	{"terms", FT_TERMS, NULL, 0}, {"due", FT_DATE, NULL, 0}, {"invoice", FT_ID, NULL, 0},
	{"method", FT_TEXT, NULL, 0}, {"ref", FT_TEXT, NULL, 0}, {"note", FT_TEXT, NULL, 0},
};
static const struct table T_IMP = {"invoices", T_LEDGER, "I", imp_fields, 11, 1, 0};
enum { IM_TYPE, IM_DATE, IM_CUSTOMER, IM_AMOUNT, IM_CURRENCY, IM_TERMS, IM_DUE, IM_INVOICE, IM_METHOD, IM_REF, IM_NOTE };

struct importer {
	struct cmd *c;
	struct ar a;
	size_t rows;
};

static int import_row(void *ctx, rec *in, crm_err *e)
{
	struct importer *im = ctx;
	struct where at = {in->file, in->line};
	int64_t amount = 0;
	money_parse(in->v[IM_AMOUNT], im->c->s.digits, &amount);
	if (amount <= 0)
		return crm_fail_at(e, in->file, in->line, "amount", "must be more than 0 '%s'", in->v[IM_AMOUNT]);
	const char *cur = in->v[IM_CURRENCY]; /* empty: the customer's, else crm.conf's */
	const char *type = *in->v[IM_TYPE] ? in->v[IM_TYPE] : "invoice";
	im->rows++;
	if (!strcmp(type, "receipt")) {
		struct pay_req p = {.customer = in->v[IM_CUSTOMER], .date = in->v[IM_DATE], .currency = cur,
			.invoice = in->v[IM_INVOICE], .method = in->v[IM_METHOD], .ref = in->v[IM_REF], .amount = amount, .at = at};
		return ar_pay(&im->a, &p, e);
	}
	if (*in->v[IM_INVOICE])
		return crm_fail_at(e, in->file, in->line, "invoice", "names what a receipt pays; an invoice gets its own id");
	struct invoice_req q = {.customer = in->v[IM_CUSTOMER], .date = in->v[IM_DATE], .terms = in->v[IM_TERMS],
		.currency = cur, .note = *in->v[IM_NOTE] ? in->v[IM_NOTE] : in->v[IM_REF], .due = in->v[IM_DUE],
		.amount = amount, .at = at};
	return strcmp(type, "credit") ? ar_raise(&im->a, &q, e) : ar_credit(&im->a, &q, e);
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
	struct importer im = {.c = c};
	ar_init(&im.a, &c->s);
	if (!(rc = need_write(c, e)))
		rc = input_records(&in, &T_IMP, c->s.digits, 0, import_row, &im, e);
	if (!rc && !im.rows)
		rc = crm_fail(e, CRM_EDATA, "%s: no invoices or receipts in the input", file);
	char msg[200];
	snprintf(msg, sizeof msg, "import %zu rows: %zu documents, %zu applications", im.rows, im.a.ndocs, im.a.napps);
	if (!rc)
		rc = commit_ar(c, &im.a, msg, e);
	if (!rc)
		fprintf(stderr, "crm-ar: %s\n", msg + 7);
	ar_free(&im.a);
	input_free(&in);
	return rc;
}

/* ---- rate: an exchange rate for a day, into rates/YYYY.csv ---- */

static int rate_cmp(const void *x, const void *y)
{
	const rec *a = *(rec *const *)x, *b = *(rec *const *)y;
	int c = strcmp(a->v[0], b->v[0]);
	return c ? c : strcmp(a->v[1], b->v[1]);
}

static int cmd_rate(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc != 2)
		return cli_usage(&c->cli, e, "rate CURRENCY RATE [--date D]");
	const char *date, *cur;
	int64_t r;
	const char *why = money_parse(argv[1], RATE_DIGITS, &r);
	const char *sv = c->currency;
	c->currency = argv[0];
	int rc = arg_common(c, &date, &cur, e);
	c->currency = sv;
	if (!rc && (why || r <= 0))
		rc = cli_arg_bad("rate", argv[1], why ? why : "must be more than 0", e);
	if (!rc && !strcmp(cur, c->s.currency))
		rc = cli_arg_bad("currency", cur, "is the base currency (its rate is 1)", e);
	if (!rc)
		rc = need_write(c, e);
	char path[64], rs[32];
	snprintf(path, sizeof path, "rates/%.4s.csv", date);
	struct recs rs_ = {0};
	char *buf = NULL;
	size_t len;
	/* Rates have six decimals, not the currency's: read as rates_load reads them. */
	if (!rc && !(rc = store_load(&c->s, path, &buf, &len, e)) && buf)
		rc = table_read(&T_RATES, path, buf, len, RATE_DIGITS, recs_push_dup, &rs_, e);
	free(buf);
	for (size_t i = 0; !rc && i < rs_.n; i++)
		if (!strcmp(rs_.r[i]->v[0], date) && !strcmp(rs_.r[i]->v[1], cur))
			rc = crm_fail_at(e, "argument", 0, "rate", "%s has a %s rate already (%s); rates are history, not edited",
				date, cur, rs_.r[i]->v[2]);
	if (!rc) {
		char *v[] = {(char *)date, (char *)cur, money_fmt(r, RATE_DIGITS, rs)};
		recs_push(&rs_, rec_pack(&T_RATES, v));
		qsort(rs_.r, rs_.n, sizeof *rs_.r, rate_cmp);
		rc = store_put_recs(&c->s, &T_RATES, path, &rs_, e);
	}
	char msg[200];
	snprintf(msg, sizeof msg, "rate %s %s on %s", cur, rs, date);
	if (!rc)
		rc = store_commit(&c->s, msg, e);
	recs_free(&rs_);
	return rc;
}

/* ---- journal: double-entry postings for the general ledger ---- */

struct posting {
	const char *date, *doc, *what, *customer, *currency;
	const char *debit, *credit;   /* account keys: receivable is per customer */
	int64_t amount;               /* > 0 */
};

struct journal {
	struct cmd *c;
	int32_t from, to;
	struct posting *p;
	size_t n, cap;
	struct recs keep;             /* the records the postings point into */
};

static void post(struct journal *j, const rec *r, const char *date, const char *doc, const char *what,
	const char *customer, const char *currency, const char *debit, const char *credit, int64_t amount)
{
	if (amount == 0)
		return;
	if (amount < 0) {
		const char *t = debit;
		debit = credit, credit = t, amount = -amount;
	}
	if (j->n == j->cap) {
		j->cap = j->cap ? j->cap * 2 : 256;
		j->p = xrealloc(j->p, j->cap * sizeof *j->p);
	}
	(void)r;
	j->p[j->n++] = (struct posting){date, doc, what, customer, currency, debit, credit, amount};
}

static int in_range(struct journal *j, const char *date)
{
	int32_t d;
	return !date_parse(date, &d) && d >= j->from && d <= j->to;
}

static int jr_invoice(void *ctx, rec *in, crm_err *e)
{
	(void)e;
	struct journal *j = ctx;
	if (!in_range(j, in->v[IN_DATE]))
		return 0;
	rec *r = rec_dup(in);
	recs_push(&j->keep, r);
	int64_t m = 0;
	money_parse(r->v[IN_AMOUNT], j->c->s.digits, &m);
	int credit = !strcmp(r->v[IN_KIND], "credit");
	post(j, r, r->v[IN_DATE], r->v[IN_ID], credit ? "credit note" : "invoice", r->v[IN_CUSTOMER], r->v[IN_CURRENCY],
		"receivable", credit ? "returns" : "sales", m);
	return 0;
}

static int jr_receipt(void *ctx, rec *in, crm_err *e)
{
	(void)e;
	struct journal *j = ctx;
	if (!in_range(j, in->v[RC_DATE]))
		return 0;
	rec *r = rec_dup(in);
	recs_push(&j->keep, r);
	int64_t m = 0;
	money_parse(r->v[RC_AMOUNT], j->c->s.digits, &m);
	post(j, r, r->v[RC_DATE], r->v[RC_ID], "receipt", r->v[RC_CUSTOMER], r->v[RC_CURRENCY], "bank", "receivable", m);
	return 0;
}

static int jr_app(void *ctx, rec *in, crm_err *e)
{
	(void)e;
	struct journal *j = ctx;
	if (!in_range(j, in->v[AP_DATE]))
		return 0;
	int wo = !strcmp(in->v[AP_KIND], "writeoff");
	int64_t m = 0;
	money_parse(in->v[wo ? AP_SETTLED : AP_DISCOUNT], j->c->s.digits, &m);
	if (!m)
		return 0;
	rec *r = rec_dup(in);
	recs_push(&j->keep, r);
	post(j, r, r->v[AP_DATE], r->v[AP_INVOICE], wo ? "written off" : "cash discount", r->v[AP_CUSTOMER],
		r->v[AP_CURRENCY], wo ? "baddebts" : "discounts", "receivable", m);
	return 0;
}

static int posting_cmp(const void *x, const void *y)
{
	const struct posting *a = x, *b = y;
	int c = strcmp(a->date, b->date);
	return c ? c : id_cmp(a->doc, b->doc);
}

/* Account names from crm.conf [accounts]; the receivable is one account per customer. */
static void account(struct cmd *c, const char *key, const char *customer, char *out, size_t cap)
{
	static const char *const keys[] = {"receivable", "sales", "returns", "bank", "discounts", "baddebts"};
	static const char *const dflt[] = {"Assets:Receivable", "Income:Sales", "Income:Sales:Returns", "Assets:Bank",
		"Expenses:CashDiscounts", "Expenses:BadDebts"};
	for (int i = 0; i < 6; i++)
		if (!strcmp(key, keys[i])) {
			char k[64];
			snprintf(k, sizeof k, "accounts.%s", keys[i]);
			const char *name = store_conf_str(&c->s, k, dflt[i]);
			if (i == 0)
				snprintf(out, cap, "%s:%s", name, customer);
			else
				snprintf(out, cap, "%s", name);
			return;
		}
	snprintf(out, cap, "%s", key);
}

static int cmd_journal(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "journal takes options only");
	const char *fmt = c->format ? c->format : "ledger";
	int ledger = !strcmp(fmt, "ledger"), bean = !strcmp(fmt, "beancount"), csv = !strcmp(fmt, "csv");
	if (!ledger && !bean && !csv)
		return cli_usage(&c->cli, e, "journal --format ledger, beancount or csv");
	struct journal j = {.c = c, .from = INT32_MIN, .to = INT32_MAX};
	int rc = 0;
	if (c->from)
		rc = cli_arg_bad("from", c->from, date_parse(c->from, &j.from), e);
	if (!rc && c->to)
		rc = cli_arg_bad("to", c->to, date_parse(c->to, &j.to), e);
	if (!rc)
		rc = store_scan(&c->s, &T_INVOICES, jr_invoice, &j, e);
	if (!rc)
		rc = store_scan(&c->s, &T_RECEIPTS, jr_receipt, &j, e);
	if (!rc)
		rc = store_scan(&c->s, &T_APPLICATIONS, jr_app, &j, e);
	if (j.n > 1)
		qsort(j.p, j.n, sizeof *j.p, posting_cmp);
	if (!rc && csv)
		printf("date,doc,what,customer,account,amount,currency\n");
	for (size_t i = 0; !rc && i < j.n; i++) {
		struct posting *p = &j.p[i];
		char dr[200], cr[200], am[32], neg[40];
		account(c, p->debit, p->customer, dr, sizeof dr);
		account(c, p->credit, p->customer, cr, sizeof cr);
		money_fmt(p->amount, c->s.digits, am);
		snprintf(neg, sizeof neg, "-%s", am);
		if (ledger)
			printf("%s %s %s %s\n    %-40s %s %s\n    %-40s %s %s\n\n", p->date, p->what, p->doc, p->customer,
				dr, am, p->currency, cr, neg, p->currency);
		else if (bean)
			printf("%s * \"%s\" \"%s %s\"\n  %-40s %s %s\n  %-40s %s %s\n\n", p->date, p->customer, p->what,
				p->doc, dr, am, p->currency, cr, neg, p->currency);
		else
			printf("%s,%s,%s,%s,%s,%s,%s\n%s,%s,%s,%s,%s,%s,%s\n", p->date, p->doc, p->what, p->customer, dr, am,
				p->currency, p->date, p->doc, p->what, p->customer, cr, neg, p->currency);
	}
	free(j.p);
	recs_free(&j.keep);
	return rc;
}

/* ---- terms-taken: which offers customers take ---- */

struct taken {
	char *group, *tier;
	int order;           /* tiers by days, then net, then late */
	long long n, days;
	int64_t settled, discount, annual;
};

struct takenlist {
	struct cmd *c;
	struct fx fx;
	int by_terms;
	int32_t from, to;
	struct strmap idx;
	struct taken *t;
	size_t n, cap;
};

static int taken_app(void *ctx, rec *r, crm_err *e)
{
	struct takenlist *tl = ctx;
	if (strcmp(r->v[AP_KIND], "receipt"))
		return 0;
	int32_t day, issued, due;
	date_parse(r->v[AP_DATE], &day);
	date_parse(r->v[AP_ISSUED], &issued);
	date_parse(r->v[AP_DUE], &due);
	if (day < tl->from || day > tl->to)
		return 0;
	struct terms t = {0};
	if (*r->v[AP_TERMS])
		terms_parse(r->v[AP_TERMS], &t);
	char tier[48];
	int order;
	int64_t rate = 0, annual = -1;
	if (*r->v[AP_RATE])
		money_parse(r->v[AP_RATE], 2, &rate);
	int k = 0;
	while (k < t.n && t.t[k].rate != rate)
		k++;
	if (rate && k < t.n) {
		char rs[32];
		money_fmt(rate, 2, rs);
		snprintf(tier, sizeof tier, "%s/%d", r->v[AP_RATE], t.t[k].days);
		order = k;
		annual = terms_annual((int32_t)rate, t.t[k].days, t.net);
	} else if (rate) {
		snprintf(tier, sizeof tier, "override %s", r->v[AP_RATE]);
		order = TERMS_MAX;
	} else if (day <= due) {
		snprintf(tier, sizeof tier, "net");
		order = TERMS_MAX + 1;
	} else {
		snprintf(tier, sizeof tier, "late");
		order = TERMS_MAX + 2;
	}
	const char *group = tl->by_terms ? r->v[AP_TERMS] : r->v[AP_CUSTOMER];
	char key[300];
	snprintf(key, sizeof key, "%s\n%s", group, tier);
	size_t i = strmap_get(&tl->idx, key, (size_t)-1);
	if (i == (size_t)-1) {
		if (tl->n == tl->cap) {
			tl->cap = tl->cap ? tl->cap * 2 : 64;
			tl->t = xrealloc(tl->t, tl->cap * sizeof *tl->t);
		}
		tl->t[tl->n] = (struct taken){xstrdup(group), xstrdup(tier), order, 0, 0, 0, 0, annual};
		strmap_put(&tl->idx, key, i = tl->n++);
	}
	struct taken *g = &tl->t[i];
	int64_t s = 0, d = 0;
	money_parse(r->v[AP_SETTLED], tl->c->s.digits, &s);
	money_parse(r->v[AP_DISCOUNT], tl->c->s.digits, &d);
	/* In the base currency at the rate of the day it was paid (and the discount given). */
	int rc = fx_base(&tl->fx, r->v[AP_CURRENCY], day, s, &s, e);
	if (!rc)
		rc = fx_base(&tl->fx, r->v[AP_CURRENCY], day, d, &d, e);
	if (!rc && (money_add(&g->settled, s) || money_add(&g->discount, d)))
		rc = crm_fail_at(e, r->file, r->line, "settled", "the total of %s passes what an amount can hold", group);
	g->n++;
	g->days += day - issued;
	return rc;
}

static int taken_cmp(const void *x, const void *y)
{
	const struct taken *a = x, *b = y;
	int c = strcmp(a->group, b->group);
	return c ? c : a->order - b->order;
}

static int cmd_terms_taken(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "terms-taken takes options only");
	struct takenlist tl = {.c = c, .from = INT32_MIN, .to = INT32_MAX};
	tl.by_terms = c->by && !strcmp(c->by, "terms");
	if (c->by && !tl.by_terms && strcmp(c->by, "customer"))
		return cli_usage(&c->cli, e, "terms-taken --by customer or terms");
	int rc = 0;
	if (c->from)
		rc = cli_arg_bad("from", c->from, date_parse(c->from, &tl.from), e);
	if (!rc && c->to)
		rc = cli_arg_bad("to", c->to, date_parse(c->to, &tl.to), e);
	if (!rc)
		rc = fx_open(&tl.fx, &c->s, e);
	if (!rc)
		rc = store_scan(&c->s, &T_APPLICATIONS, taken_app, &tl, e);
	fx_close(&tl.fx);
	if (tl.n > 1)
		qsort(tl.t, tl.n, sizeof *tl.t, taken_cmp);
	static const char *cols[] = {"group", "tier", "payments", "settled", "discount", "avg_days", "annual_pct"};
	cols[0] = tl.by_terms ? "terms" : "customer";
	struct out o;
	if (!rc && tl.n) {
		out_start(&o, c->cli.fmt, cols, 7);
		for (size_t i = 0; i < tl.n; i++) {
			struct taken *g = &tl.t[i];
			char n[24], s[32], d[32], avg[24], an[32] = "";
			snprintf(n, sizeof n, "%lld", g->n);
			/* Average days to pay with two decimals, half up, in integers. */
			long long q = (g->days * 200 + (g->days >= 0 ? g->n : -g->n)) / (2 * g->n);
			snprintf(avg, sizeof avg, "%s%lld.%02lld", q < 0 ? "-" : "", (q < 0 ? -q : q) / 100, (q < 0 ? -q : q) % 100);
			if (g->annual >= 0)
				money_fmt(g->annual, 2, an);
			const char *v[] = {*g->group ? g->group : "(none)", g->tier, n, money_fmt(g->settled, c->s.digits, s),
				money_fmt(g->discount, c->s.digits, d), avg, an};
			out_row(&o, v);
		}
		rc = out_finish(&o, e);
	}
	if (!rc && !tl.n)
		rc = CRM_ENOTFOUND;
	for (size_t i = 0; i < tl.n; i++) {
		free(tl.t[i].group);
		free(tl.t[i].tier);
	}
	free(tl.t);
	strmap_clear(&tl.idx);
	return rc;
}

static int cmd_bill(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_invoice(c, argc, argv, 0, e);
}

static int cmd_credit(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_invoice(c, argc, argv, 1, e);
}

static const struct cli_verb verbs[] = {
	{"invoice", cmd_bill, "CUSTOMER AMOUNT [--terms T] [--plan P] [--date D] [--currency C] [--note N]",
		.help = "bill a customer; prints the invoice id(s)"},
	{"credit", cmd_credit, "CUSTOMER AMOUNT --reason TEXT [--date D] [--currency C]", .help = "a credit note"},
	{"pay", cmd_pay, "CUSTOMER AMOUNT [--date D] [--invoice ID] [--currency C] [--method M] [--ref R]",
		.help = "a receipt, applied to the oldest open invoices (or --invoice)"},
	{"override", cmd_override, "INVOICE PCT --reason TEXT [--request]",
		.help = "change the discount: finance or director only; --request asks one"},
	{"writeoff", cmd_writeoff, "INVOICE --reason TEXT [--request]",
		.help = "write off what is open: finance only; --request asks one"},
	{"list", cmd_list, "[--fields F] [FILTER...]", .help = "invoices and credit notes"},
	{"show", cmd_show, "ID", .help = "an invoice or a receipt, with its applications"},
	{"aging", cmd_aging, "[--by customer|owner|region] [--basis due|invoice]", .help = "what is open, by age"},
	{"remind", cmd_remind, "[--within DAYS] [--by OWNER]", .help = "discount windows closing, due soon, overdue"},
	{"schedule", cmd_schedule, "INVOICE|ORDER|CUSTOMER [--every day|week]", .help = "the instalments and when each falls due"},
	{"statement", cmd_statement, "CUSTOMER [--from D] [--to D] [--currency C]", .help = "a customer's documents and running balance, in one currency"},
	{"terms-taken", cmd_terms_taken, "[--by customer|terms] [--from D] [--to D]", .help = "discounts taken and missed"},
	{"journal", cmd_journal, "[--from D] [--to D] [--format ledger|beancount|csv]", .help = "postings for the general ledger"},
	{"import", cmd_import, "[FILE|-]", .help = "type,date,customer,amount,currency,terms,due,invoice,method,ref,note"},
	{"rate", cmd_rate, "CURRENCY RATE [--date D]", .help = "base currency per unit on a day, for what reports add up in it"},
	{0},
};

static const struct cli_prog prog = {
	.name = "crm-ar", .synopsis = "[-C dir] [-n] [-m msg] [-o fmt] [--at rev|date] [--as-of date]",
	.verbs = verbs, .opts = opts, .on_opt = on_opt,
};

int main(int argc, char **argv)
{
	struct cmd c = {.within = -1};
	return cli_main(&prog, &c, &c.cli, &c.s, argc, argv);
}
