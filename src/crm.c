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

static int cmd_approvals(struct cmd *c, int argc, char **argv, crm_err *e)
{
	(void)argv;
	if (argc)
		return cli_usage(&c->cli, e, "approvals takes no operands");
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

static const struct cli_verb verbs[] = {
	{"init", cmd_init, "[DIR]", .help = "make a new store: a git repository with the tables", .flags = CLI_NOSTORE},
	{"check", cmd_check, "[--quiet] [--install-hook]", .help = "every record against the schema and the rules"},
	{"log", cmd_log, "[--max N] [ID]", .help = "the changes, newest first, or those of one record"},
	{"undo", cmd_undo, "[REV]", .help = "revert the last change (or REV) in a new commit", .flags = CLI_OWN_AT},
	{"restore", cmd_restore, "--at REV|DATE [ID...|TABLE...]", .help = "records or tables back as they were then", .flags = CLI_OWN_AT},
	{"approvals", cmd_approvals, "", .help = "requests waiting for one of my roles"},
	{"approve", cmd_approve, "REQ [--reason TEXT]", .help = "grant a request and do what it asked"},
	{"reject", cmd_reject, "REQ --reason TEXT", .help = "refuse a request, saying why"},
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
