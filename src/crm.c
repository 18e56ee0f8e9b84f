/* crm: the store as a whole (crm(1)): init, check, log, undo, restore, gc. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ar.h"
#include "check.h"
#include "gc.h"
#include "stock.h"
#include "cli.h"
#include "query.h"
#include "request.h"
#include "revert.h"

static const char usage[] =
	"usage: crm [-C dir] [-n] [-m msg] [-o fmt] [--at rev|date] command ...\n"
	"  init [DIR]\n"
	"  check [--quiet] [--install-hook]\n"
	"  log [--max N] [ID]\n"
	"  undo [REV]\n"
	"  restore --at REV|DATE [ID...|TABLE...]\n"
	"  gc [--quiet]                           pack the history (from cron)\n"
	"  approvals                              requests waiting for one of my roles\n"
	"  approve REQ [--reason TEXT]            reject REQ --reason TEXT\n";

enum { OPT_QUIET = OPT_CMD, OPT_HOOK, OPT_MAX, OPT_REASON };

static const struct option opts[] = {
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"install-hook", no_argument, NULL, OPT_HOOK},
	{"max", required_argument, NULL, OPT_MAX},
	{"reason", required_argument, NULL, OPT_REASON},
	{0},
};

struct cmd {
	struct cli cli;
	struct store s;
	int quiet, hook, max;
	const char *reason;
};

static int on_opt(void *ctx, int opt, const char *arg, crm_err *e)
{
	struct cmd *c = ctx;
	if (opt == OPT_REASON)
		c->reason = arg;
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
	if (!c->quiet)
		printf("%zu files, %zu records, %zu problem%s\n", r.files, r.records, r.problems,
			r.problems == 1 ? "" : "s");
	return r.problems ? CRM_EDATA : 0;
}

static int cmd_gc(struct cmd *c, crm_err *e)
{
	if (c->cli.at)
		return cli_usage(&c->cli, e, "gc: --at reads the past; gc packs all of it");
	struct gc_result r;
	/* Packing a long history from loose files takes minutes, and that is no
	 * sign of a corrupt object: gc stops on time only when asked to. */
	if (!getenv("CRM_WATCHDOG"))
		alarm(0);
	int rc = store_gc(&c->s, c->cli.dry_run, &r, e);
	if (rc || c->quiet)
		return rc;
	if (c->cli.dry_run)
		printf("%zu loose objects to pack\n", r.loose);
	else if (!r.packed)
		printf("nothing to pack\n");
	else
		printf("packed %zu objects into pack-%s; removed %zu loose objects and %zu older pack%s\n",
			r.packed, r.pack, r.removed, r.old_packs, r.old_packs == 1 ? "" : "s");
	return 0;
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

static int run(struct cmd *c, crm_err *e)
{
	int argc = c->cli.argc;
	char **argv = c->cli.argv;
	if (argc < 1)
		return cli_usage(&c->cli, e, "a command is needed");
	const char *verb = argv[0];
	if (!strcmp(verb, "init"))
		return cmd_init(c, e);
	static const char *const verbs[] = {"check", "log", "undo", "restore", "approvals", "approve", "reject", "gc", NULL};
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
	if (!strcmp(verb, "gc"))
		return argc > 1 ? cli_usage(&c->cli, e, "gc takes no operands") : cmd_gc(c, e);
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
