#include <stdlib.h>
#include <string.h>
#include "ar.h"
#include "gtab.h"
#include "customer.h"
#include "date.h"
#include "money.h"

/* An open item's key, customer@doc (doc "": the prefix of the customer's items); its length.
 * Built by hand: an import keys a third of a million items. */
static size_t item_key(char *out, size_t cap, const char *customer, const char *doc)
{
	char k[160];
	size_t cl = strnlen(customer, 64), dl = strnlen(doc, sizeof k - 66);
	memcpy(k, customer, cl);
	k[cl] = '@';
	memcpy(k + cl + 1, doc, dl);
	str_put(out, cap, k, cl + 1 + dl);
	return cl + 1 + dl < cap ? cl + 1 + dl : cap - 1;
}

/* An open item that is money owed to the customer: a credit note or money on account. */
static int is_credit(const rec *item)
{
	return item->v[OP_OPEN][0] == '-';
}

void ar_init(struct ar *a, struct store *s)
{
	memset(a, 0, sizeof *a);
	a->s = s;
	tabedit_init(&a->customers, s, &T_CUSTOMERS);
	tabedit_init(&a->open, s, &T_OPEN);
	a->open.mark = is_credit;
	ledger_init(&a->invoices, s, &T_INVOICES);
	ledger_init(&a->receipts, s, &T_RECEIPTS);
	ledger_init(&a->apps, s, &T_APPLICATIONS);
	ledit_init(&a->inv, s, &T_INVOICES, "invoice");
}

void ar_free(struct ar *a)
{
	tabedit_free(&a->customers);
	tabedit_free(&a->open);
	ledger_free(&a->invoices);
	ledger_free(&a->receipts);
	ledger_free(&a->apps);
	ledit_free(&a->inv);
	for (size_t i = 0; i < a->ndocs; i++)
		free(a->docs[i]);
	free(a->docs);
}

int ar_flush(struct ar *a, crm_err *e)
{
	int rc = ledger_flush(&a->invoices, e);
	if (!rc)
		rc = ledger_flush(&a->receipts, e);
	if (!rc)
		rc = ledger_flush(&a->apps, e);
	if (!rc)
		rc = ledit_flush(&a->inv, e);
	if (!rc)
		rc = tabedit_flush(&a->open, e);
	return rc;
}

static const char *fmt_money(int64_t v, int digits, char *buf)
{
	return money_fmt(v, digits, buf);
}

static int64_t money_of(const char *v, int digits)
{
	int64_t m = 0;
	money_parse(v, digits, &m);
	return m;
}

static int32_t date_of(const char *v)
{
	int32_t d = 0;
	date_parse(v, &d);
	return d;
}

int32_t ar_rate(const rec *item, int32_t on)
{
	if (*item->v[OP_DISCOUNT])
		return (int32_t)money_of(item->v[OP_DISCOUNT], 2);
	struct terms t;
	if (!*item->v[OP_TERMS] || terms_parse(item->v[OP_TERMS], &t))
		return 0;
	return terms_rate_on(&t, date_of(item->v[OP_DATE]), on);
}

static void doc_raised(struct ar *a, const char *id)
{
	/* Doubling: an import raises a third of a million. */
	if ((a->ndocs & (a->ndocs - 1)) == 0)
		a->docs = xrealloc(a->docs, (a->ndocs ? a->ndocs * 2 : 1) * sizeof *a->docs);
	a->docs[a->ndocs++] = xstrdup(id);
}

/* The customer of a request: known, and not archived. */
static int customer_get(struct ar *a, const char *id, struct where at, rec **c, crm_err *e)
{
	int rc = tabedit_get(&a->customers, id, c, e);
	if (!rc && !*c)
		rc = crm_fail_at(e, at.file, at.line, "customer", "no customer '%s'", id);
	if (!rc && !strcmp((*c)->v[CU_STATUS], "archived"))
		rc = crm_fail_at(e, at.file, at.line, "customer", "%s '%s' is archived", id, (*c)->v[CU_NAME]);
	return rc;
}

/* What every dated money event checks first: its customer, its date, an amount above 0. */
static int event_check(struct ar *a, const char *customer, const char *date, int64_t amount, struct where at,
	rec **c, int32_t *day, crm_err *e)
{
	const char *why;
	int rc = customer_get(a, customer, at, c, e);
	if (!rc && (why = date_parse(date, day)))
		rc = crm_fail_at(e, at.file, at.line, "date", "%s '%s'", why, date);
	if (!rc && amount <= 0)
		rc = crm_fail_at(e, at.file, at.line, "amount", "must be more than 0");
	return rc;
}

int ar_currency(const struct store *s, const rec *customer, const char *given, struct where at,
	const char **out, crm_err *e)
{
	const char *why;
	if (given && *given && (why = currency_check(given)))
		return crm_fail_at(e, at.file, at.line, "currency", "%s '%s'", why, given);
	*out = given && *given ? given : *customer->v[CU_CURRENCY] ? customer->v[CU_CURRENCY] : s->currency;
	return 0;
}

/* An item of open/; fresh: a new document's, whose key open/ cannot have yet. */
static int open_put(struct ar *a, char *const *v, int fresh, crm_err *e)
{
	rec *r = rec_pack(&T_OPEN, v);
	return fresh ? tabedit_add(&a->open, r, e) : tabedit_put(&a->open, r, e);
}

/* Sets an item's open amount; a settled item leaves open/. */
static int open_set(struct ar *a, rec *item, int64_t open, crm_err *e)
{
	if (open == 0)
		return tabedit_del(&a->open, item->v[OP_KEY], e);
	char buf[32];
	rec *r = rec_set(rec_dup(item), OP_OPEN, fmt_money(open, a->s->digits, buf));
	return tabedit_put(&a->open, r, e);
}

