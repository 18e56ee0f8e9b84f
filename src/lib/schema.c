#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "money.h"
#include "schema.h"
#include "terms.h"

#define NF(a) ((int)(sizeof a / sizeof a[0]))

static const struct field customer_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO | F_BRIEF},
	{"name", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"phone", FT_TEXT, NULL, 0 | F_BRIEF},
	{"region", FT_TEXT, NULL, 0 | F_BRIEF},
	{"industry", FT_TEXT, NULL, 0},
	{"grade", FT_ENUM, "A,B,C,D", 0 | F_BRIEF},
	{"owner", FT_TEXT, NULL, 0 | F_BRIEF},
	{"source", FT_TEXT, NULL, 0},
	{"status", FT_ENUM, "active,pool,archived", F_REQ | F_BRIEF},
	{"terms", FT_TERMS, NULL, 0},
	{"credit_limit", FT_MONEY, NULL, 0},
	{"currency", FT_CURRENCY, NULL, 0},
	{"created", FT_DATE, NULL, F_AUTO},
	{"updated", FT_DATE, NULL, F_AUTO},
	{"tags", FT_TEXT, NULL, 0},
	{"note", FT_TEXT, NULL, 0},
};

static const struct field contact_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO | F_BRIEF},
	{"customer", FT_REF, "customers", F_REQ | F_BRIEF},
	{"name", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"title", FT_TEXT, NULL, 0 | F_BRIEF},
	{"phone", FT_TEXT, NULL, 0 | F_BRIEF},
	{"email", FT_TEXT, NULL, 0},
	{"note", FT_TEXT, NULL, 0},
};

static const struct field visit_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO | F_BRIEF},
	{"date", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"customer", FT_REF, "customers", F_REQ | F_BRIEF},
	{"by", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"kind", FT_ENUM, "visit,call,meeting,message", F_REQ | F_BRIEF},
	{"summary", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"next_date", FT_DATE, NULL, 0 | F_BRIEF},
	{"next_action", FT_TEXT, NULL, 0},
	{"done", FT_DATE, NULL, 0},
};

static const struct field product_fields[] = {
	{"sku", FT_ID, NULL, F_REQ | F_BRIEF},
	{"name", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"category", FT_TEXT, NULL, 0 | F_BRIEF},
	{"unit", FT_TEXT, NULL, 0 | F_BRIEF},
	{"price", FT_MONEY, NULL, 0 | F_BRIEF},
	{"price_a", FT_MONEY, NULL, 0},
	{"price_b", FT_MONEY, NULL, 0},
	{"price_c", FT_MONEY, NULL, 0},
	{"price_d", FT_MONEY, NULL, 0},
	{"floor", FT_MONEY, NULL, 0},
	{"alert_level", FT_INT, NULL, 0},
	{"reorder_qty", FT_INT, NULL, 0},
	{"status", FT_ENUM, "active,discontinued", F_REQ | F_BRIEF},
};

static const struct field warehouse_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_BRIEF},
	{"name", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"parent", FT_REF, "warehouses", 0 | F_BRIEF},
};

static const struct field move_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO | F_BRIEF},
	{"date", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"sku", FT_REF, "products", F_REQ | F_BRIEF},
	{"warehouse", FT_REF, "warehouses", F_REQ | F_BRIEF},
	{"qty", FT_INT, NULL, F_REQ | F_BRIEF},
	{"value", FT_MONEY, NULL, F_REQ | F_BRIEF},
	{"kind", FT_ENUM, "in,out,move,count,ship,return", F_REQ | F_BRIEF},
	{"ref", FT_TEXT, NULL, 0 | F_BRIEF},
	{"by", FT_TEXT, NULL, 0},
	{"note", FT_TEXT, NULL, 0},
};

/* Derived from moves, kept in the same commit so an outgoing move reads one small file. */
static const struct field stock_fields[] = {
	{"key", FT_TEXT, NULL, F_REQ | F_AUTO},
	{"sku", FT_REF, "products", F_REQ | F_BRIEF},
	{"warehouse", FT_REF, "warehouses", F_REQ | F_BRIEF},
	{"qty", FT_INT, NULL, F_REQ | F_BRIEF},
	{"value", FT_MONEY, NULL, F_REQ | F_BRIEF},
};

