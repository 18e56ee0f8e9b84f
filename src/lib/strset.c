#include <stdlib.h>
#include <string.h>
#include "strset.h"
#include "text.h"

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	/* FNV's low bits mix poorly for ids that differ in a few digits: finish like MurmurHash3. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
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

size_t strmap_get(const struct strmap *m, const char *s, size_t none)
{
	if (!m->cap)
		return none;
	size_t i = slot(m->k, m->cap, s);
	return m->k[i] ? m->v[i] : none;
}

void strmap_put(struct strmap *m, const char *s, size_t v)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		char **k = xcalloc(cap, sizeof *k);
		size_t *vv = xcalloc(cap, sizeof *vv);
		for (size_t i = 0; i < m->cap; i++)
			if (m->k[i]) {
				size_t j = slot(k, cap, m->k[i]);
				k[j] = m->k[i];
				vv[j] = m->v[i];
			}
		free(m->k);
		free(m->v);
		m->k = k;
		m->v = vv;
		m->cap = cap;
	}
	size_t i = slot(m->k, m->cap, s);
	if (!m->k[i]) {
		m->k[i] = xstrdup(s);
		m->n++;
	}
	m->v[i] = v;
}

void strmap_clear(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->k[i]);
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof *m);
}