static int cmp_items(const void *x, const void *y)
{
	const rec *p = *(rec *const *)x, *q = *(rec *const *)y;
	int c = strcmp(p->v[OP_DUE], q->v[OP_DUE]);
	if (!c)
		c = strcmp(p->v[OP_DATE], q->v[OP_DATE]);
	return c ? c : id_cmp(p->v[OP_DOC], q->v[OP_DOC]);
}

/*
 * The customer's open items of one currency, invoices (open > 0) or credits
 * (open < 0), oldest due first; copies, so changing open/ leaves them whole.
 */
static int items_of(struct ar *a, const char *customer, const char *currency, int credits,
	const char *upto, struct recs *out, crm_err *e)
{
	rec **rs;
	size_t n;
	char key[64];
	item_key(key, sizeof key, customer, "");
	int rc = tabedit_prefix(&a->open, key, &rs, &n, e);
	for (size_t i = 0; !rc && i < n; i++) {
		rec *r = rs[i];
		/* A document dated later than the event cannot be settled by it. */
		if (strcmp(r->v[OP_CURRENCY], currency) || strcmp(r->v[OP_DATE], upto) > 0)
			continue;
		int64_t o = money_of(r->v[OP_OPEN], a->s->digits);
		if (!strcmp(r->v[OP_KIND], "order"))
			continue; /* an order's exposure counts against the credit limit only */
		if ((credits && o < 0) || (!credits && o > 0))
			recs_push(out, rec_dup(r));
	}
	if (!rc && out->n > 1)
		qsort(out->r, out->n, sizeof *out->r, cmp_items);
	return rc;
}

/* One application: the ledger line, and the invoice's open amount brought down. */
static int apply(struct ar *a, rec *item, const char *date, const char *kind, const char *source,
	int32_t rate, int64_t settled, int64_t discount, const char *note, crm_err *e)
{
	char s1[32], s2[32], rs[32] = "", id[48];
	static char empty[1];
	if (rate > 0)
		fmt_money(rate, 2, rs);
	/* A rate is written as a percent: 2 % is "2.00"; drop the zeros people do not write. */
	for (size_t n = strlen(rs); n && strchr(rs, '.') && (rs[n - 1] == '0' || rs[n - 1] == '.'); n--) {
		char last = rs[n - 1];
		rs[n - 1] = 0;
		if (last == '.')
			break;
	}
	char *v[] = {empty, (char *)date, (char *)kind, (char *)source, item->v[OP_DOC], item->v[OP_CUSTOMER],
		item->v[OP_CURRENCY], item->v[OP_DATE], item->v[OP_DUE], item->v[OP_TERMS], rs,
		(char *)fmt_money(settled, a->s->digits, s1), (char *)fmt_money(discount, a->s->digits, s2),
		(char *)(note ? note : "")};
	int rc = ledger_append(&a->apps, v, id, sizeof id, e);
	a->napps++;
	if (!rc)
		rc = open_set(a, item, money_of(item->v[OP_OPEN], a->s->digits) - settled, e);
	return rc;
}

/*
 * Credit (negative open items, oldest first) against invoices (positive,
 * oldest due first), without discount: a credit note, or money already paid.
 */
static int offset(struct ar *a, struct recs *credits, struct recs *invs, const char *date, crm_err *e)
{
	int rc = 0;
	size_t i = 0, j = 0;
	while (!rc && i < credits->n && j < invs->n) {
		rec *c = credits->r[i], *v = invs->r[j];
		int64_t co = -money_of(c->v[OP_OPEN], a->s->digits), vo = money_of(v->v[OP_OPEN], a->s->digits);
		int64_t take = co < vo ? co : vo;
		const char *kind = strcmp(c->v[OP_KIND], "credit") ? "receipt" : "credit";
		rc = apply(a, v, date, kind, c->v[OP_DOC], 0, take, 0, NULL, e);
		char buf[32];
		if (!rc) {
			v = invs->r[j] = rec_set(v, OP_OPEN, fmt_money(vo - take, a->s->digits, buf));
			c = credits->r[i] = rec_set(c, OP_OPEN, fmt_money(take - co, a->s->digits, buf));
			rc = open_set(a, c, take - co, e);
		}
		if (take == co)
			i++;
		if (take == vo)
			j++;
	}
	return rc;
}

static int offset_customer(struct ar *a, const char *customer, const char *currency, const char *date, crm_err *e)
{
	/* None in the customer's shard of open/: none of the customer's (an import adds to open/
	 * a third of a million invoices, and then does not sort a shard in for each). */
	char key[64];
	size_t any;
	item_key(key, sizeof key, customer, "");
	int rc = tabedit_marked(&a->open, key, &any, e);
	if (rc || !any)
		return rc;
	struct recs credits = {0}, invs = {0};
	rc = items_of(a, customer, currency, 1, date, &credits, e);
	if (!rc && credits.n)
		rc = items_of(a, customer, currency, 0, date, &invs, e);
	if (!rc)
		rc = offset(a, &credits, &invs, date, e);
	recs_free(&credits);
	recs_free(&invs);
	return rc;
}

/* Appends an invoice or credit note and opens its item. */
static int doc_append(struct ar *a, const struct invoice_req *q, const char *kind, const char *date,
	const char *due, const char *terms, const char *inst, int64_t amount, crm_err *e)
{
	char am[32], id[48];
	static char empty[1];
	char *v[] = {empty, (char *)date, (char *)q->customer, (char *)(q->order ? q->order : ""), (char *)kind,
		(char *)fmt_money(amount, a->s->digits, am), (char *)q->currency, (char *)due, (char *)terms,
		(char *)inst, empty, (char *)(q->note ? q->note : "")};
	int rc = ledger_append(&a->invoices, v, id, sizeof id, e);
	if (rc)
		return rc;
	doc_raised(a, id);
	char key[100];
	item_key(key, sizeof key, q->customer, id);
	char *o[] = {key, (char *)q->customer, id, (char *)kind, (char *)date, (char *)due, (char *)terms,
		(char *)q->currency, am, am, empty};
	return open_put(a, o, 1, e);
}

