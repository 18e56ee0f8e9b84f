/* crm-customer: customers and their contacts (crm-customer(1)). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bulkmem.h"
#include "progress.h"
#include "ar.h"
#include "cli.h"
#include "customer.h"
#include "visit.h"
#include "date.h"
#include "strset.h"

enum { OPT_FORCE = OPT_CMD, OPT_FIELDS };

static const struct option opts[] = {
	{"force", no_argument, NULL, OPT_FORCE},
	{"fields", required_argument, NULL, OPT_FIELDS},
	{0},
};

struct cmd {
	struct cli cli;
	struct store s;
	int force;
	const char *fields;
};

static int on_opt(void *ctx, int opt, const char *arg, crm_err *e)
{
	struct cmd *c = ctx;
	(void)e;
	if (opt == OPT_FORCE)
		c->force = 1;
	else if (opt == OPT_FIELDS)
		c->fields = arg;
	return 0;
}

static int not_found(const char *what, const char *id, crm_err *e)
{
	return crm_fail(e, CRM_ENOTFOUND, "no %s '%s'", what, id);
}

/* An id operand that could never be an id (a path, a blank) is bad data, not "not found". */
static int check_ids(char **ids, int n, crm_err *e)
{
	for (int i = 0; i < n; i++)
		if (id_check(ids[i]))
			return crm_fail_at(e, "argument", 0, "id", "%s '%s'", id_check(ids[i]), ids[i]);
	return 0;
}

static int need_write(struct cmd *c, crm_err *e)
{
	return cli_write_lock(&c->cli, &c->s, e);
}

static int cmd_add(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc < 1 || !*argv[0])
		return cli_usage(&c->cli, e, "add: a name is needed");
	int rc = need_write(c, e);
	if (rc)
		return rc;
	const char *terms;
	if ((rc = store_default_terms(&c->s, &terms, e)))
		return rc;
	rec *r = rec_new(&T_CUSTOMERS);
	r = rec_set(r, CU_TERMS, terms);
	rc = assign_value(&r, CU_NAME, argv[0], c->s.digits, e);
	r = rec_set(r, CU_OWNER, store_user(&c->s));
	r = rec_set(r, CU_CREATED, c->cli.today);
	r = rec_set(r, CU_UPDATED, c->cli.today);
	for (int i = 1; i < argc && !rc; i++)
		rc = assign_apply(&r, argv[i], c->s.digits, 0, e);
	if (!rc && !*r->v[CU_STATUS])
		r = rec_set(r, CU_STATUS, *r->v[CU_OWNER] ? "active" : "pool");
	size_t same = 0;
	if (!rc && !c->force)
		rc = customer_collision(&c->s, r, &same, e);
	struct tabedit te;
	tabedit_init(&te, &c->s, &T_CUSTOMERS);
	char id[64];
	if (!rc)
		rc = tabedit_mint(&te, r, id, sizeof id, e);
	if (!rc) {
		r = rec_set(r, CU_ID, id);
		r = rec_canon(r, c->s.digits);
		rc = tabedit_put(&te, r, e);
		r = NULL;
	}
	if (!rc)
		rc = tabedit_flush(&te, e);
	if (!rc) {
		char msg[600];
		snprintf(msg, sizeof msg, "add %s %s%s", id, argv[0],
			c->force ? " (--force: anti-collision check overridden)" : "");
		rc = store_commit(&c->s, msg, e);
	}
	if (!rc) {
		printf("%s\n", id);
		if (same)
			fprintf(stderr, "crm-customer: note: %zu customer(s) of the same owner have this name or phone (see crm-customer dups)\n", same);
	}
	free(r);
	tabedit_free(&te);
	return rc;
}

static void print_vertical(const rec *r)
{
	for (int i = 0; i < r->t->nf; i++) {
		sbuf v = {0};
		sb_add_visible(&v, r->v[i]);
		printf("%-13s %s\n", r->t->f[i].name, sb_str(&v));
		sb_free(&v);
	}
}

static int contacts_of(void *ctx, rec *r, crm_err *e)
{
	(void)e;
	struct query *q = ctx;
	if (strcmp(r->v[1], q->ctx) == 0) {
		q->matched++;
		query_print(q, r);
	}
	return 0;
}

