#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "blobq.h"
#include "sha1.h"
#include "text.h"
#include "zfast.h"

struct job {
	struct qblob b;
	char *file;
	char *data;        /* the file's copy (NULL: a removal), until made */
	size_t len;
};

#define LANES 8

/* A thread of the queue: it takes the jobs of its lane, in the order queued. */
struct lane {
	struct blobq *q;
	pthread_t th;
	int no;
	size_t at;         /* the next job it looks at */
};

struct blobq {
	blobq_put_fn *put;
	struct lane lane[LANES];
	int nlanes;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job **j;    /* pointers: the array moves as it grows, a job being made does not */
	size_t n, cap;
	int closed, dropped;
};

/* Deflated as the pack's other objects are (packw.c). */
static void make(blobq_put_fn *put, struct zfast *zf, struct job *j)
{
	if ((j->b.why = put(j->file, j->data, j->len)))
		j->b.err = errno;
	if (j->data && !j->b.why && !zfast_deflate(zf, j->data, j->len, &j->b.z, &j->b.zlen)) {
		sha1_blob_id(&j->b.id, j->data, j->len);
		j->b.size = j->len;
	}
	free(j->data);
	j->data = NULL;
}

/* The lane's next job; NULL once the queue is closed and the lane has seen every job. */
static struct job *take(struct lane *l)
{
	struct blobq *q = l->q;
	struct job *j = NULL;
	pthread_mutex_lock(&q->mu);
	while (!j) {
		while (l->at == q->n && !q->closed)
			pthread_cond_wait(&q->cv, &q->mu);
		if (l->at == q->n || q->dropped)
			break;
		struct job *c = q->j[l->at++];
		if (c->b.k % (size_t)q->nlanes == (size_t)l->no)
			j = c;
	}
	pthread_mutex_unlock(&q->mu);
	return j;
}

/*
 * A staged file's puts all go to one lane, which writes them in the order
 * put, so the last put of a file is what stays; different files are written
 * and deflated on every core (an import of a million customers puts its
 * 2,000 shards at the end, and one thread deflating them all was a second).
 */
static void *worker(void *arg)
{
	struct lane *l = arg;
	struct zfast *zf = zfast_new();
	for (struct job *j; (j = take(l));)
		make(l->q->put, zf, j);
	zfast_free(zf);
	return NULL;
}

struct blobq *blobq_start(blobq_put_fn *put)
{
	int nt = crm_threads();
	if (nt < 2)
		return NULL;
	struct blobq *q = xcalloc(1, sizeof *q);
	q->put = put;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	for (int k = 0; k < nt && k < LANES; k++) {
		q->lane[k] = (struct lane){.q = q, .no = k};
		if (pthread_create(&q->lane[k].th, NULL, worker, &q->lane[k]))
			break;
		q->nlanes = k + 1;
	}
	if (!q->nlanes) {
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->cv);
		free(q);
		return NULL;
	}
	return q;
}

void blobq_add(struct blobq *q, size_t k, unsigned gen, const char *file, char *buf, size_t len)
{
	struct job *j = xcalloc(1, sizeof *j);
	j->b.k = k;
	j->b.gen = gen;
	j->file = xstrdup(file);
	j->data = buf;
	j->len = len;
	pthread_mutex_lock(&q->mu);
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 1024;
		q->j = xrealloc(q->j, q->cap * sizeof *q->j);
	}
	q->j[q->n++] = j;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

/* Ends the threads; with make_all, after every queued job is done, else after the ones they are doing. */
static void finish(struct blobq *q, int make_all)
{
	pthread_mutex_lock(&q->mu);
	int was = q->closed;
	q->closed = 1;
	if (!make_all)
		q->dropped = 1; /* a write given up: what is queued is not wanted */
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	for (int k = 0; !was && k < q->nlanes; k++)
		pthread_join(q->lane[k].th, NULL);
}

size_t blobq_finish(struct blobq *q)
{
	finish(q, 1);
	return q->n;
}

struct qblob *blobq_at(struct blobq *q, size_t i)
{
	return &q->j[i]->b;
}

void blobq_free(struct blobq *q)
{
	if (!q)
		return;
	finish(q, 0);
	for (size_t i = 0; i < q->n; i++) {
		free(q->j[i]->b.z);
		free(q->j[i]->data);
		free(q->j[i]->file);
		free(q->j[i]);
	}
	free(q->j);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q);
}