/* The request's terms: given, else the customer's, else crm.conf's; canonical. */
static int req_terms(struct ar *a, const struct invoice_req *q, const rec *c, struct terms *t, char *buf, crm_err *e)
{
	const char *spec = q->terms && *q->terms ? q->terms : *c->v[CU_TERMS] ? c->v[CU_TERMS] : NULL;
	int rc = 0;
	if (!spec && (rc = store_default_terms(a->s, &spec, e)))
		return rc;
	if (!*spec)
		spec = "n/0";
	const char *why = terms_parse(spec, t);
	if (why)
		return crm_fail_at(e, q->at.file, q->at.line, "terms", "%s '%s'", why, spec);
	terms_fmt(t, buf, TERMS_BUF);
	return 0;
}

int ar_raise(struct ar *a, const struct invoice_req *q, crm_err *e)
{
	rec *c;
	struct terms t;
	struct plan p;
	char tb[TERMS_BUF], date[11], due[11], inst[16] = "";
	int32_t d;
	const char *why;
	struct invoice_req qc = *q;
	int rc = event_check(a, q->customer, q->date, q->amount, q->at, &c, &d, e);
	if (!rc)
		rc = ar_currency(a->s, c, q->currency, q->at, &qc.currency, e);
	q = &qc;
	if (!rc)
		rc = req_terms(a, q, c, &t, tb, e);
	if (rc)
		return rc;
	if (q->due && *q->due) {
		int32_t dd;
		if ((why = date_parse(q->due, &dd)) || dd < d)
			return crm_fail_at(e, q->at.file, q->at.line, "due", "%s '%s'", why ? why : "is before the invoice date", q->due);
		rc = doc_append(a, q, "invoice", q->date, q->due, tb, "", q->amount, e);
	} else if (!q->plan || !*q->plan) {
		date_fmt(terms_due(&t, d), due);
		rc = doc_append(a, q, "invoice", q->date, due, tb, "", q->amount, e);
	} else {
		int64_t parts[PLAN_MAX];
		if ((why = plan_parse(q->plan, &p)))
			return crm_fail_at(e, q->at.file, q->at.line, "plan", "%s '%s'", why, q->plan);
		if (plan_split(&p, q->amount, parts))
			return crm_fail_at(e, q->at.file, q->at.line, "amount", "too large to split");
		/* Each installment is dated and due on its own day; its tiers run from there. */
		for (int i = 0; i < p.n && !rc; i++) {
			date_fmt(d + p.p[i].days, date);
			snprintf(inst, sizeof inst, "%d/%d", i + 1, p.n);
			if (parts[i] > 0)
				rc = doc_append(a, q, "invoice", date, date, tb, inst, parts[i], e);
		}
	}
	if (!rc)
		rc = offset_customer(a, q->customer, q->currency, q->date, e);
	return rc;
}

int ar_credit(struct ar *a, const struct invoice_req *q, crm_err *e)
{
	rec *c;
	int32_t d;
	struct invoice_req qc = *q;
	int rc = event_check(a, q->customer, q->date, q->amount, q->at, &c, &d, e);
	if (!rc)
		rc = ar_currency(a->s, c, q->currency, q->at, &qc.currency, e);
	if (rc)
		return rc;
	q = &qc;
	rc = doc_append(a, q, "credit", q->date, q->date, "", "", -q->amount, e);
	if (!rc)
		rc = offset_customer(a, q->customer, q->currency, q->date, e);
	return rc;
}

int ar_open_item(struct ar *a, const char *doc, rec **item, crm_err *e)
{
	char dir[64];
	rec **slot;
	*item = NULL;
	if (id_check(doc) || ledger_dir_of(&T_INVOICES, doc, dir, sizeof dir))
		return crm_fail_at(e, "argument", 0, "invoice", "no invoice '%s'", doc);
	/* Reading the invoice marks its segment changed; only an override changes it. */
	int was[64] = {0};
	size_t had = a->inv.n;
	for (size_t i = 0; i < had && i < 64; i++)
		was[i] = a->inv.seg[i].dirty;
	int rc = ledit_get(&a->inv, doc, &slot, e);
	for (size_t i = 0; i < a->inv.n; i++)
		a->inv.seg[i].dirty = i < had && i < 64 ? was[i] : 0;
	if (rc == CRM_ENOTFOUND) {
		e->code = 0;
		return crm_fail_at(e, "argument", 0, "invoice", "no invoice '%s'", doc);
	}
	if (rc)
		return rc;
	char key[100];
	item_key(key, sizeof key, (*slot)->v[IN_CUSTOMER], doc);
	return tabedit_get(&a->open, key, item, e);
}