static int cmd_show(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc != 1)
		return cli_usage(&c->cli, e, "show: one customer id");
	struct tabedit te;
	tabedit_init(&te, &c->s, &T_CUSTOMERS);
	rec *r = NULL;
	int rc = check_ids(argv, 1, e);
	if (!rc)
		rc = tabedit_get(&te, argv[0], &r, e);
	if (!rc && !r)
		rc = not_found("customer", argv[0], e);
	enum outfmt fmt = c->cli.fmt;
	if (!rc && (fmt == OUT_AUTO || fmt == OUT_TABLE) && (fmt == OUT_TABLE || isatty(1))) {
		print_vertical(r);
		struct book b;
		rc = book_load_one(&c->s, &b, r, e);
		struct cust *k = b.n ? &b.c[0] : NULL;
		char d[11], f[300] = "";
		if (k && k->next != INT32_MIN)
			snprintf(f, sizeof f, "%s %s", date_fmt(k->next, d), k->next_action ? k->next_action : "");
		printf("%-13s %s\n", "last_visit", k && k->last != INT32_MIN ? date_fmt(k->last, d) : "");
		printf("%-13s %s\n", "follow_up", f);
		book_free(&b);
		struct query q = {.s = &c->s, .t = &T_CONTACTS, .ctx = argv[0]};
		columns_pick(&T_CONTACTS, NULL, OUT_TABLE, q.cols, &q.ncols, e);
		const char *names[CSV_MAX_FIELDS];
		for (int i = 0; i < q.ncols; i++)
			names[i] = T_CONTACTS.f[q.cols[i]].name;
		printf("\ncontacts:\n");
		out_start(&q.out, OUT_TABLE, names, q.ncols);
		if (!rc)
			rc = store_scan(&c->s, &T_CONTACTS, contacts_of, &q, e);
		int orc = out_finish(&q.out, e);
		rc = rc ? rc : orc;
	} else if (!rc) {
		struct query q = {.s = &c->s, .t = &T_CUSTOMERS};
		rc = columns_pick(&T_CUSTOMERS, c->fields, fmt, q.cols, &q.ncols, e);
		const char *names[CSV_MAX_FIELDS];
		for (int i = 0; i < q.ncols; i++)
			names[i] = T_CUSTOMERS.f[q.cols[i]].name;
		out_start(&q.out, fmt, names, q.ncols);
		query_print(&q, r);
		int orc = out_finish(&q.out, e);
		rc = rc ? rc : orc;
	}
	tabedit_free(&te);
	return rc;
}

static int cmd_list(struct cmd *c, const struct table *t, int argc, char **argv, int spreadsheet, crm_err *e)
{
	struct query q = {.s = &c->s, .t = t, .spreadsheet = spreadsheet};
	/* export writes CSV whatever -o says, unless it says excel */
	enum outfmt fmt = !spreadsheet || c->cli.fmt == OUT_EXCEL ? c->cli.fmt : OUT_CSV;
	return query_list(&q, argv, argc, c->fields, fmt, e);
}

/* Ids from operands (or "-" for stdin), up to the first field=value. */
static int gather_ids(struct cmd *c, int argc, char **argv, struct idlist *ids, int *used, crm_err *e)
{
	int i = 0, rc = 0, from_stdin = 0;
	for (; i < argc && !rc && !is_assignment(&T_CUSTOMERS, argv[i]); i++) {
		if (strcmp(argv[i], "-") == 0 && !from_stdin++)
			rc = idlist_read(ids, &T_CUSTOMERS, "-", c->cli.encoding, c->s.digits, e);
		else if (strcmp(argv[i], "-") == 0)
			rc = cli_usage(&c->cli, e, "standard input (-) given twice");
		else if (id_check(argv[i]))
			rc = crm_fail_at(e, "argument", 0, "id", "%s '%s'", id_check(argv[i]), argv[i]);
		else
			idlist_add(ids, argv[i]);
	}
	/* An empty list from a pipe (list found nothing) is "nothing matched", not a usage error. */
	if (!rc && from_stdin && ids->n == 0)
		rc = crm_fail(e, CRM_ENOTFOUND, "no customer ids on standard input");
	*used = i;
	return rc;
}