static const struct field order_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO | F_BRIEF},
	{"date", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"customer", FT_REF, "customers", F_REQ | F_BRIEF},
	{"owner", FT_TEXT, NULL, 0 | F_BRIEF},
	{"status", FT_ENUM, "quote,open,shipped,closed,lost,cancelled", F_REQ | F_BRIEF},
	{"stage", FT_TEXT, NULL, 0 | F_BRIEF},
	{"probability", FT_INT, NULL, 0 | F_BRIEF},
	{"close_date", FT_DATE, NULL, 0},
	{"terms", FT_TERMS, NULL, 0},
	{"plan", FT_TEXT, NULL, 0},
	{"currency", FT_TEXT, NULL, F_REQ},
	{"ref", FT_TEXT, NULL, 0 | F_BRIEF},
	{"reason", FT_TEXT, NULL, 0},
	{"note", FT_TEXT, NULL, 0},
};

/* Beside its order: the same month folder, ids L + the order's + the line number. */
static const struct field line_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO},
	{"date", FT_DATE, NULL, F_REQ},
	{"order", FT_ID, NULL, F_REQ | F_BRIEF},
	{"line", FT_INT, NULL, F_REQ | F_BRIEF},
	{"sku", FT_REF, "products", F_REQ | F_BRIEF},
	{"qty", FT_INT, NULL, F_REQ | F_BRIEF},
	{"price", FT_MONEY, NULL, F_REQ | F_BRIEF},
	{"discount", FT_MONEY, NULL, 0 | F_BRIEF},
	{"shipped", FT_INT, NULL, F_REQ | F_BRIEF},
	{"cost", FT_MONEY, NULL, F_REQ | F_BRIEF},
};

/* What left (or came back) for a customer, at what price and cost: the facts of the sales reports. */
static const struct field shipment_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO | F_BRIEF},
	{"date", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"order", FT_ID, NULL, F_REQ | F_BRIEF},
	{"customer", FT_REF, "customers", F_REQ | F_BRIEF},
	{"owner", FT_TEXT, NULL, 0 | F_BRIEF},
	{"sku", FT_REF, "products", F_REQ | F_BRIEF},
	{"qty", FT_INT, NULL, F_REQ | F_BRIEF},
	{"sales", FT_MONEY, NULL, F_REQ | F_BRIEF},
	{"cost", FT_MONEY, NULL, F_REQ | F_BRIEF},
	{"currency", FT_TEXT, NULL, F_REQ},
};

/* What a user refused with 77 asks a role member to do instead (crm approvals). */
static const struct field request_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO | F_BRIEF},
	{"date", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"by", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"action", FT_ENUM, "override,writeoff", F_REQ | F_BRIEF},
	{"target", FT_ID, NULL, F_REQ | F_BRIEF},
	{"value", FT_TEXT, NULL, 0 | F_BRIEF},
	{"reason", FT_TEXT, NULL, F_REQ | F_BRIEF},
	{"status", FT_ENUM, "pending,approved,rejected", F_REQ | F_BRIEF},
	{"decided_by", FT_TEXT, NULL, 0},
	{"decided", FT_DATE, NULL, 0},
	{"note", FT_TEXT, NULL, 0},
};

static const struct field invoice_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO | F_BRIEF},
	{"date", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"customer", FT_REF, "customers", F_REQ | F_BRIEF},
	{"order", FT_TEXT, NULL, 0 | F_BRIEF},
	{"kind", FT_ENUM, "invoice,credit", F_REQ | F_BRIEF},
	{"amount", FT_MONEY, NULL, F_REQ | F_BRIEF},
	{"currency", FT_TEXT, NULL, F_REQ},
	{"due", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"terms", FT_TERMS, NULL, 0 | F_BRIEF},
	{"installment", FT_TEXT, NULL, 0},
	{"discount", FT_MONEY, NULL, 0},
	{"note", FT_TEXT, NULL, 0},
};

