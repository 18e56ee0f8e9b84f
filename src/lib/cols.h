/*
 * A file's wanted fields as typed columns: dates as days, money and integers
 * as int64, text as an index into the file's distinct values. Reports sum
 * them without parsing a line. What a file's columns were is kept in the
 * git folder (crm-cache/, never committed), keyed by the file's identity
 * (device, inode, size, modification and change times), as git's index keys
 * what it knows of a file: a file that changes by any write is read again.
 */
#ifndef CRM_COLS_H
#define CRM_COLS_H
#include <stdint.h>
#include "gtab.h"
#include "store.h"

enum colkind { COL_DAY, COL_NUM, COL_STR };

struct col {
	enum colkind kind;
	const int32_t *day;       /* COL_DAY: INT32_MIN when empty */
	const int64_t *num;       /* COL_NUM: money in the store's digits, or an integer; 0 when empty */
	const uint32_t *ix;       /* COL_STR: each row's value, an index into str */
	const char **str;
	uint32_t nstr;
	const char *pool;         /* COL_STR: the values' bytes, NUL-ended, str[i] among them */
	size_t npool;
};

struct colfile {
	const char *path;
	size_t index;             /* of path in the scan's list */
	size_t n;                 /* rows */
	int cached;               /* read from the cache, not the file */
	struct col c[CSV_MAX_FIELDS]; /* in the order of want */
	/* The memory the columns point into; a col_fn that sets taken keeps it (cols_free). */
	char *image;
	const char **strs;
	int taken;
};

typedef int (*col_fn)(void *ctx, struct colfile *cf, crm_err *e);
/* The memory of a colfile its col_fn took. */
void cols_free(struct colfile *cf);

/*
 * The files' wanted fields, shared out among nctx threads as
 * store_scan_paths_par does. Only the columns of need are read from the
 * cache (bit k: want[k]; 0: all); the others are left unset. One cache file
 * serves every need of the same wanted fields.
 */
int cols_scan_par(struct store *s, const struct table *t, char *const *paths, size_t n, const int *want, int nw,
	uint64_t need, col_fn fn, void *const *ctx, int nctx, crm_err *e);
/* A ledger's months in [from, to] (ledger_paths). */
int cols_ledger_par(struct store *s, const struct table *t, int32_t from, int32_t to, const int *want, int nw,
	uint64_t need, col_fn fn, void *const *ctx, int nctx, crm_err *e);
/* Every file of a table. */
int cols_table_par(struct store *s, const struct table *t, const int *want, int nw, uint64_t need, col_fn fn,
	void *const *ctx, int nctx, crm_err *e);
/*
 * A master table held as columns (reports' customers and products): every
 * field, the records a filter keeps (all without one), in file order, found
 * by id.
 */
struct filter;
struct ctab {
	const struct table *t;
	struct cfile {            /* a file's records, in one allocation (num): */
		uint64_t *num;    /* per row: id_number(id), and */
		uint64_t *packed; /* its id's bytes when 8 or fewer (0 else); */
		uint32_t *off;    /* per row, per field kept: where it starts in bytes */
		char *bytes;      /* the kept fields' values */
		size_t n;
	} *f;
	size_t nfiles;
	int slot[CSV_MAX_FIELDS]; /* field -> its place among those kept, -1 when not */
	int nslot;
	uint32_t (*at)[2];        /* record i: its file and row */
	size_t n;
	struct cnum {             /* id_number(id) -> record + 1, when ids are numbered densely, */
		uint32_t rec;
		uint64_t id;      /* and its id's bytes when 8 or fewer: found in one look */
	} *bynum;
	size_t nbynum;
	/* When every id is one prefix and its number zero-padded to one width (C000123, C1000000),
	 * the number alone says the id: number -> record + 1, four bytes a record, so a million
	 * stay in the cache. */
	uint32_t *canon;
	size_t ncanon;
	char pre[8];
	size_t npre, width;
	struct gtab *idx;         /* else id -> record */
	struct cslab {            /* per reading thread: the files' memory, in large blocks */
		struct ctab *c;
		char *at;
		size_t left;
		char **blk;
		size_t nblk;
	} slab[SCAN_MAX];
};
/* need: the fields ctab_get reads ("" for the others); with a filter, every field. */
int ctab_load(struct ctab *c, struct store *s, const struct table *t, struct filter *flt, uint64_t need, crm_err *e);
/* Record i's field f (schema order). */
static inline const char *ctab_get(const struct ctab *c, size_t i, int f)
{
	if (c->slot[f] < 0)
		return "";
	const struct cfile *k = &c->f[c->at[i][0]];
	return k->bytes + k->off[(size_t)c->at[i][1] * (size_t)c->nslot + (size_t)c->slot[f]];
}
/* The record of id, or -1. */
long ctab_find(const struct ctab *c, const char *id);
/* ctab_find of n ids at once (out[i] for ids[i]), faster than one by one. */
void ctab_find_many(const struct ctab *c, const char *const *ids, size_t n, long *out);
void ctab_free(struct ctab *c);

/* Removes what the cache holds of files gone or changed since (crm gc); the number removed. */
size_t cols_cache_prune(struct store *s);

#endif
