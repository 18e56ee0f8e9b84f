/*
 * Visits read as a book of customers: one pass over the ledger keeps, per
 * customer, the last visit, the open follow-up and the visits of a period,
 * so memory grows with customers, never with visits.
 */
#ifndef CRM_VISIT_H
#define CRM_VISIT_H
#include "customer.h"
#include "strset.h"

struct cust {
	char id[48];             /* ids are at most 40 bytes (id_check) */
	char *name, *owner, *region;
	char grade;              /* 'A'..'D', or 0 */
	int archived;
	int32_t created;         /* INT32_MIN when unknown */
	int32_t last;            /* last visit, INT32_MIN when never */
	int32_t next;            /* open follow-up: the last visit's next date, not done */
	unsigned in_period;      /* visits between from and to */
	/* Inline, not allocated: ten million visits each replace them. */
	char last_id[48], next_visit[48], next_by[48];
	char *next_action;
};

struct book {
	struct cust *c;
	size_t n, cap;
	struct strmap idx;
	size_t *by_seq;          /* seq -> index + 1, for ids in the plain format */
	size_t nseq;
	int32_t from, to;        /* the period counted in in_period */
};

/* Every customer, then every visit (with from > to, no period is counted). */
int book_load(struct store *s, struct book *b, int32_t from, int32_t to, crm_err *e);
struct cust *book_find(struct book *b, const char *id);
/* One customer's visits only (for show): lines without its id are skipped unread. */
int book_load_one(struct store *s, struct book *b, const rec *customer, crm_err *e);
void book_free(struct book *b);

/* The segment holding a visit, its records, and the visit's place among them. */
int visit_find(struct store *s, const char *id, char *path, size_t cap,
	struct recs *rs, size_t *at, crm_err *e);
/* A visit record checked as a whole: customer known and live, dates in order. */
int visit_check(struct store *s, struct tabedit *customers, const rec *v,
	const char *where, long line, crm_err *e);

/* "12.34" from num/den with two decimals, half away from zero; integers only. */
char *ratio_fmt(long long num, long long den, char *buf, size_t cap);

#endif
