#include <stdlib.h>
#include <string.h>
#include "customer.h"
#include "date.h"
#include "money.h"
#include "order.h"

#define DEFAULT_STAGES "lead:10,qualified:30,proposal:60,negotiation:80"

void orders_init(struct orders *o, struct store *s, const char *reason)
{
	memset(o, 0, sizeof *o);
	o->s = s;
	o->reason = reason;
	ar_init(&o->ar, s);
	stockedit_init(&o->st, s);
	ledger_init(&o->orders, s, &T_ORDERS);
	ledger_init(&o->lines, s, &T_LINES);
	ledger_init(&o->shipments, s, &T_SHIPMENTS);
	ledit_init(&o->oedit, s, &T_ORDERS, "order");
	ledit_init(&o->ledit, s, &T_LINES, "order line");
}

void orders_free(struct orders *o)
{
	ar_free(&o->ar);
	stockedit_free(&o->st);
	ledger_free(&o->orders);
	ledger_free(&o->lines);
	ledger_free(&o->shipments);
	ledit_free(&o->oedit);
	ledit_free(&o->ledit);
	free(o->lv);
	o->lv = NULL;
}

int orders_flush(struct orders *o, crm_err *e)
{
	int rc = ledger_flush(&o->orders, e);
	if (!rc)
		rc = ledger_flush(&o->lines, e);
	if (!rc)
		rc = ledger_flush(&o->shipments, e);
	if (!rc)
		rc = ledit_flush(&o->oedit, e);
	if (!rc)
		rc = ledit_flush(&o->ledit, e);
	if (!rc)
		rc = stockedit_flush(&o->st, e);
	if (!rc)
		rc = ar_flush(&o->ar, e);
	return rc;
}

static int64_t money_of(const char *v, int digits)
{
	int64_t m = 0;
	money_parse(v, digits, &m);
	return m;
}

int line_value(int64_t qty, int64_t price, int64_t discount, int64_t *out)
{
	int64_t gross;
	if (money_muldiv(price, qty, 1, &gross))
		return -1;
	return money_muldiv(gross, 10000 - discount, 10000, out);
}

int line_parse(char *arg, int digits, struct line_req *l, crm_err *e)
{
	char *colon = strchr(arg, ':'), *at = colon ? strchr(colon, '@') : NULL;
	const char *why;
	memset(l, 0, sizeof *l);
	l->price = -1;
	if (!colon)
		return crm_fail_at(e, "argument", 0, "line", "SKU:QTY[@PRICE], not '%s'", arg);
	*colon = 0;
	if (at)
		*at = 0;
	l->sku = arg;
	if ((why = id_check(arg)))
		return crm_fail_at(e, "argument", 0, "sku", "%s '%s'", why, arg);
	if ((why = int_parse(colon + 1, &l->qty)) || l->qty <= 0)
		return crm_fail_at(e, "argument", 0, "qty", "%s '%s'", why ? why : "must be a positive whole number", colon + 1);
	if (at && ((why = money_parse(at + 1, digits, &l->price)) || l->price < 0))
		return crm_fail_at(e, "argument", 0, "price", "%s '%s'", why ? why : "must not be negative", at + 1);
	return 0;
}

int stage_position(struct store *s, const char *stage)
{
	const char *spec = store_conf_str(s, "order.stages", DEFAULT_STAGES);
	int k = 0;
	size_t n = strlen(stage);
	for (const char *p = spec; *p; k++) {
		if (strcspn(p, ":,") == n && !strncmp(p, stage, n))
			return k;
		p += strcspn(p, ",");
		if (*p)
			p++;
	}
	return k;
}

int stage_probability(struct store *s, const char *stage)
{
	const char *spec = store_conf_str(s, "order.stages", DEFAULT_STAGES);
	size_t n = strlen(stage);
	for (const char *p = spec; *p;) {
		const char *c = strchr(p, ':'), *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (c && c < end && (size_t)(c - p) == n && !strncmp(p, stage, n))
			return atoi(c + 1);
		p = *end ? end + 1 : end;
	}
	return -1;
}

static const char *first_stage(struct store *s, char *buf, size_t cap)
{
	const char *spec = store_conf_str(s, "order.stages", DEFAULT_STAGES);
	snprintf(buf, cap, "%.*s", (int)strcspn(spec, ":,"), spec);
	return buf;
}

