/* The options every command shares, and the one shape of main. */
#ifndef CRM_CLI_H
#define CRM_CLI_H
#include <getopt.h>
#include "out.h"
#include "store.h"

enum { OPT_AT = 1000, OPT_ASOF, OPT_VERSION, OPT_ENCODING, OPT_CMD = 1100 };

struct cli {
	const char *prog;
	const char *usage;
	const char *dir;
	enum outfmt fmt;
	const char *at;
	const char *as_of;
	const char *encoding; /* --encoding: what import and `-` read, converted to UTF-8 */
	int dry_run;
	const char *msg;
	int argc;        /* operands: the subcommand first */
	char **argv;
	int full_argc;
	char **full_argv;
	int show_usage;  /* a usage error: the synopsis follows the message */
	int svg;         /* -o svg: only commands that draw (crm-report) set allow_svg */
	int allow_svg;
};

/* Handles a command's own option; returns 0, or an error status. */
typedef int (*cli_opt_fn)(void *ctx, int opt, const char *arg, crm_err *e);

/*
 * Parses argv with the common options plus the command's (`extra`, ending in
 * a zero entry). Returns -1 after --help or --version (exit 0), else a status.
 */
int cli_parse(struct cli *c, int argc, char **argv, const struct option *extra,
	cli_opt_fn fn, void *ctx, crm_err *e);
/* Opens the store the options name, with --at, --as-of, -n and -m applied. */
int cli_store(struct cli *c, struct store *s, crm_err *e);
/* Prints the error once, as `prog: message`, and gives the exit status. */
int cli_exit(struct cli *c, int rc, crm_err *e);
int cli_usage(struct cli *c, crm_err *e, const char *why);
/* Takes the store's write lock; --at (a read of the past) cannot write: usage. */
int cli_write_lock(struct cli *c, struct store *s, crm_err *e);
/* `argument: FIELD: why 'v'` (65) when why is set, else 0. */
int cli_arg_bad(const char *field, const char *v, const char *why, crm_err *e);
/* 65 when an operand or option value is not valid UTF-8 (it would break every later read). */
int cli_arg_utf8(const char *field, const char *v, crm_err *e);

#endif
