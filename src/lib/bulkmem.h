/* Memory for bulk jobs in huge pages: one page fault per 2 MiB, not per 4 KiB. */
#ifndef CRM_BULKMEM_H
#define CRM_BULKMEM_H
#include <stddef.h>

/* The heap grown at once by about bytes (a job of that many small allocations
 * to come: an import's records), advised to use huge pages and faulted in by a
 * thread of its own on a second core. Below 8 MiB, nothing. */
void bulk_heap(size_t bytes);
/* The same advice for one large buffer, before it is first written. */
void bulk_buffer(void *p, size_t len);

#endif
