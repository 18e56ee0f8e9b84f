/* Sorting rows made on several threads (psort.c). */
#ifndef CRM_PSORT_H
#define CRM_PSORT_H
#include "schema.h"

#define PSORT_MAX 8
/* An array of n elements. */
struct psort_part {
	void *base;
	size_t n;
};
/* The elements of parts[0..n) (n <= PSORT_MAX, each size bytes) sorted in place by cmp
 * (qsort's), each part on a thread of its own, then merged: out[0..total) points at
 * them in order. */
void psort_merge(const struct psort_part *parts, int n, size_t size, int (*cmp)(const void *, const void *),
	const void **out);
/* The rows of parts[0..n) in cmp's order (qsort's, on rec **) appended to out; parts emptied. */
void recs_sort_merge(struct recs *parts, int n, int (*cmp)(const void *, const void *), struct recs *out);
#endif