/* The salesperson's level ([level "NAME"] member = USER) and its max-discount, or -1. */
static int64_t max_discount(struct store *s)
{
	git_config_iterator *it = NULL;
	git_config_entry *ent;
	int64_t max = -1;
	if (git_config_iterator_glob_new(&it, s->conf, "^level\\..*\\.member$"))
		return -1;
	git_signature *sig = NULL;
	crm_err ignore = {0};
	store_author(s, &sig, &ignore);
	/* A member is matched by user or email, as roles are. */
	while (max < 0 && git_config_next(&ent, it) == 0) {
		if (strcmp(ent->value, store_user(s)) && (!sig || strcmp(ent->value, sig->email)))
			continue;
		char key[300];
		snprintf(key, sizeof key, "%.*s.max-discount", (int)(strlen(ent->name) - strlen(".member")), ent->name);
		const char *v = store_conf_str(s, key, "");
		if (*v && money_parse(v, 2, &max))
			max = -1;
	}
	git_config_iterator_free(it);
	git_signature_free(sig);
	return max;
}

/*
 * What a role lets through (DESIGN §5): a member with --reason passes and the
 * commit says so; anyone else is refused with 77, and nothing changes.
 */
static int guard(struct orders *o, const char *r1, const char *r2, const char *why, crm_err *e)
{
	const char *role = store_has_role(o->s, r1) ? r1 : r2 && store_has_role(o->s, r2) ? r2 : NULL;
	if (!role)
		return crm_fail(e, CRM_EPERM, "%s: needs the %s%s%s role (%s is not a member)", why, r1,
			r2 ? " or " : "", r2 ? r2 : "", store_user(o->s));
	if (!o->reason || !*o->reason)
		return crm_fail(e, CRM_EUSAGE, "%s: as a %s member you pass it with --reason (the commit records why)", why, role);
	size_t n = strlen(o->allowed);
	snprintf(o->allowed + n, sizeof o->allowed - n, "%s%s allowed by %s (%s): %s", n ? "; " : "", why,
		store_user(o->s), role, o->reason);
	return 0;
}

/* The line's price: given, else the customer's grade price, else the list price; the rules guard it. */
static int line_price(struct orders *o, const rec *cust, const rec *prod, struct line_req *l, struct where at, crm_err *e)
{
	if (o->history && l->price >= 0)
		return 0;
	int digits = o->s->digits;
	int64_t list = money_of(prod->v[PR_PRICE], digits), grade = list;
	char g = cust->v[CU_GRADE][0];
	if (g >= 'A' && g <= 'D' && *prod->v[PR_PRICE_A + (g - 'A')])
		grade = money_of(prod->v[PR_PRICE_A + (g - 'A')], digits);
	if (l->price < 0) {
		l->price = grade;
		if (!*prod->v[PR_PRICE] && !(g >= 'A' && g <= 'D' && *prod->v[PR_PRICE_A + (g - 'A')]))
			return crm_fail_at(e, at.file, at.line, "price", "%s has no price; give SKU:QTY@PRICE", l->sku);
	}
	int64_t net;
	if (line_value(1000000, l->price, l->discount, &net))
		return crm_fail_at(e, at.file, at.line, "price", "too large");
	char why[200], a[32], b[32];
	if (*prod->v[PR_FLOOR] && net < money_of(prod->v[PR_FLOOR], digits) * 1000000) {
		int64_t unit;
		money_muldiv(net, 1, 1000000, &unit);
		snprintf(why, sizeof why, "%s at %s is under its floor %s", l->sku, money_fmt(unit, digits, a), prod->v[PR_FLOOR]);
		return guard(o, "director", NULL, why, e);
	}
	int64_t max = max_discount(o->s), lowest;
	if (max >= 0 && !line_value(1000000, grade, max, &lowest) && net < lowest) {
		int64_t unit;
		money_muldiv(lowest, 1, 1000000, &unit);
		snprintf(why, sizeof why, "%s under %s (more than %s%% off the grade price for %s)", l->sku,
			money_fmt(unit, digits, a), money_fmt(max, 2, b), store_user(o->s));
		return guard(o, "director", NULL, why, e);
	}
	return 0;
}

