#include <string.h>
#include "cdir.h"
#include "customer.h"

static int keep(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct cdir_part *p = ctx;
	size_t *off = gtab_get(&p->ids, r->v[CU_ID], strlen(r->v[CU_ID]), 1);
	for (int k = 0; k < p->d->nf; k++) {
		const char *v = r->v[p->d->f[k]];
		off[k] = p->text.len;
		sb_add(&p->text, v, strlen(v) + 1);
	}
	return 0;
}

/* Each id goes to a random slot: ask for it a few customers ahead. */
static void ahead(void *ctx, const rec *r, int far)
{
	struct cdir_part *p = ctx;
	if (far)
		gtab_prefetch(&p->ids, r->v[CU_ID], strlen(r->v[CU_ID]), 1);
}

int cdir_load(struct store *s, struct cdir *d, const int *fields, int nf, crm_err *e)
{
	memset(d, 0, sizeof *d);
	int want[CDIR_FIELDS + 1], nw = 0;
	d->nf = nf < CDIR_FIELDS ? nf : CDIR_FIELDS;
	want[nw++] = CU_ID;
	for (int k = 0; k < d->nf; k++) {
		d->f[k] = fields[k];
		if (fields[k] != CU_ID)
			want[nw++] = fields[k];
	}
	d->np = scan_workers(s);
	void *ctx[SCAN_MAX];
	for (int k = 0; k < d->np; k++) {
		gtab_init(&d->p[k].ids, (size_t)d->nf * sizeof(size_t));
		d->p[k].d = d;
		ctx[k] = &d->p[k];
	}
	struct scanfn f = {keep, ahead};
	return store_scan_par(s, &T_CUSTOMERS, want, nw, &f, ctx, d->np, e);
}

int cdir_row(const struct cdir *d, const char *id, const char **v)
{
	size_t len = strlen(id);
	for (int i = 0; i < d->np; i++) {
		const size_t *off = gtab_find(&d->p[i].ids, id, len);
		if (off) {
			for (int k = 0; k < d->nf; k++)
				v[k] = d->p[i].text.s + off[k];
			return 1;
		}
	}
	for (int k = 0; k < d->nf; k++)
		v[k] = "";
	return 0;
}

const char *cdir_get(const struct cdir *d, const char *id, int field)
{
	const char *v[CDIR_FIELDS];
	cdir_row(d, id, v);
	for (int k = 0; k < d->nf; k++)
		if (d->f[k] == field)
			return v[k];
	return "";
}

void cdir_prefetch(const struct cdir *d, const char *id, int far)
{
	size_t len = strlen(id);
	for (int i = 0; i < d->np; i++)
		gtab_prefetch(&d->p[i].ids, id, len, far);
}

void cdir_free(struct cdir *d)
{
	for (int k = 0; k < d->np; k++) {
		gtab_free(&d->p[k].ids);
		sb_free(&d->p[k].text);
	}
	memset(d, 0, sizeof *d);
}
