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

/* Called for each visit read by book_load_period, with its customer (or NULL). */
typedef int (*book_visit_fn)(void *ctx, const rec *visit, int32_t day, struct cust *c);

struct book {
	struct cust *c;
	size_t n, cap;
	struct strmap idx;
	size_t *by_seq;          /* seq -> index + 1, for ids in the plain format */
	size_t nseq;
	int32_t from, to;        /* the period counted in in_period */
	book_visit_fn fn;
	void *ctx;
};

/* Every customer, then every visit (with from > to, no period is counted). */
int book_load(struct store *s, struct book *b, int32_t from, int32_t to, crm_err *e);
/*
 * Every customer, and the visits of the months that overlap [from, to] only
 * (a period skips whole segments), each also offered to fn. last and next
 * are not kept: they need the whole ledger.
 */
int book_load_period(struct store *s, struct book *b, int32_t from, int32_t to,
	book_visit_fn fn, void *ctx, crm_err *e);
struct cust *book_find(struct book *b, const char *id);
/* One customer's visits only (for show): lines without its id are skipped unread. */
int book_load_one(struct store *s, struct book *b, const rec *customer, crm_err *e);
void book_free(struct book *b);

/*
 * For crm-customer show: the customer's last visit and open follow-up
 * (INT32_MIN when none; *next_action is malloc'd, or NULL).
 */
int visit_summary(struct store *s, const char *customer, int32_t *last, int32_t *next,
	char **next_action, crm_err *e);

/* A visit record checked as a whole: customer known and live, dates in order. */
int visit_check(struct store *s, struct tabedit *customers, const rec *v,
	const char *where, long line, crm_err *e);

/* "12.34" from num/den with two decimals, half away from zero; integers only. */
char *ratio_fmt(long long num, long long den, char *buf, size_t cap);

#endif