/* in: the stdin record for this id (set -), or NULL; arg: the verb's own. */
typedef int (*change_fn)(struct cmd *c, rec **r, const rec *in, void *arg, crm_err *e);

/* Loads each customer, lets fn change it, and commits them all as one. */
static int change_each(struct cmd *c, struct idlist *ids, change_fn fn, void *arg,
	const char *what, crm_err *e)
{
	struct tabedit te;
	tabedit_init(&te, &c->s, &T_CUSTOMERS);
	int rc = 0;
	size_t n = 0;
	for (size_t i = 0; i < ids->n && !rc; i++) {
		rec *cur;
		rc = tabedit_get(&te, ids->id[i], &cur, e);
		if (!rc && !cur)
			rc = not_found("customer", ids->id[i], e);
		if (rc)
			break;
		rec *r = rec_dup(cur);
		rc = fn(c, &r, ids->recs.n ? ids->recs.r[i] : NULL, arg, e);
		if (!rc) {
			r = rec_set(r, CU_UPDATED, c->cli.today);
			r = rec_canon(r, c->s.digits);
			rc = tabedit_put(&te, r, e);
			n++;
		} else {
			free(r);
		}
	}
	if (!rc && n == 0)
		rc = cli_usage(&c->cli, e, "no customer ids given");
	if (!rc)
		rc = tabedit_flush(&te, e);
	if (!rc) {
		char msg[600];
		if (n == 1)
			snprintf(msg, sizeof msg, "%s %s", what, ids->id[0]);
		else
			snprintf(msg, sizeof msg, "%s %zu customers", what, n);
		rc = store_commit(&c->s, msg, e);
	}
	tabedit_free(&te);
	return rc;
}

struct assigns {
	char **a;
	int n;
};

static int apply_assigns(struct cmd *c, rec **r, const rec *in, void *arg, crm_err *e)
{
	if (in && !arg) {
		/* A record from stdin: its columns are the new values. */
		for (int k = 1; k < T_CUSTOMERS.nf; k++)
			if ((in->present >> k & 1) && !(T_CUSTOMERS.f[k].flags & F_AUTO))
				*r = rec_set(*r, k, in->v[k]);
		return 0;
	}
	struct assigns *as = arg;
	int rc = 0;
	for (int i = 0; as && i < as->n && !rc; i++)
		rc = assign_apply(r, as->a[i], c->s.digits, 0, e);
	return rc;
}

static int cmd_set(struct cmd *c, int argc, char **argv, crm_err *e)
{
	int rc = need_write(c, e), used = 0;
	struct idlist ids = {0};
	if (!rc)
		rc = gather_ids(c, argc, argv, &ids, &used, e);
	struct assigns as = {argv + used, argc - used};
	if (!rc && as.n == 0 && ids.recs.n == 0)
		rc = cli_usage(&c->cli, e, "set: field=value to set, or CSV records on stdin");
	char what[256];
	snprintf(what, sizeof what, "set %s on", as.n ? argv[used] : "fields from records");
	if (as.n > 1)
		snprintf(what, sizeof what, "set %s (and %d more) on", argv[used], as.n - 1);
	if (!rc)
		rc = change_each(c, &ids, apply_assigns, as.n ? &as : NULL, what, e);
	idlist_free(&ids);
	return rc;
}

static int set_owner(struct cmd *c, rec **r, const rec *in, void *arg, crm_err *e)
{
	(void)c, (void)e, (void)in;
	const char *owner = arg;
	*r = rec_set(*r, CU_OWNER, owner);
	if (strcmp((*r)->v[CU_STATUS], "archived") != 0)
		*r = rec_set(*r, CU_STATUS, *owner ? "active" : "pool");
	return 0;
}

static int cmd_assign(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc < 2)
		return cli_usage(&c->cli, e, "assign: ids (or -) and an owner");
	int rc = need_write(c, e), used = 0;
	struct idlist ids = {0};
	if (!rc)
		rc = gather_ids(c, argc - 1, argv, &ids, &used, e);
	if (!rc && used < argc - 1)
		rc = cli_usage(&c->cli, e, "assign: only customer ids before the owner");
	rec *check = rec_new(&T_CUSTOMERS);
	if (!rc)
		rc = assign_value(&check, CU_OWNER, argv[argc - 1], c->s.digits, e);
	free(check);
	char what[300];
	snprintf(what, sizeof what, "assign to %s:", argv[argc - 1]);
	recs_free(&ids.recs);
	if (!rc)
		rc = change_each(c, &ids, set_owner, argv[argc - 1], what, e);
	idlist_free(&ids);
	return rc;
}

