#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "date.h"
#include "store.h"
#include "sync.h"
#include "terms.h"

static const char default_conf[] =
	"# crm store settings (git-config syntax; see crm-store(5)).\n"
	"[company]\n"
	"\tname = \n"
	"\tcurrency = CNY\n"
	"\tdigits = 2\n"
	"[customer]\n"
	"\tid-format = C{seq:06}\n"
	"[terms]\n"
	"\tdefault = n/30\n"
	"[aging]\n"
	"\tbuckets = 30,60,90\n"
	"[pool]\n"
	"\tstale-days = 90\n"
	"[role \"finance\"]\n"
	"[role \"director\"]\n";

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

static char *join(const char *a, const char *b)
{
	sbuf s = {0};
	sb_printf(&s, "%s/%s", a, b);
	return s.s;
}

static int find_root(const char *dir, char **root, crm_err *e)
{
	char buf[PATH_MAX];
	if (!dir)
		dir = getenv("CRM_DIR");
	if (dir && *dir) {
		if (!realpath(dir, buf))
			return crm_fail_sys(e, CRM_ENOINPUT, "cannot open store", dir);
		char *c = join(buf, "crm.conf");
		int ok = file_exists(c);
		free(c);
		if (!ok)
			return crm_fail(e, CRM_ENOINPUT, "'%s' is not a crm store (no crm.conf)", dir);
		*root = xstrdup(buf);
		return 0;
	}
	if (!getcwd(buf, sizeof buf))
		return crm_fail_sys(e, CRM_ENOINPUT, "cannot read", ".");
	for (;;) {
		char *c = join(buf, "crm.conf");
		int ok = file_exists(c);
		free(c);
		if (ok) {
			*root = xstrdup(buf);
			return 0;
		}
		char *slash = strrchr(buf, '/');
		if (!slash || slash == buf)
			return crm_fail(e, CRM_ENOINPUT,
				"not in a crm store (no crm.conf here or above; see crm init, -C, CRM_DIR)");
		*slash = 0;
	}
}

int store_open(struct store *s, const char *dir, crm_err *e)
{
	char *root = NULL;
	int rc = find_root(dir, &root, e);
	if (rc)
		return rc;
	git_libgit2_init();
	s->root = root;
	s->lockfd = s->rdlockfd = -1;
	s->user[0] = 0;
	/*
	 * The refs database takes its fsync setting once, when first opened: it is
	 * opened here without, since store_commit syncs the ref it moves itself
	 * (write.c, move_head); everything else libgit2 writes is synced.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 0);
	int orc = git_repository_open_ext(&s->repo, root, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	git_refdb *refdb = NULL;
	if (!orc && git_repository_refdb(&refdb, s->repo) == 0)
		git_refdb_free(refdb);
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	/* libgit2 1.5 says only "config value 'safe.directory' was not found". */
	struct stat gst;
	char *gd = join(root, ".git");
	int other = stat(gd, &gst) == 0 && gst.st_uid != geteuid();
	free(gd);
	if (orc && (orc == GIT_EOWNER || other))
		return crm_fail(e, CRM_EPERM,
			"'%s' belongs to another user, and git opens it only if it is listed in safe.directory (git config --global --add safe.directory '%s')",
			root, root);
	if (orc)
		return crm_fail_git(e, "cannot open the store's git repository");
	char *conf = join(root, "crm.conf");
	int grc = git_config_open_ondisk(&s->conf, conf);
	free(conf);
	/* Unreadable is not malformed: only what libgit2 cannot parse is bad data. */
	const git_error *ge = git_error_last();
	if (grc)
		return crm_fail(e, ge && ge->klass == GIT_ERROR_OS ? CRM_ENOINPUT : CRM_EDATA,
			"crm.conf: %s", ge && ge->message ? ge->message : "unreadable");
	s->digits = store_conf_int(s, "company.digits", 2);
	if (s->digits < 0 || s->digits > 6)
		return crm_fail(e, CRM_EDATA, "crm.conf: company.digits: must be 0 to 6");
	s->currency = xstrdup(store_conf_str(s, "company.currency", "CNY"));
	s->id_format = xstrdup(store_conf_str(s, "customer.id-format", "C{seq:06}"));
	s->pool_stale_days = store_conf_int(s, "pool.stale-days", 90);
	return 0;
}

void store_close(struct store *s)
{
	store_abort(s);
	if (s->rdlockfd >= 0)
		close(s->rdlockfd);
	git_tree_free(s->at_tree);
	git_commit_free(s->at);
	git_config_free(s->conf);
	git_repository_free(s->repo);
	free(s->root);
	free(s->currency);
	free(s->id_format);
	free(s->cmdline);
	free(s->extra_msg);
	memset(s, 0, sizeof *s);
	s->lockfd = s->rdlockfd = -1;
	s->user[0] = 0;
}

