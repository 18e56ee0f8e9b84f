#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "visit.h"

enum { V_ID, V_DATE, V_CUSTOMER, V_BY, V_KIND, V_SUMMARY, V_NEXT, V_ACTION, V_DONE };

static int32_t day_or_min(const char *s)
{
	int32_t d;
	return *s && !date_parse(s, &d) ? d : INT32_MIN;
}

static void set_inline(char *dst, size_t cap, const char *v)
{
	size_t n = strlen(v);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = 0;
}

static int add_cust(void *ctx, rec *r, crm_err *e)
{
	struct book *b = ctx;
	(void)e;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->c = xrealloc(b->c, b->cap * sizeof *b->c);
	}
	struct cust *c = &b->c[b->n];
	memset(c, 0, sizeof *c);
	set_inline(c->id, sizeof c->id, r->v[CU_ID]);
	c->name = xstrdup(r->v[CU_NAME]);
	c->owner = xstrdup(r->v[CU_OWNER]);
	c->region = xstrdup(r->v[CU_REGION]);
	c->grade = r->v[CU_GRADE][0];
	c->archived = strcmp(r->v[CU_STATUS], "archived") == 0;
	c->created = day_or_min(r->v[CU_CREATED]);
	c->last = c->next = INT32_MIN;
	strmap_put(&b->idx, c->id, b->n);
	/* Most ids are a number: an array finds them with one memory access, not a probe chain. */
	/* Bounded by the customers seen, so one odd id like C99999999 cannot cost a gigabyte. */
	unsigned long long seq = id_seq(c->id);
	if (seq < 16ull * (b->n + 4096)) {
		if (seq >= b->nseq) {
			size_t n = b->nseq ? b->nseq : 1024;
			while (n <= seq)
				n *= 2;
			b->by_seq = xrealloc(b->by_seq, n * sizeof *b->by_seq);
			memset(b->by_seq + b->nseq, 0, (n - b->nseq) * sizeof *b->by_seq);
			b->nseq = n;
		}
		if (!b->by_seq[seq])
			b->by_seq[seq] = b->n + 1;
	}
	b->n++;
	return 0;
}

struct cust *book_find(struct book *b, const char *id)
{
	unsigned long long seq = id_seq(id);
	if (seq < b->nseq && b->by_seq[seq] && strcmp(b->c[b->by_seq[seq] - 1].id, id) == 0)
		return &b->c[b->by_seq[seq] - 1];
	size_t i = strmap_get(&b->idx, id, (size_t)-1);
	return i == (size_t)-1 ? NULL : &b->c[i];
}



/* Only the latest visit of a customer (by date, then id) holds its follow-up. */
static int add_visit(void *ctx, rec *r, crm_err *e)
{
	struct book *b = ctx;
	struct cust *c = book_find(b, r->v[V_CUSTOMER]);
	if (b->fn) {
		int32_t d = day_or_min(r->v[V_DATE]);
		if (d < b->from || d > b->to)
			return 0;
		int rc = b->fn(b->ctx, r, d, c);
		if (rc)
			return rc;
	}
	(void)e;
	if (!c)
		return 0;
	int32_t d = day_or_min(r->v[V_DATE]);
	if (d >= b->from && d <= b->to)
		c->in_period++;
	if (b->fn)
		return 0;
	if (d < c->last || (d == c->last && id_cmp(r->v[V_ID], c->last_id) < 0))
		return 0;
	c->last = d;
	set_inline(c->last_id, sizeof c->last_id, r->v[V_ID]);
	c->next = *r->v[V_DONE] ? INT32_MIN : day_or_min(r->v[V_NEXT]);
	if (c->next == INT32_MIN)
		return 0; /* no follow-up: the strings below are never read */
	if (!c->next_action || strcmp(c->next_action, r->v[V_ACTION]) != 0) {
		free(c->next_action);
		c->next_action = xstrdup(r->v[V_ACTION]);
	}
	set_inline(c->next_by, sizeof c->next_by, r->v[V_BY]);
	set_inline(c->next_visit, sizeof c->next_visit, r->v[V_ID]);
	return 0;
}

int book_load(struct store *s, struct book *b, int32_t from, int32_t to, crm_err *e)
{
	memset(b, 0, sizeof *b);
	b->from = from;
	b->to = to;
	int rc = store_scan(s, &T_CUSTOMERS, add_cust, b, e);
	if (!rc)
		rc = store_scan(s, &T_VISITS, add_visit, b, e);
	return rc;
}

/* A segment folder named by a month outside [from, to] holds no visit of the period. */
static int month_outside(const char *path, int32_t from, int32_t to)
{
	const char *m = strchr(path, '/');
	int32_t first, last;
	char buf[11];
	if (!m || strlen(m + 1) < 8 || m[8] != '/')
		return 0;
	snprintf(buf, sizeof buf, "%.7s-01", m + 1);
	if (date_parse(buf, &first))
		return 0;
	int y, mo, d;
	date_to_ymd(first, &y, &mo, &d);
	last = (mo == 12 ? date_from_ymd(y + 1, 1, 1) : date_from_ymd(y, mo + 1, 1)) - 1;
	return last < from || first > to;
}

