/*
 * Blobs made while a bulk write is still staging its files: each file put
 * goes to a thread that hashes and deflates it beside the command's own work
 * (an import parses and checks rows on one core while the other makes the
 * blobs of the segments it filled), so the commit finds them made.
 */
#ifndef CRM_BLOBQ_H
#define CRM_BLOBQ_H
#include <git2.h>

struct blobq;

/* A made blob: what a pack keeps of it (packw_add). */
struct qblob {
	size_t k;          /* the staged file's index */
	unsigned gen;      /* which put of it: only the last one's blob is the file */
	git_oid id;
	size_t size;
	unsigned char *z;  /* deflated; NULL when it could not be made */
	size_t zlen;
};

/* NULL on one core: the thread would only take turns with the command. */
struct blobq *blobq_start(void);
/* A copy of buf is queued as put number gen of staged file k. */
void blobq_add(struct blobq *q, size_t k, unsigned gen, const char *buf, size_t len);
/* Every queued blob made (this thread helps), the thread ended: how many there are... */
size_t blobq_finish(struct blobq *q);
/* ...each in the order queued. */
struct qblob *blobq_at(struct blobq *q, size_t i);
/* The thread ended (a blob not begun yet is not made: the write was given up), all freed. */
void blobq_free(struct blobq *q);

#endif
