#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include "conflict.h"
#include "customer.h"
#include "date.h"
#include "history.h"
#include "norm.h"
#include "sync.h"
#include "tlsdefer.h"

enum { SYNC_TRIES = 8 };

int sync_setup(struct store *s, crm_err *e)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return 0; /* no way to name ourselves: git merges by lines, crm sync still by records */
	exe[n] = 0;
	git_config *cfg = NULL;
	if (git_repository_config(&cfg, s->repo))
		return crm_fail_git(e, "cannot read .git/config");
	sbuf drv = {0};
	sb_printf(&drv, "'%s' merge-driver %%O %%A %%B %%P", exe);
	git_buf cur = {0};
	int same = git_config_get_string_buf(&cur, cfg, "merge.crm.driver") == 0 && !strcmp(cur.ptr, drv.s);
	int rc = 0;
	if (!same && (git_config_set_string(cfg, "merge.crm.name", "crm: records merged field by field") ||
		      git_config_set_string(cfg, "merge.crm.driver", drv.s)))
		rc = crm_fail_git(e, "cannot write .git/config");
	git_buf_dispose(&cur);
	sb_free(&drv);
	git_config_free(cfg);
	return rc;
}

/* Credentials for ssh: the agent, then the usual key files; each tried once. */
struct cred_state {
	int tries;
};

static int cred_cb(git_credential **out, const char *url, const char *user, unsigned int allowed, void *payload)
{
	(void)url;
	struct cred_state *st = payload;
	const char *u = user && *user ? user : "git";
	const char *home = getenv("HOME");
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		static const char *const keys[] = {"id_ed25519", "id_ecdsa", "id_rsa"};
		int t = st->tries++;
		/* Without an agent libgit2 fails outright instead of asking again. */
		if (t == 0 && getenv("SSH_AUTH_SOCK"))
			return git_credential_ssh_key_from_agent(out, u);
		if (t == 0)
			t = st->tries++;
		for (; home && t - 1 < 3; t = st->tries++) {
			char pub[PATH_MAX], priv[PATH_MAX];
			snprintf(priv, sizeof priv, "%s/.ssh/%s", home, keys[t - 1]);
			snprintf(pub, sizeof pub, "%s.pub", priv);
			if (access(priv, R_OK) == 0)
				return git_credential_ssh_key_new(out, u, access(pub, R_OK) ? NULL : pub, priv, NULL);
		}
		return -1;
	}
	if ((allowed & GIT_CREDENTIAL_DEFAULT) && st->tries++ == 0)
		return git_credential_default_new(out);
	return -1;
}

/* The server's messages (a refusing hook says why) come in chunks: printed a whole line at a time. */
static sbuf remote_said;

static void sideband_flush(void)
{
	if (remote_said.len)
		fprintf(stderr, "remote: %.*s\n", (int)remote_said.len, remote_said.s);
	remote_said.len = 0;
}

static void base64(const unsigned char *in, size_t n, sbuf *out)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
		sb_addc(out, tab[v >> 18 & 63]);
		sb_addc(out, tab[v >> 12 & 63]);
		sb_addc(out, i + 1 < n ? tab[v >> 6 & 63] : '=');
		sb_addc(out, i + 2 < n ? tab[v & 63] : '=');
	}
}

/* Does a plain (not hashed) line of known_hosts name host (bare, or [host]:port) with this key? */
static int known_line(char *line, const char *host, const char *key)
{
	if (*line == '#' || *line == '|' || *line == '@')
		return 0;
	char *save = NULL, *hosts = strtok_r(line, " \t", &save), *type = strtok_r(NULL, " \t", &save),
	     *k = strtok_r(NULL, " \t\r\n", &save);
	if (!hosts || !type || !k || strcmp(k, key))
		return 0;
	size_t hl = strlen(host);
	for (char *h = strtok_r(hosts, ",", &save); h; h = strtok_r(NULL, ",", &save))
		if (!strcmp(h, host) || (h[0] == '[' && !strncmp(h + 1, host, hl) && h[hl + 1] == ']'))
			return 1;
	return 0;
}

/*
 * libgit2 accepts no ssh host key it cannot vouch for: the key must be in
 * ~/.ssh/known_hosts, as ssh itself would have it (plain lines; hashed ones
 * are ssh's own secret). ssh-keyscan HOST >> ~/.ssh/known_hosts adds one.
 */
