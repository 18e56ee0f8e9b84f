/*
 * A bulk write's files put, and their blobs made, while it is still staging:
 * each file put goes to a thread (one per core, each file always to the same
 * one) that writes it and hashes and deflates it beside the command's own work (an import parses and checks rows on one
 * core while the other writes the segments it filled and makes their blobs),
 * so the commit finds them on disk and made.
 */
#ifndef CRM_BLOBQ_H
#define CRM_BLOBQ_H
#include <git2.h>

struct blobq;

/* Writes buf to file (NULL: removes it); NULL, or what failed with errno set. */
typedef const char *blobq_put_fn(const char *file, const char *buf, size_t len);

/* A file put and its blob: what a pack keeps of it (packw_add). */
struct qblob {
	size_t k;          /* the staged file's index */
	unsigned gen;      /* which put of it: only the last one's blob is the file */
	const char *why;   /* what failed putting the file, errno in err; else NULL */
	int err;
	git_oid id;
	size_t size;
	unsigned char *z;  /* deflated; NULL when not made */
	size_t zlen;
};

/* NULL on one core: the threads would only take turns with the command. */
struct blobq *blobq_start(blobq_put_fn *put);
/* Put number gen of staged file k: buf (malloc'd, the queue's from now on) to be written
 * to file (NULL: removed), in the order given. */
void blobq_add(struct blobq *q, size_t k, unsigned gen, const char *file, char *buf, size_t len);
/* Every queued file put and blob made, the threads ended: how many there are... */
size_t blobq_finish(struct blobq *q);
/* ...each in the order queued. */
struct qblob *blobq_at(struct blobq *q, size_t i);
/* The threads ended (a file not begun yet is not put: the write was given up), all freed. */
void blobq_free(struct blobq *q);

#endif
