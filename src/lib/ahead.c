/*
 * An import's reading (CSV, each field's check, a record made) on a thread
 * of its own, a batch ahead of the command's thread, which has the rest of
 * the work: of a million order lines' main thread, a tenth was the reading.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "input.h"

#define BLOCK ((size_t)256 << 10)
#define QUEUED 16 /* batches read and not yet taken: the reader waits past it */
/* Blocks and batches made by the calling thread, from its heap (reserved by
 * bulk_heap), and passed round: the reading thread growing a heap of its own
 * waited on the memory map lock, held by bulk_heap's faulting in, for 0.3 s. */
#define POOL_BLOCKS (4 * (QUEUED + 4))
#define POOL_BATCHES (QUEUED + 4)
#define AHEAD_FETCH 4 /* records fn is given, fetched that many ahead */

struct block {
	struct block *next;
	size_t used;
	char mem[];
};

struct batch {
	struct batch *next;
	rec *r[AHEAD_BATCH];
	size_t n;
	struct block *blocks; /* the records' memory */
	int last;             /* the reading ended after these: rc and err say how */
};

struct ahead {
	struct input *in;
	const struct table *t;
	int digits, partial;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *head, *tail, *cur;
	int queued, stop;
	int rc;
	crm_err err;
	rec_fn fn;             /* one thread: fn is run by keep, as each record is read */
	void *ctx;
	struct batch *kept[2]; /* the batch fn works in and the one before: still valid */
	struct block *blocks;  /* free, under mu */
	struct batch *batches;
};

/* A batch's blocks and itself back to the free ones (a block larger than BLOCK, for a
 * record that did not fit one, is freed). */
static void batch_free(struct ahead *a, struct batch *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&a->mu);
	for (struct block *k = b->blocks, *next; k; k = next) {
		next = k->next;
		if (k->used > BLOCK) {
			free(k);
			continue;
		}
		k->next = a->blocks;
		a->blocks = k;
	}
	b->next = a->batches;
	a->batches = b;
	pthread_mutex_unlock(&a->mu);
}

static void pool_free(struct ahead *a)
{
	for (struct block *k = a->blocks, *next; k; k = next) {
		next = k->next;
		free(k);
	}
	for (struct batch *b = a->batches, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	a->blocks = NULL;
	a->batches = NULL;
}

static struct batch *batch_new(struct ahead *a)
{
	pthread_mutex_lock(&a->mu);
	struct batch *b = a->batches;
	if (b)
		a->batches = b->next;
	pthread_mutex_unlock(&a->mu);
	if (!b)
		b = xmalloc(sizeof *b);
	memset(b, 0, offsetof(struct batch, r));
	b->n = 0;
	b->blocks = NULL;
	b->last = 0;
	return b;
}

static void *take(struct ahead *a, struct batch *b, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!b->blocks || b->blocks->used + n > BLOCK) {
		struct block *k = NULL;
		if (n <= BLOCK) {
			pthread_mutex_lock(&a->mu);
			if ((k = a->blocks))
				a->blocks = k->next;
			pthread_mutex_unlock(&a->mu);
		}
		if (!k)
			k = xmalloc(offsetof(struct block, mem) + (n > BLOCK ? n : BLOCK));
		k->next = b->blocks;
		k->used = 0;
		b->blocks = k;
	}
	void *p = b->blocks->mem + b->blocks->used;
	b->blocks->used += n;
	return p;
}

/* A copy of r in the batch's memory, as rec_dup makes one. */
static rec *copy(struct ahead *a, struct batch *b, const rec *r)
{
	size_t head = offsetof(rec, v) + (size_t)r->t->nf * sizeof(char *), sz = head, len[CSV_MAX_FIELDS];
	for (int i = 0; i < r->t->nf; i++)
		sz += (len[i] = strlen(r->v[i])) + 1;
	rec *c = take(a, b, sz);
	memset(c, 0, head);
	c->t = r->t;
	c->file = r->file;
	c->line = r->line;
	c->present = r->present;
	char *p = (char *)c + head;
	for (int i = 0; i < r->t->nf; i++) {
		memcpy(p, r->v[i], len[i] + 1);
		c->v[i] = p;
		p += len[i] + 1;
	}
	return c;
}

