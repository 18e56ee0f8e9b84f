/*
 * Many clones, one store: fetch, merge by record (merge.c), one merge commit
 * through the write path, push; and the git merge driver that lets plain
 * `git pull` merge records too.
 */
#ifndef CRM_SYNC_H
#define CRM_SYNC_H
#include "store.h"

struct sync_report {
	size_t in, out;        /* commits brought in, commits pushed */
	size_t files, conflicts;
	int ff, merged, pushed, retries;
};

/* Registers the merge driver in .git/config (idempotent; crm init, clone and sync call it). */
int sync_setup(struct store *s, crm_err *e);
/* crm sync: remote NULL means crm.remote, else origin. */
int sync_run(struct store *s, const char *remote, struct sync_report *r, crm_err *e);
/* crm sync --status: ahead/behind of the remote as last fetched (fetching when it can). */
int sync_status(struct store *s, const char *remote, FILE *out, crm_err *e);
/* crm clone URL DIR. */
int sync_clone(const char *url, const char *dir, const char *prog, crm_err *e);
/* git's merge driver: `crm merge-driver %O %A %B %P`, the result left in %A. */
int sync_merge_driver(const char *base, const char *ours, const char *theirs, const char *path, crm_err *e);

#endif