static int hostkey_cb(git_cert *cert, int valid, const char *host, void *payload)
{
	(void)payload;
	if (valid)
		return 0;
	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2)
		return GIT_PASSTHROUGH;
	const git_cert_hostkey *hk = (const git_cert_hostkey *)cert;
	const char *home = getenv("HOME");
	int found = 0;
	if (home && (hk->type & GIT_CERT_SSH_RAW)) {
		sbuf key = {0};
		base64((const unsigned char *)hk->hostkey, hk->hostkey_len, &key);
		char path[PATH_MAX], line[16384];
		snprintf(path, sizeof path, "%s/.ssh/known_hosts", home);
		FILE *f = fopen(path, "r");
		while (f && !found && fgets(line, sizeof line, f))
			found = known_line(line, host, key.s);
		if (f)
			fclose(f);
		sb_free(&key);
	}
	if (!found)
		git_error_set_str(GIT_ERROR_SSH, "the host key of this server is not in ~/.ssh/known_hosts (ssh-keyscan it there, after checking it)");
	return found ? 0 : -1;
}

static int sideband(const char *str, int len, void *payload)
{
	(void)payload;
	for (int i = 0; i < len; i++) {
		if (str[i] == '\n' || str[i] == '\r')
			sideband_flush();
		else
			sb_addc(&remote_said, str[i]);
	}
	return 0;
}

struct link {
	git_remote *rem;
	char name[128];
	char branch[200];   /* refs/heads/NAME */
	char tracking[400]; /* refs/remotes/REMOTE/NAME */
	struct cred_state cred;
	char push_status[512];
};

static int remote_open(struct store *s, const char *remote, struct link *l, crm_err *e)
{
	memset(l, 0, sizeof *l);
	git_config *cfg = NULL;
	git_buf b = {0};
	if (!remote && git_repository_config(&cfg, s->repo) == 0 && git_config_get_string_buf(&b, cfg, "crm.remote") == 0)
		snprintf(l->name, sizeof l->name, "%s", b.ptr);
	else
		snprintf(l->name, sizeof l->name, "%s", remote ? remote : "origin");
	git_buf_dispose(&b);
	git_config_free(cfg);
	git_reference *head = NULL;
	if (git_reference_lookup(&head, s->repo, "HEAD") || git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		git_reference_free(head);
		return crm_fail(e, CRM_EDATA, "HEAD is not on a branch: check one out first");
	}
	snprintf(l->branch, sizeof l->branch, "%s", git_reference_symbolic_target(head));
	git_reference_free(head);
	const char *short_name = strncmp(l->branch, "refs/heads/", 11) ? l->branch : l->branch + 11;
	snprintf(l->tracking, sizeof l->tracking, "refs/remotes/%s/%s", l->name, short_name);
	if (git_remote_lookup(&l->rem, s->repo, l->name))
		return crm_fail(e, CRM_EUSAGE, "no remote '%s': add one (git remote add %s URL) or clone with crm clone",
			l->name, l->name);
	return 0;
}

static void remote_close(struct link *l)
{
	git_remote_free(l->rem);
	l->rem = NULL;
}

static int unreachable(struct link *l, const char *what, crm_err *e)
{
	const git_error *ge = git_error_last();
	return crm_fail(e, CRM_EBUSY, "cannot %s %s (%s): %s; nothing changed here", what, l->name,
		git_remote_url(l->rem) ? git_remote_url(l->rem) : "?", ge && ge->message ? ge->message : "unknown error");
}

static int fetch(struct link *l, crm_err *e)
{
	git_fetch_options fo;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	memset(&l->cred, 0, sizeof l->cred);
	fo.callbacks.credentials = cred_cb;
	fo.callbacks.certificate_check = hostkey_cb;
	fo.callbacks.payload = &l->cred;
	fo.callbacks.sideband_progress = NULL;
	tls_load(); /* the CA chain git_libgit2_init left for the first network use */
	return git_remote_fetch(l->rem, NULL, &fo, "crm sync: fetch") ? unreachable(l, "fetch from", e) : 0;
}

static int push_ref_cb(const char *ref, const char *status, void *data)
{
	(void)ref;
	struct link *l = data;
	if (status)
		snprintf(l->push_status, sizeof l->push_status, "%s", status);
	return 0;
}

static int push_payload_cred(git_credential **out, const char *url, const char *user, unsigned int allowed, void *payload)
{
	return cred_cb(out, url, user, allowed, &((struct link *)payload)->cred);
}

/*
 * A push to a remote given as a path is made by this process, which locks the
 * remote's ref itself: killed meanwhile, it leaves the lock behind, and every
 * later push (git's too) fails on it. A ref lock is held for milliseconds; one
 * older than STALE_LOCK seconds is such a leftover, and goes.
 */
enum { STALE_LOCK = 5 };

