/* crm: the store as a whole (crm(1)). */
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: crm [-C dir] command ...\n"
	"  init [DIR]\n";

static int run(struct cli *c, crm_err *e)
{
	if (c->argc < 1)
		return cli_usage(c, e, "a command is needed");
	if (strcmp(c->argv[0], "init") == 0) {
		if (c->argc > 2)
			return cli_usage(c, e, "init: at most one folder");
		const char *dir = c->argc == 2 ? c->argv[1] : c->dir ? c->dir : ".";
		int rc = store_init(dir, "crm", e);
		if (!rc)
			printf("initialised crm store in %s\n", dir);
		return rc;
	}
	return cli_usage(c, e, "unknown command");
}

int main(int argc, char **argv)
{
	struct cli c = {.prog = "crm", .usage = usage};
	crm_err e = {0};
	int rc = cli_parse(&c, argc, argv, NULL, NULL, NULL, &e);
	if (!rc)
		rc = run(&c, &e);
	return cli_exit(&c, rc, &e);
}