struct poolctx {
	struct lastvisit *lv;
	int32_t cutoff;
	size_t visits;
};

/* In the pool: no owner, status pool, or (once visits exist) no visit since the cut-off. */
static int in_pool(void *ctx, rec *r)
{
	struct poolctx *p = ctx;
	if (strcmp(r->v[CU_STATUS], "archived") == 0)
		return 0;
	if (!*r->v[CU_OWNER] || strcmp(r->v[CU_STATUS], "pool") == 0)
		return 1;
	if (!p->visits)
		return 0;
	int32_t last = lastvisit_get(p->lv, r->v[CU_ID]), created;
	if (last == INT32_MIN && !date_parse(r->v[CU_CREATED], &created))
		last = created;
	return last < p->cutoff;
}

struct claimctx {
	const char *verb;
	struct poolctx pool;
	int loaded;
};

static int claim_one(struct cmd *c, rec **r, const rec *in, void *arg, crm_err *e)
{
	struct claimctx *k = arg;
	const char *me = store_user(&c->s), *owner = (*r)->v[CU_OWNER];
	int release = strcmp(k->verb, "release") == 0;
	if (strcmp((*r)->v[CU_STATUS], "archived") == 0)
		return crm_fail(e, CRM_EDATA, "%s is archived", (*r)->v[CU_ID]);
	/* Read under the write lock (taken before this runs), and only when someone else's customer is asked for. */
	if (!release && strcmp(owner, me) != 0 && !k->loaded++) {
		int rc = lastvisit_load(&c->s, &k->pool.lv, e);
		if (rc)
			return rc;
		k->pool.visits = lastvisit_count(k->pool.lv);
		k->pool.cutoff = date_today() - c->s.pool_stale_days;
	}
	/* What pool lists may be claimed: an owner's customer left unvisited too long is fair game. */
	if (!release && strcmp(owner, me) != 0 && !in_pool(&k->pool, *r))
		return crm_fail(e, CRM_EDATA, "%s '%s' is owned by %s; not in the pool",
			(*r)->v[CU_ID], (*r)->v[CU_NAME], owner);
	if (release && strcmp(owner, me) != 0 && !store_has_role(&c->s, "director"))
		return crm_fail(e, CRM_EPERM, "%s is owned by %s, not %s; only its owner or a director releases it",
			(*r)->v[CU_ID], *owner ? owner : "nobody", me);
	return set_owner(c, r, in, release ? "" : (void *)me, e);
}

static int archive_one(struct cmd *c, rec **r, const rec *in, void *arg, crm_err *e)
{
	(void)c, (void)e, (void)in, (void)arg;
	*r = rec_set(*r, CU_STATUS, "archived");
	return 0;
}

static int cmd_ids(struct cmd *c, int argc, char **argv, change_fn fn, void *arg, const char *verb, crm_err *e)
{
	int rc = need_write(c, e), used = 0;
	struct idlist ids = {0};
	if (!rc)
		rc = gather_ids(c, argc, argv, &ids, &used, e);
	if (!rc && used < argc)
		rc = cli_usage(&c->cli, e, "only customer ids are expected");
	recs_free(&ids.recs);
	if (!rc)
		rc = change_each(c, &ids, fn, arg, verb, e);
	idlist_free(&ids);
	return rc;
}

static int cmd_claim(struct cmd *c, int argc, char **argv, const char *verb, crm_err *e)
{
	struct claimctx k = {.verb = verb};
	int rc = cmd_ids(c, argc, argv, claim_one, &k, verb, e);
	lastvisit_free(k.pool.lv);
	return rc;
}

struct importer {
	struct cmd *c;
	struct tabedit te;
	size_t added, updated;
	struct progress pg;
};

