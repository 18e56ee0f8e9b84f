#include <stdlib.h>
#include <string.h>
#include "strset.h"
#include "text.h"

size_t str_hash(const char *s, size_t len)
{
	size_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	/* FNV's low bits mix poorly for ids that differ in a few digits: finish like MurmurHash3. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static size_t hash(const char *s)
{
	return str_hash(s, strlen(s));
}

/* Slots hold the hash beside the key, so a probe that misses (and a growth) never reads a key's string. */
static size_t slot(const struct sslot *k, size_t cap, const char *s, size_t h)
{
	size_t i = h & (cap - 1);
	while (k[i].k && (k[i].h != h || strcmp(k[i].k, s) != 0))
		i = (i + 1) & (cap - 1);
	return i;
}

int strset_add(struct strset *set, const char *s)
{
	if ((set->n + 1) * 2 > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 1024;
		struct sslot *k = xcalloc(cap, sizeof *k);
		for (size_t i = 0; i < set->cap; i++)
			if (set->s[i].k) {
				size_t j = set->s[i].h & (cap - 1);
				while (k[j].k)
					j = (j + 1) & (cap - 1);
				k[j] = set->s[i];
			}
		free(set->s);
		set->s = k;
		set->cap = cap;
	}
	size_t h = hash(s), i = slot(set->s, set->cap, s, h);
	if (set->s[i].k)
		return 0;
	set->s[i] = (struct sslot){h, xstrdup(s)};
	set->n++;
	return 1;
}

int strset_has(const struct strset *set, const char *s)
{
	return set->cap && set->s[slot(set->s, set->cap, s, hash(s))].k != NULL;
}

void strset_clear(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->s[i].k);
	free(set->s);
	set->s = NULL;
	set->cap = set->n = 0;
}

/* Slots hold the hash beside the key, so a probe that misses never reads the key's string. */
static size_t mfind(const struct strmap *m, const char *s, size_t h)
{
	size_t i = h & (m->cap - 1);
	while (m->s[i].k && (m->s[i].h != h || strcmp(m->s[i].k, s) != 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

size_t strmap_get(const struct strmap *m, const char *s, size_t none)
{
	if (!m->cap)
		return none;
	size_t i = mfind(m, s, hash(s));
	return m->s[i].k ? m->s[i].v : none;
}

void strmap_put(struct strmap *m, const char *s, size_t v)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct strmap grown = {xcalloc(m->cap ? m->cap * 2 : 1024, sizeof *m->s), m->cap ? m->cap * 2 : 1024, m->n};
		for (size_t i = 0; i < m->cap; i++)
			if (m->s[i].k)
				grown.s[mfind(&grown, m->s[i].k, m->s[i].h)] = m->s[i];
		free(m->s);
		*m = grown;
	}
	size_t h = hash(s), i = mfind(m, s, h);
	if (!m->s[i].k) {
		m->s[i].k = xstrdup(s);
		m->s[i].h = h;
		m->n++;
	}
	m->s[i].v = v;
}

void strmap_clear(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->s[i].k);
	free(m->s);
	memset(m, 0, sizeof *m);
}