static void stale_remote_lock(struct link *l)
{
	const char *url = git_remote_url(l->rem);
	if (!url)
		return;
	if (!strncmp(url, "file://", 7))
		url += 7;
	else if (strstr(url, "://") || (strchr(url, ':') && (!strchr(url, '/') || strchr(url, ':') < strchr(url, '/'))))
		return; /* served by git, which cleans up after itself */
	static const char *const where[] = {"", ".git/"};
	for (size_t i = 0; i < 2; i++) {
		char lock[PATH_MAX], packed[PATH_MAX];
		snprintf(lock, sizeof lock, "%s/%s%s.lock", url, where[i], l->branch);
		snprintf(packed, sizeof packed, "%s/%spacked-refs.lock", url, where[i]);
		const char *const locks[] = {lock, packed};
		for (size_t k = 0; k < 2; k++) {
			struct stat st;
			if (stat(locks[k], &st) || time(NULL) - st.st_mtime < STALE_LOCK)
				continue;
			if (unlink(locks[k]) == 0)
				fprintf(stderr, "crm: warning: removed %s, left %ld s ago by a push that was killed\n",
					locks[k], (long)(time(NULL) - st.st_mtime));
		}
	}
}

/* 0 pushed; 1 refused as not a fast-forward (the remote moved: fetch and merge again); else an error. */
static int push(struct link *l, crm_err *e)
{
	git_push_options po;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	memset(&l->cred, 0, sizeof l->cred);
	l->push_status[0] = 0;
	po.callbacks.credentials = push_payload_cred;
	po.callbacks.certificate_check = hostkey_cb;
	po.callbacks.push_update_reference = push_ref_cb;
	po.callbacks.sideband_progress = sideband;
	po.callbacks.payload = l;
	char spec[420];
	snprintf(spec, sizeof spec, "%s:%s", l->branch, l->branch);
	char *specs[] = {spec};
	git_strarray arr = {specs, 1};
	tls_load();
	int grc = git_remote_push(l->rem, &arr, &po);
	sideband_flush();
	const git_error *ge = git_error_last();
	const char *why = l->push_status[0] ? l->push_status : ge && ge->message ? ge->message : "";
	/* The remote moved, or another push is updating it right now: fetch, merge, try again. */
	if (grc == GIT_ENONFASTFORWARD || strstr(why, "non-fast") || strstr(why, "fetch first") ||
	    strstr(why, "non-fastforward") || strstr(why, "failed to lock") || strstr(why, "cannot lock") || strstr(why, "locked file"))
		return 1;
	if (grc && !l->push_status[0])
		return unreachable(l, "push to", e);
	if (l->push_status[0])
		return crm_fail(e, CRM_EDATA, "%s refused the push: %s (the commits stay here; see crm(7), working as a team)",
			l->name, l->push_status);
	return 0;
}

/* No branch of ours there: fine for an empty remote (the first sync fills it), not for another repository. */
static int remote_empty(struct link *l, crm_err *e)
{
	const git_remote_head **heads;
	size_t n = 0;
	if (git_remote_ls(&heads, &n, l->rem))
		n = 0;
	for (size_t i = 0; i < n; i++)
		if (!strncmp(heads[i]->name, "refs/heads/", 11))
			return crm_fail(e, CRM_EDATA, "%s has no %s but other branches: not a crm store, or not this one; nothing changed here",
				l->name, l->branch);
	return 0;
}

static int ref_oid(git_repository *repo, const char *ref, git_oid *out)
{
	return git_reference_name_to_id(out, repo, ref) == 0;
}

/* What the store files of a tree are: whether a path is there, and its blob. */
static int entry_of(git_tree *t, const char *path, git_oid *out)
{
	git_tree_entry *te = NULL;
	if (!t || git_tree_entry_bypath(&te, t, path))
		return 0;
	int blob = git_tree_entry_type(te) == GIT_OBJECT_BLOB;
	if (blob)
		*out = *git_tree_entry_id(te);
	git_tree_entry_free(te);
	return blob;
}

static int side_of(git_repository *repo, git_tree *t, const char *path, git_blob **b, struct side *sd, crm_err *e)
{
	git_oid id;
	*b = NULL;
	sd->buf = NULL;
	sd->len = 0;
	if (!entry_of(t, path, &id))
		return 0;
	if (git_blob_lookup(b, repo, &id))
		return crm_fail_git(e, path);
	sd->buf = git_blob_rawcontent(*b);
	sd->len = (size_t)git_blob_rawsize(*b);
	if (!sd->buf)
		sd->buf = "";
	return 0;
}