static int import_row(void *ctx, rec *in, crm_err *e)
{
	struct importer *im = ctx;
	rec *cur = NULL, *r;
	int rc = 0;
	if (*in->v[CU_ID])
		rc = tabedit_get(&im->te, in->v[CU_ID], &cur, e);
	if (rc)
		return rc;
	/* Two rows for one id: which one the user meant is unknowable, so neither is
	 * taken. A record this import put carries the input's name (see below). */
	if (cur && cur->file == in->file)
		return crm_fail_at(e, in->file, in->line, "id", "'%s' given twice (first on line %ld)",
			in->v[CU_ID], cur->line);
	/* The values are gathered first and packed once: an import may hold a million. */
	static char empty[1];
	char *v[CSV_MAX_FIELDS], id[64];
	for (int k = 0; k < T_CUSTOMERS.nf; k++) {
		v[k] = cur ? cur->v[k] : empty;
		if ((in->present >> k & 1) && (!cur || !(T_CUSTOMERS.f[k].flags & F_AUTO)))
			v[k] = in->v[k];
	}
	if (!*v[CU_NAME])
		return crm_fail_at(e, in->file, in->line, "name", "must not be empty");
	if (!*v[CU_STATUS])
		v[CU_STATUS] = *v[CU_OWNER] ? "active" : "pool";
	if (!*v[CU_CREATED])
		v[CU_CREATED] = im->c->cli.today;
	v[CU_UPDATED] = im->c->cli.today;
	if (!*v[CU_ID]) {
		rec *tmp = rec_pack(&T_CUSTOMERS, v);
		rc = tabedit_mint(&im->te, tmp, id, sizeof id, e);
		free(tmp);
		if (rc)
			return rc;
		v[CU_ID] = id;
	}
	r = rec_canon(rec_pack(&T_CUSTOMERS, v), im->c->s.digits);
	r->file = in->file;
	r->line = in->line;
	cur ? im->updated++ : im->added++;
	progress_tick(&im->pg, im->added + im->updated);
	return tabedit_put(&im->te, r, e);
}

static int cmd_import(struct cmd *c, int argc, char **argv, crm_err *e)
{
	const char *file = argc > 0 ? argv[0] : "-";
	if (argc > 1)
		return cli_usage(&c->cli, e, "import: one file (or -)");
	struct input in;
	int rc = input_load(&in, file, c->cli.encoding, e);
	if (rc)
		return rc;
	if (!(rc = need_write(c, e))) {
		struct importer im = {.c = c};
		tabedit_init(&im.te, &c->s, &T_CUSTOMERS);
		progress_start(&im.pg, "crm-customer", "imported", progress_rows(in.buf, in.len));
		/* its records and shards come to about twice the input */
		bulk_heap(2 * in.len);
		rc = input_records(&in, &T_CUSTOMERS, c->s.digits, 1, import_row, &im, e);
		if (!rc)
			rc = tabedit_flush(&im.te, e);
		if (!rc) {
			char msg[200];
			snprintf(msg, sizeof msg, "import %zu added, %zu updated", im.added, im.updated);
			rc = store_commit(&c->s, msg, e);
			progress_end(&im.pg);
			if (!rc)
				fprintf(stderr, "crm-customer: %s\n", msg + 7);
		}
		progress_end(&im.pg);
		tabedit_free(&im.te);
	}
	input_free(&in);
	return rc;
}

static int cmd_dups(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "dups takes no operands");
	struct dup_row *rows;
	size_t n;
	int rc = customer_dups(&c->s, &rows, &n, e);
	if (rc)
		return rc;
	static const char *cols[] = {"group", "reason", "id", "name", "phone", "owner"};
	struct out o;
	out_start(&o, c->cli.fmt, cols, 6);
	for (size_t i = 0; i < n; i++) {
		char g[16];
		snprintf(g, sizeof g, "%d", rows[i].group);
		const char *v[] = {g, rows[i].reason, rows[i].r->v[CU_ID], rows[i].r->v[CU_NAME],
			rows[i].r->v[CU_PHONE], rows[i].r->v[CU_OWNER]};
		out_row(&o, v);
	}
	rc = out_finish(&o, e);
	/* A record may stand in a name group and a phone group: free each once. */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++)
			if (rows[j].r == rows[i].r)
				rows[j].r = NULL;
		free(rows[i].r);
	}
	free(rows);
	return rc ? rc : n ? 0 : CRM_ENOTFOUND;
}

