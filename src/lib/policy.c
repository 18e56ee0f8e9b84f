#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ar.h"
#include "check.h"
#include "customer.h"
#include "history.h"
#include "money.h"
#include "order.h"
#include "policy.h"
#include "stock.h"
#include "store.h"
#include "strset.h"

/* The store as one commit of a bare repository holds it, with the server's crm.conf. */
struct view {
	struct store s;
	char conf_path[PATH_MAX];
};

static int view_conf(struct view *v, git_repository *repo, git_tree *server, crm_err *e)
{
	git_oid id;
	git_tree_entry *te = NULL;
	snprintf(v->conf_path, sizeof v->conf_path, "%scrm-policy-%ld.conf", git_repository_path(repo), (long)getpid());
	FILE *f = fopen(v->conf_path, "wb");
	if (!f)
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", v->conf_path);
	int bad = 0;
	if (server && git_tree_entry_bypath(&te, server, "crm.conf") == 0) {
		git_blob *b = NULL;
		id = *git_tree_entry_id(te);
		if (git_blob_lookup(&b, repo, &id) == 0) {
			bad = fwrite(git_blob_rawcontent(b), 1, (size_t)git_blob_rawsize(b), f) != (size_t)git_blob_rawsize(b);
			git_blob_free(b);
		}
		git_tree_entry_free(te);
	}
	if (fclose(f) || bad || git_config_open_ondisk(&v->s.conf, v->conf_path))
		return crm_fail(e, CRM_EDATA, "the server's crm.conf cannot be read");
	v->s.digits = store_conf_int(&v->s, "company.digits", 2);
	v->s.currency = xstrdup(store_conf_str(&v->s, "company.currency", "CNY"));
	v->s.id_format = xstrdup(store_conf_str(&v->s, "customer.id-format", "C{seq:06}"));
	return 0;
}

static int view_open(struct view *v, git_repository *repo, git_tree *server, crm_err *e)
{
	memset(v, 0, sizeof *v);
	v->s.repo = repo;
	v->s.root = xstrdup(git_repository_path(repo));
	v->s.lockfd = v->s.rdlockfd = -1;
	v->s.prog = "crm policy";
	return view_conf(v, repo, server, e);
}

static int view_at(struct view *v, const git_oid *commit, crm_err *e)
{
	git_tree_free(v->s.at_tree);
	git_commit_free(v->s.at);
	v->s.at_tree = NULL;
	v->s.at = NULL;
	if (git_commit_lookup(&v->s.at, v->s.repo, commit) || git_commit_tree(&v->s.at_tree, v->s.at))
		return crm_fail_git(e, "cannot read a pushed commit");
	return 0;
}

static void view_close(struct view *v)
{
	git_tree_free(v->s.at_tree);
	git_commit_free(v->s.at);
	git_config_free(v->s.conf);
	free(v->s.root);
	free(v->s.currency);
	free(v->s.id_format);
	if (*v->conf_path)
		unlink(v->conf_path);
}

/* Is the commit's author a member of the role, by email or by the email's local part (as store_has_role)? */
static int author_has(struct view *v, const git_signature *a, const char *role)
{
	char key[128], user[256];
	snprintf(key, sizeof key, "role.%s.member", role);
	snprintf(user, sizeof user, "%.*s", (int)strcspn(a->email, "@"), a->email);
	git_config_iterator *it = NULL;
	git_config_entry *ent;
	int found = 0;
	if (git_config_multivar_iterator_new(&it, v->s.conf, key, NULL) == 0) {
		while (!found && git_config_next(&ent, it) == 0)
			found = !strcmp(ent->value, a->email) || !strcmp(ent->value, user);
		git_config_iterator_free(it);
	}
	return found;
}

struct run {
	git_repository *repo;
	struct view v;       /* roles from the server; reads at the commit being looked at */
	FILE *out;
	size_t refused;
	struct strmap floor; /* sku -> index into floors, of the commit being looked at */
	char **floors;
	size_t nfloor;
	int floors_loaded;
};

static void refuse(struct run *r, const git_oid *commit, const char *fmt, const char *a, const char *b, const char *c)
{
	char hex[12];
	git_oid_tostr(hex, sizeof hex, commit);
	fprintf(r->out, "crm policy: refused %s: ", hex);
	fprintf(r->out, fmt, a, b, c);
	fputc('\n', r->out);
	r->refused++;
}

