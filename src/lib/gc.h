/*
 * `crm gc`: libgit2 writes every object loose and never packs, so a store
 * written all day gathers a file per object and history reads slow down.
 * This packs what is reachable and removes the loose copies the pack holds;
 * commits, refs and the work tree are not touched.
 */
#ifndef CRM_GC_H
#define CRM_GC_H
#include "store.h"

struct gc_result {
	size_t loose;          /* loose objects found before */
	size_t packed;         /* objects in the new pack (0: none written) */
	size_t removed;        /* loose objects removed, the pack holding them */
	size_t old_packs;      /* earlier packs removed, the new one holding all they held */
	char pack[64];         /* the new pack's name */
};

/* Takes the store's write lock for the whole run; dry_run only counts. */
int store_gc(struct store *s, int dry_run, struct gc_result *r, crm_err *e);

#endif
