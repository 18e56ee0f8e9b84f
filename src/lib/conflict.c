#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "conflict.h"
#include "history.h"

enum { CF_KEY, CF_PATH, CF_RECORD, CF_FIELD, CF_BASE, CF_OURS, CF_THEIRS, CF_OCOMMIT, CF_TCOMMIT, CF_DATE };

static void pending_path(struct store *s, char *out, size_t cap)
{
	snprintf(out, cap, "%scrm-conflicts", git_repository_path(s->repo));
}

static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	*buf = NULL;
	*len = 0;
	if (!f)
		return errno == ENOENT ? 0 : -1;
	sbuf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_add(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	*buf = b.s ? b.s : xstrdup("");
	*len = b.len;
	return bad ? -1 : 0;
}

/* A later record of the same key replaces the earlier one. */
static void put(struct recs *rs, rec *r)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i]->v[CF_KEY], r->v[CF_KEY])) {
			free(rs->r[i]);
			rs->r[i] = r;
			return;
		}
	recs_push(rs, r);
}

int conflicts_load(struct store *s, struct recs *rs, crm_err *e)
{
	int rc = store_load_recs(s, &T_CONFLICTS, CONFLICTS_FILE, rs, e);
	return rc || s->at ? rc : conflicts_load_pending(s, rs, e);
}

int conflicts_load_pending(struct store *s, struct recs *rs, crm_err *e)
{
	int rc = 0;
	char path[4200], *buf;
	size_t len;
	pending_path(s, path, sizeof path);
	if (read_file(path, &buf, &len))
		return crm_fail_sys(e, CRM_ENOINPUT, "cannot read", ".git/crm-conflicts");
	struct recs pend = {0};
	if (buf)
		rc = table_read(&T_CONFLICTS, ".git/crm-conflicts", buf, len, s->digits, recs_push_dup, &pend, e);
	for (size_t i = 0; i < pend.n; i++)
		put(rs, pend.r[i]);
	free(pend.r);
	free(buf);
	return rc;
}

static rec *conflict_rec(const struct conflict *c, const char *oc, const char *tc, const char *date)
{
	sbuf key = {0};
	sb_printf(&key, "%s:%s:%s", c->path, c->record, c->field);
	char *v[] = {key.s, c->path, c->record, c->field, c->base, c->ours, c->theirs,
		(char *)oc, (char *)tc, (char *)date};
	rec *r = rec_pack(&T_CONFLICTS, v);
	sb_free(&key);
	return r;
}

void conflicts_add(struct recs *rs, const struct conflicts *cs, const char *ours_commit,
	const char *theirs_commit, const char *date)
{
	for (size_t i = 0; i < cs->n; i++)
		put(rs, conflict_rec(&cs->c[i], ours_commit, theirs_commit, date));
}

int conflicts_stage(struct store *s, struct recs *rs, crm_err *e)
{
	char f[4200];
	snprintf(f, sizeof f, "%s/%s", s->root, CONFLICTS_FILE);
	if (!rs->n)
		return access(f, F_OK) == 0 ? store_put(s, CONFLICTS_FILE, NULL, 0, e) : 0;
	return store_put_recs(s, &T_CONFLICTS, CONFLICTS_FILE, rs, e);
}

void conflicts_pending_drop(struct store *s)
{
	char path[4200];
	pending_path(s, path, sizeof path);
	unlink(path);
}

int conflicts_pending_append(const char *gitdir, const struct conflicts *cs, const char *ours_commit,
	const char *theirs_commit, const char *date, crm_err *e)
{
	if (!cs->n)
		return 0;
	char path[4200];
	snprintf(path, sizeof path, "%s/crm-conflicts", gitdir);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", ".git/crm-conflicts");
	sbuf b = {0};
	if (lseek(fd, 0, SEEK_END) == 0)
		table_write_header(&T_CONFLICTS, &b);
	for (size_t i = 0; i < cs->n; i++) {
		rec *r = conflict_rec(&cs->c[i], ours_commit, theirs_commit, date);
		table_write_rec(r, &b);
		free(r);
	}
	int bad = write(fd, b.s, b.len) != (ssize_t)b.len;
	bad |= close(fd) != 0;
	sb_free(&b);
	return bad ? crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", ".git/crm-conflicts") : 0;
}