/* Open receivables plus open orders past credit_limit: 65, or a finance or director member passes. */
static int credit_check(struct orders *o, const rec *cust, const char *currency, int64_t more, struct where at, crm_err *e)
{
	if (!*cust->v[CU_CREDIT] || more <= 0 || o->history)
		return 0;
	int64_t limit = money_of(cust->v[CU_CREDIT], o->s->digits), now;
	int rc = ar_exposure(&o->ar, cust->v[CU_ID], currency, &now, e);
	if (rc || now + more <= limit)
		return rc;
	char why[300], a[32], b[32];
	snprintf(why, sizeof why, "credit limit %s of %s: exposure would reach %s", money_fmt(limit, o->s->digits, a),
		cust->v[CU_ID], money_fmt(now + more, o->s->digits, b));
	if (!o->reason || !*o->reason)
		return crm_fail_at(e, at.file, at.line, "credit_limit", "%s (a finance or director member may pass it with --reason)", why);
	return guard(o, "finance", "director", why, e);
}

static int customer_of(struct orders *o, const char *id, struct where at, rec **c, crm_err *e)
{
	int rc = tabedit_get(&o->ar.customers, id, c, e);
	if (!rc && !*c)
		rc = crm_fail_at(e, at.file, at.line, "customer", "no customer '%s'", id);
	if (!rc && !strcmp((*c)->v[CU_STATUS], "archived"))
		rc = crm_fail_at(e, at.file, at.line, "customer", "%s '%s' is archived", id, (*c)->v[CU_NAME]);
	return rc;
}

/* L202611-00007-2: the order's id past its letter, and the line's number
 * (an import writes millions: without snprintf). */
static void line_id(const char *order, int n, char *out, size_t cap)
{
	char id[96], no[24];
	money_fmt(n, 0, no);
	size_t ol = strnlen(order + 1, sizeof id - sizeof no - 2), nl = strlen(no);
	id[0] = 'L';
	memcpy(id + 1, order + 1, ol);
	id[1 + ol] = '-';
	memcpy(id + 2 + ol, no, nl);
	str_put(out, cap, id, 2 + ol + nl);
}

/* The sales reports' fact: qty, sales and cost of what left for the customer (negative: came back). */
static int shipment(struct orders *o, const char *date, const char *order, const char *customer, const char *owner,
	const char *sku, int64_t qty, int64_t sales, int64_t cost, const char *currency, crm_err *e)
{
	char qs[24], ss[32], cs[32], id[48];
	static char empty[1];
	money_fmt(qty, 0, qs);
	char *v[] = {empty, (char *)date, (char *)order, (char *)customer, (char *)owner, (char *)sku, qs,
		money_fmt(sales, o->s->digits, ss), money_fmt(cost, o->s->digits, cs), (char *)currency};
	return ledger_append(&o->shipments, v, id, sizeof id, e);
}

/*
 * Past shipments of an order being imported: the lines of each ship date go
 * out together (stock only when a warehouse is given) and raise their invoices.
 */
/* A line's values while its order is made: the ledger writes them as they are
 * (an import makes a million; a record each, packed and set twice, was a twentieth). */
struct line_vals {
	char *v[LN_COST + 1];
	char id[64], no[16], qty[24], price[32], disc[32], cost[32];
};

static int ship_history(struct orders *o, const struct order_req *q, const char *owner, struct line_vals *lv, int64_t *shipped,
	crm_err *e)
{
	int rc = 0;
	for (int i = 0; i < q->n && !rc; i++) {
		const char *sd = q->ship[i];
		int seen = 0;
		for (int j = 0; j < i; j++)
			seen |= q->ship[j] && !strcmp(q->ship[j], sd ? sd : "");
		if (!sd || !*sd || seen)
			continue;
		if (strcmp(sd, q->date) < 0)
			return crm_fail_at(e, q->at.file, q->at.line + i, "ship_date", "%s is before the order date %s", sd, q->date);
		int64_t amount = 0;
		for (int j = i; j < q->n && !rc; j++) {
			if (!q->ship[j] || strcmp(q->ship[j], sd))
				continue;
			int64_t v = 0;
			struct move m = {.date = sd, .sku = q->lines[j].sku, .wh = q->wh, .kind = "ship", .ref = o->id,
				.qty = -q->lines[j].qty, .file = q->at.file, .line = q->at.line + j};
			if (q->wh) {
				char mid[48];
				if (!(rc = stock_post(&o->st, &m, mid, sizeof mid, e)))
					lv[j].v[LN_COST] = (char *)money_fmt(-m.value, o->s->digits, lv[j].cost);
			}
			lv[j].v[LN_SHIPPED] = lv[j].v[LN_QTY];
			if (!rc && line_value(q->lines[j].qty, q->lines[j].price, q->lines[j].discount, &v))
				rc = crm_fail_at(e, q->at.file, q->at.line + j, "qty", "the line's value overflows");
			if (!rc)
				rc = shipment(o, sd, o->id, q->customer, owner, q->lines[j].sku,
					q->lines[j].qty, v, -m.value, q->currency, e);
			amount += v;
		}
		struct invoice_req iq = {.customer = q->customer, .date = sd, .order = o->id, .terms = q->terms,
			.plan = q->plan, .currency = q->currency, .amount = amount, .at = q->at};
		if (!rc && amount > 0)
			rc = ar_raise(&o->ar, &iq, e);
		*shipped += amount;
	}
	return rc;
}

