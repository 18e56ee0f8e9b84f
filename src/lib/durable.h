/* Files and folders made durable together: one wait for all of them, not one each. */
#ifndef CRM_DURABLE_H
#define CRM_DURABLE_H
#include <stddef.h>

struct durable {
	char **paths;
	size_t n;
	int all;       /* syncfs instead: a set too large to list, or files made by others (a fetch) */
};

/* Adds path once; a path that is gone by the sync is skipped (an object git already had packed). */
void durable_add(struct durable *d, const char *path);
/* The folders holding path, from its own up to stop (a prefix of path; NULL:
 * its own only) included: a file new in a new folder is durable only when
 * every entry on its way is. */
void durable_add_dirs(struct durable *d, const char *path, const char *stop);
/*
 * fsync of every path at once, from a few threads: the file system commits
 * them in one journal transaction and one cache flush, as syncfs would, but
 * never waits for other programs' unwritten data as syncfs does. 0, or -1 with
 * errno set and *failed the path that failed. fs is any path on the file
 * system, for the syncfs of a large set.
 */
int durable_sync(struct durable *d, const char *fs, const char **failed);
void durable_free(struct durable *d);

#endif