/* The work tree's file must be what ours committed: a merge never writes over an uncommitted edit. */
static int clean(struct store *s, const char *path, int have, const git_oid *ours, crm_err *e)
{
	char f[PATH_MAX];
	snprintf(f, sizeof f, "%s/%s", s->root, path);
	git_oid now;
	int exists = access(f, F_OK) == 0;
	if (!exists && !have)
		return 0;
	if (exists && have && git_odb_hashfile(&now, f, GIT_OBJECT_BLOB) == 0 && git_oid_equal(&now, ours))
		return 0;
	return crm_fail(e, CRM_EDATA, "%s has changes not committed here: commit them (crm check, then git commit) or undo them (git checkout -- %s), then sync again", path, path);
}

struct merge_run {
	struct store *s;
	git_tree *base, *ours, *theirs;
	struct conflicts cs;
	size_t files;
	int conflicts_merged; /* conflicts.csv came through the merge: cbuf holds it */
	sbuf cbuf;
};

/* The merged conflicts.csv is kept, not staged: this merge's own conflicts join it first. */
static int put(struct merge_run *m, const char *path, const char *buf, size_t len, crm_err *e)
{
	m->files++;
	if (strcmp(path, CONFLICTS_FILE))
		return store_put(m->s, path, buf, len, e);
	m->conflicts_merged = 1;
	m->cbuf.len = 0;
	sb_add(&m->cbuf, buf ? buf : "", buf ? len : 0);
	return 0;
}

static int merge_path(struct merge_run *m, const char *path, crm_err *e)
{
	git_oid ob, oo, ot;
	int hb = entry_of(m->base, path, &ob), ho = entry_of(m->ours, path, &oo), ht = entry_of(m->theirs, path, &ot);
	if (ho == ht && (!ho || git_oid_equal(&oo, &ot)))
		return 0;
	int rc = clean(m->s, path, ho, &oo, e);
	if (rc)
		return rc;
	git_blob *bb = NULL, *bo = NULL, *bt = NULL;
	struct side sb, so, st;
	rc = side_of(m->s->repo, m->ours, path, &bo, &so, e);
	if (!rc)
		rc = side_of(m->s->repo, m->theirs, path, &bt, &st, e);
	if (!rc && ho == hb && (!ho || git_oid_equal(&oo, &ob))) {
		rc = put(m, path, st.buf, st.len, e); /* only theirs changed it */
	} else if (!rc) {
		rc = side_of(m->s->repo, m->base, path, &bb, &sb, e);
		sbuf out = {0};
		if (!rc)
			rc = merge_file(path, sb, so, st, m->s->digits, &out, &m->cs, e);
		if (!rc && (!so.buf || so.len != out.len || memcmp(so.buf, out.s ? out.s : "", out.len)))
			rc = put(m, path, out.s ? out.s : "", out.len, e);
		sb_free(&out);
	}
	git_blob_free(bb), git_blob_free(bo), git_blob_free(bt);
	return rc;
}

static int each_delta(const git_diff_delta *d, float progress, void *payload)
{
	(void)progress;
	struct { struct merge_run *m; crm_err *e; int rc; } *p = payload;
	const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
	p->rc = merge_path(p->m, path, p->e);
	return p->rc ? -1 : 0;
}

/* crm.conf's value of key in a tree (dflt when it has none); tmp is a scratch file in .git. */
static int conf_value(struct store *s, git_tree *t, const char *key, const char *dflt, char *out, size_t cap, crm_err *e)
{
	git_oid id;
	snprintf(out, cap, "%s", dflt);
	if (!entry_of(t, "crm.conf", &id))
		return 0;
	git_blob *b = NULL;
	if (git_blob_lookup(&b, s->repo, &id))
		return crm_fail_git(e, "crm.conf");
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%scrm-sync-%ld.conf", git_repository_path(s->repo), (long)getpid());
	FILE *f = fopen(tmp, "wb");
	int rc = !f || fwrite(git_blob_rawcontent(b), 1, (size_t)git_blob_rawsize(b), f) != (size_t)git_blob_rawsize(b);
	if (f && fclose(f))
		rc = 1;
	git_blob_free(b);
	git_config *cfg = NULL;
	git_buf v = {0};
	if (!rc && git_config_open_ondisk(&cfg, tmp) == 0 && git_config_get_string_buf(&v, cfg, key) == 0)
		snprintf(out, cap, "%s", v.ptr);
	git_buf_dispose(&v);
	git_config_free(cfg);
	unlink(tmp);
	return rc ? crm_fail_sys(e, CRM_ECANTCREAT, "cannot read", "crm.conf") : 0;
}

/*
 * What makes the files mean the same (currency, its digits, the id format) may
 * change on one side, and the other takes it; changed two ways, the two are
 * different stores now, and nothing is merged.
 */
