/*
 * Changing records. Master tables live in shards of 500 ids
 * (customers/001/123500.csv holds ids numbered 123500-123999), kept sorted, so
 * a one-record write rewrites one small file. Ledgers are appended to segments
 * of a month folder (visits/2026-11/0003.csv), each capped in size.
 */
#ifndef CRM_EDIT_H
#define CRM_EDIT_H
#include "store.h"

#define SHARD_IDS 500

/* The number in an id: its last run of digits before any '-' (the clone's node). */
unsigned long long id_seq(const char *id);
void shard_path(struct store *s, const struct table *t, const char *id, char *out, size_t cap);
/* How many shards a hashed table has in store s (NULL: a new store's): a store made before open/
 * had 4096 keeps its 1024. */
int table_shards(struct store *s, const struct table *t);
/* FNV-1a of a text key up to any '@' (a SKU's products and stock shards share it). */
unsigned key_hash(const char *key);

struct shard {
	unsigned long long key;
	char *path;
	struct recs rs;
	/* key_rank of each record, beside rs: a search reads ranks, not records
	 * (a pointer, a record and its key are three cache misses a step). */
	unsigned long long *rank;
	size_t rcap;
	int dirty;
	/* A hashed table's keys in one shard share a prefix (SKU-00 of SKU-000076):
	 * their ranks are the 8 bytes past it, or every product ranked alike. */
	unsigned char skip;
	char pre[24];
	/* Records past the first `sorted` were added (tabedit_add) and are put in
	 * order at the shard's next look-up or flush. */
	size_t sorted;
	size_t marked;    /* records the tabedit's mark picks */
};

struct tabedit {
	struct store *s;
	const struct table *t;
	struct shard **sh;
	size_t n, cap;
	struct shslot {   /* open addressing on shard key: the key beside the shard, so a probe reads no shard */
		unsigned long long key;
		struct shard *sh; /* NULL: empty */
	} *ht;
	size_t htcap;
	unsigned long long next_seq;
	struct recs peeked; /* records read by tabedit_peek, owned here */
	unsigned long long *once; /* shards peeked at once: a second look loads the shard */
	size_t nonce;
	rec *last;        /* what tabedit_get found last, until a put or del */
	int (*mark)(const rec *); /* records each shard counts (open/: credits), or NULL */
};

void tabedit_init(struct tabedit *te, struct store *s, const struct table *t);
void tabedit_free(struct tabedit *te);
/* The record with that id, or NULL (status 0) when there is none. */
int tabedit_get(struct tabedit *te, const char *id, rec **out, crm_err *e);
/*
 * The same, for a record only looked at: when its shard is not loaded, only
 * its line is read (a check of one product need not parse a thousand); a
 * shard looked into twice is loaded (an import checks a million lines).
 */
int tabedit_peek(struct tabedit *te, const char *id, rec **out, crm_err *e);
/* Inserts or replaces by id; takes ownership of r. */
int tabedit_put(struct tabedit *te, rec *r, crm_err *e);
/* The same for a record whose key the table cannot have (a new document's):
 * appended, and sorted in with the shard's others when it is next looked at. */
int tabedit_add(struct tabedit *te, rec *r, crm_err *e);
/* A new id for r, from customer.id-format (masters) and the clone's node. */
int tabedit_mint(struct tabedit *te, const rec *r, char *id, size_t cap, crm_err *e);
/* The records whose key begins with prefix ("C000042@": a customer's open items), a run of
 * their sorted shard found by binary search (hash shards: the prefix ends at its '@'). */
int tabedit_prefix(struct tabedit *te, const char *prefix, rec ***first, size_t *n, crm_err *e);
/* How many records of key's shard the tabedit's mark picks: none there, none for key. */
int tabedit_marked(struct tabedit *te, const char *key, size_t *out, crm_err *e);
/* Removes the record with that key, if there is one. */
int tabedit_del(struct tabedit *te, const char *key, crm_err *e);
/* Stages every changed shard. */
int tabedit_flush(struct tabedit *te, crm_err *e);

struct segment {
	char month[8];    /* YYYY-MM */
	char *path;
	int no;
	int flat;         /* the month has segments past the first folder's, not in sub-folders */
	sbuf buf;
	unsigned long long last_seq;
	size_t rows;
	int dirty;
};

struct ledger {
	struct store *s;
	const struct table *t;
	struct segment *seg;
	size_t n;
	size_t cap_bytes;
	/* month -> index + 1 in seg, open addressing: an import appends
	 * millions of records over a few dozen months */
	struct month_slot {
		unsigned long long month;
		size_t idx;
	} *bym;
	size_t bymcap;
};

void ledger_init(struct ledger *l, struct store *s, const struct table *t);
void ledger_free(struct ledger *l);
/* Appends the record of values v, l's table's fields (its id v[0] minted here
 * when empty: then v[0] points to idout, where it is written). */
int ledger_append(struct ledger *l, char **v, char *idout, size_t cap, crm_err *e);
int ledger_flush(struct ledger *l, crm_err *e);
/*
 * Ledger records changed in place (a visit done, an invoice's override): each
 * segment is read once and staged once, so several ids in one segment all keep
 * their change. Only the segments of the id's month are read, newest first.
 */
struct ledit {
	struct store *s;
	const struct table *t;
	const char *noun;  /* "visit", for "no visit 'V...'" */
	struct lseg {
		char *path;
		struct recs rs;
		int dirty;
	} *seg;
	size_t n;
};
void ledit_init(struct ledit *ve, struct store *s, const struct table *t, const char *noun);
/* The record, to replace in place (*slot = rec_set(*slot, ...)); 1 when unknown. */
int ledit_get(struct ledit *ve, const char *id, rec ***slot, crm_err *e);
int ledit_flush(struct ledit *ve, crm_err *e);
void ledit_free(struct ledit *ve);

/* Every record of a ledger's months that overlap [from, to] (INT32_MIN/MAX: open); the
 * records of those months outside the range are offered too: fn checks their dates. */
int ledger_scan(struct store *s, const struct table *t, int32_t from, int32_t to, rec_fn fn, void *ctx, crm_err *e);
/* The same, with only the fields fn reads (store_scan_fields). */
int ledger_scan_fields(struct store *s, const struct table *t, int32_t from, int32_t to, const int *want, int nw,
	rec_fn fn, void *ctx, crm_err *e);

/* The files of a ledger's months that overlap [from, to], in order. */
int ledger_paths(struct store *s, const struct table *t, int32_t from, int32_t to, char ***paths, size_t *n,
	crm_err *e);

/* The files of those months on every core (store_scan_paths_par). */
int ledger_scan_par(struct store *s, const struct table *t, int32_t from, int32_t to, const int *want, int nw,
	const struct scanfn *f, void *const *ctx, int nctx, crm_err *e);

/* The length of the month folder a segment's path lies in ("visits/2026-11" of
 * visits/2026-11/0001.csv and of visits/2026-11/0033/0040.csv). */
size_t ledger_month_len(const char *path);

/* The month folder an id of a ledger lives in ("visits/2026-11"), or -1. */
int ledger_dir_of(const struct table *t, const char *id, char *out, size_t cap);

#endif
