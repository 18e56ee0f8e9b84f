#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "date.h"
#include "edit.h"
#include "strset.h"

#define CHECK_TABLES 32

struct checker {
	struct store *s;
	struct check_report *r;
	const struct table *t;
	const char *path;
	long off;               /* physical line = reported line + off */
	struct strset ids;      /* of the table (masters) or the month (ledgers) */
	struct strset keys[CHECK_TABLES];  /* ids of each master table read so far, by crm_tables index */
	int ti;                 /* the index of t */
	char month_dir[64];
};

static void problem(struct checker *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct checker *k, const char *fmt, ...)
{
	char msg[1200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	text_escape_ctl(msg, sizeof msg);
	k->r->problems++;
	if (k->r->problem)
		k->r->problem(k->r->ctx, msg);
}

static int ref_index(const struct field *f)
{
	if (f->type != FT_REF)
		return -1;
	for (int i = 0; crm_tables[i] && i < CHECK_TABLES; i++)
		if (strcmp(crm_tables[i]->name, f->arg) == 0)
			return i;
	return -1;
}

static int check_rec(void *ctx, rec *r, crm_err *e)
{
	struct checker *k = ctx;
	(void)e;
	long line = r->line + k->off;
	const char *id = r->v[0];
	k->r->records++;
	if (!strset_add(&k->ids, id))
		problem(k, "%s:%ld: id: duplicate id '%s'", k->path, line, id);
	if (k->t->kind == T_MASTER) {
		char want[256];
		shard_path(k->s, k->t, id, want, sizeof want);
		if (strcmp(want, k->path) != 0)
			problem(k, "%s:%ld: id: '%s' belongs in %s", k->path, line, id, want);
		strset_add(&k->keys[k->ti], id);
	} else {
		char want[64];
		snprintf(want, sizeof want, "%s/%.7s", k->t->name, r->v[k->t->date_field]);
		if (strlen(want) != ledger_month_len(k->path) || strncmp(want, k->path, strlen(want)) != 0)
			problem(k, "%s:%ld: %s: dated %s, so it belongs in %s/", k->path, line,
				k->t->f[k->t->date_field].name, r->v[k->t->date_field], want);
	}
	/* Referenced tables are read first (crm_tables' order); a table's refs to itself
	 * (a warehouse's parent) may point further down the file, so they are not checked here. */
	for (int f = 0; f < k->t->nf; f++) {
		const struct field *fd = &k->t->f[f];
		int ri = ref_index(fd);
		if (ri >= 0 && ri != k->ti && *r->v[f] && !strset_has(&k->keys[ri], r->v[f]))
			problem(k, "%s:%ld: %s: no %.*s '%s'", k->path, line, fd->name,
				(int)strlen(fd->arg) - 1, fd->arg, r->v[f]); /* table names are plurals */
	}
	return 0;
}

/* The line number in a table_read error, as "path:N:". */
static long error_line(const char *msg, const char *path)
{
	size_t n = strlen(path);
	if (strncmp(msg, path, n) != 0 || msg[n] != ':')
		return 0;
	return strtol(msg + n + 1, NULL, 10);
}

static const char *after_line(const char *buf, const char *end, long n)
{
	const char *p = buf;
	for (long i = 0; i < n && p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	return p;
}

/* Reads on past each bad line, so one run names every problem of the file. */
static int check_buf(struct checker *k, const char *buf, size_t len)
{
	const char *end = buf + len;
	const char *hdr_end = memchr(buf, '\n', len);
	size_t hlen = hdr_end ? (size_t)(hdr_end - buf) + 1 : len;
	sbuf rest = {0};
	const char *cur = buf;
	size_t curlen = len;
	k->off = 0;
	for (;;) {
		crm_err e = {0};
		int rc = table_read(k->t, k->path, cur, curlen, k->s->digits, check_rec, k, &e);
		if (!rc)
			break;
		long rel = error_line(e.msg, k->path);
		long phys = rel + k->off;
		if (rel > 0) {
			char fixed[1100];
			snprintf(fixed, sizeof fixed, "%s:%ld:%s", k->path, phys,
				strchr(e.msg + strlen(k->path) + 1, ':') + 1);
			problem(k, "%s", fixed);
		} else {
			problem(k, "%s", e.msg);
		}
		if (rel <= 1)
			break; /* the header itself: nothing after it can be read */
		const char *next = after_line(buf, end, phys);
		if (next >= end)
			break;
		rest.len = 0;
		sb_add(&rest, buf, hlen);
		sb_add(&rest, next, (size_t)(end - next));
		cur = rest.s;
		curlen = rest.len;
		k->off = phys - 1;
	}
	sb_free(&rest);
	return 0;
}

static int check_table(struct checker *k, const struct table *t, crm_err *e)
{
	char **paths;
	size_t n;
	int rc = store_list(k->s, t->name, &paths, &n, e);
	k->t = t;
	strset_clear(&k->ids);
	k->month_dir[0] = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		char *buf;
		size_t len;
		k->path = paths[i];
		if (t->kind == T_LEDGER) {
			char dir[64];
			snprintf(dir, sizeof dir, "%.*s", (int)ledger_month_len(paths[i]), paths[i]);
			if (strcmp(dir, k->month_dir) != 0) {
				/* Ledger ids are numbered per month (its sub-folders too): a month's set is enough. */
				strset_clear(&k->ids);
				snprintf(k->month_dir, sizeof k->month_dir, "%s", dir);
			}
		}
		rc = store_load(k->s, paths[i], &buf, &len, e);
		if (rc || !buf)
			break;
		k->r->files++;
		if (len == 0)
			problem(k, "%s: file: empty (no header line); a table file is never empty: data lost?", paths[i]);
		else
			check_buf(k, buf, len);
		free(buf);
	}
	store_list_free(paths, n);
	return rc;
}

static sigjmp_buf stuck;

static void on_stuck(int sig)
{
	(void)sig;
	siglongjmp(stuck, 1);
}

struct objcheck {
	struct checker *k;
	git_odb *odb;
	size_t n;
};

static int check_object(const git_oid *id, void *payload)
{
	struct objcheck *oc = payload;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof hex, id);
	git_odb_object *o = NULL;
	oc->n++;
	/* libgit2 1.5 can loop forever on a truncated object: bound each read. */
	if (sigsetjmp(stuck, 1)) {
		/* libgit2 was left holding its locks: report and leave at once, touching nothing. */
		problem(oc->k, "object %s: unreadable (the read did not finish): corrupt or truncated", hex);
		fflush(stdout);
		fflush(stderr);
		_exit(CRM_EDATA);
	}
	alarm(5);
	int rc = git_odb_read(&o, oc->odb, id);
	alarm(0);
	if (rc) {
		const git_error *g = git_error_last();
		problem(oc->k, "object %s: %s", hex, g && g->message ? g->message : "unreadable");
		return 0;
	}
	git_oid h;
	if (git_odb_hash(&h, git_odb_object_data(o), git_odb_object_size(o), git_odb_object_type(o)) == 0 &&
	    !git_oid_equal(&h, id))
		problem(oc->k, "object %s: content does not match its id (corrupt)", hex);
	git_odb_object_free(o);
	return 0;
}