int ar_pay(struct ar *a, const struct pay_req *p, crm_err *e)
{
	rec *c;
	int32_t on;
	struct pay_req pc = *p;
	int rc = event_check(a, p->customer, p->date, p->amount, p->at, &c, &on, e);
	if (!rc)
		rc = ar_currency(a->s, c, p->currency, p->at, &pc.currency, e);
	if (rc)
		return rc;
	p = &pc;
	struct recs invs = {0};
	if (p->invoice && *p->invoice) {
		rec *item;
		if ((rc = ar_open_item(a, p->invoice, &item, e)))
			return rc;
		if (!item)
			return crm_fail_at(e, p->at.file, p->at.line, "invoice", "'%s' is not open (paid, written off or a credit)", p->invoice);
		if (strcmp(item->v[OP_CUSTOMER], p->customer))
			return crm_fail_at(e, p->at.file, p->at.line, "invoice", "'%s' is %s's, not %s's",
				p->invoice, item->v[OP_CUSTOMER], p->customer);
		if (strcmp(item->v[OP_CURRENCY], p->currency))
			return crm_fail_at(e, p->at.file, p->at.line, "currency", "'%s' is in %s, the receipt in %s",
				p->invoice, item->v[OP_CURRENCY], p->currency);
		if (money_of(item->v[OP_OPEN], a->s->digits) <= 0)
			return crm_fail_at(e, p->at.file, p->at.line, "invoice", "'%s' is a credit, not owed", p->invoice);
		if (strcmp(item->v[OP_DATE], p->date) > 0)
			return crm_fail_at(e, p->at.file, p->at.line, "date", "%s is before the invoice's date %s",
				p->date, item->v[OP_DATE]);
		recs_push(&invs, rec_dup(item));
	} else if ((rc = items_of(a, p->customer, p->currency, 0, p->date, &invs, e))) {
		return rc;
	}
	char am[32], id[48];
	static char empty[1];
	char *v[] = {empty, (char *)p->date, (char *)p->customer, (char *)fmt_money(p->amount, a->s->digits, am),
		(char *)p->currency, (char *)(p->method ? p->method : ""), (char *)(p->ref ? p->ref : "")};
	rc = ledger_append(&a->receipts, v, id, sizeof id, e);
	if (!rc)
		doc_raised(a, id);
	int64_t left = p->amount;
	for (size_t i = 0; !rc && left > 0 && i < invs.n; i++) {
		rec *item = invs.r[i];
		int64_t open = money_of(item->v[OP_OPEN], a->s->digits), settled, discount, used;
		int32_t rate = ar_rate(item, on);
		if (terms_settle(open, rate, left, &settled, &discount, &used))
			rc = crm_fail_at(e, p->at.file, p->at.line, "amount", "cannot settle %s", item->v[OP_DOC]);
		if (!rc)
			rc = apply(a, item, p->date, "receipt", id, discount ? rate : 0, settled, discount, NULL, e);
		left -= used;
	}
	/* What is left over is credit on account: the next invoice takes it. */
	if (!rc && left > 0) {
		char key[100], lb[32];
		item_key(key, sizeof key, p->customer, id);
		char *o[] = {key, (char *)p->customer, id, "receipt", (char *)p->date, (char *)p->date, empty,
			(char *)p->currency, am, (char *)fmt_money(-left, a->s->digits, lb), empty};
		rc = open_put(a, o, 0, e);
	}
	recs_free(&invs);
	return rc;
}

int ar_override(struct ar *a, const char *invoice, int32_t rate, crm_err *e)
{
	rec *item, **slot;
	int rc = ar_open_item(a, invoice, &item, e);
	if (!rc && (!item || money_of(item->v[OP_OPEN], a->s->digits) <= 0))
		rc = crm_fail_at(e, "argument", 0, "invoice", "'%s' is not open; an override changes what is still owed", invoice);
	char rs[32] = "";
	if (rate >= 0)
		fmt_money(rate, 2, rs);
	if (!rc)
		rc = tabedit_put(&a->open, rec_set(rec_dup(item), OP_DISCOUNT, rs), e);
	if (!rc)
		rc = ledit_get(&a->inv, invoice, &slot, e);
	if (!rc)
		*slot = rec_set(*slot, IN_DISCOUNT, rs);
	return rc;
}

int ar_writeoff(struct ar *a, const char *invoice, const char *date, const char *reason, crm_err *e)
{
	rec *item;
	int rc = ar_open_item(a, invoice, &item, e);
	if (!rc && (!item || money_of(item->v[OP_OPEN], a->s->digits) <= 0))
		rc = crm_fail_at(e, "argument", 0, "invoice", "'%s' is not open; nothing to write off", invoice);
	if (!rc) {
		item = rec_dup(item);
		/* Not before the invoice: aging as of any day must see it owed first. */
		if (strcmp(date, item->v[OP_DATE]) < 0)
			date = item->v[OP_DATE];
		rc = apply(a, item, date, "writeoff", "", 0, money_of(item->v[OP_OPEN], a->s->digits), 0, reason, e);
		free(item);
	}
	return rc;
}

int ar_open_scan(struct store *s, const struct scanfn *f, void *const *ctx, int nctx, crm_err *e)
{
	int want[CSV_MAX_FIELDS];
	for (int i = 0; i < T_OPEN.nf; i++)
		want[i] = i;
	return store_scan_par(s, &T_OPEN, want, T_OPEN.nf, f, ctx, nctx, e);
}

int buckets_parse(const char *spec, struct buckets *b, crm_err *e)
{
	b->n = 0;
	int32_t prev = 0;
	for (const char *p = spec; *p;) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end == p || v <= prev || v > 36500 || b->n == AGE_MAX || (*end && *end != ','))
			return crm_fail(e, CRM_EDATA, "crm.conf: aging.buckets: growing day counts like 30,60,90, not '%s'", spec);
		b->upto[b->n++] = prev = (int32_t)v;
		p = *end ? end + 1 : end;
	}
	if (!b->n)
		return crm_fail(e, CRM_EDATA, "crm.conf: aging.buckets: empty");
	return 0;
}

int bucket_of(const struct buckets *b, int32_t days)
{
	if (days <= 0)
		return 0;
	for (int i = 0; i < b->n; i++)
		if (days <= b->upto[i])
			return i + 1;
	return b->n + 1;
}

/*
 * Aging: a group per customer and currency. open/ holds what every document
 * leaves open as things stand, which is what every ledger row ever written
 * adds up to; the rows dated after as_of are then taken back out. As of the
 * last day of the books that reads open/ and one month of each ledger, where
 * adding up every row read all of them (5M invoices, 4M receipts).
 */
struct ager {
	struct store *s;
	int32_t as_of;
	int basis_invoice;
	const struct buckets *b;
	struct gtab g;           /* "customer\0currency" -> struct age */
};