static int same_store(struct store *s, git_tree *base, git_tree *ours, git_tree *theirs, const char *rname, crm_err *e)
{
	git_oid id;
	if (!entry_of(theirs, "crm.conf", &id))
		return crm_fail(e, CRM_EDATA, "%s is not a crm store (its tree has no crm.conf); nothing changed here", rname);
	static const char *const keys[][2] = {{"company.currency", "CNY"}, {"company.digits", "2"},
		{"customer.id-format", "C{seq:06}"}};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof keys / sizeof keys[0]; i++) {
		char b[200], o[200], t[200];
		rc = conf_value(s, base, keys[i][0], keys[i][1], b, sizeof b, e);
		if (!rc)
			rc = conf_value(s, ours, keys[i][0], keys[i][1], o, sizeof o, e);
		if (!rc)
			rc = conf_value(s, theirs, keys[i][0], keys[i][1], t, sizeof t, e);
		if (!rc && strcmp(o, t) && strcmp(o, b) && strcmp(t, b))
			rc = crm_fail(e, CRM_EDATA, "crm.conf: %s: '%s' here, '%s' on %s (was '%s'): these are different stores now; nothing changed here",
				keys[i][0], o, t, rname, b);
	}
	return rc;
}

static void incoming(git_repository *repo, const git_oid *from, const git_oid *hide, size_t *n, sbuf *list)
{
	git_revwalk *w = NULL;
	git_oid id;
	*n = 0;
	if (git_revwalk_new(&w, repo) || git_revwalk_push(w, from) || (hide && git_revwalk_hide(w, hide))) {
		git_revwalk_free(w);
		return;
	}
	git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	while (git_revwalk_next(&id, w) == 0) {
		git_commit *c = NULL;
		if (list && *n < 30 && git_commit_lookup(&c, repo, &id) == 0) {
			char hex[8];
			git_oid_tostr(hex, sizeof hex, &id);
			const char *sum = git_commit_summary(c);
			sb_printf(list, "%s %s (%s)\n", hex, sum ? sum : "", git_commit_author(c)->name);
		}
		git_commit_free(c);
		(*n)++;
	}
	if (list && *n > 30)
		sb_printf(list, "... and %zu more\n", *n - 30);
	git_revwalk_free(w);
}

static void today(char *buf)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

/* Customers a side added since base (their files only, by a path-limited diff). */
static int added_customers(struct store *s, git_tree *base, git_tree *side, struct recs *out, crm_err *e)
{
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	char *spec[] = {"customers/"};
	o.pathspec = (git_strarray){spec, 1};
	git_diff *d = NULL;
	if (git_diff_tree_to_tree(&d, s->repo, base, side, &o))
		return crm_fail_git(e, "cannot compare the trees");
	int rc = 0;
	for (size_t i = 0; !rc && i < git_diff_num_deltas(d); i++) {
		const char *path = git_diff_get_delta(d, i)->new_file.path;
		struct recs before = {0}, after = {0};
		rc = tree_recs(s, base, path, &before, e);
		if (!rc)
			rc = tree_recs(s, side, path, &after, e);
		for (size_t k = 0; !rc && k < after.n; k++)
			if (!recs_find(&before, after.r[k]->v[CU_ID])) {
				recs_push(out, after.r[k]);
				after.r[k] = NULL;
			}
		for (size_t k = 0; k < after.n; k++)
			free(after.r[k]);
		free(after.r);
		recs_free(&before);
	}
	git_diff_free(d);
	return rc;
}

/*
 * 撞单 across clones: two owners each added the same company while apart.
 * Neither side's add could see the other's, so the merge names it as a
 * conflict of the later record; crm-customer merge settles it.
 */
static int cross_duplicates(struct merge_run *m, crm_err *e)
{
	struct recs ours = {0}, theirs = {0};
	int rc = added_customers(m->s, m->base, m->ours, &ours, e);
	if (!rc && ours.n)
		rc = added_customers(m->s, m->base, m->theirs, &theirs, e);
	sbuf a = {0}, b = {0};
	for (size_t i = 0; !rc && i < ours.n; i++)
		for (size_t k = 0; k < theirs.n; k++) {
			const rec *o = ours.r[i], *t = theirs.r[k];
			if (!strcmp(o->v[CU_OWNER], t->v[CU_OWNER]) || !strcmp(o->v[CU_ID], t->v[CU_ID]))
				continue;
			norm_name(o->v[CU_NAME], &a);
			norm_name(t->v[CU_NAME], &b);
			int same = a.len && !strcmp(a.s, b.s);
			a.len = b.len = 0;
			norm_phone(o->v[CU_PHONE], &a);
			norm_phone(t->v[CU_PHONE], &b);
			same |= a.len && b.len && !strcmp(a.s, b.s);
			a.len = b.len = 0;
			if (!same)
				continue;
			char ov[600], tv[600];
			snprintf(ov, sizeof ov, "%s '%s' owned by %s", o->v[CU_ID], o->v[CU_NAME], o->v[CU_OWNER]);
			snprintf(tv, sizeof tv, "%s '%s' owned by %s", t->v[CU_ID], t->v[CU_NAME], t->v[CU_OWNER]);
			merge_conflict_add(&m->cs, "customers", t->v[CU_ID], "(duplicate)", "", ov, tv);
		}
	sb_free(&a), sb_free(&b);
	recs_free(&ours), recs_free(&theirs);
	return rc;
}

