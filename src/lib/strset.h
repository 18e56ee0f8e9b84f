/* A set of strings (ids), open addressing; memory grows with what it holds. */
#ifndef CRM_STRSET_H
#define CRM_STRSET_H
#include <stddef.h>

/* FNV-1a finished as MurmurHash3 does: FNV's low bits mix poorly for ids a digit apart. */
size_t str_hash(const char *s, size_t len);

struct strset {
	struct sslot {
		size_t h;
		char *k;      /* NULL: an empty slot */
	} *s;
	size_t cap, n;
};

/* 1 if s was added, 0 if it was there already. */
int strset_add(struct strset *set, const char *s);
int strset_has(const struct strset *set, const char *s);
void strset_clear(struct strset *set);


/* A map from strings to numbers (indexes into the caller's arrays). */
struct strmap {
	struct mslot {
		size_t h;
		char *k;      /* NULL: an empty slot */
		size_t v;
	} *s;
	size_t cap, n;
};

/* The value of s, or `none` when it is not there. */
size_t strmap_get(const struct strmap *m, const char *s, size_t none);
void strmap_put(struct strmap *m, const char *s, size_t v);
void strmap_clear(struct strmap *m);
#endif
