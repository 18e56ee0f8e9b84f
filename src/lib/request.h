/*
 * Approvals (DESIGN §5): what a role guards, anyone may ask for instead. A
 * request is a ledger line with the reason; a member's approve applies
 * exactly what was asked, through the same code as the guarded command.
 */
#ifndef CRM_REQUEST_H
#define CRM_REQUEST_H
#include "ar.h"

enum { RQ_ID, RQ_DATE, RQ_BY, RQ_ACTION, RQ_TARGET, RQ_VALUE, RQ_REASON, RQ_STATUS, RQ_DECIDED_BY,
	RQ_DECIDED, RQ_NOTE };

/* The roles that may do an action: override (finance, director), writeoff (finance). */
void request_roles(const char *action, const char **r1, const char **r2);
/* Does the acting user hold a role that may do it? The role's name, or NULL. */
const char *request_may(struct store *s, const char *action);
/* Files a pending request (no commit); its id goes into id. */
int request_file(struct store *s, const char *action, const char *target, const char *value,
	const char *reason, char *id, size_t cap, crm_err *e);
/* Every pending request the acting user may decide, in id order. */
int request_pending(struct store *s, struct recs *out, crm_err *e);
/*
 * Approves (applying it as asked) or rejects a pending request: 77 for
 * anyone without the role; what was done goes into summary for the commit.
 */
int request_decide(struct store *s, const char *id, int approve, const char *note,
	char *summary, size_t cap, crm_err *e);

#endif
