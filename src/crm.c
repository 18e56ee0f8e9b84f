/* crm: the store as a whole (crm(1)): init, check, log, undo, restore. */
#include <stdlib.h>
#include <string.h>
#include "ar.h"
#include "check.h"
#include "stock.h"
#include "cli.h"
#include "query.h"
#include "request.h"
#include "revert.h"
#include "conflict.h"
#include "sync.h"
#include "policy.h"

static const char usage[] =
	"usage: crm [-C dir] [-n] [-m msg] [-o fmt] [--at rev|date] command ...\n"
	"  init [DIR]\n"
	"  check [--quiet] [--install-hook]\n"
	"  log [--max N] [ID]\n"
	"  undo [REV]\n"
	"  restore --at REV|DATE [ID...|TABLE...]\n"
	"  approvals                              requests waiting for one of my roles\n"
	"  approve REQ [--reason TEXT]            reject REQ --reason TEXT\n"
	"  clone URL DIR                          a store shared through a git remote\n"
	"  sync [--status] [REMOTE]               fetch, merge records, push\n"
	"  conflicts                              what a merge could not settle\n"
	"  resolve ID [FIELD=VALUE...] [--theirs] settle a record's conflicts\n"
	"  policy [--install REPO]                pre-receive check of pushed commits\n";

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

