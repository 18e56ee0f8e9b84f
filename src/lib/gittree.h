/* Commit trees built from the parent's, along the changed paths only. */
#ifndef CRM_GITTREE_H
#define CRM_GITTREE_H
#include <git2.h>
#include "err.h"

/*
 * The tree of base with each paths[i] (sorted) set to the work-tree file of
 * that name under root. Only the folders on those paths are rewritten, so a
 * one-file change costs the same in a store of a thousand files or a million.
 */
int tree_update(git_repository *repo, git_tree *base, const char *root,
	char **paths, size_t n, git_oid *out, crm_err *e);
/* The same, giving each path's blob id in blobs[i] and, when trees is not
 * NULL, the ids of the trees it wrote in *trees (*ntrees of them; to free).
 * A blobs[i] not zero on entry is the file's blob, made already. */
int tree_update_blobs(git_repository *repo, git_tree *base, const char *root,
	char **paths, size_t n, git_oid *blobs, git_oid *out,
	git_oid **trees, size_t *ntrees, crm_err *e);

#endif