int order_create(struct orders *o, const struct order_req *q, crm_err *e)
{
	rec *cust;
	struct terms t;
	struct plan p;
	char tb[TERMS_BUF] = "", pb[PLAN_BUF] = "", stage[64] = "", prob[24] = "";
	const char *why;
	int32_t d;
	struct order_req qc = *q;
	int rc = customer_of(o, q->customer, q->at, &cust, e);
	if (!rc)
		rc = ar_currency(o->s, cust, q->currency, q->at, &qc.currency, e);
	if (rc)
		return rc;
	q = &qc;
	if ((why = date_parse(q->date, &d)))
		return crm_fail_at(e, q->at.file, q->at.line, "date", "%s '%s'", why, q->date);
	if (q->close && *q->close && (why = date_parse(q->close, &d)))
		return crm_fail_at(e, q->at.file, q->at.line, "close_date", "%s '%s'", why, q->close);
	if (q->terms && *q->terms) {
		if ((why = terms_parse(q->terms, &t)))
			return crm_fail_at(e, q->at.file, q->at.line, "terms", "%s '%s'", why, q->terms);
		terms_fmt(&t, tb, sizeof tb);
	}
	if (q->plan && *q->plan) {
		if ((why = plan_parse(q->plan, &p)))
			return crm_fail_at(e, q->at.file, q->at.line, "plan", "%s '%s'", why, q->plan);
		plan_fmt(&p, pb, sizeof pb);
	}
	int quote = !strcmp(q->status, "quote");
	if (quote) {
		char first[64];
		snprintf(stage, sizeof stage, "%s", q->stage && *q->stage ? q->stage : first_stage(o->s, first, sizeof first));
		int dp = stage_probability(o->s, stage);
		if (dp < 0)
			return crm_fail_at(e, q->at.file, q->at.line, "stage", "no stage '%s' in order.stages", stage);
		int64_t pr = q->probability >= 0 ? q->probability : dp;
		if (pr > 100)
			return crm_fail_at(e, q->at.file, q->at.line, "probability", "a percent from 0 to 100");
		snprintf(prob, sizeof prob, "%lld", (long long)pr);
	}
	if (q->n < 1)
		return crm_fail_at(e, q->at.file, q->at.line, "line", "an order needs at least one SKU:QTY");
	int64_t total = 0;
	for (int i = 0; i < q->n && !rc; i++) {
		rec *prod;
		int64_t v;
		/* An import's order is a run of rows: each line is named by its own row. */
		struct where at = {q->at.file, q->at.line + (q->ship ? i : 0)};
		rc = stock_product(&o->st, q->lines[i].sku, &prod, e);
		if (!rc && !prod)
			rc = crm_fail_at(e, at.file, at.line, "sku", "no product '%s'", q->lines[i].sku);
		if (!rc && !strcmp(prod->v[PR_STATUS], "discontinued"))
			rc = crm_fail_at(e, at.file, at.line, "sku", "'%s' is discontinued", q->lines[i].sku);
		if (!rc)
			rc = line_price(o, cust, prod, &q->lines[i], at, e);
		if (!rc && (line_value(q->lines[i].qty, q->lines[i].price, q->lines[i].discount, &v) ||
			    __builtin_add_overflow(total, v, &total)))
			rc = crm_fail_at(e, at.file, at.line, "qty", "the order's value overflows");
	}
	if (!rc && !quote)
		rc = credit_check(o, cust, q->currency, total, q->at, e);
	if (rc)
		return rc;
	static char empty[1];
	const char *owner = q->owner && *q->owner ? q->owner : *cust->v[CU_OWNER] ? cust->v[CU_OWNER] : store_user(o->s);
	const char *status = q->status;
	int all = q->ship != NULL;
	for (int i = 0; all && i < q->n; i++)
		all = q->ship[i] && *q->ship[i];
	if (all && !strcmp(status, "open"))
		status = "shipped";
	char *v[] = {empty, (char *)q->date, (char *)q->customer, (char *)owner, (char *)status, stage, prob,
		(char *)(q->close ? q->close : ""), tb, pb, (char *)q->currency, (char *)(q->ref ? q->ref : ""), empty,
		(char *)(q->note ? q->note : "")};
	rc = ledger_append(&o->orders, v, o->id, sizeof o->id, e);
	if (!o->lv)
		o->lv = xmalloc(ORDER_LINES * sizeof *o->lv);
	for (int i = 0; i < q->n && !rc; i++) {
		struct line_vals *l = &o->lv[i];
		line_id(o->id, i + 1, l->id, sizeof l->id);
		money_fmt(i + 1, 0, l->no);
		money_fmt(q->lines[i].qty, 0, l->qty);
		money_fmt(q->lines[i].price, o->s->digits, l->price);
		*l->disc = 0;
		if (q->lines[i].discount)
			money_fmt(q->lines[i].discount, 2, l->disc);
		char *lv[] = {l->id, (char *)q->date, o->id, l->no, (char *)q->lines[i].sku, l->qty, l->price, l->disc,
			"0", (char *)money_fmt(0, o->s->digits, l->cost)};
		memcpy(l->v, lv, sizeof l->v);
	}
	int64_t shipped = 0;
	if (!rc && q->ship)
		rc = ship_history(o, q, owner, o->lv, &shipped, e);
	for (int i = 0; i < q->n && !rc; i++) {
		char id[64];
		rc = ledger_append(&o->lines, o->lv[i].v, id, sizeof id, e);
	}
	o->value = total;
	if (!rc && !strcmp(status, "open"))
		rc = ar_order_exposure(&o->ar, q->customer, o->id, q->date, q->currency, total - shipped, e);
	return rc;
}

