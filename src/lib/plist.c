/*
 * A list over a large table: its files read on every core, each thread with
 * its own filter (PCRE2 match data and the per-file column plan are not
 * shared), each file's rows formatted into a buffer of its own, and the
 * buffers written in file order as they are done, so the output is exactly
 * what one thread would print. A table shown aligned (a terminal) must see
 * every row first: it is listed by one thread, as before.
 *
 * The thread that writes lists files too while the next one in order is not
 * done: waiting on a condition for each of 2,000 files cost 3,600 context
 * switches and half again the CPU of one thread.
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
	int rc;
	atomic_int done;
	crm_err e;
};

struct plist {
	struct query *q;
	char **terms;
	int nterms;
	char **paths;
	size_t n;
	atomic_size_t next;
	atomic_int stop, waiting;
	struct slot *slot;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* What one thread lists with: its own copy of the query, filter and read buffer. */
struct lister {
	struct query q;
	crm_err e;
	int rc;
	sbuf rd;
	struct csv_pre pre;
};

static void lister_init(struct lister *l, const struct plist *p)
{
	memset(l, 0, sizeof *l);
	l->q = *p->q;
	l->q.flt = NULL;
	l->q.matched = 0;
	memset(&l->q.out, 0, sizeof l->q.out);
	l->q.out.fmt = p->q->out.fmt;
	l->q.out.n = p->q->out.n;
	l->q.out.cols = p->q->out.cols;
	l->q.out.spreadsheet = p->q->out.spreadsheet;
	l->rc = filter_parse(&l->q.flt, l->q.t->f, l->q.t->nf, p->terms, p->nterms, l->q.s->digits, &l->e);
	l->pre = (struct csv_pre){filter_line, filter_skip, l->q.flt, filter_header};
}

static void lister_free(struct lister *l)
{
	sb_free(&l->rd);
	sb_free(&l->q.out.line);
	filter_free(l->q.flt);
}

/* File i into its slot; the writer is woken only when it waits. */
static void list_file(struct plist *p, struct lister *l, size_t i)
{
	struct slot *sl = &p->slot[i];
	if (!l->rc && !atomic_load(&p->stop)) {
		l->q.out.capture = &sl->out;
		l->q.matched = 0;
		sl->rc = store_scan_file_pre(l->q.s, l->q.t, p->paths[i], &l->rd, &l->pre, query_one, &l->q, &sl->e);
		sl->matched = l->q.matched;
	} else {
		sl->rc = l->rc ? l->rc : CSV_STOP;
		sl->e = l->e;
	}
	atomic_store(&sl->done, 1);
	if (atomic_load(&p->waiting)) {
		pthread_mutex_lock(&p->mu);
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

static void *worker(void *arg)
{
	struct plist *p = arg;
	struct lister l;
	lister_init(&l, p);
	for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->n;)
		list_file(p, &l, i);
	lister_free(&l);
	return NULL;
}

/* Until file i is done: list the next file not taken, or, when none is left, wait. */
static void await_file(struct plist *p, struct lister *l, size_t i)
{
	while (!atomic_load(&p->slot[i].done)) {
		size_t j = atomic_fetch_add(&p->next, 1);
		if (j < p->n) {
			list_file(p, l, j);
			continue;
		}
		pthread_mutex_lock(&p->mu);
		atomic_store(&p->waiting, 1);
		while (!atomic_load(&p->slot[i].done))
			pthread_cond_wait(&p->cv, &p->mu);
		atomic_store(&p->waiting, 0);
		pthread_mutex_unlock(&p->mu);
	}
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
	atomic_init(&p.waiting, 0);
	p.slot = xcalloc(n, sizeof *p.slot);
	for (size_t i = 0; i < n; i++)
		atomic_init(&p.slot[i].done, 0);
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	pthread_t th[MAX_THREADS];
	int started = 0;
	for (; started < nt - 1; started++)
		if (pthread_create(&th[started], NULL, worker, &p))
			break;
	/* This thread writes each file's rows in order, as soon as they are there,
	 * listing files itself meanwhile (q is the threads' to copy until they are
	 * joined: matched is added then). */
	struct lister mine;
	lister_init(&mine, &p);
	size_t matched = 0;
	for (size_t i = 0; i < n; i++) {
		await_file(&p, &mine, i);
		struct slot *sl = &p.slot[i];
		if (!rc && sl->rc && sl->rc != CSV_STOP) {
			rc = sl->rc;
			*e = sl->e;
			atomic_store(&p.stop, 1);
		}
		if (!rc) {
			fwrite(sl->out.s ? sl->out.s : "", 1, sl->out.len, stdout);
			matched += sl->matched;
		}
		sb_free(&sl->out);
	}
	for (int k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	lister_free(&mine);
	q->matched += matched;
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	free(p.slot);
	store_list_free(paths, n);
	return rc;
}