static int keep_floor(void *ctx, rec *p, crm_err *e)
{
	struct run *r = ctx;
	(void)e;
	if (!*p->v[PR_FLOOR])
		return 0;
	r->floors = xrealloc(r->floors, (r->nfloor + 1) * sizeof *r->floors);
	r->floors[r->nfloor] = xstrdup(p->v[PR_FLOOR]);
	strmap_put(&r->floor, p->v[PR_SKU], r->nfloor++);
	return 0;
}

static void floors_free(struct run *r)
{
	for (size_t i = 0; i < r->nfloor; i++)
		free(r->floors[i]);
	free(r->floors);
	r->floors = NULL;
	r->nfloor = 0;
	r->floors_loaded = 0;
	strmap_clear(&r->floor);
}

/* A line priced under its product's floor: price x (1 - discount) < floor. */
static int under_floor(struct run *r, const rec *l, crm_err *e)
{
	if (!r->floors_loaded) {
		r->floors_loaded = 1;
		int rc = store_scan(&r->v.s, &T_PRODUCTS, keep_floor, r, e);
		if (rc)
			return -rc;
	}
	size_t i = strmap_get(&r->floor, l->v[LN_SKU], (size_t)-1);
	int64_t price, disc = 0, floor;
	if (i == (size_t)-1 || money_parse(l->v[LN_PRICE], r->v.s.digits, &price) ||
	    money_parse(r->floors[i], r->v.s.digits, &floor) || (*l->v[LN_DISCOUNT] && money_parse(l->v[LN_DISCOUNT], 2, &disc)))
		return 0;
	/* hundredths of a percent: price x (10000 - d) against floor x 10000, exact */
	int64_t net, min;
	if (money_muldiv(price, 10000 - disc, 1, &net) || money_muldiv(floor, 10000, 1, &min))
		return 0;
	return net < min;
}

/* What one record change asks of the author. */
static int judge(struct run *r, const git_oid *cid, const git_signature *a, const char *msg,
	const struct table *t, const rec *old, const rec *now, crm_err *e)
{
	if (!now)
		return 0;
	if (t == &T_INVOICES && *now->v[IN_DISCOUNT] && (!old || strcmp(old->v[IN_DISCOUNT], now->v[IN_DISCOUNT])) &&
	    !author_has(&r->v, a, "finance") && !author_has(&r->v, a, "director"))
		refuse(r, cid, "%s: discount override %s%% by %s needs the finance or director role", now->v[0],
			now->v[IN_DISCOUNT], a->email);
	if (t == &T_APPLICATIONS && !old && !strcmp(now->v[AP_KIND], "writeoff") && !author_has(&r->v, a, "finance"))
		refuse(r, cid, "%s: write-off of %s by %s needs the finance role", now->v[0], now->v[AP_INVOICE], a->email);
	if (t == &T_LINES && (!old || strcmp(old->v[LN_PRICE], now->v[LN_PRICE]) || strcmp(old->v[LN_DISCOUNT], now->v[LN_DISCOUNT]))) {
		int u = under_floor(r, now, e);
		if (u < 0)
			return -u;
		if (u && !author_has(&r->v, a, "director"))
			refuse(r, cid, "%s: %s under its price floor by %s needs the director role", now->v[0],
				now->v[LN_SKU], a->email);
	}
	if (t == &T_CUSTOMERS && !old && !(strstr(msg, "--force") && author_has(&r->v, a, "director"))) {
		crm_err ce = {0};
		int rc = customer_collision(&r->v.s, now, NULL, &ce);
		char *force = strstr(ce.msg, "; --force");
		if (force)
			*force = 0; /* on the server only a director's --force passes */
		if (rc == CRM_EDATA)
			refuse(r, cid, "%s: 撞单 (a customer another owner has): %s%s", now->v[0], ce.msg, "");
		else if (rc)
			return crm_fail(e, rc, "%s", ce.msg);
	}
	return 0;
}