/* The order's record to change in place, and its lines. */
struct loaded {
	rec **order;
	rec **line[ORDER_LINES];
	int n;
};

static int order_load(struct orders *o, const char *id, struct loaded *L, crm_err *e)
{
	char dir[64];
	memset(L, 0, sizeof *L);
	if (id_check(id) || ledger_dir_of(&T_ORDERS, id, dir, sizeof dir))
		return crm_fail_at(e, "argument", 0, "order", "no order '%s'", id);
	int rc = ledit_get(&o->oedit, id, &L->order, e);
	if (rc == CRM_ENOTFOUND) {
		e->code = 0;
		return crm_fail_at(e, "argument", 0, "order", "no order '%s'", id);
	}
	for (int k = 1; !rc && k <= ORDER_LINES; k++) {
		char lid[64];
		line_id(id, k, lid, sizeof lid);
		rc = ledit_get(&o->ledit, lid, &L->line[k - 1], e);
		if (rc == CRM_ENOTFOUND) {
			e->code = 0;
			e->msg[0] = 0;
			rc = 0;
			break;
		}
		L->n = k;
	}
	snprintf(o->id, sizeof o->id, "%s", id);
	return rc;
}

static int status_is(const struct loaded *L, const char *a, const char *b)
{
	const char *s = (*L->order)->v[OR_STATUS];
	return !strcmp(s, a) || (b && !strcmp(s, b));
}

static int64_t qty_of(const rec *r, int f)
{
	int64_t v = 0;
	int_parse(r->v[f], &v);
	return v;
}

static int64_t unshipped_value(struct orders *o, const struct loaded *L)
{
	int64_t total = 0, v;
	for (int i = 0; i < L->n; i++) {
		const rec *l = *L->line[i];
		if (!line_value(qty_of(l, LN_QTY) - qty_of(l, LN_SHIPPED), money_of(l->v[LN_PRICE], o->s->digits),
			money_of(l->v[LN_DISCOUNT], 2), &v))
			total += v;
	}
	return total;
}