/* "customer\0currency" in buf, or on the heap when longer (the caller frees what is not buf). */
static char *age_key(const char *customer, const char *currency, char *buf, size_t cap, size_t *len)
{
	size_t a = strlen(customer), b = strlen(currency);
	char *key = a + b + 1 <= cap ? buf : xmalloc(a + b + 1);
	memcpy(key, customer, a + 1);
	memcpy(key + a + 1, currency, b);
	*len = a + 1 + b;
	return key;
}

static struct age *age_at(struct ager *ag, const char *customer, const char *currency)
{
	char buf[64];
	size_t len;
	char *key = age_key(customer, currency, buf, sizeof buf, &len);
	struct age *g = gtab_get(&ag->g, key, len, 1);
	if (key != buf)
		free(key);
	return g;
}

/* A group is found at random among a million: ask for it while earlier records are added. */
static void age_prefetch(struct ager *ag, const char *customer, const char *currency, int far)
{
	char buf[64];
	size_t len;
	char *key = age_key(customer, currency, buf, sizeof buf, &len);
	gtab_prefetch(&ag->g, key, len, far);
	if (key != buf)
		free(key);
}

static void ahead_invoice(void *ctx, const rec *r, int far)
{
	age_prefetch(ctx, r->v[IN_CUSTOMER], r->v[IN_CURRENCY], far);
}

static void ahead_receipt(void *ctx, const rec *r, int far)
{
	age_prefetch(ctx, r->v[RC_CUSTOMER], r->v[RC_CURRENCY], far);
}

static void ahead_application(void *ctx, const rec *r, int far)
{
	age_prefetch(ctx, r->v[AP_CUSTOMER], r->v[AP_CURRENCY], far);
}

/* Past due: day 0 is not due, day 30 is in 1-30. By invoice date: day 0 to 30 are the first bucket. */
static int age_col(struct ager *ag, const char *issued, const char *due)
{
	if (!ag->basis_invoice)
		return bucket_of(ag->b, ag->as_of - date_of(due));
	int32_t days = ag->as_of - date_of(issued);
	return days <= 0 ? 1 : bucket_of(ag->b, days);
}

static int too_much(const rec *r, const char *customer, crm_err *e)
{
	return crm_fail_at(e, r->file, r->line, "amount", "the balance of %s passes what an amount can hold", customer);
}

/* What is open of a document now: an invoice's in its bucket, a credit's or a receipt's as credit. */
static int age_open(void *ctx, rec *r, crm_err *e)
{
	struct ager *ag = ctx;
	if (!strcmp(r->v[OP_KIND], "order"))
		return 0; /* an order's exposure counts against the credit limit only */
	int64_t m = money_of(r->v[OP_OPEN], ag->s->digits);
	struct age *g = age_at(ag, r->v[OP_CUSTOMER], r->v[OP_CURRENCY]);
	int64_t *to = !strcmp(r->v[OP_KIND], "invoice") ? &g->col[age_col(ag, r->v[OP_DATE], r->v[OP_DUE])] : &g->credit;
	return money_add(to, m) ? too_much(r, r->v[OP_CUSTOMER], e) : 0;
}

static void ahead_open(void *ctx, const rec *r, int far)
{
	age_prefetch(ctx, r->v[OP_CUSTOMER], r->v[OP_CURRENCY], far);
}

/* The ledger rows dated after as_of, taken back out of what open/ holds. */
static int age_invoice(void *ctx, rec *r, crm_err *e)
{
	struct ager *ag = ctx;
	if (date_of(r->v[IN_DATE]) <= ag->as_of)
		return 0;
	int64_t m = money_of(r->v[IN_AMOUNT], ag->s->digits);
	struct age *g = age_at(ag, r->v[IN_CUSTOMER], r->v[IN_CURRENCY]);
	int64_t *to = !strcmp(r->v[IN_KIND], "credit") ? &g->credit : &g->col[age_col(ag, r->v[IN_DATE], r->v[IN_DUE])];
	return money_add(to, -m) ? too_much(r, r->v[IN_CUSTOMER], e) : 0;
}

static int age_receipt(void *ctx, rec *r, crm_err *e)
{
	struct ager *ag = ctx;
	if (date_of(r->v[RC_DATE]) > ag->as_of &&
	    money_add(&age_at(ag, r->v[RC_CUSTOMER], r->v[RC_CURRENCY])->credit, money_of(r->v[RC_AMOUNT], ag->s->digits)))
		return too_much(r, r->v[RC_CUSTOMER], e);
	return 0;
}

/* What settled an invoice left its bucket, and the money or credit it used left credit: both come back. */
static int age_application(void *ctx, rec *r, crm_err *e)
{
	struct ager *ag = ctx;
	if (date_of(r->v[AP_DATE]) <= ag->as_of)
		return 0;
	int64_t settled = money_of(r->v[AP_SETTLED], ag->s->digits), disc = money_of(r->v[AP_DISCOUNT], ag->s->digits);
	struct age *g = age_at(ag, r->v[AP_CUSTOMER], r->v[AP_CURRENCY]);
	if (money_add(&g->col[age_col(ag, r->v[AP_ISSUED], r->v[AP_DUE])], settled) ||
	    (strcmp(r->v[AP_KIND], "writeoff") && money_add(&g->credit, disc - settled)))
		return too_much(r, r->v[AP_CUSTOMER], e);
	return 0;
}

/* The fields aging reads of each ledger. */
static const int age_opn[] = {OP_CUSTOMER, OP_KIND, OP_DATE, OP_DUE, OP_CURRENCY, OP_OPEN};
static const int age_inv[] = {IN_DATE, IN_CUSTOMER, IN_KIND, IN_AMOUNT, IN_CURRENCY, IN_DUE};
static const int age_rec[] = {RC_DATE, RC_CUSTOMER, RC_AMOUNT, RC_CURRENCY};
static const int age_app[] = {AP_DATE, AP_KIND, AP_CUSTOMER, AP_CURRENCY, AP_ISSUED, AP_DUE, AP_SETTLED, AP_DISCOUNT};
#define NW(a) ((int)(sizeof a / sizeof *a))