const char *store_conf_str(struct store *s, const char *key, const char *dflt)
{
	static char buf[4][512];
	static int k;
	git_buf b = {0};
	if (!s->conf || git_config_get_string_buf(&b, s->conf, key) != 0)
		return dflt;
	char *o = buf[k++ % 4];
	snprintf(o, sizeof buf[0], "%s", b.ptr);
	git_buf_dispose(&b);
	return o;
}

int store_default_terms(struct store *s, const char **out, crm_err *e)
{
	struct terms t;
	*out = store_conf_str(s, "terms.default", "");
	const char *why = **out ? terms_parse(*out, &t) : NULL;
	return why ? crm_fail(e, CRM_EDATA, "crm.conf: terms.default: %s '%s'", why, *out) : 0;
}

int store_conf_int(struct store *s, const char *key, int dflt)
{
	int32_t v;
	if (!s->conf || git_config_get_int32(&v, s->conf, key) != 0)
		return dflt;
	return v;
}

/* user left empty when neither says */
static void find_user(struct store *s, char *user, size_t cap)
{
	git_config *cfg = NULL;
	git_buf b = {0};
	if (git_repository_config_snapshot(&cfg, s->repo) == 0 &&
	    git_config_get_string_buf(&b, cfg, "crm.user") == 0) {
		snprintf(user, cap, "%s", b.ptr);
		git_buf_dispose(&b);
		git_config_free(cfg);
		return;
	}
	git_config_free(cfg);
	git_signature *sig = NULL;
	crm_err e = {0};
	if (store_author(s, &sig, &e) == 0) {
		snprintf(user, cap, "%s", sig->email);
		char *at = strchr(user, '@');
		if (at)
			*at = 0;
		if (!*user)
			snprintf(user, cap, "%s", sig->name);
		git_signature_free(sig);
	}
}

const char *store_user(struct store *s)
{
	const char *u = getenv("CRM_USER");
	if (u && *u)
		return u;
	/* An import of unowned customers' orders asks once per order. */
	if (!*s->user)
		find_user(s, s->user, sizeof s->user);
	return *s->user ? s->user : "unknown";
}

static int env_or_config(struct store *s, const char *env, const char *key,
	char *out, size_t cap)
{
	const char *v = getenv(env);
	if (v && *v) {
		snprintf(out, cap, "%s", v);
		return 0;
	}
	git_config *cfg = NULL;
	git_buf b = {0};
	int rc = -1;
	if (git_repository_config_snapshot(&cfg, s->repo) == 0 &&
	    git_config_get_string_buf(&b, cfg, key) == 0 && b.ptr[0]) {
		snprintf(out, cap, "%s", b.ptr);
		rc = 0;
	}
	git_buf_dispose(&b);
	git_config_free(cfg);
	return rc;
}

int store_author(struct store *s, git_signature **sig, crm_err *e)
{
	char name[256], email[256];
	if (env_or_config(s, "GIT_AUTHOR_NAME", "user.name", name, sizeof name) ||
	    env_or_config(s, "GIT_AUTHOR_EMAIL", "user.email", email, sizeof email))
		return crm_fail(e, CRM_EUSAGE,
			"who is writing? set git config user.name and user.email (or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL)");
	if (git_signature_now(sig, name, email))
		return crm_fail_git(e, "author");
	return 0;
}

int store_has_role(struct store *s, const char *role)
{
	git_signature *sig = NULL;
	crm_err e = {0};
	if (store_author(s, &sig, &e))
		return 0;
	char key[128];
	snprintf(key, sizeof key, "role.%s.member", role);
	git_config_iterator *it = NULL;
	git_config_entry *ent;
	int found = 0;
	if (git_config_multivar_iterator_new(&it, s->conf, key, NULL) == 0) {
		while (!found && git_config_next(&ent, it) == 0)
			found = strcmp(ent->value, sig->email) == 0 ||
				strcmp(ent->value, store_user(s)) == 0;
		git_config_iterator_free(it);
	}
	git_signature_free(sig);
	return found;
}