int book_load_period(struct store *s, struct book *b, int32_t from, int32_t to,
	book_visit_fn fn, void *ctx, crm_err *e)
{
	memset(b, 0, sizeof *b);
	b->from = from;
	b->to = to;
	b->fn = fn;
	b->ctx = ctx;
	int rc = store_scan(s, &T_CUSTOMERS, add_cust, b, e);
	char **paths = NULL;
	size_t n = 0;
	if (!rc)
		rc = store_list(s, T_VISITS.name, &paths, &n, e);
	for (size_t i = 0; i < n && !rc; i++)
		if (!month_outside(paths[i], from, to))
			rc = store_scan_file(s, &T_VISITS, paths[i], add_visit, b, e);
	store_list_free(paths, n);
	return rc == CSV_STOP ? 0 : rc;
}

static int has_id(void *ctx, const char *line, size_t n)
{
	return memmem(line, n, ctx, strlen(ctx)) != NULL;
}

static const char *next_id(void *ctx, const char *p, const char *end, long *lines)
{
	*lines = -1;
	const char *f = memmem(p, (size_t)(end - p), ctx, strlen(ctx));
	return f ? f : end;
}

int book_load_one(struct store *s, struct book *b, const rec *customer, crm_err *e)
{
	memset(b, 0, sizeof *b);
	b->from = 1;
	add_cust(b, (rec *)customer, e);
	struct csv_pre pre = {has_id, next_id, customer->v[CU_ID], NULL};
	s->pre = &pre;
	int rc = store_scan(s, &T_VISITS, add_visit, b, e);
	s->pre = NULL;
	return rc;
}

void book_free(struct book *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct cust *c = &b->c[i];
		free(c->name), free(c->owner), free(c->region);
		free(c->next_action);
	}
	free(b->c);
	free(b->by_seq);
	strmap_clear(&b->idx);
	memset(b, 0, sizeof *b);
}

int visit_summary(struct store *s, const char *customer, int32_t *last, int32_t *next,
	char **next_action, crm_err *e)
{
	rec *r = rec_set(rec_new(&T_CUSTOMERS), CU_ID, customer);
	struct book b;
	int rc = book_load_one(s, &b, r, e);
	*last = *next = INT32_MIN;
	*next_action = NULL;
	if (!rc && b.n) {
		*last = b.c[0].last;
		*next = b.c[0].next;
		if (*next != INT32_MIN)
			*next_action = xstrdup(b.c[0].next_action ? b.c[0].next_action : "");
	}
	book_free(&b);
	free(r);
	return rc;
}

int visit_check(struct store *s, struct tabedit *customers, const rec *v,
	const char *where, long line, crm_err *e)
{
	(void)s;
	for (int f = 1; f < T_VISITS.nf; f++) {
		const char *why = field_check(&T_VISITS.f[f], v->v[f], s->digits);
		if (!why && f == V_SUMMARY && !v->v[f][strspn(v->v[f], " \t")])
			why = "must not be empty";
		size_t n = strlen(v->v[f]), ok = utf8_valid(v->v[f], n);
		if (!why && ok != n)
			return crm_fail_at(e, where, line, T_VISITS.f[f].name, "invalid UTF-8 at byte %zu", ok + 1);
		if (why && !*v->v[f])
			return crm_fail_at(e, where, line, T_VISITS.f[f].name, "%s", why);
		if (why)
			return crm_fail_at(e, where, line, T_VISITS.f[f].name, "%s '%s'", why, v->v[f]);
	}
	rec *c;
	int rc = tabedit_get(customers, v->v[V_CUSTOMER], &c, e);
	if (rc)
		return rc;
	if (!c)
		return crm_fail_at(e, where, line, "customer", "no customer '%s'", v->v[V_CUSTOMER]);
	if (strcmp(c->v[CU_STATUS], "archived") == 0)
		return crm_fail_at(e, where, line, "customer", "%s '%s' is archived",
			c->v[CU_ID], c->v[CU_NAME]);
	if (*v->v[V_NEXT] && strcmp(v->v[V_NEXT], v->v[V_DATE]) < 0)
		return crm_fail_at(e, where, line, "next_date", "%s is before the visit date %s",
			v->v[V_NEXT], v->v[V_DATE]);
	return 0;
}

char *ratio_fmt(long long num, long long den, char *buf, size_t cap)
{
	if (den == 0) {
		snprintf(buf, cap, "0.00");
		return buf;
	}
	long long q = (num * 100 * 2 + den) / (den * 2); /* half up; counts are never negative */
	snprintf(buf, cap, "%lld.%02lld", q / 100, q % 100);
	return buf;
}