static int guarded_table(const struct table *t)
{
	return t == &T_INVOICES || t == &T_APPLICATIONS || t == &T_LINES || t == &T_CUSTOMERS;
}

static int blob_recs(struct run *r, const struct table *t, const git_diff_file *f, const char *path, struct recs *rs, crm_err *e)
{
	if (git_oid_is_zero(&f->id))
		return 0;
	git_blob *b = NULL;
	if (git_blob_lookup(&b, r->repo, &f->id))
		return crm_fail_git(e, path);
	int rc = table_read(t, path, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), r->v.s.digits, recs_push_dup, rs, e);
	git_blob_free(b);
	return rc;
}

/* Records a merge commit takes unchanged from its other parent were judged in that parent's commits. */
static int from_other_parent(struct run *r, git_commit *c, const char *path, const rec *now)
{
	git_commit *p = NULL;
	git_tree *pt = NULL;
	int same = 0;
	if (git_commit_parentcount(c) < 2 || git_commit_parent(&p, c, 1) || git_commit_tree(&pt, p)) {
		git_commit_free(p);
		return 0;
	}
	struct recs rs = {0};
	crm_err ignore = {0};
	if (tree_recs(&r->v.s, pt, path, &rs, &ignore) == 0) {
		rec *o = recs_find(&rs, now->v[0]);
		same = o != NULL;
		for (int i = 0; same && i < now->t->nf; i++)
			same = !strcmp(o->v[i], now->v[i]);
	}
	recs_free(&rs);
	git_tree_free(pt);
	git_commit_free(p);
	return same;
}

static int judge_commit(struct run *r, git_commit *c, crm_err *e)
{
	const git_oid *cid = git_commit_id(c);
	git_commit *p = NULL;
	git_tree *pt = NULL, *ct = NULL;
	git_diff *d = NULL;
	int rc = 0;
	if (git_commit_parentcount(c) && (git_commit_parent(&p, c, 0) || git_commit_tree(&pt, p)))
		rc = crm_fail_git(e, "cannot read a parent commit");
	/* Reads (products, customers) see the store as this commit's parent left it. */
	if (!rc)
		rc = view_at(&r->v, p ? git_commit_id(p) : cid, e);
	floors_free(r);
	if (!rc && (git_commit_tree(&ct, c) || git_diff_tree_to_tree(&d, r->repo, pt, ct, NULL)))
		rc = crm_fail_git(e, "cannot compare a pushed commit");
	for (size_t i = 0; !rc && d && i < git_diff_num_deltas(d); i++) {
		const git_diff_delta *dl = git_diff_get_delta(d, i);
		const char *path = dl->new_file.path;
		const struct table *t = table_of_path(path);
		if (!t || !guarded_table(t))
			continue;
		struct recs before = {0}, after = {0};
		rc = blob_recs(r, t, &dl->old_file, path, &before, e);
		if (!rc)
			rc = blob_recs(r, t, &dl->new_file, path, &after, e);
		recs_sort_by_id(&before);
		for (size_t k = 0; !rc && k < after.n; k++) {
			const rec *old = recs_find(&before, after.r[k]->v[0]);
			if (!from_other_parent(r, c, path, after.r[k]))
				rc = judge(r, cid, git_commit_author(c), git_commit_message(c), t, old, after.r[k], e);
		}
		recs_free(&before);
		recs_free(&after);
	}
	git_diff_free(d);
	git_tree_free(ct);
	git_tree_free(pt);
	git_commit_free(p);
	return rc;
}

static void print_problem(void *ctx, const char *msg)
{
	struct run *r = ctx;
	if (r->refused < 50)
		fprintf(r->out, "crm policy: %s\n", msg);
	r->refused++;
}

/* The state the ref would point to must pass crm check. */
static int check_tip(struct run *r, const git_oid *tip, crm_err *e)
{
	int rc = view_at(&r->v, tip, e);
	struct check_report cr = {.problem = print_problem, .ctx = r};
	size_t before = r->refused, more = 0;
	if (!rc)
		rc = store_check(&r->v.s, &cr, e);
	if (!rc)
		rc = stock_check(&r->v.s, print_problem, r, &more, e);
	if (!rc)
		rc = ar_check(&r->v.s, print_problem, r, &more, e);
	if (!rc && r->refused > before) {
		char hex[12];
		git_oid_tostr(hex, sizeof hex, tip);
		fprintf(r->out, "crm policy: refused %s: crm check finds the problems above\n", hex);
	}
	return rc;
}