int order_stage(struct orders *o, const char *id, const char *stage, int64_t probability, crm_err *e)
{
	struct loaded L;
	int rc = order_load(o, id, &L, e);
	if (!rc && !status_is(&L, "quote", NULL))
		rc = crm_fail_at(e, "argument", 0, "order", "%s is %s, not a quote", id, (*L.order)->v[OR_STATUS]);
	int dp = stage_probability(o->s, stage);
	if (!rc && dp < 0)
		rc = crm_fail_at(e, "argument", 0, "stage", "no stage '%s' in order.stages", stage);
	if (!rc && probability > 100)
		rc = crm_fail_at(e, "argument", 0, "probability", "a percent from 0 to 100");
	if (rc)
		return rc;
	char pr[24];
	snprintf(pr, sizeof pr, "%lld", (long long)(probability >= 0 ? probability : dp));
	*L.order = rec_set(*L.order, OR_STAGE, stage);
	*L.order = rec_set(*L.order, OR_PROB, pr);
	return 0;
}

int order_win(struct orders *o, const char *id, crm_err *e)
{
	struct loaded L;
	rec *cust;
	int rc = order_load(o, id, &L, e);
	if (!rc && !status_is(&L, "quote", NULL))
		rc = crm_fail_at(e, "argument", 0, "order", "%s is %s, not a quote", id, (*L.order)->v[OR_STATUS]);
	struct where at = {"argument", 0};
	if (!rc)
		rc = customer_of(o, (*L.order)->v[OR_CUSTOMER], at, &cust, e);
	int64_t v = rc ? 0 : unshipped_value(o, &L);
	if (!rc)
		rc = credit_check(o, cust, (*L.order)->v[OR_CURRENCY], v, at, e);
	if (!rc)
		rc = ar_order_exposure(&o->ar, cust->v[CU_ID], id, (*L.order)->v[OR_DATE], (*L.order)->v[OR_CURRENCY], v, e);
	if (!rc) {
		*L.order = rec_set(*L.order, OR_STATUS, "open");
		*L.order = rec_set(*L.order, OR_PROB, "100");
		o->value = v;
	}
	return rc;
}

int order_lose(struct orders *o, const char *id, const char *reason, crm_err *e)
{
	struct loaded L;
	int rc = order_load(o, id, &L, e);
	if (!rc && !status_is(&L, "quote", NULL))
		rc = crm_fail_at(e, "argument", 0, "order", "%s is %s, not a quote", id, (*L.order)->v[OR_STATUS]);
	if (!rc) {
		*L.order = rec_set(*L.order, OR_STATUS, "lost");
		*L.order = rec_set(*L.order, OR_PROB, "0");
		*L.order = rec_set(*L.order, OR_REASON, reason);
	}
	return rc;
}

/* The line of a SKU with at least `need` of what `field` measures left (the first such line). */
static int find_line(const struct loaded *L, const char *sku, int64_t need, int shipped, int *k)
{
	for (int i = 0; i < L->n; i++) {
		const rec *l = *L->line[i];
		int64_t left = shipped ? qty_of(l, LN_SHIPPED) : qty_of(l, LN_QTY) - qty_of(l, LN_SHIPPED);
		if (!strcmp(l->v[LN_SKU], sku) && left >= need) {
			*k = i;
			return 1;
		}
	}
	return 0;
}

static void set_int(rec **r, int f, int64_t v)
{
	char b[24];
	snprintf(b, sizeof b, "%lld", (long long)v);
	*r = rec_set(*r, f, b);
}

static void set_money(rec **r, int f, int64_t v, int digits)
{
	char b[32];
	*r = rec_set(*r, f, money_fmt(v, digits, b));
}

/*
 * The value of units from..to of a line: round(to x net) - round(from x net), so
 * the parts a line ships (or returns) in add up to exactly its value.
 */
static int part_value(const rec *l, int64_t from, int64_t to, int digits, int64_t *out)
{
	int64_t a, b, p = money_of(l->v[LN_PRICE], digits), d = money_of(l->v[LN_DISCOUNT], 2);
	if (line_value(from, p, d, &a) || line_value(to, p, d, &b))
		return -1;
	*out = b - a;
	return 0;
}