static int cmd_check(struct cmd *c, crm_err *e)
{
	if (c->hook) {
		int rc = check_install_hook(&c->s, e);
		if (!rc && !c->quiet)
			printf("installed .git/hooks/pre-commit (crm check --quiet)\n");
		return rc;
	}
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

static int cmd_init(struct cmd *c, crm_err *e)
{
	if (c->cli.argc > 2)
		return cli_usage(&c->cli, e, "init: at most one folder");
	const char *dir = c->cli.argc == 2 ? c->cli.argv[1] : c->cli.dir ? c->cli.dir : ".";
	int rc = store_init(dir, "crm", e);
	if (!rc)
		printf("initialised crm store in %s\n", dir);
	return rc;
}

static int cmd_approvals(struct cmd *c, crm_err *e)
{
	struct recs rs = {0};
	int rc = request_pending(&c->s, &rs, e);
	/* Nothing waiting, nothing printed: cron mails only news. */
	if (!rc && rs.n) {
		struct query q = {.s = &c->s, .t = &T_REQUESTS};
		rc = columns_pick(&T_REQUESTS, NULL, c->cli.fmt, q.cols, &q.ncols, e);
		const char *names[CSV_MAX_FIELDS];
		for (int i = 0; i < q.ncols; i++)
			names[i] = T_REQUESTS.f[q.cols[i]].name;
		out_start(&q.out, c->cli.fmt, names, q.ncols);
		for (size_t i = 0; i < rs.n; i++)
			query_print(&q, rs.r[i]);
		int orc = out_finish(&q.out, e);
		rc = rc ? rc : orc;
	}
	recs_free(&rs);
	return rc;
}

static int cmd_decide(struct cmd *c, const char *id, int approve, crm_err *e)
{
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


static int cmd_sync(struct cmd *c, crm_err *e)
{
	if (c->cli.argc > 2)
		return cli_usage(&c->cli, e, "sync: at most one remote");
	const char *remote = c->cli.argc == 2 ? c->cli.argv[1] : NULL;
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

static int cmd_conflicts(struct cmd *c, crm_err *e)
{
	struct recs rs = {0};
	int rc = conflicts_load(&c->s, &rs, e);
	/* None unsettled: nothing printed, as every report that finds nothing. */
	if (!rc && rs.n) {
		struct query q = {.s = &c->s, .t = &T_CONFLICTS};
		rc = columns_pick(&T_CONFLICTS, NULL, c->cli.fmt, q.cols, &q.ncols, e);
		const char *names[CSV_MAX_FIELDS];
		for (int i = 0; i < q.ncols; i++)
			names[i] = T_CONFLICTS.f[q.cols[i]].name;
		out_start(&q.out, c->cli.fmt, names, q.ncols);
		for (size_t i = 0; i < rs.n; i++)
			query_print(&q, rs.r[i]);
		int orc = out_finish(&q.out, e);
		rc = rc ? rc : orc;
	}
	recs_free(&rs);
	return rc;
}

static int cmd_resolve(struct cmd *c, crm_err *e)
{
	if (c->cli.argc < 2)
		return cli_usage(&c->cli, e, "resolve: which record (ID), then FIELD=VALUE... or --theirs");
	if (c->theirs && c->cli.argc > 2)
		return cli_usage(&c->cli, e, "resolve: --theirs or FIELD=VALUE, not both");
	char summary[600];
	int rc = cli_write_lock(&c->cli, &c->s, e);
	if (!rc)
		rc = conflicts_resolve(&c->s, c->cli.argv[1], c->cli.argv + 2, c->cli.argc - 2, c->theirs,
			summary, sizeof summary, e);
	if (!rc)
		rc = store_commit(&c->s, summary, e);
	else
		store_abort(&c->s);
	if (!rc && !c->cli.dry_run)
		conflicts_pending_drop(&c->s);
	return rc;
}

static int run(struct cmd *c, crm_err *e)
{
	int argc = c->cli.argc;
	char **argv = c->cli.argv;
	if (argc < 1)
		return cli_usage(&c->cli, e, "a command is needed");
	const char *verb = argv[0];
	if (!strcmp(verb, "init"))
		return cmd_init(c, e);
	if (!strcmp(verb, "clone"))
		return argc != 3 ? cli_usage(&c->cli, e, "clone: URL and DIR") : sync_clone(argv[1], argv[2], "crm", e);
	/* In a bare repository, as its pre-receive hook: no crm.conf of its own to find. */
	if (!strcmp(verb, "policy")) {
		if (argc > 1)
			return cli_usage(&c->cli, e, "policy takes no operands (--install REPO)");
		if (c->install) {
			int rc = policy_install(c->install, e);
			if (!rc && !c->quiet)
				printf("installed %s's pre-receive hook (crm policy)\n", c->install);
			return rc;
		}
		return policy_run(stdin, stderr, e);
	}
	/* git runs it as the merge driver .gitattributes names (crm init writes both). */
	if (!strcmp(verb, "merge-driver"))
		return argc != 5 ? cli_usage(&c->cli, e, "merge-driver: BASE OURS THEIRS PATH (git passes %O %A %B %P)")
				 : sync_merge_driver(argv[1], argv[2], argv[3], argv[4], e);
	static const char *const verbs[] = {"check", "log", "undo", "restore", "approvals", "approve", "reject",
		"sync", "conflicts", "resolve", NULL};
	int known = 0;
	for (int i = 0; verbs[i]; i++)
		known |= !strcmp(verb, verbs[i]);
	if (!known)
		return cli_usage(&c->cli, e, "unknown command");
	/* restore reads --at as what to restore, not as where to read the store. */
	const char *at = c->cli.at;
	if (!strcmp(verb, "restore") || !strcmp(verb, "undo"))
		c->cli.at = NULL;
	int rc = cli_store(&c->cli, &c->s, e);
	if (rc)
		return rc;
	if (!strcmp(verb, "approvals"))
		return argc > 1 ? cli_usage(&c->cli, e, "approvals takes no operands") : cmd_approvals(c, e);
	if (!strcmp(verb, "approve") || !strcmp(verb, "reject"))
		return argc != 2 ? cli_usage(&c->cli, e, "approve and reject take one request id")
				 : cmd_decide(c, argv[1], !strcmp(verb, "approve"), e);
	if (!strcmp(verb, "sync"))
		return cmd_sync(c, e);
	if (!strcmp(verb, "conflicts"))
		return argc > 1 ? cli_usage(&c->cli, e, "conflicts takes no operands") : cmd_conflicts(c, e);
	if (!strcmp(verb, "resolve"))
		return cmd_resolve(c, e);
	if (!strcmp(verb, "check"))
		return argc > 1 ? cli_usage(&c->cli, e, "check takes no operands") : cmd_check(c, e);
	if (!strcmp(verb, "log")) {
		if (argc > 2)
			return cli_usage(&c->cli, e, "log: at most one id");
		return argc == 2 ? history_log_id(&c->s, argv[1], c->cli.fmt, e)
				 : history_log(&c->s, c->max, c->cli.fmt, e);
	}
	if (!strcmp(verb, "undo")) {
		if (argc > 2 || at)
			return cli_usage(&c->cli, e, "undo: at most one revision");
		return store_undo(&c->s, argc == 2 ? argv[1] : NULL, c->cli.fmt, e);
	}
	if (!at)
		return cli_usage(&c->cli, e, "restore: --at REV|DATE says which state to restore");
	return store_restore(&c->s, at, argv + 1, argc - 1, c->cli.fmt, e);
}

int main(int argc, char **argv)
{
	struct cmd c = {.cli = {.prog = "crm", .usage = usage}};
	crm_err e = {0};
	int rc = cli_parse(&c.cli, argc, argv, opts, on_opt, &c, &e);
	if (!rc)
		rc = run(&c, &e);
	store_close(&c.s);
	return cli_exit(&c.cli, rc, &e);
}
