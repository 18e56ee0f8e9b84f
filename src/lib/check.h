/* crm check: every file against its schema, ids, references, and the git objects. */
#ifndef CRM_CHECK_H
#define CRM_CHECK_H
#include "store.h"

struct check_report {
	size_t files, records, problems;
	/* Called once per problem, with the `file:line: field: message` text. */
	void (*problem)(void *ctx, const char *msg);
	void *ctx;
};

int store_check(struct store *s, struct check_report *r, crm_err *e);
/* Writes .git/hooks/pre-commit running `crm check --quiet`. */
int check_install_hook(struct store *s, crm_err *e);

#endif
