/*
 * An import of 100,000 customers touches some 40 MB in small allocations (a
 * record each) and its input: ten thousand page faults of 4 KiB, which on a
 * virtual machine cost more than the parsing (measured: a dry-run import of
 * 100,000 customers 0.83 s, 0.43 s with malloc in huge pages). The kernel
 * maps transparent huge pages where a range is advised MADV_HUGEPAGE (its
 * default mode is "madvise"); glibc does so itself only when told by
 * GLIBC_TUNABLES at start, which a command cannot set for itself.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "bulkmem.h"
#include "text.h"

#define HUGE_PAGE ((size_t)2 << 20)
#define WORTH ((size_t)8 << 20)

void bulk_buffer(void *p, size_t len)
{
	if (len < WORTH)
		return;
	uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t hi = ((uintptr_t)p + len) & ~(HUGE_PAGE - 1);
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* advice: refused is no error */
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

struct range {
	void *p;
	size_t len;
};

/* A step's pages are faulted in under the process's memory map lock: one call
 * for the whole range held it for half a second, 8 MB each 17 ms; the job's other threads,
 * starting or growing a heap (a write of the map), stood still until it ended. */
#define POPULATE_STEP ((size_t)2 << 20)

static void *populate(void *arg)
{
	struct range r = *(struct range *)arg;
	free(arg);
	for (size_t at = 0; at < r.len; at += POPULATE_STEP) {
		size_t n = r.len - at < POPULATE_STEP ? r.len - at : POPULATE_STEP;
		/* An older kernel refuses: the job faults the pages in itself. */
		if (madvise((char *)r.p + at, n, MADV_POPULATE_WRITE))
			break;
	}
	return NULL;
}

/*
 * The kernel zeroes each page on its first write: an import of a million lines
 * spent 8% of its one busy core in it, while the other core waited for blobs
 * to make. A thread of its own writes the range in first; whichever comes to
 * a page first maps it, so the job never waits on it.
 */
static void populate_behind(void *p, size_t len)
{
	pthread_t th;
	pthread_attr_t at;
	struct range *r = malloc(sizeof *r);
	if (!r || crm_threads() < 2 || pthread_attr_init(&at)) {
		free(r);
		return;
	}
	*r = (struct range){p, len};
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&th, &at, populate, r))
		free(r);
	pthread_attr_destroy(&at);
}

void bulk_heap(size_t bytes)
{
	if (bytes < WORTH)
		return;
	/* Kept in the heap, not given back between records and shards. */
	mallopt(M_TRIM_THRESHOLD, (int)(bytes > INT32_MAX / 2 ? INT32_MAX : bytes * 2));
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	/* One growth of the whole size, which this range then covers; later
	 * growths are small again (M_TOP_PAD back to its default). What the top
	 * of the heap still holds is taken first, a MiB at a time, until it grows. */
	void *start = sbrk(0), *taken[64];
	int n = 0;
	mallopt(M_TOP_PAD, (int)(bytes > INT32_MAX ? INT32_MAX : bytes));
	while (n < 64 && sbrk(0) == start && (taken[n] = malloc((size_t)1 << 20)) != NULL)
		n++;
	mallopt(M_TOP_PAD, 128 << 10);
	void *end = sbrk(0);
	while (n > 0)
		free(taken[--n]);
	if (start != (void *)-1 && end > start) {
		bulk_buffer(start, (size_t)((char *)end - (char *)start));
		populate_behind(start, (size_t)((char *)end - (char *)start));
	}
}
