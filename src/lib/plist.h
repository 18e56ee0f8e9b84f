/* query_list's rows from every core (plist.c). */
#ifndef CRM_PLIST_H
#define CRM_PLIST_H
#include "query.h"

#define PLIST_ONE_THREAD (-3) /* not worth it here (or not possible): list on one thread */

/* The rows of q's table passing terms, written to stdout in file order; q->out started. */
int plist_run(struct query *q, char **terms, int nterms, crm_err *e);
#endif
