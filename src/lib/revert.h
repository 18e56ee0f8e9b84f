/* undo and restore: new commits that put records back, never a rewrite of history. */
#ifndef CRM_REVERT_H
#define CRM_REVERT_H
#include "history.h"

/* Reverses one commit record by record; refuses when a later commit changed the same field. */
int store_undo(struct store *s, const char *rev, enum outfmt fmt, crm_err *e);
/* Records (ids), tables (names) or the whole store (none) as they were at rev. */
int store_restore(struct store *s, const char *rev, char **args, int nargs,
	enum outfmt fmt, crm_err *e);

#endif