static const struct field receipt_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO | F_BRIEF},
	{"date", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"customer", FT_REF, "customers", F_REQ | F_BRIEF},
	{"amount", FT_MONEY, NULL, F_REQ | F_BRIEF},
	{"currency", FT_TEXT, NULL, F_REQ},
	{"method", FT_TEXT, NULL, 0 | F_BRIEF},
	{"ref", FT_TEXT, NULL, 0 | F_BRIEF},
};

/* What settled an invoice: a receipt, a credit note, a write-off. The invoice's
 * dates ride along, so aging needs no table of open invoices in memory. */
static const struct field application_fields[] = {
	{"id", FT_ID, NULL, F_REQ | F_AUTO | F_BRIEF},
	{"date", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"kind", FT_ENUM, "receipt,credit,writeoff", F_REQ | F_BRIEF},
	{"source", FT_TEXT, NULL, 0 | F_BRIEF},
	{"invoice", FT_ID, NULL, F_REQ | F_BRIEF},
	{"customer", FT_REF, "customers", F_REQ | F_BRIEF},
	{"currency", FT_TEXT, NULL, F_REQ},
	{"issued", FT_DATE, NULL, F_REQ},
	{"due", FT_DATE, NULL, F_REQ},
	{"terms", FT_TERMS, NULL, 0},
	{"rate", FT_MONEY, NULL, 0},
	{"settled", FT_MONEY, NULL, F_REQ | F_BRIEF},
	{"discount", FT_MONEY, NULL, F_REQ | F_BRIEF},
	{"note", FT_TEXT, NULL, 0},
};

/* Derived: what is open per customer (invoices owed, credit not yet used), kept in
 * the same commit as what changed it, so a payment reads one small file. */
static const struct field open_fields[] = {
	{"key", FT_TEXT, NULL, F_REQ | F_AUTO},
	{"customer", FT_REF, "customers", F_REQ | F_BRIEF},
	{"doc", FT_ID, NULL, F_REQ | F_BRIEF},
	{"kind", FT_ENUM, "invoice,credit,receipt,order", F_REQ | F_BRIEF},
	{"date", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"due", FT_DATE, NULL, F_REQ | F_BRIEF},
	{"terms", FT_TERMS, NULL, 0},
	{"currency", FT_TEXT, NULL, F_REQ},
	{"amount", FT_MONEY, NULL, F_REQ},
	{"open", FT_MONEY, NULL, F_REQ | F_BRIEF},
	{"discount", FT_MONEY, NULL, 0},
};

const struct table T_CUSTOMERS = {"customers", T_MASTER, "C", customer_fields, NF(customer_fields), -1, 0};
const struct table T_CONTACTS = {"contacts", T_MASTER, "P", contact_fields, NF(contact_fields), -1, 0};
const struct table T_VISITS = {"visits", T_LEDGER, "V", visit_fields, NF(visit_fields), 1, 0};

const struct table T_PRODUCTS = {"products", T_MASTER, "", product_fields, NF(product_fields), -1, 64};
const struct table T_WAREHOUSES = {"warehouses", T_MASTER, "", warehouse_fields, NF(warehouse_fields), -1, 1};
const struct table T_MOVES = {"moves", T_LEDGER, "M", move_fields, NF(move_fields), 1, 0};
/* 1024 shards: 200,000 balances in 64 made every move rewrite a 134 KB file (a 50 KB blob). */
const struct table T_STOCK = {"stock", T_MASTER, "", stock_fields, NF(stock_fields), -1, 1024};

const struct table T_ORDERS = {"orders", T_LEDGER, "O", order_fields, NF(order_fields), 1, 0};
const struct table T_LINES = {"lines", T_LEDGER, "L", line_fields, NF(line_fields), 1, 0};
const struct table T_SHIPMENTS = {"shipments", T_LEDGER, "S", shipment_fields, NF(shipment_fields), 1, 0};
const struct table T_REQUESTS = {"requests", T_LEDGER, "Q", request_fields, NF(request_fields), 1, 0};
const struct table T_INVOICES = {"invoices", T_LEDGER, "I", invoice_fields, NF(invoice_fields), 1, 0};
const struct table T_RECEIPTS = {"receipts", T_LEDGER, "R", receipt_fields, NF(receipt_fields), 1, 0};
const struct table T_APPLICATIONS = {"applications", T_LEDGER, "A", application_fields, NF(application_fields), 1, 0};
/* 4096 shards in a store made since (table_shards): at a million customers 1024 were 105 KB each. */
const struct table T_OPEN = {"open", T_MASTER, "", open_fields, NF(open_fields), -1, 4096};

