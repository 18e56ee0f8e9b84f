/*
 * Rows made on several threads, put in order: each thread's rows are sorted
 * on a thread of their own, then merged. A reminder list of 850,000 rows
 * spent a quarter of its time in one qsort.
 */
#include <pthread.h>
#include <stdlib.h>
#include "psort.h"

struct part {
	struct recs *rs;
	int (*cmp)(const void *, const void *);
};

static void *sort_part(void *arg)
{
	struct part *p = arg;
	if (p->rs->n > 1)
		qsort(p->rs->r, p->rs->n, sizeof *p->rs->r, p->cmp);
	return NULL;
}

void recs_sort_merge(struct recs *parts, int n, int (*cmp)(const void *, const void *), struct recs *out)
{
	struct part p[PSORT_MAX];
	pthread_t th[PSORT_MAX];
	int started[PSORT_MAX] = {0};
	if (n > PSORT_MAX)
		n = PSORT_MAX;
	for (int k = 0; k < n; k++) {
		p[k] = (struct part){&parts[k], cmp};
		started[k] = k > 0 && pthread_create(&th[k], NULL, sort_part, &p[k]) == 0;
	}
	for (int k = 0; k < n; k++)
		if (!started[k])
			sort_part(&p[k]);
	for (int k = 0; k < n; k++)
		if (started[k])
			pthread_join(th[k], NULL);
	size_t at[PSORT_MAX] = {0};
	for (;;) {
		int best = -1;
		for (int k = 0; k < n; k++)
			if (at[k] < parts[k].n &&
			    (best < 0 || cmp(&parts[k].r[at[k]], &parts[best].r[at[best]]) < 0))
				best = k;
		if (best < 0)
			break;
		recs_push(out, parts[best].r[at[best]++]);
	}
	for (int k = 0; k < n; k++) {
		free(parts[k].r);
		parts[k].r = NULL;
		parts[k].n = parts[k].cap = 0;
	}
}