/* Conflicts git's merge driver left in .git are committed, so every clone sees them. */
static int record_pending(struct store *s, crm_err *e)
{
	struct recs cf = {0};
	char f[PATH_MAX];
	snprintf(f, sizeof f, "%scrm-conflicts", git_repository_path(s->repo));
	if (access(f, F_OK)) {
		store_abort(s);
		return 0;
	}
	int rc = conflicts_load(s, &cf, e);
	if (!rc)
		rc = conflicts_stage(s, &cf, e);
	if (!rc)
		rc = store_commit(s, "sync: record the conflicts of a git merge", e);
	else
		store_abort(s);
	if (!rc)
		conflicts_pending_drop(s);
	recs_free(&cf);
	return rc;
}

/* Under the write lock: HEAD merged with theirs (or moved to it) in one commit. */
static int merge_in(struct store *s, struct link *l, const git_oid *theirs, struct sync_report *r, crm_err *e)
{
	git_oid ours, base;
	if (!ref_oid(s->repo, "HEAD", &ours))
		return crm_fail(e, CRM_EDATA, "this store has no commit yet");
	if (git_oid_equal(&ours, theirs))
		return record_pending(s, e);
	int grc = git_merge_base(&base, s->repo, &ours, theirs);
	if (grc == GIT_ENOTFOUND)
		return crm_fail(e, CRM_EDATA, "%s holds another store (no history in common); nothing changed here", l->name);
	if (grc)
		return crm_fail_git(e, "merge base");
	if (git_oid_equal(&base, theirs))
		return record_pending(s, e); /* nothing new there */
	struct merge_run m = {.s = s};
	git_commit *cb = NULL, *co = NULL, *ct = NULL;
	int rc = 0;
	if (git_commit_lookup(&cb, s->repo, &base) || git_commit_lookup(&co, s->repo, &ours) ||
	    git_commit_lookup(&ct, s->repo, theirs) || git_commit_tree(&m.base, cb) ||
	    git_commit_tree(&m.ours, co) || git_commit_tree(&m.theirs, ct))
		rc = crm_fail_git(e, "cannot read the commits to merge");
	if (!rc)
		rc = same_store(s, m.base, m.ours, m.theirs, l->name, e);
	int ff = git_oid_equal(&base, &ours);
	git_diff *d = NULL;
	if (!rc && git_diff_tree_to_tree(&d, s->repo, m.base, m.theirs, NULL))
		rc = crm_fail_git(e, "cannot compare the trees");
	struct { struct merge_run *m; crm_err *e; int rc; } p = {&m, e, 0};
	if (!rc && git_diff_foreach(d, each_delta, NULL, NULL, NULL, &p))
		rc = p.rc ? p.rc : crm_fail_git(e, "cannot merge");
	git_diff_free(d);
	if (!rc && !ff)
		rc = cross_duplicates(&m, e);
	/* Conflicts found now, and any git's merge driver left pending, go into this commit. */
	struct recs cf = {0};
	char oh[GIT_OID_HEXSZ + 1], th[GIT_OID_HEXSZ + 1], day[11];
	git_oid_tostr(oh, sizeof oh, &ours);
	git_oid_tostr(th, sizeof th, theirs);
	today(day);
	long pending = rc ? 0 : conflicts_count(s);
	if (!rc && (m.cs.n || pending || m.conflicts_merged)) {
		rc = m.conflicts_merged
			? m.cbuf.len ? table_read(&T_CONFLICTS, CONFLICTS_FILE, m.cbuf.s, m.cbuf.len, s->digits, recs_push_dup, &cf, e) : 0
			: store_load_recs(s, &T_CONFLICTS, CONFLICTS_FILE, &cf, e);
		if (!rc)
			rc = conflicts_load_pending(s, &cf, e);
		conflicts_add(&cf, &m.cs, oh, th, day);
		if (!rc)
			rc = conflicts_stage(s, &cf, e);
	}
	sb_free(&m.cbuf);
	recs_free(&cf);
	if (!rc) {
		sbuf list = {0}, sum = {0};
		incoming(s->repo, theirs, &ours, &r->in, &list);
		sb_printf(&sum, "sync: merge %zu commit%s from %s", r->in, r->in == 1 ? "" : "s", l->name);
		if (m.cs.n)
			sb_printf(&sum, ", %zu conflict%s (crm conflicts)", m.cs.n, m.cs.n == 1 ? "" : "s");
		if (s->extra_msg) {
			sb_adds(&list, "\n");
			sb_adds(&list, s->extra_msg);
		}
		char *user_msg = s->extra_msg;
		s->extra_msg = list.s;
		s->merge_head = theirs;
		s->ff = ff && !m.cs.n;
		rc = store_commit(s, sum.s, e);
		s->merge_head = NULL;
		s->extra_msg = user_msg;
		sb_free(&list);
		sb_free(&sum);
		if (!rc) {
			r->ff = git_oid_equal(&s->last_commit, theirs);
			r->merged = !r->ff;
			r->files += m.files;
			r->conflicts += m.cs.n;
			conflicts_pending_drop(s);
		}
	} else {
		store_abort(s);
	}
	conflicts_free(&m.cs);
	git_tree_free(m.base), git_tree_free(m.ours), git_tree_free(m.theirs);
	git_commit_free(cb), git_commit_free(co), git_commit_free(ct);
	return rc;
}

