/* Sorting rows made on several threads (psort.c). */
#ifndef CRM_PSORT_H
#define CRM_PSORT_H
#include "schema.h"

#define PSORT_MAX 8
/* The rows of parts[0..n) (n <= PSORT_MAX) in cmp's order (qsort's, on rec **) appended to out; parts emptied. */
void recs_sort_merge(struct recs *parts, int n, int (*cmp)(const void *, const void *), struct recs *out);
#endif
