/*
 * A few fields of every customer, by id: what a report prints beside each
 * customer's figures (name, owner, region). Read in one parallel pass of the
 * customer files, kept as strings in one arena per thread: a million
 * customers cost no allocation each.
 */
#ifndef CRM_CDIR_H
#define CRM_CDIR_H
#include "gtab.h"
#include "store.h"

#define CDIR_FIELDS 8

struct cdir {
	int nf, f[CDIR_FIELDS];       /* customer fields kept, in the order asked */
	int np;
	struct cdir_part {
		struct gtab ids;          /* id -> offsets of its fields in text */
		sbuf text;
		const struct cdir *d;
	} p[SCAN_MAX];
};
/* fields: up to CDIR_FIELDS of T_CUSTOMERS's (the id is always kept). */
int cdir_load(struct store *s, struct cdir *d, const int *fields, int nf, crm_err *e);
/* The field of customer id (one that was asked for), "" for an unknown customer. */
const char *cdir_get(const struct cdir *d, const char *id, int field);
/* Every kept field of customer id in v[0..nf), in the order asked ("" for an
 * unknown customer): one lookup for a row that prints several. 1 when known. */
int cdir_row(const struct cdir *d, const char *id, const char **v);
/* Brings id's slots (far) or entries (near) into the cache, a few rows ahead. */
void cdir_prefetch(const struct cdir *d, const char *id, int far);
void cdir_free(struct cdir *d);
#endif