static int cmd_merge(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc < 2)
		return cli_usage(&c->cli, e, "merge: KEEP and at least one DUP");
	int rc = check_ids(argv, argc, e);
	if (!rc)
		rc = need_write(c, e);
	struct tabedit te;
	tabedit_init(&te, &c->s, &T_CUSTOMERS);
	rec *keep = NULL;
	if (!rc)
		rc = tabedit_get(&te, argv[0], &keep, e);
	if (!rc && !keep)
		rc = not_found("customer", argv[0], e);
	/* References repointed to an archived record would hang on a customer nobody works. */
	if (!rc && strcmp(keep->v[CU_STATUS], "archived") == 0)
		rc = crm_fail_at(e, "argument", 0, "id", "%s is archived; merge into a live customer", argv[0]);
	rec *k = !rc ? rec_dup(keep) : NULL;
	for (int i = 1; i < argc && !rc; i++) {
		rec *d;
		if (strcmp(argv[i], argv[0]) == 0)
			rc = crm_fail(e, CRM_EUSAGE, "merge: %s cannot be merged into itself", argv[0]);
		for (int j = 1; j < i && !rc; j++)
			if (strcmp(argv[i], argv[j]) == 0)
				rc = crm_fail(e, CRM_EUSAGE, "merge: %s given twice", argv[i]);
		if (!rc)
			rc = tabedit_get(&te, argv[i], &d, e);
		if (!rc && !d)
			rc = not_found("customer", argv[i], e);
		if (rc)
			break;
		/* What the kept record lacks, the duplicate may know. */
		for (int f = 1; f < T_CUSTOMERS.nf; f++)
			if (!*k->v[f] && *d->v[f] && !(T_CUSTOMERS.f[f].flags & F_AUTO))
				k = rec_set(k, f, d->v[f]);
		rec *a = rec_dup(d);
		a = rec_set(a, CU_STATUS, "archived");
		char note[512];
		snprintf(note, sizeof note, "%s%smerged into %s", a->v[CU_NOTE], *a->v[CU_NOTE] ? "; " : "", argv[0]);
		a = rec_set(a, CU_NOTE, note);
		a = rec_set(a, CU_UPDATED, c->cli.today);
		rc = tabedit_put(&te, a, e);
	}
	size_t moved = 0;
	if (!rc) {
		k = rec_set(k, CU_UPDATED, c->cli.today);
		rc = tabedit_put(&te, k, e);
		k = NULL;
	}
	if (!rc)
		rc = tabedit_flush(&te, e);
	if (!rc)
		rc = customer_repoint(&c->s, argv[0], argv + 1, argc - 1, &moved, e);
	if (!rc)
		rc = ar_repoint(&c->s, argv[0], argv + 1, argc - 1, e);
	if (!rc) {
		char msg[300];
		snprintf(msg, sizeof msg, "merge %d duplicate(s) into %s, %zu reference(s) repointed",
			argc - 1, argv[0], moved);
		rc = store_commit(&c->s, msg, e);
	}
	free(k);
	tabedit_free(&te);
	return rc;
}

static int cmd_pool(struct cmd *c, int argc, char **argv, crm_err *e)
{
	struct poolctx p = {0};
	int rc = lastvisit_load(&c->s, &p.lv, e);
	p.visits = lastvisit_count(p.lv);
	p.cutoff = date_today() - c->s.pool_stale_days;
	struct query q = {.s = &c->s, .t = &T_CUSTOMERS, .keep = in_pool, .ctx = &p};
	if (!rc)
		rc = query_list(&q, argv, argc, c->fields, c->cli.fmt, e);
	lastvisit_free(p.lv);
	return rc;
}

static int contact_list(struct cmd *c, int argc, char **argv, crm_err *e)
{
	char *terms[64];
	int n = 0;
	char cust[80];
	for (int i = 0; i < argc && n < 63; i++) {
		if (!filter_is_term(argv[i]) && !id_check(argv[i])) {
			snprintf(cust, sizeof cust, "customer=%s", argv[i]);
			terms[n++] = cust;
		} else {
			terms[n++] = argv[i];
		}
	}
	return cmd_list(c, &T_CONTACTS, n, terms, 0, e);
}