int sync_run(struct store *s, const char *remote, struct sync_report *r, crm_err *e)
{
	struct link l;
	memset(r, 0, sizeof *r);
	int rc = remote_open(s, remote, &l, e);
	if (!rc)
		rc = sync_setup(s, e);
	for (int attempt = 0; !rc && attempt < SYNC_TRIES; attempt++) {
		r->retries = attempt;
		rc = fetch(&l, e);
		git_oid theirs, ours;
		int have_theirs = !rc && ref_oid(s->repo, l.tracking, &theirs);
		if (!rc && !have_theirs)
			rc = remote_empty(&l, e);
		if (!rc)
			rc = store_lock(s, e);
		if (!rc && have_theirs)
			rc = merge_in(s, &l, &theirs, r, e);
		else if (!rc)
			store_abort(s);
		if (rc)
			break;
		if (!ref_oid(s->repo, "HEAD", &ours))
			break;
		size_t ahead = 0;
		incoming(s->repo, &ours, have_theirs ? &theirs : NULL, &ahead, NULL);
		if (!ahead)
			break;
		rc = push(&l, e);
		if (rc == 1) {
			rc = 0;
			stale_remote_lock(&l);
			/* Apart, so clones pushing at once do not meet again at the same instant. */
			struct timespec ts = {0, (long)(50 + (getpid() * 7919L + attempt * 104729L) % 200) * 1000000L * (attempt + 1)};
			nanosleep(&ts, NULL);
			if (attempt + 1 == SYNC_TRIES)
				rc = crm_fail(e, CRM_EBUSY, "%s kept moving: pushed %d times, refused each time; sync again", l.name, SYNC_TRIES);
			continue;
		}
		if (!rc) {
			r->out = ahead;
			r->pushed = 1;
		}
		break;
	}
	remote_close(&l);
	return rc;
}

int sync_status(struct store *s, const char *remote, FILE *out, crm_err *e)
{
	struct link l;
	int rc = remote_open(s, remote, &l, e);
	if (rc)
		return rc;
	crm_err fe = {0};
	int fetched = fetch(&l, &fe) == 0;
	git_oid ours, theirs;
	int have_ours = ref_oid(s->repo, "HEAD", &ours), have_theirs = ref_oid(s->repo, l.tracking, &theirs);
	size_t ahead = 0, behind = 0;
	sbuf list = {0};
	if (have_ours)
		incoming(s->repo, &ours, have_theirs ? &theirs : NULL, &ahead, &list);
	if (have_ours && have_theirs)
		incoming(s->repo, &theirs, &ours, &behind, NULL);
	fprintf(out, "remote: %s %s\n", l.name, git_remote_url(l.rem) ? git_remote_url(l.rem) : "");
	if (!fetched)
		fprintf(out, "fetch: failed (%s); figures as of the last fetch\n", fe.msg);
	fprintf(out, "ahead: %zu\nbehind: %zu\n", ahead, behind);
	if (list.len)
		fprintf(out, "unsynced:\n%s", list.s);
	fprintf(out, "conflicts: %ld\n", conflicts_count(s));
	sb_free(&list);
	remote_close(&l);
	return 0;
}