/* A clone's ids carry its node code so two clones never mint the same id. */
const char *store_node(struct store *s)
{
	static char node[32];
	static int known; /* asked once per run: an import mints a million ids */
	if (known)
		return node;
	known = 1;
	git_config *cfg = NULL;
	git_buf b = {0};
	int home = 0;
	if (git_repository_config(&cfg, s->repo))
		return "";
	if (git_config_get_bool(&home, cfg, "crm.home") == 0 && home) {
		git_config_free(cfg);
		return "";
	}
	if (git_config_get_string_buf(&b, cfg, "crm.node") == 0) {
		snprintf(node, sizeof node, "%s", b.ptr);
		git_buf_dispose(&b);
		git_config_free(cfg);
		return node;
	}
	/* First id minted in this clone: draw a code and keep it in .git/config. */
	static const char alpha[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char r[4] = {0};
	FILE *f = fopen("/dev/urandom", "rb");
	if (f) {
		if (fread(r, 1, sizeof r, f) != sizeof r)
			r[0] = (unsigned char)getpid();
		fclose(f);
	}
	for (int i = 0; i < 4; i++)
		node[i] = alpha[r[i] % 32];
	node[4] = 0;
	git_config_set_string(cfg, "crm.node", node);
	git_config_free(cfg);
	return node;
}

static int write_file(const char *path, const char *data, crm_err *e)
{
	FILE *f = fopen(path, "wx");
	if (!f)
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot create", path);
	fputs(data, f);
	if (fclose(f))
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", path);
	return 0;
}

int store_init(const char *dir, const char *prog, crm_err *e)
{
	if (!dir)
		dir = ".";
	if (mkdir(dir, 0777) && errno != EEXIST)
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot create", dir);
	char *conf = join(dir, "crm.conf");
	if (file_exists(conf)) {
		free(conf);
		return crm_fail(e, CRM_ECANTCREAT, "'%s' is a crm store already", dir);
	}
	git_libgit2_init();
	git_repository *repo = NULL;
	git_repository_init_options io;
	git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	io.flags = GIT_REPOSITORY_INIT_MKPATH;
	io.initial_head = "main";
	if (git_repository_init_ext(&repo, dir, &io)) {
		free(conf);
		return crm_fail_git(e, "cannot create the git repository");
	}
	git_config *cfg = NULL;
	if (git_repository_config(&cfg, repo) == 0) {
		git_config_set_bool(cfg, "crm.home", 1);
		git_config_free(cfg);
	}
	git_repository_free(repo);
	int rc = write_file(conf, default_conf, e);
	free(conf);
	if (rc)
		return rc;
	struct store s = {0};
	s.prog = prog;
	if ((rc = store_open(&s, dir, e)) == 0 && (rc = store_lock(&s, e)) == 0) {
		sbuf b = {0};
		sb_adds(&b, default_conf);
		rc = store_put(&s, "crm.conf", b.s, b.len, e);
		for (int i = 0; !rc && crm_tables[i]; i++) {
			if (crm_tables[i]->kind != T_MASTER || crm_tables[i]->hash_shards)
				continue;
			b.len = 0;
			table_write_header(crm_tables[i], &b);
			char path[128];
			snprintf(path, sizeof path, "%s/000/000000.csv", crm_tables[i]->name);
			rc = store_put(&s, path, b.s, b.len, e);
		}
		/* git pull and git merge merge records too, through crm's merge driver (sync.c). */
		if (!rc)
			rc = store_put(&s, ".gitattributes", "*.csv merge=crm\n", 16, e);
		sb_free(&b);
		if (!rc)
			rc = store_commit(&s, "init: new store", e);
		if (!rc)
			rc = sync_setup(&s, e);
	}
	store_close(&s);
	return rc;
}

/* The last commit made on or before the end of that day, local time. */
static int commit_by_date(struct store *s, int32_t day, git_commit **out, crm_err *e)
{
	struct tm tm = {0};
	int y, m, d;
	date_to_ymd(day + 1, &y, &m, &d);
	tm.tm_year = y - 1900, tm.tm_mon = m - 1, tm.tm_mday = d, tm.tm_isdst = -1;
	git_time_t limit = mktime(&tm);
	git_oid oid;
	/* Commits read only for their time, as git log --before reads them: not
	 * hashed again (crm check verifies every object) nor kept in a cache. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	if (git_reference_name_to_id(&oid, s->repo, "HEAD"))
		return crm_fail(e, CRM_ENOTFOUND, "the store has no commits yet");
	git_commit *c = NULL;
	if (git_commit_lookup(&c, s->repo, &oid))
		return crm_fail_git(e, "cannot read HEAD");
	while (git_commit_time(c) >= limit) {
		git_commit *p = NULL;
		if (git_commit_parentcount(c) == 0 || git_commit_parent(&p, c, 0)) {
			git_commit_free(c);
			char buf[11];
			git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
			git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
			return crm_fail(e, CRM_ENOTFOUND, "no commit on or before %s (the store is younger)",
				date_fmt(day, buf));
		}
		git_commit_free(c);
		c = p;
	}
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	*out = c;
	return 0;
}

int store_resolve(struct store *s, const char *spec, git_commit **out, crm_err *e)
{
	int32_t day;
	if (date_parse(spec, &day) == NULL)
		return commit_by_date(s, day, out, e);
	git_object *o = NULL;
	if (git_revparse_single(&o, s->repo, spec))
		return crm_fail(e, CRM_ENOTFOUND, "unknown revision '%s'", spec);
	int rc = git_object_peel((git_object **)out, o, GIT_OBJECT_COMMIT);
	git_object_free(o);
	if (rc)
		return crm_fail(e, CRM_ENOTFOUND, "'%s' is not a commit", spec);
	return 0;
}

int store_set_at(struct store *s, const char *spec, crm_err *e)
{
	int rc = store_resolve(s, spec, &s->at, e);
	if (rc)
		return rc;
	if (git_commit_tree(&s->at_tree, s->at))
		return crm_fail_git(e, "cannot read the commit's tree");
	return 0;
}