/* Ships q of line k: the stock leaves at the moving average, and its cost is kept on the line. */
static int ship_line(struct orders *o, struct loaded *L, int k, int64_t q, const char *wh, const char *date,
	int64_t *value, crm_err *e)
{
	rec **l = L->line[k];
	struct move m = {.date = date, .sku = (*l)->v[LN_SKU], .wh = wh, .kind = "ship", .ref = o->id,
		.qty = -q, .file = "argument"};
	char id[48];
	int rc = wh ? stock_post(&o->st, &m, id, sizeof id, e) : 0;
	if (rc)
		return rc;
	int digits = o->s->digits;
	int64_t before = qty_of(*l, LN_SHIPPED);
	set_int(l, LN_SHIPPED, before + q);
	set_money(l, LN_COST, money_of((*l)->v[LN_COST], digits) - m.value, digits);
	if (part_value(*l, before, before + q, digits, value))
		return crm_fail_at(e, "argument", 0, "qty", "the line's value overflows");
	const rec *ord = *L->order;
	/* *l is a new record now: m.sku pointed into the one set_int freed. */
	return shipment(o, date, o->id, ord->v[OR_CUSTOMER], ord->v[OR_OWNER], (*l)->v[LN_SKU], q, *value, -m.value,
		ord->v[OR_CURRENCY], e);
}

static void status_after(struct orders *o, struct loaded *L)
{
	(void)o;
	for (int i = 0; i < L->n; i++)
		if (qty_of(*L->line[i], LN_SHIPPED) < qty_of(*L->line[i], LN_QTY))
			return;
	*L->order = rec_set(*L->order, OR_STATUS, "shipped");
}

int order_ship(struct orders *o, const char *id, struct line_req *l, int n, const char *wh,
	const char *date, crm_err *e)
{
	struct loaded L;
	rec *cust;
	int rc = order_load(o, id, &L, e);
	if (!rc && !status_is(&L, "open", NULL))
		rc = crm_fail_at(e, "argument", 0, "order", "%s is %s; only an open order ships%s", id,
			(*L.order)->v[OR_STATUS], status_is(&L, "quote", NULL) ? " (win the quote first)" : "");
	struct where at = {"argument", 0};
	if (!rc)
		rc = customer_of(o, (*L.order)->v[OR_CUSTOMER], at, &cust, e);
	int64_t amount = 0, v;
	for (int i = 0; !rc && n == 0 && i < L.n; i++) {
		int64_t left = qty_of(*L.line[i], LN_QTY) - qty_of(*L.line[i], LN_SHIPPED);
		if (left > 0 && !(rc = ship_line(o, &L, i, left, wh, date, &v, e)))
			amount += v;
	}
	for (int i = 0; !rc && i < n; i++) {
		int k = 0;
		if (!find_line(&L, l[i].sku, l[i].qty, 0, &k))
			rc = crm_fail_at(e, "argument", 0, "qty", "%s: no line of %s with %lld left to ship", id, l[i].sku,
				(long long)l[i].qty);
		else if (!(rc = ship_line(o, &L, k, l[i].qty, wh, date, &v, e)))
			amount += v;
	}
	if (!rc && amount == 0)
		rc = crm_fail_at(e, "argument", 0, "order", "%s: nothing left to ship", id);
	const rec *ord = rc ? NULL : *L.order;
	/* The invoices come from the same code as crm-ar's own; the clock starts on the ship date. */
	struct invoice_req q = {.customer = ord ? ord->v[OR_CUSTOMER] : "", .date = date, .order = id,
		.terms = ord ? ord->v[OR_TERMS] : "", .plan = ord ? ord->v[OR_PLAN] : "",
		.currency = ord ? ord->v[OR_CURRENCY] : "", .amount = amount, .at = at};
	if (!rc)
		rc = ar_order_exposure(&o->ar, q.customer, id, ord->v[OR_DATE], q.currency, -amount, e);
	if (!rc)
		rc = credit_check(o, cust, q.currency, amount, at, e);
	if (!rc)
		rc = ar_raise(&o->ar, &q, e);
	if (!rc)
		status_after(o, &L);
	o->value = amount;
	return rc;
}