/* Referenced tables come before the tables that refer to them (crm check relies on it). */
const struct table *const crm_tables[] = {&T_CUSTOMERS, &T_CONTACTS, &T_VISITS,
	&T_WAREHOUSES, &T_PRODUCTS, &T_MOVES, &T_STOCK, &T_ORDERS, &T_LINES, &T_SHIPMENTS, &T_INVOICES, &T_RECEIPTS, &T_APPLICATIONS,
	&T_OPEN, &T_REQUESTS, NULL};

const struct table *table_find(const char *name)
{
	for (int i = 0; crm_tables[i]; i++)
		if (strcmp(crm_tables[i]->name, name) == 0)
			return crm_tables[i];
	return NULL;
}

int table_field(const struct table *t, const char *name)
{
	for (int i = 0; i < t->nf; i++)
		if (strcmp(t->f[i].name, name) == 0)
			return i;
	return -1;
}

const char *id_check(const char *id)
{
	size_t n = 0;
	if (!*id)
		return "empty id";
	for (const char *p = id; *p; p++, n++) {
		char c = *p;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return "id may hold only letters, digits, '-' and '_'";
	}
	if (n > 40)
		return "id longer than 40 characters";
	return NULL;
}

const char *currency_check(const char *code)
{
	if (strlen(code) != 3 || strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
		return "a currency is 3 capital letters like CNY or USD";
	return NULL;
}

static int enum_has(const char *list, const char *v)
{
	/* Byte by byte, no libc call: checked for every value of every record read. */
	for (const char *p = list;;) {
		const char *x = v;
		while (*x && *x == *p)
			x++, p++;
		if (!*x && (!*p || *p == ','))
			return 1;
		while (*p && *p != ',')
			p++;
		if (!*p++)
			return 0;
	}
}

const char *field_check(const struct field *f, const char *v, int digits)
{
	int64_t m;
	int32_t d;
	if (!*v)
		return (f->flags & F_REQ) ? "must not be empty" : NULL;
	switch (f->type) {
	case FT_TEXT:
		return NULL;
	case FT_ID:
	case FT_REF:
		return id_check(v);
	case FT_ENUM:
		if (enum_has(f->arg, v))
			return NULL;
		static _Thread_local char why[128]; /* scans check fields on several threads */
		snprintf(why, sizeof why, "not one of %s", f->arg);
		return why;
	case FT_DATE:
		return date_parse(v, &d);
	case FT_MONEY:
		return money_parse(v, digits, &m);
	case FT_INT:
		return int_parse(v, &m);
	case FT_TERMS: {
		struct terms t;
		return terms_parse(v, &t);
	}
	case FT_CURRENCY:
		return currency_check(v);
	}
	return NULL;
}

struct tread {
	const struct table *t;
	int digits;
	int map[CSV_MAX_FIELDS]; /* file column -> field */
	int ncol;
	int partial;
	int lines;               /* rows from csv_read_lines: their raw lines may be kept */
	int in_order;            /* the header is fields of the table in its order, maybe not all */
	rec r;
	rec_fn fn;
	void *ctx;
};

static int read_header(struct tread *tr, csv_row *row, crm_err *e)
{
	int seen[CSV_MAX_FIELDS] = {0};
	tr->ncol = row->n;
	for (int i = 0; i < row->n; i++) {
		int k = table_field(tr->t, row->f[i]);
		if (k < 0)
			return crm_fail_at(e, row->file, row->line, row->f[i],
				"unknown column in %s header", tr->t->name);
		if (seen[k]++)
			return crm_fail_at(e, row->file, row->line, row->f[i],
				"column named twice");
		tr->map[i] = k;
	}
	tr->r.present = 0;
	for (int k = 0; k < tr->t->nf; k++)
		if (seen[k])
			tr->r.present |= 1ull << k;
	tr->in_order = 1;
	for (int i = 1; i < row->n && tr->in_order; i++)
		tr->in_order = tr->map[i] > tr->map[i - 1];
	for (int k = 0; k < tr->t->nf && !tr->partial; k++)
		if (!seen[k] && (tr->t->f[k].flags & F_REQ))
			return crm_fail_at(e, row->file, row->line, tr->t->f[k].name,
				"required column missing from header");
	return 0;
}

static int read_row(void *ctx, csv_row *row, crm_err *e)
{
	struct tread *tr = ctx;
	if (row->line == 1 || tr->ncol == 0)
		return read_header(tr, row, e);
	if (row->n != tr->ncol)
		return crm_fail_at(e, row->file, row->line, "csv",
			"%d fields where the header has %d", row->n, tr->ncol);
	static char empty[1];
	for (int k = 0; k < tr->t->nf; k++)
		tr->r.v[k] = empty;
	for (int i = 0; i < row->n; i++) {
		const struct field *f = &tr->t->f[tr->map[i]];
		/* Text takes any value but an empty required one: half a record's fields, no call. */
		const char *why = f->type == FT_TEXT && (row->f[i][0] || !(f->flags & F_REQ)) ? NULL
				: field_check(f, row->f[i], tr->digits);
		if (why && tr->partial && !row->f[i][0])
			why = NULL; /* an empty id or name in input: minted, or an error later */
		if (why)
			return crm_fail_at(e, row->file, row->line, f->name, "%s '%s'",
				why, row->f[i]);
		tr->r.v[tr->map[i]] = row->f[i];
	}
	tr->r.line = row->line;
	tr->r.raw = tr->lines && tr->in_order ? row->raw : NULL;
	tr->r.rawlen = tr->r.raw ? row->rawlen : 0;
	tr->r.rawoff = row->rawoff;
	tr->r.at = row->at;
	return tr->fn(tr->ctx, &tr->r, e);
}

static int read_table(const struct table *t, const char *file, const char *buf,
	size_t len, int digits, int partial, rec_fn fn, void *ctx, crm_err *e)
{
	return table_read_pre(t, file, buf, len, digits, partial, NULL, fn, ctx, e);
}

static struct tread tread_of(const struct table *t, const char *file, int digits,
	int partial, rec_fn fn, void *ctx)
{
	struct tread tr = {.t = t, .digits = digits, .fn = fn, .ctx = ctx, .partial = partial};
	tr.r.t = t;
	tr.r.file = file;
	return tr;
}

int table_read_pre(const struct table *t, const char *file, const char *buf,
	size_t len, int digits, int partial, const struct csv_pre *pre,
	rec_fn fn, void *ctx, crm_err *e)
{
	struct tread tr = tread_of(t, file, digits, partial, fn, ctx);
	tr.lines = 1;
	return csv_read_lines(file, buf, len, pre, read_row, &tr, e);
}

int table_read_input(const struct table *t, const char *file, const char *buf,
	size_t len, int digits, int partial, const struct csv_in *opt, rec_fn fn, void *ctx,
	crm_err *e)
{
	struct tread tr = tread_of(t, file, digits, partial, fn, ctx);
	return csv_read_input(file, buf, len, opt, read_row, &tr, e);
}

int table_read(const struct table *t, const char *file, const char *buf,
	size_t len, int digits, rec_fn fn, void *ctx, crm_err *e)
{
	return read_table(t, file, buf, len, digits, 0, fn, ctx, e);
}

int table_read_partial(const struct table *t, const char *file, const char *buf,
	size_t len, int digits, rec_fn fn, void *ctx, crm_err *e)
{
	return read_table(t, file, buf, len, digits, 1, fn, ctx, e);
}

/*
 * Only the table's own fields get pointer slots: a million records of 15
 * fields would otherwise carry 49 unused pointers each (400 MB on an import).
 */
rec *rec_pack(const struct table *t, char *const *v)
{
	size_t head = offsetof(rec, v) + (size_t)t->nf * sizeof(char *);
	size_t sz = head, len[CSV_MAX_FIELDS];
	for (int i = 0; i < t->nf; i++)
		sz += (len[i] = strlen(v[i])) + 1;
	rec *r = xmalloc(sz);
	memset(r, 0, head);
	r->t = t;
	char *p = (char *)r + head;
	for (int i = 0; i < t->nf; i++) {
		memcpy(p, v[i], len[i] + 1);
		r->v[i] = p;
		p += len[i] + 1;
	}
	return r;
}

rec *rec_dup(const rec *src)
{
	rec *r = rec_pack(src->t, src->v);
	r->file = src->file;
	r->line = src->line;
	r->present = src->present;
	return r;
}

rec *rec_new(const struct table *t)
{
	char *v[CSV_MAX_FIELDS];
	static char empty[1];
	for (int i = 0; i < t->nf; i++)
		v[i] = empty;
	return rec_pack(t, v);
}

rec *rec_set(rec *r, int i, const char *val)
{
	char *v[CSV_MAX_FIELDS];
	for (int k = 0; k < r->t->nf; k++)
		v[k] = r->v[k];
	v[i] = (char *)val;
	rec *n = rec_pack(r->t, v);
	n->file = r->file;
	n->line = r->line;
	n->present = r->present;
	free(r);
	return n;
}

rec *rec_canon(rec *r, int digits)
{
	for (int i = 0; i < r->t->nf; i++) {
		int64_t m;
		char buf[32];
		if (r->t->f[i].type != FT_MONEY || !*r->v[i] || money_parse(r->v[i], digits, &m))
			continue;
		money_fmt(m, digits, buf);
		if (strcmp(buf, r->v[i]) != 0)
			r = rec_set(r, i, buf);
	}
	return r;
}

void table_write_header(const struct table *t, sbuf *b)
{
	const char *names[CSV_MAX_FIELDS];
	for (int i = 0; i < t->nf; i++)
		names[i] = t->f[i].name;
	csv_put_row(b, names, t->nf);
}

void table_write_rec(const rec *r, sbuf *b)
{
	csv_put_row(b, (const char *const *)r->v, r->t->nf);
}

void recs_push(struct recs *rs, rec *r)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->r = xrealloc(rs->r, rs->cap * sizeof *rs->r);
	}
	rs->r[rs->n++] = r;
}