/* Each thread ages the files it reads; the groups of thread k > 0 are then added to thread 0's. */
static const char *currency_of(const char *key)
{
	return key + strlen(key) + 1;
}

static int age_merge(struct ager *into, struct ager *from, const struct buckets *b, crm_err *e)
{
	for (size_t i = 0; i < from->g.n; i++) {
		const char *key = gtab_key(&from->g, i);
		const struct age *f = gtab_val(&from->g, i);
		struct age *g = age_at(into, key, currency_of(key));
		int bad = money_add(&g->credit, f->credit);
		for (int k = 0; k <= b->n + 1; k++)
			bad |= money_add(&g->col[k], f->col[k]);
		if (bad)
			return crm_fail(e, CRM_EDATA, "aging: the balance of %s passes what an amount can hold", key);
	}
	return 0;
}

/* Ledgers are in month folders: a month before as_of's is skipped unread. */
static int age_ledger(struct ager *ag, int nw, const struct table *t, const int *want, int nwant,
	const struct scanfn *f, crm_err *e)
{
	void *ctx[SCAN_MAX];
	for (int k = 0; k < nw; k++)
		ctx[k] = &ag[k];
	if (t == &T_OPEN)
		return store_scan_par(ag->s, t, want, nwant, f, ctx, nw, e);
	return ledger_scan_par(ag->s, t, ag->as_of + (ag->as_of < INT32_MAX), INT32_MAX, want, nwant, f, ctx, nw, e);
}

int ar_aging(struct store *s, int32_t as_of, int basis_invoice, const struct buckets *b,
	age_fn fn, void *ctx, crm_err *e)
{
	struct ager ag[SCAN_MAX];
	int nw = scan_workers(s);
	for (int k = 0; k < nw; k++) {
		ag[k] = (struct ager){.s = s, .as_of = as_of, .basis_invoice = basis_invoice, .b = b};
		gtab_init(&ag[k].g, sizeof(struct age));
	}
	static const struct scanfn opn = {age_open, ahead_open}, inv = {age_invoice, ahead_invoice},
		rcp = {age_receipt, ahead_receipt}, app = {age_application, ahead_application};
	int rc = age_ledger(ag, nw, &T_OPEN, age_opn, NW(age_opn), &opn, e);
	if (!rc)
		rc = age_ledger(ag, nw, &T_INVOICES, age_inv, NW(age_inv), &inv, e);
	if (!rc)
		rc = age_ledger(ag, nw, &T_RECEIPTS, age_rec, NW(age_rec), &rcp, e);
	if (!rc)
		rc = age_ledger(ag, nw, &T_APPLICATIONS, age_app, NW(age_app), &app, e);
	for (int k = 1; k < nw; k++) {
		if (!rc)
			rc = age_merge(&ag[0], &ag[k], b, e);
		gtab_free(&ag[k].g);
	}
	for (size_t i = 0; i < ag[0].g.n && !rc; i++) {
		const char *key = gtab_key(&ag[0].g, i);
		const struct age *g = gtab_val(&ag[0].g, i);
		int any = g->credit != 0;
		for (int k = 0; k <= b->n + 1; k++)
			any |= g->col[k] != 0;
		if (any)
			rc = fn(ctx, key, currency_of(key), g, e);
	}
	gtab_free(&ag[0].g);
	return rc;
}

struct docfilter {
	const char *customer;
	int field;
	struct recs *out;
};

static int doc_keep(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct docfilter *f = ctx;
	if (!strcmp(r->v[f->field], f->customer))
		recs_push(f->out, rec_dup(r));
	return 0;
}

static int by_date(const void *x, const void *y)
{
	const rec *a = *(rec *const *)x, *b = *(rec *const *)y;
	int c = strcmp(a->v[1], b->v[1]);
	return c ? c : id_cmp(a->v[0], b->v[0]);
}

int ar_docs(struct store *s, const char *customer, struct docs *out, crm_err *e)
{
	struct docfilter f[] = {{customer, IN_CUSTOMER, &out->inv}, {customer, RC_CUSTOMER, &out->rec},
		{customer, AP_CUSTOMER, &out->app}};
	const struct table *t[] = {&T_INVOICES, &T_RECEIPTS, &T_APPLICATIONS};
	memset(out, 0, sizeof *out);
	int rc = 0;
	for (int i = 0; i < 3 && !rc; i++) {
		rc = store_scan(s, t[i], doc_keep, &f[i], e);
		if (f[i].out->n > 1)
			qsort(f[i].out->r, f[i].out->n, sizeof *f[i].out->r, by_date);
	}
	return rc;
}

void docs_free(struct docs *d)
{
	recs_free(&d->inv);
	recs_free(&d->rec);
	recs_free(&d->app);
}

/*
 * crm check: open/ must hold what the ledgers leave open, document by
 * document (aging reads it, bucketing each invoice by its due date), and so
 * per customer and currency.
 */
struct docopen {
	int64_t ledger;
	int seen;                    /* an open/ line names it */
};

struct archeck {
	struct store *s;
	struct gtab docs;            /* "customer@doc" -> struct docopen */
	struct strmap idx;
	struct bal {
		char *key;
		int64_t ledger, open;
	} *b;
	size_t n, cap;
	void (*problem)(void *ctx, const char *msg);
	void *ctx;
	size_t problems;
};

static struct bal *bal_at(struct archeck *k, const char *customer, const char *currency)
{
	char key[160];
	snprintf(key, sizeof key, "%s %s", customer, currency);
	size_t i = strmap_get(&k->idx, key, (size_t)-1);
	if (i == (size_t)-1) {
		if (k->n == k->cap) {
			k->cap = k->cap ? k->cap * 2 : 1024;
			k->b = xrealloc(k->b, k->cap * sizeof *k->b);
		}
		k->b[k->n] = (struct bal){xstrdup(key), 0, 0};
		strmap_put(&k->idx, key, i = k->n++);
	}
	return &k->b[i];
}