int order_return(struct orders *o, const char *id, const struct line_req *l, const char *wh,
	const char *date, crm_err *e)
{
	struct loaded L;
	int k = 0;
	int rc = order_load(o, id, &L, e);
	if (!rc && !find_line(&L, l->sku, l->qty, 1, &k))
		rc = crm_fail_at(e, "argument", 0, "qty", "%s: no line of %s with %lld shipped", id, l->sku, (long long)l->qty);
	if (rc)
		return rc;
	int digits = o->s->digits;
	rec **ln = L.line[k];
	int64_t shipped = qty_of(*ln, LN_SHIPPED), cost = money_of((*ln)->v[LN_COST], digits), back, credit;
	/* Back at the cost it left with: its share of the line's cost, all of it for the last unit. */
	if (l->qty == shipped)
		back = cost;
	else if (money_muldiv(cost, l->qty, shipped, &back))
		return crm_fail_at(e, "argument", 0, "qty", "the cost overflows");
	if (part_value(*ln, shipped - l->qty, shipped, digits, &credit))
		return crm_fail_at(e, "argument", 0, "qty", "the value overflows");
	struct move m = {.date = date, .sku = l->sku, .wh = wh, .kind = "return", .ref = id, .qty = l->qty,
		.value = back, .file = "argument"};
	char mid[48];
	rc = stock_post(&o->st, &m, mid, sizeof mid, e);
	const rec *ord = *L.order;
	if (!rc)
		rc = shipment(o, date, id, ord->v[OR_CUSTOMER], ord->v[OR_OWNER], l->sku, -l->qty, -credit, -back,
			ord->v[OR_CURRENCY], e);
	if (rc)
		return rc;
	/* Returned goods are not owed again: the line's quantity goes down with what was shipped. */
	set_int(ln, LN_QTY, qty_of(*ln, LN_QTY) - l->qty);
	set_int(ln, LN_SHIPPED, shipped - l->qty);
	set_money(ln, LN_COST, cost - back, digits);
	char note[120];
	snprintf(note, sizeof note, "return of %lld %s", (long long)l->qty, l->sku);
	struct invoice_req q = {.customer = (*L.order)->v[OR_CUSTOMER], .date = date, .order = id,
		.currency = (*L.order)->v[OR_CURRENCY], .note = note, .amount = credit, .at = {"argument", 0}};
	o->value = credit;
	return credit > 0 ? ar_credit(&o->ar, &q, e) : 0;
}

int order_cancel(struct orders *o, const char *id, crm_err *e)
{
	struct loaded L;
	int rc = order_load(o, id, &L, e);
	if (!rc && !status_is(&L, "quote", "open"))
		rc = crm_fail_at(e, "argument", 0, "order", "%s is %s; only a quote or an open order is cancelled", id,
			(*L.order)->v[OR_STATUS]);
	if (rc)
		return rc;
	int64_t left = unshipped_value(o, &L), any = 0;
	for (int i = 0; i < L.n; i++) {
		int64_t s = qty_of(*L.line[i], LN_SHIPPED);
		any |= s > 0;
		set_int(L.line[i], LN_QTY, s);
	}
	const rec *ord = *L.order;
	if (status_is(&L, "open", NULL))
		rc = ar_order_exposure(&o->ar, ord->v[OR_CUSTOMER], id, ord->v[OR_DATE], ord->v[OR_CURRENCY], -left, e);
	*L.order = rec_set(*L.order, OR_STATUS, any ? "shipped" : "cancelled");
	o->value = left;
	return rc;
}

struct oread {
	const char *id;
	int field;
	struct recs *out;
};

static int oread_keep(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct oread *c = ctx;
	if (!strcmp(r->v[c->field], c->id))
		recs_push(c->out, rec_dup(r));
	return 0;
}

int order_read(struct store *s, const char *id, struct recs *order, struct recs *lines, crm_err *e)
{
	char dir[64], ldir[64];
	if (id_check(id) || ledger_dir_of(&T_ORDERS, id, dir, sizeof dir))
		return crm_fail(e, CRM_ENOTFOUND, "no order '%s'", id);
	snprintf(ldir, sizeof ldir, "%s/%s", T_LINES.name, dir + strlen(T_ORDERS.name) + 1);
	struct oread a = {id, OR_ID, order}, b = {id, LN_ORDER, lines};
	char **paths;
	size_t n;
	int rc = store_list(s, dir, &paths, &n, e);
	for (size_t i = 0; i < n && !rc; i++)
		rc = store_scan_file(s, &T_ORDERS, paths[i], oread_keep, &a, e);
	if (!rc)
		store_list_free(paths, n);
	if (!rc && !(rc = store_list(s, ldir, &paths, &n, e))) {
		for (size_t i = 0; i < n && !rc; i++)
			rc = store_scan_file(s, &T_LINES, paths[i], oread_keep, &b, e);
		store_list_free(paths, n);
	}
	if (!rc && !order->n)
		rc = crm_fail(e, CRM_ENOTFOUND, "no order '%s'", id);
	return rc;
}