static long count_lines(const char *path)
{
	char *buf;
	size_t len;
	/* After every commit, and nearly always absent: one access(2), no open. */
	if (access(path, F_OK) != 0)
		return 0;
	if (read_file(path, &buf, &len) || !buf)
		return 0;
	long n = 0;
	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	free(buf);
	return n > 0 ? n - 1 : 0;
}

long conflicts_count(struct store *s)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", s->root, CONFLICTS_FILE);
	long n = count_lines(path);
	pending_path(s, path, sizeof path);
	return n + count_lines(path);
}

/* field=value on the record id of the table file path, checked as the field's type. */
static int set_field(struct store *s, const char *path, const char *id, const char *field,
	const char *value, crm_err *e)
{
	const struct table *t = table_of_path(path);
	if (!t)
		return crm_fail(e, CRM_EDATA, "%s: not a table file; edit it by hand and commit", path);
	int fi = table_field(t, field);
	if (fi < 0)
		return crm_fail_at(e, "argument", 0, field, "no such field in %s", t->name);
	const char *why = field_check(&t->f[fi], value, s->digits);
	if (why)
		return crm_fail_at(e, "argument", 0, field, "%s '%s'", why, value);
	struct recs rs = {0};
	int rc = store_load_recs(s, t, path, &rs, e);
	rec **hit = NULL;
	for (size_t i = 0; !rc && i < rs.n && !hit; i++)
		if (!strcmp(rs.r[i]->v[0], id))
			hit = &rs.r[i];
	if (!rc && !hit)
		rc = crm_fail(e, CRM_EDATA, "%s: %s is no longer in this file; resolve it without a value", path, id);
	if (!rc) {
		*hit = rec_set(*hit, fi, value);
		rc = store_put_recs(s, t, path, &rs, e);
	}
	recs_free(&rs);
	return rc;
}

static const char *assigned(char **assign, int n, const char *field, size_t *used, int *which)
{
	size_t fl = strlen(field);
	for (int i = 0; i < n; i++)
		if (!strncmp(assign[i], field, fl) && assign[i][fl] == '=') {
			*used |= (size_t)1 << i;
			*which = i;
			return assign[i] + fl + 1;
		}
	return NULL;
}

int conflicts_resolve(struct store *s, const char *id, char **assign, int nassign, int theirs,
	char *summary, size_t cap, crm_err *e)
{
	if (nassign > 60)
		return crm_fail(e, CRM_EUSAGE, "resolve: too many fields");
	for (int i = 0; i < nassign; i++)
		if (!strchr(assign[i], '=') || assign[i][0] == '=')
			return crm_fail(e, CRM_EUSAGE, "resolve: '%s' is not field=value", assign[i]);
	struct recs rs = {0}, keep = {0};
	size_t used = 0;
	int settled = 0, rc = conflicts_load(s, &rs, e);
	for (size_t i = 0; !rc && i < rs.n; i++) {
		rec *r = rs.r[i];
		int which = -1;
		const char *v = strcmp(r->v[CF_RECORD], id) ? NULL
			: assigned(assign, nassign, r->v[CF_FIELD], &used, &which);
		int mine = !strcmp(r->v[CF_RECORD], id) && (v || !nassign);
		if (!mine) {
			recs_push(&keep, r);
			continue;
		}
		/* (record) and (duplicate) are about a whole record: nothing to set */
		int whole = r->v[CF_FIELD][0] == '(';
		if (!v && theirs && !whole)
			v = r->v[CF_THEIRS];
		if (v && !whole)
			rc = set_field(s, r->v[CF_PATH], id, r->v[CF_FIELD], v, e);
		settled++;
		free(r);
	}
	free(rs.r);
	for (int i = 0; !rc && i < nassign; i++)
		if (!(used & ((size_t)1 << i)))
			rc = crm_fail(e, CRM_EDATA, "argument: %.*s: no conflict on %s's %.*s",
				(int)strcspn(assign[i], "="), assign[i], id, (int)strcspn(assign[i], "="), assign[i]);
	if (!rc && !settled)
		rc = crm_fail(e, CRM_ENOTFOUND, "no conflict on %s", id);
	if (!rc)
		rc = conflicts_stage(s, &keep, e);
	if (!rc)
		snprintf(summary, cap, "resolve %s: %d conflict%s settled%s", id, settled, settled == 1 ? "" : "s",
			theirs ? " (theirs)" : nassign ? "" : " (as it stands)");
	recs_free(&keep);
	return rc;
}