static struct docopen *doc_at(struct archeck *k, const char *customer, const char *doc)
{
	char key[160];
	return gtab_get(&k->docs, key, item_key(key, sizeof key, customer, doc), 1);
}

/* An invoice is owed its amount; a credit note's (negative) amount is credit. */
static int chk_invoice(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct archeck *k = ctx;
	int64_t m = money_of(r->v[IN_AMOUNT], k->s->digits);
	bal_at(k, r->v[IN_CUSTOMER], r->v[IN_CURRENCY])->ledger += m;
	doc_at(k, r->v[IN_CUSTOMER], r->v[IN_ID])->ledger += m;
	return 0;
}

/* A receipt is credit until it is used. */
static int chk_receipt(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct archeck *k = ctx;
	int64_t m = money_of(r->v[RC_AMOUNT], k->s->digits);
	bal_at(k, r->v[RC_CUSTOMER], r->v[RC_CURRENCY])->ledger -= m;
	doc_at(k, r->v[RC_CUSTOMER], r->v[RC_ID])->ledger -= m;
	return 0;
}

/* A discount or a write-off lowers what is owed; settling with money or credit moves it only:
 * the invoice is owed what it settled less, its source (a receipt, a credit note) holds what it used less. */
static int chk_app(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct archeck *k = ctx;
	int64_t settled = money_of(r->v[AP_SETTLED], k->s->digits), disc = money_of(r->v[AP_DISCOUNT], k->s->digits);
	int writeoff = !strcmp(r->v[AP_KIND], "writeoff");
	bal_at(k, r->v[AP_CUSTOMER], r->v[AP_CURRENCY])->ledger -= writeoff ? settled : disc;
	doc_at(k, r->v[AP_CUSTOMER], r->v[AP_INVOICE])->ledger -= settled;
	if (!writeoff && *r->v[AP_SOURCE])
		doc_at(k, r->v[AP_CUSTOMER], r->v[AP_SOURCE])->ledger += settled - disc;
	return 0;
}

static int chk_open(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct archeck *k = ctx;
	char key[100], msg[400];
	item_key(key, sizeof key, r->v[OP_CUSTOMER], r->v[OP_DOC]);
	if (strcmp(key, r->v[OP_KEY])) {
		snprintf(msg, sizeof msg, "%s:%ld: key: '%s' is not customer@doc ('%s')", r->file, r->line, r->v[OP_KEY], key);
		k->problems++;
		k->problem(k->ctx, msg);
	}
	if (!strcmp(r->v[OP_KIND], "order"))
		return 0; /* an order's exposure: no ledger here says what it is */
	int64_t open = money_of(r->v[OP_OPEN], k->s->digits);
	bal_at(k, r->v[OP_CUSTOMER], r->v[OP_CURRENCY])->open += open;
	struct docopen *d = gtab_find(&k->docs, r->v[OP_KEY], strlen(r->v[OP_KEY]));
	if (!d || d->ledger != open) {
		char l[32], o[32];
		snprintf(msg, sizeof msg, "%s:%ld: open: %s: %s where the ledgers leave %s", r->file, r->line,
			r->v[OP_DOC], money_fmt(open, k->s->digits, o), money_fmt(d ? d->ledger : 0, k->s->digits, l));
		k->problems++;
		k->problem(k->ctx, msg);
	}
	if (d)
		d->seen = 1;
	return 0;
}

/* What the ledgers leave open of a document open/ does not list. */
static void chk_unlisted(struct archeck *k)
{
	for (size_t i = 0; i < k->docs.n; i++) {
		const struct docopen *d = gtab_val(&k->docs, i);
		if (d->seen || !d->ledger)
			continue;
		char msg[400], l[32];
		snprintf(msg, sizeof msg, "open/: open: %s: the ledgers leave %s open, open/ has no line for it",
			gtab_key(&k->docs, i), money_fmt(d->ledger, k->s->digits, l));
		k->problems++;
		k->problem(k->ctx, msg);
	}
}

int ar_check(struct store *s, void (*problem)(void *ctx, const char *msg), void *ctx,
	size_t *problems, crm_err *e)
{
	struct archeck k = {.s = s, .problem = problem, .ctx = ctx};
	gtab_init(&k.docs, sizeof(struct docopen));
	int rc = store_scan(s, &T_INVOICES, chk_invoice, &k, e);
	if (!rc)
		rc = store_scan(s, &T_RECEIPTS, chk_receipt, &k, e);
	if (!rc)
		rc = store_scan(s, &T_APPLICATIONS, chk_app, &k, e);
	if (!rc)
		rc = store_scan(s, &T_OPEN, chk_open, &k, e);
	if (!rc)
		chk_unlisted(&k);
	gtab_free(&k.docs);
	for (size_t i = 0; i < k.n; i++) {
		if (!rc && k.b[i].ledger != k.b[i].open) {
			char msg[400], l[32], o[32];
			snprintf(msg, sizeof msg, "open/: open: %s: open items add up to %s where the ledgers leave %s",
				k.b[i].key, money_fmt(k.b[i].open, s->digits, o), money_fmt(k.b[i].ledger, s->digits, l));
			k.problems++;
			problem(ctx, msg);
		}
		free(k.b[i].key);
	}
	free(k.b);
	strmap_clear(&k.idx);
	*problems = k.problems;
	return rc;
}

int ar_exposure(struct ar *a, const char *customer, const char *currency, int64_t *out, crm_err *e)
{
	rec **rs;
	size_t n;
	char key[64];
	item_key(key, sizeof key, customer, "");
	int rc = tabedit_prefix(&a->open, key, &rs, &n, e);
	*out = 0;
	for (size_t i = 0; !rc && i < n; i++)
		if (!strcmp(rs[i]->v[OP_CURRENCY], currency))
			*out += money_of(rs[i]->v[OP_OPEN], a->s->digits);
	return rc;
}

