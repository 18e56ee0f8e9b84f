/*
 * Conflicts a merge could not settle: conflicts.csv in the store (written by
 * crm sync in its merge commit), and .git/crm-conflicts for those git's own
 * merge (the merge driver) found, until crm sync or crm resolve commits them.
 */
#ifndef CRM_CONFLICT_H
#define CRM_CONFLICT_H
#include "merge.h"
#include "store.h"

/* Every unsettled conflict, committed and pending, one record each (T_CONFLICTS). */
int conflicts_load(struct store *s, struct recs *rs, crm_err *e);
/* Only those git's merge driver left in .git/crm-conflicts, added to rs. */
int conflicts_load_pending(struct store *s, struct recs *rs, crm_err *e);
/* Adds conflicts found merging ours_commit with theirs_commit to rs (a later one replaces an earlier of the same field). */
void conflicts_add(struct recs *rs, const struct conflicts *cs, const char *ours_commit,
	const char *theirs_commit, const char *date);
/* Stages conflicts.csv holding rs (removed when rs is empty). */
int conflicts_stage(struct store *s, struct recs *rs, crm_err *e);
/* After the commit that holds them: the pending file goes. */
void conflicts_pending_drop(struct store *s);
/* The merge driver's way: append to the pending file of the repository at gitdir. */
int conflicts_pending_append(const char *gitdir, const struct conflicts *cs, const char *ours_commit,
	const char *theirs_commit, const char *date, crm_err *e);
/* How many are unsettled, cheaply (for the warning every write gives). */
long conflicts_count(struct store *s);
/* `crm resolve ID [field=value...] [--theirs]`: sets the values, settles the conflicts. */
int conflicts_resolve(struct store *s, const char *id, char **assign, int nassign, int theirs,
	char *summary, size_t cap, crm_err *e);

#endif