/* Hands the batch being filled to the command's thread; 1 when it stopped the reading. */
static int publish(struct ahead *a, int last)
{
	struct batch *b = a->cur;
	a->cur = last ? NULL : batch_new(a);
	b->last = last;
	pthread_mutex_lock(&a->mu);
	while (a->queued >= QUEUED && !a->stop && !last)
		pthread_cond_wait(&a->cv, &a->mu);
	if (a->tail)
		a->tail->next = b;
	else
		a->head = b;
	a->tail = b;
	a->queued++;
	int stop = a->stop;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return stop;
}

/* The batch fn takes records from now, the one before kept valid, the one before that freed. */
static void rotate(struct ahead *a, struct batch *b)
{
	batch_free(a, a->kept[0]);
	a->kept[0] = a->kept[1];
	a->kept[1] = b;
}

static int keep(void *ctx, rec *r, crm_err *e)
{
	struct ahead *a = ctx;
	struct batch *b = a->cur;
	rec *c = b->r[b->n++] = copy(a, b, r);
	if (a->fn) {
		int rc = a->fn(a->ctx, c, e);
		if (b->n == AHEAD_BATCH) {
			rotate(a, b);
			a->cur = batch_new(a);
		}
		return rc;
	}
	return b->n == AHEAD_BATCH && publish(a, 0) ? -1 : 0;
}

static void *reader(void *arg)
{
	struct ahead *a = arg;
	a->rc = input_records(a->in, a->t, a->digits, a->partial, keep, a, &a->err);
	publish(a, 1);
	return NULL;
}

static struct batch *next_batch(struct ahead *a)
{
	pthread_mutex_lock(&a->mu);
	while (!a->head)
		pthread_cond_wait(&a->cv, &a->mu);
	struct batch *b = a->head;
	a->head = b->next;
	if (!a->head)
		a->tail = NULL;
	a->queued--;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return b;
}

/* What was read past the batches kept: queued, and being filled. */
static void drop_unread(struct ahead *a)
{
	for (struct batch *b = a->head, *next; b; b = next) {
		next = b->next;
		batch_free(a, b);
	}
	a->head = a->tail = NULL;
	batch_free(a, a->cur);
	a->cur = NULL;
}

/* Stops the reader and drops what it read past the batches kept. */
static void reader_end(struct ahead *a)
{
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->th, NULL);
	drop_unread(a);
}

int input_records_ahead(struct input *in, const struct table *t, int digits, int partial,
	rec_fn fn, void *ctx, crm_err *e)
{
	struct ahead *a = xcalloc(1, sizeof *a);
	*a = (struct ahead){.in = in, .t = t, .digits = digits, .partial = partial};
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	for (int i = 0; i < POOL_BLOCKS; i++) {
		struct block *k = xmalloc(offsetof(struct block, mem) + BLOCK);
		k->next = a->blocks;
		a->blocks = k;
	}
	for (int i = 0; i < POOL_BATCHES; i++) {
		struct batch *b = xmalloc(sizeof *b);
		b->next = a->batches;
		a->batches = b;
	}
	a->cur = batch_new(a);
	in->ah = a;
	if (crm_threads() < 2 || pthread_create(&a->th, NULL, reader, a)) {
		/* One thread: read here, into the same batches (fn gets the same kind of record). */
		a->fn = fn;
		a->ctx = ctx;
		return input_records(in, t, digits, partial, keep, a, e);
	}
	int rc = 0;
	for (int last = 0; !rc && !last;) {
		struct batch *b = next_batch(a);
		rotate(a, b);
		for (size_t i = 0; i < b->n && !rc; i++) {
			/* The reading thread wrote them on the other core: asked for a few ahead, they
			 * are here when fn first reads them. */
			if (i + AHEAD_FETCH < b->n)
				for (int k = 0; k < 4; k++)
					__builtin_prefetch((const char *)b->r[i + AHEAD_FETCH] + 64 * k);
			rc = fn(ctx, b->r[i], e);
		}
		last = b->last;
	}
	reader_end(a);
	if (!rc && a->rc) {
		*e = a->err;
		rc = a->rc;
	}
	return rc;
}

void input_ahead_free(struct input *in)
{
	struct ahead *a = in->ah;
	if (!a)
		return;
	batch_free(a, a->kept[0]);
	batch_free(a, a->kept[1]);
	drop_unread(a);
	pool_free(a);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free(a);
	in->ah = NULL;
}