int ar_order_exposure(struct ar *a, const char *customer, const char *order, const char *date,
	const char *currency, int64_t delta, crm_err *e)
{
	char key[100], am[32];
	static char empty[1];
	rec *cur;
	item_key(key, sizeof key, customer, order);
	int rc = tabedit_get(&a->open, key, &cur, e);
	if (rc || delta == 0)
		return rc;
	int64_t open = (cur ? money_of(cur->v[OP_OPEN], a->s->digits) : 0) + delta;
	if (open <= 0)
		return cur ? tabedit_del(&a->open, key, e) : 0;
	fmt_money(open, a->s->digits, am);
	char *o[] = {key, (char *)customer, (char *)order, "order", (char *)date, (char *)date, empty,
		(char *)currency, am, am, empty};
	return open_put(a, o, 0, e);
}

int ar_repoint(struct store *s, const char *keep, char **dups, int ndups, crm_err *e)
{
	struct tabedit te;
	tabedit_init(&te, s, &T_OPEN);
	int rc = 0;
	for (int d = 0; d < ndups && !rc; d++) {
		struct recs moved = {0};
		rec **rs;
		size_t n;
		char key[64];
		item_key(key, sizeof key, dups[d], "");
		rc = tabedit_prefix(&te, key, &rs, &n, e);
		for (size_t i = 0; !rc && i < n; i++)
			recs_push(&moved, rec_dup(rs[i]));
		for (size_t i = 0; !rc && i < moved.n; i++) {
			char nk[100];
			snprintf(nk, sizeof nk, "%s@%s", keep, moved.r[i]->v[OP_DOC]);
			rc = tabedit_del(&te, moved.r[i]->v[OP_KEY], e);
			rec *r = rec_set(rec_set(rec_dup(moved.r[i]), OP_KEY, nk), OP_CUSTOMER, keep);
			if (!rc)
				rc = tabedit_put(&te, r, e);
			else
				free(r);
		}
		recs_free(&moved);
	}
	if (!rc)
		rc = tabedit_flush(&te, e);
	tabedit_free(&te);
	return rc;
}

/* rates/YYYY.csv: date, currency, rate (base currency per unit, 6 decimals). */
static const struct field rate_fields[] = {
	{"date", FT_DATE, NULL, F_REQ}, {"currency", FT_TEXT, NULL, F_REQ}, {"rate", FT_MONEY, NULL, F_REQ},
};
const struct table T_RATES = {"rates", T_MASTER, "", rate_fields, 3, -1, 0};

static int rate_keep(void *ctx, rec *r, crm_err *e)
{
	struct rates *rt = ctx;
	int64_t v;
	const char *why = money_parse(r->v[2], RATE_DIGITS, &v);
	if (why || v <= 0)
		return crm_fail_at(e, r->file, r->line, "rate", "%s '%s'", why ? why : "must be more than 0", r->v[2]);
	rt->r = xrealloc(rt->r, (rt->n + 1) * sizeof *rt->r);
	snprintf(rt->r[rt->n].currency, sizeof rt->r[rt->n].currency, "%s", r->v[1]);
	date_parse(r->v[0], &rt->r[rt->n].day);
	rt->r[rt->n++].rate = v;
	return 0;
}

int rates_load(struct store *s, struct rates *rt, crm_err *e)
{
	memset(rt, 0, sizeof *rt);
	char **paths;
	size_t n;
	int rc = store_list(s, "rates", &paths, &n, e);
	for (size_t i = 0; i < n && !rc; i++) {
		char *buf;
		size_t len;
		if (!(rc = store_load(s, paths[i], &buf, &len, e)) && buf)
			rc = table_read(&T_RATES, paths[i], buf, len, RATE_DIGITS, rate_keep, rt, e);
		free(buf);
	}
	store_list_free(paths, n);
	return rc;
}

int rates_on(const struct rates *rt, const char *currency, int32_t day, int64_t *rate)
{
	int32_t best = INT32_MIN;
	for (size_t i = 0; i < rt->n; i++)
		if (!strcmp(rt->r[i].currency, currency) && rt->r[i].day <= day && rt->r[i].day >= best) {
			best = rt->r[i].day;
			*rate = rt->r[i].rate;
		}
	return best == INT32_MIN ? -1 : 0;
}

void rates_free(struct rates *rt)
{
	free(rt->r);
	memset(rt, 0, sizeof *rt);
}

int fx_open(struct fx *x, struct store *s, crm_err *e)
{
	memset(x, 0, sizeof *x);
	x->base = s->currency;
	x->digits = s->digits;
	return rates_load(s, &x->rt, e);
}

int fx_base(struct fx *x, const char *currency, int32_t day, int64_t v, int64_t *out, crm_err *e)
{
	char d[11];
	*out = v;
	if (!*currency || !strcmp(currency, x->base) || v == 0)
		return 0;
	if (day != x->day || strcmp(currency, x->cur)) {
		x->cur[0] = 0;
		if (rates_on(&x->rt, currency, day, &x->rate))
			return crm_fail(e, CRM_EDATA, "rates: no %s rate on or before %s (crm-ar rate %s RATE --date D)",
				currency, date_fmt(day, d), currency);
		snprintf(x->cur, sizeof x->cur, "%s", currency);
		x->day = day;
	}
	char m[32];
	if (money_muldiv(v, x->rate, 1000000, out))
		return crm_fail(e, CRM_EDATA, "rates: %s %s on %s passes what an amount can hold in %s",
			money_fmt(v, x->digits, m), currency, date_fmt(day, d), x->base);
	return 0;
}

void fx_close(struct fx *x)
{
	rates_free(&x->rt);
}