static int contact_add(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc < 2)
		return cli_usage(&c->cli, e, "contact add CUSTOMER NAME [field=value...]");
	int rc = check_ids(argv, 1, e);
	if (!rc)
		rc = need_write(c, e);
	struct tabedit cu, te;
	tabedit_init(&cu, &c->s, &T_CUSTOMERS);
	tabedit_init(&te, &c->s, &T_CONTACTS);
	rec *owner = NULL, *r = rec_new(&T_CONTACTS);
	if (!rc)
		rc = tabedit_get(&cu, argv[0], &owner, e);
	if (!rc && !owner)
		rc = not_found("customer", argv[0], e);
	if (!rc && strcmp(owner->v[CU_STATUS], "archived") == 0)
		rc = crm_fail_at(e, "argument", 0, "customer", "%s is archived", argv[0]);
	r = rec_set(r, 1, argv[0]);
	if (!rc)
		rc = assign_value(&r, 2, argv[1], c->s.digits, e);
	for (int i = 2; i < argc && !rc; i++)
		rc = assign_apply(&r, argv[i], c->s.digits, 0, e);
	char id[64];
	if (!rc)
		rc = tabedit_mint(&te, r, id, sizeof id, e);
	if (!rc) {
		r = rec_set(r, 0, id);
		rc = tabedit_put(&te, r, e);
		r = NULL;
	}
	if (!rc)
		rc = tabedit_flush(&te, e);
	if (!rc) {
		char msg[300];
		snprintf(msg, sizeof msg, "contact add %s %s for %s", id, argv[1], argv[0]);
		rc = store_commit(&c->s, msg, e);
	}
	if (!rc)
		printf("%s\n", id);
	free(r);
	tabedit_free(&cu);
	tabedit_free(&te);
	return rc;
}

static int cmd_customers(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_list(c, &T_CUSTOMERS, argc, argv, 0, e);
}

static int cmd_export(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_list(c, &T_CUSTOMERS, argc, argv, 1, e);
}

static int cmd_claim_verb(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_claim(c, argc, argv, c->cli.verb->name, e);
}

static int cmd_archive(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_ids(c, argc, argv, archive_one, NULL, "archive", e);
}

static const struct cli_verb contact_verbs[] = {
	{"add", contact_add, "CUSTOMER NAME [field=value...]", .help = "a contact person of a customer; prints its id"},
	{"list", contact_list, "[CUSTOMER] [FILTER...]", .help = "contact persons, of one customer or all"},
	{0},
};

static const struct cli_verb verbs[] = {
	{"add", cmd_add, "NAME [field=value...] [--force]", .help = "a new customer; prints its id"},
	{"show", cmd_show, "ID", .help = "one customer, its last visit, follow-up and contacts"},
	{"list", cmd_customers, "[--fields F] [FILTER...]", .help = "customers that match every filter"},
	{"set", cmd_set, "ID...|- [field=value...]", .help = "change fields of customers, in one commit"},
	{"import", cmd_import, "[FILE|-]", .help = "customers as CSV records: new ones added, known ids updated"},
	{"export", cmd_export, "[FILTER...]", .help = "CSV safe to open in a spreadsheet"},
	{"dups", cmd_dups, "", .help = "probable duplicates: same name, same phone, one edit apart"},
	{"merge", cmd_merge, "KEEP DUP...", .help = "fold duplicates into KEEP, repointing references"},
	{"assign", cmd_assign, "ID...|- OWNER", .help = "give customers to an owner"},
	{"pool", cmd_pool, "[FILTER...]", .help = "customers anyone may claim"},
	{"claim", cmd_claim_verb, "ID...", .help = "take customers from the pool"},
	{"release", cmd_claim_verb, "ID...", .help = "give customers back to the pool"},
	{"archive", cmd_archive, "ID...", .help = "retire customers (kept, no longer listed)"},
	{"contact", .sub = contact_verbs, .help = "contact persons"},
	{0},
};

static const struct cli_prog prog = {
	.name = "crm-customer", .synopsis = "[-C dir] [-n] [-m msg] [-o fmt] [--at rev|date] [--as-of date]",
	.verbs = verbs, .opts = opts, .on_opt = on_opt,
};

int main(int argc, char **argv)
{
	struct cmd c = {0};
	return cli_main(&prog, &c, &c.cli, &c.s, argc, argv);
}