/*
 * A bare repository made by `git init --bare` names master as its HEAD while
 * crm stores live on main: the clone then has nothing checked out, so main is.
 */
static int checkout_main(git_repository *repo, crm_err *e)
{
	if (git_repository_head_unborn(repo) != 1)
		return 0;
	git_oid id;
	git_commit *c = NULL;
	git_reference *br = NULL;
	if (git_reference_name_to_id(&id, repo, "refs/remotes/origin/main"))
		return 0; /* an empty remote: the store comes with the first sync */
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	int rc = git_commit_lookup(&c, repo, &id) || git_branch_create(&br, repo, "main", c, 1) ||
		git_branch_set_upstream(br, "origin/main") || git_repository_set_head(repo, "refs/heads/main") ||
		git_checkout_head(repo, &co);
	git_reference_free(br);
	git_commit_free(c);
	return rc ? crm_fail_git(e, "cannot check out main") : 0;
}

int sync_clone(const char *url, const char *dir, const char *prog, crm_err *e)
{
	git_repository *repo = NULL;
	git_clone_options co;
	git_clone_options_init(&co, GIT_CLONE_OPTIONS_VERSION);
	struct cred_state cs = {0};
	co.fetch_opts.callbacks.credentials = cred_cb;
	co.fetch_opts.callbacks.certificate_check = hostkey_cb;
	co.fetch_opts.callbacks.payload = &cs;
	if (access(dir, F_OK) == 0)
		return crm_fail(e, CRM_ECANTCREAT, "%s exists already", dir);
	git_libgit2_init();
	tls_load();
	if (git_clone(&repo, url, dir, &co)) {
		const git_error *ge = git_error_last();
		return crm_fail(e, CRM_EBUSY, "cannot clone %s: %s", url, ge && ge->message ? ge->message : "unknown error");
	}
	int rc = checkout_main(repo, e);
	git_repository_free(repo);
	if (rc)
		return rc;
	struct store s = {0};
	rc = store_open(&s, dir, e);
	if (rc) {
		crm_err why = *e;
		memset(e, 0, sizeof *e);
		rc = crm_fail(e, CRM_EDATA, "%s: cloned into %s, but it is not a crm store (%s)", url, dir, why.msg);
	}
	s.prog = prog;
	if (!rc)
		rc = sync_setup(&s, e);
	store_close(&s);
	return rc;
}

static int read_all(const char *path, sbuf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_add(b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

int sync_merge_driver(const char *base, const char *ours, const char *theirs, const char *path, crm_err *e)
{
	sbuf b[3] = {{0}, {0}, {0}};
	const char *files[3] = {base, ours, theirs};
	for (int i = 0; i < 3; i++)
		if (read_all(files[i], &b[i]))
			return crm_fail_sys(e, CRM_ENOINPUT, "cannot read", files[i]);
	struct store s = {0};
	crm_err ignore = {0};
	int digits = store_open(&s, NULL, &ignore) == 0 ? s.digits : 2;
	/* git hands an empty file for a side that has none */
	struct side sd[3];
	for (int i = 0; i < 3; i++)
		sd[i] = (struct side){b[i].len ? b[i].s : NULL, b[i].len};
	struct conflicts cs = {0};
	sbuf out = {0};
	int rc = merge_file(path, sd[0], sd[1], sd[2], digits, &out, &cs, e);
	if (!rc) {
		FILE *f = fopen(ours, "wb");
		if (!f || fwrite(out.s ? out.s : "", 1, out.len, f) != out.len || fclose(f))
			rc = crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", ours);
	}
	if (!rc && cs.n && s.repo) {
		char oh[GIT_OID_HEXSZ + 1] = "", th[GIT_OID_HEXSZ + 1] = "", day[11];
		git_oid id;
		if (ref_oid(s.repo, "HEAD", &id))
			git_oid_tostr(oh, sizeof oh, &id);
		if (ref_oid(s.repo, "MERGE_HEAD", &id))
			git_oid_tostr(th, sizeof th, &id);
		today(day);
		rc = conflicts_pending_append(git_repository_path(s.repo), &cs, oh, th, day, e);
		if (!rc)
			fprintf(stderr, "crm: %s: %zu conflict%s kept as ours; see crm conflicts\n", path, cs.n, cs.n == 1 ? "" : "s");
	}
	conflicts_free(&cs);
	sb_free(&out);
	for (int i = 0; i < 3; i++)
		sb_free(&b[i]);
	if (s.repo)
		store_close(&s);
	return rc;
}
