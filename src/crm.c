/* crm: the store as a whole (crm(1)): init, check, log, undo, restore, gc; clone, sync, conflicts, resolve, policy. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ar.h"
#include "check.h"
#include "cols.h"
#include "gc.h"
#include "stock.h"
#include "cli.h"
#include "query.h"
#include "request.h"
#include "revert.h"
#include "conflict.h"
#include "sync.h"
#include "policy.h"

enum { OPT_QUIET = OPT_CMD, OPT_HOOK, OPT_MAX, OPT_REASON, OPT_STATUS, OPT_THEIRS, OPT_INSTALL };

static const struct option opts[] = {
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"install-hook", no_argument, NULL, OPT_HOOK},
	{"max", required_argument, NULL, OPT_MAX},
	{"reason", required_argument, NULL, OPT_REASON},
	{"status", no_argument, NULL, OPT_STATUS},
	{"theirs", no_argument, NULL, OPT_THEIRS},
	{"install", required_argument, NULL, OPT_INSTALL},
	{0},
};

struct cmd {
	struct cli cli;
	struct store s;
	int quiet, hook, max, status, theirs;
	const char *reason, *install;
};

static int on_opt(void *ctx, int opt, const char *arg, crm_err *e)
{
	struct cmd *c = ctx;
	if (opt == OPT_REASON)
		c->reason = arg;
	else if (opt == OPT_STATUS)
		c->status = 1;
	else if (opt == OPT_THEIRS)
		c->theirs = 1;
	else if (opt == OPT_INSTALL)
		c->install = arg;
	else if (opt == OPT_QUIET)
		c->quiet = 1;
	else if (opt == OPT_HOOK)
		c->hook = 1;
	else if (opt == OPT_MAX && (c->max = atoi(arg)) <= 0)
		return cli_usage(&c->cli, e, "--max takes a positive number");
	return 0;
}

static void print_problem(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "crm: %s\n", msg);
}

static int cmd_check(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "check takes no operands");
	if (c->hook) {
		int rc = check_install_hook(&c->s, e);
		if (!rc && !c->quiet)
			printf("installed .git/hooks/pre-commit (crm check --quiet)\n");
		return rc;
	}
	/* Every file of a million customers, then every object: each object read is bounded on its own. */
	cli_no_watchdog();
	struct check_report r = {.problem = print_problem};
	int rc = store_check(&c->s, &r, e);
	size_t more = 0;
	if (!rc)
		rc = stock_check(&c->s, print_problem, NULL, &more, e);
	r.problems += more;
	if (!rc)
		rc = ar_check(&c->s, print_problem, NULL, &more, e);
	if (rc)
		return rc;
	r.problems += more;
	/* conflicts.csv is crm's own: a hand edit into nonsense is a problem like any other. */
	struct recs cf = {0};
	crm_err ce = {0};
	if (conflicts_load(&c->s, &cf, &ce)) {
		print_problem(NULL, ce.msg);
		r.problems++;
	} else if (cf.n) {
		fprintf(stderr, "crm: warning: %zu conflict%s from merging are unsettled: crm conflicts, crm resolve\n",
			cf.n, cf.n == 1 ? "" : "s");
	}
	recs_free(&cf);
	if (!c->quiet)
		printf("%zu files, %zu records, %zu problem%s\n", r.files, r.records, r.problems,
			r.problems == 1 ? "" : "s");
	return r.problems ? CRM_EDATA : 0;
}

static int cmd_gc(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "gc takes no operands");
	if (c->cli.at)
		return cli_usage(&c->cli, e, "gc: --at reads the past; gc packs all of it");
	struct gc_result r;
	cli_no_watchdog(); /* packing a long history from loose files takes minutes */
	int rc = store_gc(&c->s, c->cli.dry_run, &r, e);
	/* The reports' cache keeps what it knows of files since gone or changed until this. */
	size_t stale = rc || c->cli.dry_run ? 0 : cols_cache_prune(&c->s);
	if (rc || c->quiet)
		return rc;
	if (stale)
		printf("removed %zu stale files of the reports' cache\n", stale);
	if (c->cli.dry_run)
		printf("%zu loose objects to pack\n", r.loose);
	else if (!r.packed)
		printf("nothing to pack\n");
	else
		printf("packed %zu objects into pack-%s; removed %zu loose objects and %zu older pack%s\n",
			r.packed, r.pack, r.removed, r.old_packs, r.old_packs == 1 ? "" : "s");
	return 0;
}

