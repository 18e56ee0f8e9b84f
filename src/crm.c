/* crm: the store as a whole (crm(1)): init, check, log, undo, restore. */
#include <stdlib.h>
#include <string.h>
#include "ar.h"
#include "check.h"
#include "stock.h"
#include "cli.h"
#include "revert.h"

static const char usage[] =
	"usage: crm [-C dir] [-n] [-m msg] [-o fmt] [--at rev|date] command ...\n"
	"  init [DIR]\n"
	"  check [--quiet] [--install-hook]\n"
	"  log [--max N] [ID]\n"
	"  undo [REV]\n"
	"  restore --at REV|DATE [ID...|TABLE...]\n";

enum { OPT_QUIET = OPT_CMD, OPT_HOOK, OPT_MAX };

static const struct option opts[] = {
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"install-hook", no_argument, NULL, OPT_HOOK},
	{"max", required_argument, NULL, OPT_MAX},
	{0},
};

struct cmd {
	struct cli cli;
	struct store s;
	int quiet, hook, max;
};

static int on_opt(void *ctx, int opt, const char *arg, crm_err *e)
{
	struct cmd *c = ctx;
	if (opt == OPT_QUIET)
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

static int run(struct cmd *c, crm_err *e)
{
	int argc = c->cli.argc;
	char **argv = c->cli.argv;
	if (argc < 1)
		return cli_usage(&c->cli, e, "a command is needed");
	const char *verb = argv[0];
	if (!strcmp(verb, "init"))
		return cmd_init(c, e);
	if (strcmp(verb, "check") && strcmp(verb, "log") && strcmp(verb, "undo") && strcmp(verb, "restore"))
		return cli_usage(&c->cli, e, "unknown command");
	/* restore reads --at as what to restore, not as where to read the store. */
	const char *at = c->cli.at;
	if (!strcmp(verb, "restore") || !strcmp(verb, "undo"))
		c->cli.at = NULL;
	int rc = cli_store(&c->cli, &c->s, e);
	if (rc)
		return rc;
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
