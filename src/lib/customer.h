/* Customer rules: anti-collision (撞单), duplicates, merging, the pool. */
#ifndef CRM_CUSTOMER_H
#define CRM_CUSTOMER_H
#include "query.h"

/* Field indexes of customers, by name, checked at start-up by the tests. */
enum { CU_ID, CU_NAME, CU_PHONE, CU_REGION, CU_INDUSTRY, CU_GRADE, CU_OWNER,
	CU_SOURCE, CU_STATUS, CU_TERMS, CU_CREDIT, CU_CURRENCY, CU_CREATED, CU_UPDATED, CU_TAGS, CU_NOTE };

/*
 * A live customer of another owner whose folded name or phone equals r's:
 * CRM_EDATA naming it and its owner. Same-owner matches are only counted.
 */
int customer_collision(struct store *s, const rec *r, size_t *same_owner, crm_err *e);

struct dup_row {
	int group;
	const char *reason;
	rec *r;
};
/* Probable duplicates: same folded name, same phone, or names one edit apart. */
int customer_dups(struct store *s, struct dup_row **rows, size_t *n, crm_err *e);

/*
 * Repoints every reference to a duplicate (any table field declared FT_REF to
 * customers) to keep; stages the changed files. Counts the changed records.
 */
int customer_repoint(struct store *s, const char *keep, char **dups, int ndups,
	size_t *changed, crm_err *e);

/* Last visit date per customer id (for the pool rule and stale lists). */
struct lastvisit;
int lastvisit_load(struct store *s, struct lastvisit **lv, crm_err *e);
int32_t lastvisit_get(struct lastvisit *lv, const char *id); /* INT32_MIN if never */
void lastvisit_free(struct lastvisit *lv);
size_t lastvisit_count(struct lastvisit *lv);

#endif
