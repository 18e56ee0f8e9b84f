/*
 * A list over a large table: its files read on every core, each thread with
 * its own filter (PCRE2 match data and the per-file column plan are not
 * shared), each file's rows formatted into a buffer of its own, and the
 * buffers written in file order as they are done, so the output is exactly
 * what one thread would print. A table shown aligned (a terminal) must see
 * every row first: it is listed by one thread, as before.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "filter.h"
#include "plist.h"

#define MIN_FILES 8   /* fewer files are not worth the threads */
#define MAX_THREADS 8

struct slot {
	sbuf out;
	size_t matched;
	int rc, done;
	crm_err e;
};

struct plist {
	struct query *q;
	char **terms;
	int nterms;
	char **paths;
	size_t n;
	atomic_size_t next;
	atomic_int stop;
	struct slot *slot;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *worker(void *arg)
{
	struct plist *p = arg;
	struct query q = *p->q;
	crm_err e = {0};
	q.flt = NULL;
	q.matched = 0;
	memset(&q.out, 0, sizeof q.out);
	q.out.fmt = p->q->out.fmt;
	q.out.n = p->q->out.n;
	q.out.cols = p->q->out.cols;
	q.out.spreadsheet = p->q->out.spreadsheet;
	int rc = filter_parse(&q.flt, q.t->f, q.t->nf, p->terms, p->nterms, q.s->digits, &e);
	struct csv_pre pre = {filter_line, filter_skip, q.flt, filter_header};
	sbuf rd = {0};
	for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->n;) {
		struct slot *sl = &p->slot[i];
		if (!rc && !atomic_load(&p->stop)) {
			q.out.capture = &sl->out;
			q.matched = 0;
			sl->rc = store_scan_file_pre(q.s, q.t, p->paths[i], &rd, &pre, query_one, &q, &sl->e);
			sl->matched = q.matched;
		} else {
			sl->rc = rc ? rc : CSV_STOP;
			sl->e = e;
		}
		pthread_mutex_lock(&p->mu);
		sl->done = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	sb_free(&rd);
	sb_free(&q.out.line);
	filter_free(q.flt);
	return NULL;
}

int plist_run(struct query *q, char **terms, int nterms, crm_err *e)
{
	int nt = scan_workers(q->s);
	if (nt > MAX_THREADS)
		nt = MAX_THREADS;
	char **paths;
	size_t n;
	int rc = store_list(q->s, q->t->name, &paths, &n, e);
	if (rc)
		return rc;
	if (nt < 2 || n < MIN_FILES || q->keep || q->out.fmt == OUT_TABLE) {
		store_list_free(paths, n);
		return PLIST_ONE_THREAD;
	}
	struct plist p = {.q = q, .terms = terms, .nterms = nterms, .paths = paths, .n = n};
	atomic_init(&p.next, 0);
	atomic_init(&p.stop, 0);
	p.slot = xcalloc(n, sizeof *p.slot);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	pthread_t th[MAX_THREADS];
	int started = 0;
	for (; started < nt; started++)
		if (pthread_create(&th[started], NULL, worker, &p))
			break;
	if (!started) /* no thread at all: one file after another here */
		worker(&p);
	/* This thread writes each file's rows in order, as soon as they are there. */
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_lock(&p.mu);
		while (!p.slot[i].done)
			pthread_cond_wait(&p.cv, &p.mu);
		pthread_mutex_unlock(&p.mu);
		struct slot *sl = &p.slot[i];
		if (!rc && sl->rc && sl->rc != CSV_STOP) {
			rc = sl->rc;
			*e = sl->e;
			atomic_store(&p.stop, 1);
		}
		if (!rc) {
			fwrite(sl->out.s ? sl->out.s : "", 1, sl->out.len, stdout);
			q->matched += sl->matched;
		}
		sb_free(&sl->out);
	}
	for (int k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	free(p.slot);
	store_list_free(paths, n);
	return rc;
}
