/*
 * The objects of one large commit as one pack, not as thousands of loose
 * files: each loose object is a new file (a new inode) and a sync, which on a
 * busy file system cost more than the deflate. An import of 1,000,000 order
 * lines writes 9,000 objects.
 */
#ifndef CRM_PACKW_H
#define CRM_PACKW_H
#include <git2.h>
#include "err.h"

struct packw;

/* A repository over the same objects whose new ones are kept in memory for the pack. */
int packw_open(git_repository *repo, struct packw **pw, git_repository **out, crm_err *e);
/* Writes them as objects/pack/pack-SHA.pack and .idx (the index last: a
 * reader finds a pack by its index); the two paths, to be synced. */
int packw_write(struct packw *pw, char *pack, char *idx, size_t cap, crm_err *e);
/* The repository and what it kept. */
void packw_close(struct packw *pw);
/* The packw whose repository repo is, or NULL: a bulk write's blobs made on
 * every core (gittree.c) go into its pack too, through... */
struct packw *packw_of(git_repository *repo);
/* ...a database handle of each thread's own (writes deflate in parallel). */
int packw_thread_odb(struct packw *pw, git_odb **out);
/* An object deflated already (Z_BEST_SPEED, as the others), of size bytes
 * inflated; the pack takes z (freed if it has the object). */
int packw_add(struct packw *pw, const git_oid *id, git_object_t type, size_t size, unsigned char *z, size_t zlen);

#endif
