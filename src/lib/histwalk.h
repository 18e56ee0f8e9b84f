/*
 * Walking history at scale: commits newest first without sorting the whole
 * graph first, and the id of one path's entry in a commit's tree found
 * without parsing trees that did not change (crm log ID, crm log).
 */
#ifndef CRM_HISTWALK_H
#define CRM_HISTWALK_H
#include <git2.h>
#include "err.h"
#include "strset.h"

/* Commits by commit time, newest first, each once (git log's default order):
 * a merge brings in both parents' lines. */
struct cwalk {
	git_repository *repo;
	git_commit **heap;
	size_t n, cap, seq;
	size_t *order;      /* insertion number: equal times come out as pushed */
	struct strset seen;
};
int cwalk_push(struct cwalk *w, const git_oid *id, crm_err *e);
/* 0 with *out (the caller frees it), 1 when the walk is over. */
int cwalk_next(struct cwalk *w, git_commit **out, crm_err *e);
/* A commit waiting in the walk (a parent of the one just taken, as a rule), else NULL. */
git_commit *cwalk_find(struct cwalk *w, const git_oid *id);
void cwalk_free(struct cwalk *w);

#define PATHOID_DEPTH 8
#define PATHOID_WAYS 4
/* One path's entry id in many trees. Trees along the path are remembered by
 * id per level, so a subtree that two commits share is read once. */
struct pathoid {
	git_odb *odb;
	char comp[PATHOID_DEPTH][64];
	int ncomp;
	struct pcache {
		git_oid tree, child;
		int valid, has;
	} cache[PATHOID_DEPTH][PATHOID_WAYS];
	int next[PATHOID_DEPTH];
};
int pathoid_init(struct pathoid *p, git_repository *repo, const char *path, crm_err *e);
void pathoid_free(struct pathoid *p);
/* The entry's id in the tree root (*has 0: no such file there). */
int pathoid_get(struct pathoid *p, const git_oid *root, git_oid *out, int *has, crm_err *e);

#endif
