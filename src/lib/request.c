#include <stdlib.h>
#include <string.h>
#include "date.h"
#include "money.h"
#include "request.h"

void request_roles(const char *action, const char **r1, const char **r2)
{
	*r1 = "finance";
	*r2 = strcmp(action, "override") ? NULL : "director";
}

const char *request_may(struct store *s, const char *action)
{
	const char *r1, *r2;
	request_roles(action, &r1, &r2);
	if (store_has_role(s, r1))
		return r1;
	return r2 && store_has_role(s, r2) ? r2 : NULL;
}

int request_file(struct store *s, const char *action, const char *target, const char *value,
	const char *reason, char *id, size_t cap, crm_err *e)
{
	if (!reason || !*reason)
		return crm_fail(e, CRM_EUSAGE, "--request needs --reason: the approver reads why");
	char today[11];
	date_fmt(date_today(), today);
	static char empty[1];
	char *v[] = {empty, today, (char *)store_user(s), (char *)action, (char *)target,
		(char *)(value ? value : ""), (char *)reason, "pending", empty, empty, empty};
	rec *r = rec_pack(&T_REQUESTS, v);
	for (int f = 1; f < T_REQUESTS.nf; f++) {
		const char *why = field_check(&T_REQUESTS.f[f], r->v[f], s->digits);
		if (why) {
			int rc = crm_fail_at(e, "argument", 0, T_REQUESTS.f[f].name, "%s '%s'", why, r->v[f]);
			free(r);
			return rc;
		}
	}
	struct ledger l;
	ledger_init(&l, s, &T_REQUESTS);
	int rc = ledger_append(&l, r->v, id, cap, e);
	if (!rc)
		rc = ledger_flush(&l, e);
	ledger_free(&l);
	free(r);
	return rc;
}

struct pend {
	struct store *s;
	struct recs *out;
};

static int pend_keep(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct pend *p = ctx;
	if (!strcmp(r->v[RQ_STATUS], "pending") && request_may(p->s, r->v[RQ_ACTION]))
		recs_push(p->out, rec_dup(r));
	return 0;
}

int request_pending(struct store *s, struct recs *out, crm_err *e)
{
	struct pend p = {s, out};
	return store_scan(s, &T_REQUESTS, pend_keep, &p, e);
}

/* What the request asked, done through the guarded command's own code. */
static int request_apply(struct store *s, const rec *q, crm_err *e)
{
	struct ar a;
	ar_init(&a, s);
	int rc;
	if (!strcmp(q->v[RQ_ACTION], "override")) {
		int64_t r = -1;
		if (*q->v[RQ_VALUE] && money_parse(q->v[RQ_VALUE], 2, &r))
			r = -1;
		rc = ar_override(&a, q->v[RQ_TARGET], (int32_t)r, e);
	} else {
		char today[11];
		rc = ar_writeoff(&a, q->v[RQ_TARGET], date_fmt(date_today(), today), q->v[RQ_REASON], e);
	}
	if (!rc)
		rc = ar_flush(&a, e);
	ar_free(&a);
	return rc;
}

int request_decide(struct store *s, const char *id, int approve, const char *note,
	char *summary, size_t cap, crm_err *e)
{
	struct ledit le;
	rec **slot;
	ledit_init(&le, s, &T_REQUESTS, "request");
	char dir[64];
	int rc = id_check(id) || ledger_dir_of(&T_REQUESTS, id, dir, sizeof dir) ?
		crm_fail(e, CRM_ENOTFOUND, "no request '%s'", id) : ledit_get(&le, id, &slot, e);
	const char *role = NULL;
	if (!rc && strcmp((*slot)->v[RQ_STATUS], "pending"))
		rc = crm_fail(e, CRM_EDATA, "%s is %s already (by %s)", id, (*slot)->v[RQ_STATUS], (*slot)->v[RQ_DECIDED_BY]);
	if (!rc && !(role = request_may(s, (*slot)->v[RQ_ACTION]))) {
		const char *r1, *r2;
		request_roles((*slot)->v[RQ_ACTION], &r1, &r2);
		rc = crm_fail(e, CRM_EPERM, "%s asks for %s: needs the %s%s%s role; %s is not a member", id,
			(*slot)->v[RQ_ACTION], r1, r2 ? " or " : "", r2 ? r2 : "", store_user(s));
	}
	if (!rc && approve)
		rc = request_apply(s, *slot, e);
	if (!rc) {
		char today[11];
		rec *q = *slot;
		snprintf(summary, cap, "%s %s (%s %s%s%s, asked by %s: %s) by %s (%s)%s%s", approve ? "approve" : "reject",
			id, q->v[RQ_ACTION], q->v[RQ_TARGET], *q->v[RQ_VALUE] ? " " : "", q->v[RQ_VALUE], q->v[RQ_BY],
			q->v[RQ_REASON], store_user(s), role, note && *note ? ": " : "", note ? note : "");
		q = rec_set(q, RQ_STATUS, approve ? "approved" : "rejected");
		q = rec_set(q, RQ_DECIDED_BY, store_user(s));
		q = rec_set(q, RQ_DECIDED, date_fmt(date_today(), today));
		*slot = rec_set(q, RQ_NOTE, note ? note : "");
		rc = ledit_flush(&le, e);
	}
	ledit_free(&le);
	return rc;
}