static int cmd_init(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc > 1)
		return cli_usage(&c->cli, e, "init: at most one folder");
	const char *dir = argc == 1 ? argv[0] : c->cli.dir ? c->cli.dir : ".";
	int rc = store_init(dir, "crm", e);
	if (!rc)
		printf("initialised crm store in %s\n", dir);
	return rc;
}

/* Records of table t in its default columns, in the format asked for. */
static int print_recs(struct cmd *c, const struct table *t, struct recs *rs, crm_err *e)
{
	struct query q = {.s = &c->s, .t = t};
	int rc = columns_pick(t, NULL, c->cli.fmt, q.cols, &q.ncols, e);
	const char *names[CSV_MAX_FIELDS];
	for (int i = 0; i < q.ncols; i++)
		names[i] = t->f[q.cols[i]].name;
	out_start(&q.out, c->cli.fmt, names, q.ncols);
	for (size_t i = 0; i < rs->n; i++)
		query_print(&q, rs->r[i]);
	int orc = out_finish(&q.out, e);
	return rc ? rc : orc;
}

static int cmd_approvals(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "approvals takes no operands");
	struct recs rs = {0};
	int rc = request_pending(&c->s, &rs, e);
	/* Nothing waiting, nothing printed: cron mails only news. */
	if (!rc && rs.n)
		rc = print_recs(c, &T_REQUESTS, &rs, e);
	recs_free(&rs);
	return rc;
}

static int cmd_decide(struct cmd *c, int argc, char **argv, int approve, crm_err *e)
{
	if (argc != 1)
		return cli_usage(&c->cli, e, "approve and reject take one request id");
	const char *id = argv[0];
	if (!approve && (!c->reason || !*c->reason))
		return cli_usage(&c->cli, e, "reject: --reason is needed (the asker reads why)");
	if (c->cli.at)
		return crm_fail(e, CRM_EUSAGE, "--at reads the past; it cannot write");
	char msg[900];
	int rc = store_lock(&c->s, e);
	if (!rc)
		rc = request_decide(&c->s, id, approve, c->reason, msg, sizeof msg, e);
	if (!rc)
		rc = store_commit(&c->s, msg, e);
	return rc;
}

static int cmd_approve(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_decide(c, argc, argv, 1, e);
}

static int cmd_reject(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return cmd_decide(c, argc, argv, 0, e);
}

static int cmd_log(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc > 1)
		return cli_usage(&c->cli, e, "log: at most one id");
	return argc == 1 ? history_log_id(&c->s, argv[0], c->cli.fmt, e)
			 : history_log(&c->s, c->max, c->cli.fmt, e);
}

static int cmd_undo(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc > 1 || c->cli.at)
		return cli_usage(&c->cli, e, "undo: at most one revision");
	return store_undo(&c->s, argc == 1 ? argv[0] : NULL, c->cli.fmt, e);
}

/* restore reads --at as what to restore, not as where to read the store (CLI_OWN_AT). */
static int cmd_restore(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (!c->cli.at)
		return cli_usage(&c->cli, e, "restore: --at REV|DATE says which state to restore");
	return store_restore(&c->s, c->cli.at, argv, argc, c->cli.fmt, e);
}

static int cmd_sync(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc > 1)
		return cli_usage(&c->cli, e, "sync: at most one remote");
	const char *remote = argc == 1 ? argv[0] : NULL;
	if (c->cli.at)
		return cli_usage(&c->cli, e, "sync: --at reads the past; it cannot sync");
	if (c->status)
		return sync_status(&c->s, remote, stdout, e);
	struct sync_report r;
	int rc = sync_run(&c->s, remote, &r, e);
	if (rc)
		return rc;
	if (r.conflicts)
		fprintf(stderr, "crm: warning: %zu conflict%s kept as ours; see crm conflicts, settle with crm resolve\n",
			r.conflicts, r.conflicts == 1 ? "" : "s");
	if (!c->quiet)
		printf("%s: %zu commit%s in (%s), %zu out%s\n", r.in || r.out ? "synced" : "up to date",
			r.in, r.in == 1 ? "" : "s", r.ff ? "fast-forward" : r.merged ? "merged" : "nothing new",
			r.out, r.retries ? " (the remote moved; merged again)" : "");
	return out_close_stdout(e);
}