int recs_push_dup(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	recs_push(ctx, rec_dup(r));
	return 0;
}

void recs_free(struct recs *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->r[i]);
	free(rs->r);
	rs->r = NULL;
	rs->n = rs->cap = 0;
}

/* Ids compare by their number first, so C000010 follows C000009 and a clone's C000010-K7QX follows C000010. */
unsigned long long id_number(const char *s)
{
	while (*s && (*s < '0' || *s > '9'))
		s++;
	unsigned long long v = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned long long)(*s - '0');
	return v;
}

int id_cmp(const char *a, const char *b)
{
	unsigned long long na = id_number(a), nb = id_number(b);
	if (na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a, b);
}

int key_cmp(const struct table *t, const char *a, const char *b)
{
	return t->hash_shards ? strcmp(a, b) : id_cmp(a, b);
}

unsigned long long key_rank(const struct table *t, const char *key)
{
	if (!t->hash_shards)
		return id_number(key);
	/* The first 8 bytes, big-endian, zero after the end: byte order as strcmp's. */
	const unsigned char *p = (const unsigned char *)key;
	unsigned long long v = 0;
	for (int i = 0; i < 8; i++) {
		v <<= 8;
		if (*p)
			v |= *p++;
	}
	return v;
}

static int cmp_rec(const void *x, const void *y)
{
	const rec *a = *(rec *const *)x, *b = *(rec *const *)y;
	return key_cmp(a->t, a->v[0], b->v[0]);
}

void recs_sort_by_id(struct recs *rs)
{
	if (rs->n > 1)
		qsort(rs->r, rs->n, sizeof *rs->r, cmp_rec);
}