static int one_ref(struct run *r, const git_oid *old, const git_oid *new, const char *ref, crm_err *e)
{
	if (git_oid_is_zero(new))
		return 0; /* a branch removed: no store state to judge */
	if (!git_oid_is_zero(old) && !git_graph_descendant_of(r->repo, new, old) && !git_oid_equal(old, new)) {
		refuse(r, new, "%s: the push rewrites history (not a fast-forward); crm never does%s%s", ref, "", "");
		return 0;
	}
	/* Roles come from the server's store as it stands, never from what is pushed. */
	git_commit *sc = NULL;
	git_tree *st = NULL;
	git_oid server;
	int have = !git_oid_is_zero(old) ? (server = *old, 1) : git_reference_name_to_id(&server, r->repo, "HEAD") == 0;
	if (have && (git_commit_lookup(&sc, r->repo, &server) || git_commit_tree(&st, sc)))
		st = NULL;
	int rc = view_open(&r->v, r->repo, st, e);
	git_tree_free(st);
	git_commit_free(sc);
	git_revwalk *w = NULL;
	if (!rc && (git_revwalk_new(&w, r->repo) || git_revwalk_push(w, new) ||
		    git_revwalk_hide_glob(w, "refs/heads/*") || (!git_oid_is_zero(old) && git_revwalk_hide(w, old))))
		rc = crm_fail_git(e, "cannot walk the pushed commits");
	if (!rc)
		git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	git_oid id;
	while (!rc && git_revwalk_next(&id, w) == 0) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, r->repo, &id))
			rc = crm_fail_git(e, "cannot read a pushed commit");
		if (!rc)
			rc = judge_commit(r, c, e);
		git_commit_free(c);
	}
	git_revwalk_free(w);
	if (!rc)
		rc = check_tip(r, new, e);
	floors_free(r);
	view_close(&r->v);
	return rc;
}

int policy_run(FILE *in, FILE *out, crm_err *e)
{
	git_libgit2_init();
	struct run r = {.out = out};
	/* From the environment: in a pre-receive hook the pushed objects are in quarantine (GIT_QUARANTINE_PATH). */
	if (git_repository_open_ext(&r.repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL))
		return crm_fail_git(e, "crm policy runs in a git repository (as its pre-receive hook)");
	char line[1024];
	int rc = 0;
	while (!rc && fgets(line, sizeof line, in)) {
		char o[64], n[64], ref[900];
		git_oid old, new;
		if (sscanf(line, "%63s %63s %899s", o, n, ref) != 3 || git_oid_fromstr(&old, o) || git_oid_fromstr(&new, n)) {
			rc = crm_fail(e, CRM_EUSAGE, "-: expected OLD NEW REF lines (as git gives a pre-receive hook)");
			break;
		}
		rc = one_ref(&r, &old, &new, ref, e);
	}
	git_repository_free(r.repo);
	return rc ? rc : r.refused ? 1 : 0;
}

int policy_install(const char *repo, crm_err *e)
{
	char exe[PATH_MAX], hooks[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return crm_fail_sys(e, CRM_EINTERNAL, "cannot find my own path", "/proc/self/exe");
	exe[n] = 0;
	git_libgit2_init();
	git_repository *r = NULL;
	if (git_repository_open_ext(&r, repo, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL))
		return crm_fail(e, CRM_ENOINPUT, "%s: not a git repository", repo);
	snprintf(hooks, sizeof hooks, "%shooks", git_repository_path(r));
	git_repository_free(r);
	mkdir(hooks, 0777);
	snprintf(path, sizeof path, "%s/pre-receive", hooks);
	FILE *f = fopen(path, "w");
	if (!f)
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", path);
	fprintf(f, "#!/bin/sh\n# crm policy (crm(1)): refuses pushes that break the store's rules.\nexec '%s' policy\n", exe);
	if (fclose(f) || chmod(path, 0755))
		return crm_fail_sys(e, CRM_ECANTCREAT, "cannot write", path);
	return 0;
}