static int cmd_conflicts(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "conflicts takes no operands");
	struct recs rs = {0};
	int rc = conflicts_load(&c->s, &rs, e);
	/* None unsettled: nothing printed, as every report that finds nothing. */
	if (!rc && rs.n)
		rc = print_recs(c, &T_CONFLICTS, &rs, e);
	recs_free(&rs);
	return rc;
}

static int cmd_resolve(struct cmd *c, int argc, char **argv, crm_err *e)
{
	if (argc < 1)
		return cli_usage(&c->cli, e, "resolve: which record (ID), then FIELD=VALUE... or --theirs");
	if (c->theirs && argc > 1)
		return cli_usage(&c->cli, e, "resolve: --theirs or FIELD=VALUE, not both");
	char summary[600];
	int rc = cli_write_lock(&c->cli, &c->s, e);
	if (!rc)
		rc = conflicts_resolve(&c->s, argv[0], argv + 1, argc - 1, c->theirs,
			summary, sizeof summary, e);
	if (!rc)
		rc = store_commit(&c->s, summary, e);
	else
		store_abort(&c->s);
	if (!rc && !c->cli.dry_run)
		conflicts_pending_drop(&c->s);
	return rc;
}

static int cmd_clone(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return argc != 2 ? cli_usage(&c->cli, e, "clone: URL and DIR") : sync_clone(argv[0], argv[1], "crm", e);
}

/* git runs it as the merge driver .gitattributes names (crm init writes both). */
static int cmd_merge_driver(struct cmd *c, int argc, char **argv, crm_err *e)
{
	return argc != 4 ? cli_usage(&c->cli, e, "merge-driver: BASE OURS THEIRS PATH (git passes %O %A %B %P)")
			 : sync_merge_driver(argv[0], argv[1], argv[2], argv[3], e);
}

/* In a bare repository, as its pre-receive hook: no crm.conf of its own to find. */
static int cmd_policy(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "policy takes no operands (--install REPO)");
	if (!c->install)
		return policy_run(stdin, stderr, e);
	int rc = policy_install(c->install, e);
	if (!rc && !c->quiet)
		printf("installed %s's pre-receive hook (crm policy)\n", c->install);
	return rc;
}

static const struct cli_verb verbs[] = {
	{"init", cmd_init, "[DIR]", .help = "make a new store: a git repository with the tables", .flags = CLI_NOSTORE},
	{"check", cmd_check, "[--quiet] [--install-hook]", .help = "every record against the schema and the rules"},
	{"log", cmd_log, "[--max N] [ID]", .help = "the changes, newest first, or those of one record"},
	{"undo", cmd_undo, "[REV]", .help = "revert the last change (or REV) in a new commit", .flags = CLI_OWN_AT},
	{"restore", cmd_restore, "--at REV|DATE [ID...|TABLE...]", .help = "records or tables back as they were then", .flags = CLI_OWN_AT},
	{"gc", cmd_gc, "[--quiet]", .help = "pack the history into one pack (from cron)"},
	{"approvals", cmd_approvals, "", .help = "requests waiting for one of my roles"},
	{"approve", cmd_approve, "REQ [--reason TEXT]", .help = "grant a request and do what it asked"},
	{"reject", cmd_reject, "REQ --reason TEXT", .help = "refuse a request, saying why"},
	{"clone", cmd_clone, "URL DIR", .help = "a store shared through a git remote", .flags = CLI_NOSTORE},
	{"sync", cmd_sync, "[--status] [--quiet] [REMOTE]", .help = "fetch, merge by record and field, push"},
	{"conflicts", cmd_conflicts, "", .help = "what a merge could not settle"},
	{"resolve", cmd_resolve, "ID [FIELD=VALUE...] [--theirs]", .help = "settle a record's conflicts in one commit"},
	{"policy", cmd_policy, "[--install REPO]", .help = "a bare repository's pre-receive check of pushed commits", .flags = CLI_NOSTORE},
	{"merge-driver", cmd_merge_driver, "BASE OURS THEIRS PATH", .help = "git's merge driver for store files (.gitattributes)", .flags = CLI_NOSTORE},
	{0},
};

static const struct cli_prog prog = {
	.name = "crm", .synopsis = "[-C dir] [-n] [-m msg] [-o fmt] [--at rev|date]",
	.verbs = verbs, .opts = opts, .on_opt = on_opt,
};

int main(int argc, char **argv)
{
	struct cmd c = {0};
	return cli_main(&prog, &c, &c.cli, &c.s, argc, argv);
}
