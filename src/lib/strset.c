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

static size_t slot(char **k, size_t cap, const char *s)
{
	size_t i = hash(s) & (cap - 1);
	while (k[i] && strcmp(k[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

int strset_add(struct strset *set, const char *s)
{
	if ((set->n + 1) * 2 > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 1024;
		char **k = xcalloc(cap, sizeof *k);
		for (size_t i = 0; i < set->cap; i++)
			if (set->k[i])
				k[slot(k, cap, set->k[i])] = set->k[i];
		free(set->k);
		set->k = k;
		set->cap = cap;
	}
	size_t i = slot(set->k, set->cap, s);
	if (set->k[i])
		return 0;
	set->k[i] = xstrdup(s);
	set->n++;
	return 1;
}

int strset_has(const struct strset *set, const char *s)
{
	return set->cap && set->k[slot(set->k, set->cap, s)] != NULL;
}

void strset_clear(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->k[i]);
	free(set->k);
	set->k = NULL;
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
