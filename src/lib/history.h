/*
 * git history read as records: the audit log of one record, the summary of
 * each commit, and the record-level changes between two trees (undo, restore).
 */
#ifndef CRM_HISTORY_H
#define CRM_HISTORY_H
#include "edit.h"
#include "out.h"

/* The table a store path belongs to (its first folder), or NULL. */
const struct table *table_of_path(const char *path);
/* Records of one table file in a tree; a missing file has none. */
int tree_recs(struct store *s, git_tree *tree, const char *path, struct recs *rs, crm_err *e);
/* The file that holds id in tree (masters: its shard; ledgers: a segment of its month). */
int record_path(struct store *s, git_tree *tree, const char *id, char *path, size_t cap, crm_err *e);
rec *recs_find(struct recs *rs, const char *id);

/* `crm log`: one line per commit, newest first (max 0: all). */
int history_log(struct store *s, int max, enum outfmt fmt, crm_err *e);
/* `crm log ID`: each commit that changed the record, field by field. */
int history_log_id(struct store *s, const char *id, enum outfmt fmt, crm_err *e);

/* One changed record between an old and a new version of a file. */
struct change {
	const char *path;
	const rec *old;   /* NULL: added */
	const rec *new;   /* NULL: removed */
};
typedef int (*change_fn)(void *ctx, const struct change *c, crm_err *e);
/* Walks the record changes from tree a to tree b (table files only). */
int tree_changes(struct store *s, git_tree *a, git_tree *b, change_fn fn, void *ctx, crm_err *e);
/* Prints "ID field: old -> new" lines for a change (for -n and log). */
void change_print(const struct change *c, struct out *o, const char *const *lead, int nlead);

#endif
