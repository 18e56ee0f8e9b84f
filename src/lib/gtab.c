#include <stdlib.h>
#include <string.h>
#include "bulkmem.h"
#include "gtab.h"
#include "strset.h"
#include "text.h"

#define INLINE 32   /* a key this long or longer is kept on the heap */

struct ghead {
	char k[INLINE];   /* the key and its NUL, or k[0] = 0 and the pointer in long_key */
	char *long_key;
	size_t len;
};

static uint64_t hash(const char *s, size_t len)
{
	return str_hash(s, len);
}

void gtab_init(struct gtab *t, size_t vsize)
{
	memset(t, 0, sizeof *t);
	t->vsize = vsize;
	t->gsize = (sizeof(struct ghead) + vsize + 7) & ~(size_t)7;
}

static struct ghead *head(const struct gtab *t, size_t i)
{
	return (struct ghead *)(t->g + i * t->gsize);
}

const char *gtab_key(const struct gtab *t, size_t i)
{
	struct ghead *h = head(t, i);
	return h->long_key ? h->long_key : h->k;
}

void *gtab_val(const struct gtab *t, size_t i)
{
	return (char *)head(t, i) + sizeof(struct ghead);
}

static void grow(struct gtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	uint64_t *s = xcalloc(cap, sizeof *s);
	bulk_buffer(s, cap * sizeof *s);
	for (size_t i = 0; i < t->n; i++) {
		uint64_t h = hash(gtab_key(t, i), head(t, i)->len);
		size_t j = h & (cap - 1);
		while (s[j])
			j = (j + 1) & (cap - 1);
		s[j] = (h >> 32 << 32) | (i + 1);
	}
	free(t->slot);
	t->slot = s;
	t->cap = cap;
}

void *gtab_get(struct gtab *t, const char *key, size_t len, int add)
{
	/* Without add nothing is changed (gtab_find relies on it). */
	if (add && (t->n + 1) * 2 > t->cap)
		grow(t);
	uint64_t h = hash(key, len), tag = h >> 32 << 32;
	size_t j = h & (t->cap - 1);
	for (; t->slot[j]; j = (j + 1) & (t->cap - 1)) {
		if ((t->slot[j] & ~0xffffffffull) != tag)
			continue;
		size_t i = (size_t)(t->slot[j] & 0xffffffffull) - 1;
		struct ghead *g = head(t, i);
		if (g->len == len && !memcmp(gtab_key(t, i), key, len))
			return gtab_val(t, i);
	}
	if (!add)
		return NULL;
	if (t->n == t->gcap) {
		/* A group is found at random: in huge pages, a million groups cost no TLB miss each. */
		t->gcap = t->gcap ? t->gcap * 2 : 1024;
		char *g = xmalloc(t->gcap * t->gsize);
		bulk_buffer(g, t->gcap * t->gsize);
		if (t->n)
			memcpy(g, t->g, t->n * t->gsize);
		free(t->g);
		t->g = g;
	}
	struct ghead *g = head(t, t->n);
	memset(g, 0, t->gsize);
	g->len = len;
	if (len < INLINE) {
		memcpy(g->k, key, len);
	} else {
		g->long_key = xmalloc(len + 1);
		memcpy(g->long_key, key, len);
		g->long_key[len] = 0;
	}
	t->slot[j] = tag | ++t->n;
	return gtab_val(t, t->n - 1);
}

void *gtab_find(const struct gtab *t, const char *key, size_t len)
{
	return t->cap ? gtab_get((struct gtab *)t, key, len, 0) : NULL;
}

void gtab_prefetch(const struct gtab *t, const char *key, size_t len, int far)
{
	if (!t->cap)
		return;
	uint64_t h = hash(key, len), tag = h >> 32 << 32;
	size_t j = h & (t->cap - 1);
	if (far) {
		__builtin_prefetch(&t->slot[j]);
		return;
	}
	for (; t->slot[j]; j = (j + 1) & (t->cap - 1))
		if ((t->slot[j] & ~0xffffffffull) == tag) {
			const char *g = (const char *)head(t, (size_t)(t->slot[j] & 0xffffffffull) - 1);
			__builtin_prefetch(g, 1);
			__builtin_prefetch(g + 64, 1);
			__builtin_prefetch(g + 128, 1);
			return;
		}
}

void gtab_free(struct gtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(head(t, i)->long_key);
	free(t->slot);
	free(t->g);
	memset(t, 0, sizeof *t);
}
