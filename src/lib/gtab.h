/*
 * Groups keyed by a short string, each with a fixed-size value: the tables a
 * report adds rows into. Keys up to 31 bytes live inside their group, and
 * the slots hold a part of the hash beside the group's number, so finding a
 * group touches the slot array and the group, nothing else.
 */
#ifndef CRM_GTAB_H
#define CRM_GTAB_H
#include <stddef.h>
#include <stdint.h>

struct gtab {
	uint64_t *slot;       /* hash's high 32 bits << 32 | group + 1; 0: empty */
	size_t cap, n;
	char *g;              /* n groups of gsize bytes: key, then the value */
	size_t vsize, gsize, gcap;
};
/* Values of vsize bytes (zeroed when a group is made). */
void gtab_init(struct gtab *t, size_t vsize);
/* The value of key[0..len), made when add (else NULL when missing). */
void *gtab_get(struct gtab *t, const char *key, size_t len, int add);
/* The value of key[0..len), or NULL. */
void *gtab_find(const struct gtab *t, const char *key, size_t len);
/* Brings key's slot (far) or its group (near, once its slot is in) into the cache. */
void gtab_prefetch(const struct gtab *t, const char *key, size_t len, int far);
const char *gtab_key(const struct gtab *t, size_t i);
void *gtab_val(const struct gtab *t, size_t i);
void gtab_free(struct gtab *t);
#endif