static int check_objects(struct checker *k, crm_err *e)
{
	struct objcheck oc = {.k = k};
	if (git_repository_odb(&oc.odb, k->s->repo))
		return crm_fail_git(e, "cannot open the object database");
	struct sigaction sa = {0}, old;
	sa.sa_handler = on_stuck;
	sigaction(SIGALRM, &sa, &old);
	/* check_object hashes each object itself: libgit2 hashing it on read as
	 * well, and caching what is read once, doubled the cost at 100,000 commits. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	git_odb_foreach(oc.odb, check_object, &oc);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	git_odb_free(oc.odb);
	return 0;
}

int store_check(struct store *s, struct check_report *r, crm_err *e)
{
	struct checker k = {.s = s, .r = r};
	const char *terms;
	crm_err te = {0};
	if (store_default_terms(s, &terms, &te))
		problem(&k, "%s", te.msg);
	int rc = 0;
	for (int i = 0; crm_tables[i] && !rc; i++) {
		k.ti = i;
		rc = check_table(&k, crm_tables[i], e);
	}
	if (!rc && !s->at)
		rc = check_objects(&k, e);
	strset_clear(&k.ids);
	for (int i = 0; i < CHECK_TABLES; i++)
		strset_clear(&k.keys[i]);
	return rc;
}

int check_install_hook(struct store *s, crm_err *e)
{
	char path[4096];
	snprintf(path, sizeof path, "%shooks", git_repository_path(s->repo));
	mkdir(path, 0777);
	snprintf(path, sizeof path, "%shooks/pre-commit", git_repository_path(s->repo));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0755);
	if (fd < 0 && errno == EEXIST)
		return crm_fail(e, CRM_ECANTCREAT, "a pre-commit hook exists already: add `crm check --quiet` to it");
	if (fd < 0)
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot create", "pre-commit hook");
	static const char hook[] = "#!/bin/sh\n# Installed by crm check --install-hook: refuse commits of broken tables.\nexec crm check --quiet\n";
	ssize_t w = write(fd, hook, sizeof hook - 1);
	if (close(fd) || w != (ssize_t)(sizeof hook - 1))
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", "pre-commit hook");
	return 0;
}
