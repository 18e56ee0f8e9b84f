/* The options every command shares, and the one shape of main. */
#ifndef CRM_CLI_H
#define CRM_CLI_H
#include <getopt.h>
#include "out.h"
#include "store.h"

enum { OPT_AT = 1000, OPT_ASOF, OPT_VERSION, OPT_COMPLETION, OPT_ENCODING, OPT_CMD = 1100 };

/* Each command's own state (struct cmd in src/crm-*.c): its verbs' first argument. */
struct cmd;
typedef int (*cli_verb_fn)(struct cmd *c, int argc, char **argv, crm_err *e);

enum {
	CLI_NOSTORE = 1, /* runs without opening a store (crm init) */
	CLI_OWN_AT = 2,  /* reads --at itself; the store opens at HEAD (crm undo, restore) */
};

/*
 * One verb of a command. A command's table of these, ending in a zero entry,
 * is its dispatch, its --help and its shell completion.
 */
struct cli_verb {
	const char *name;
	cli_verb_fn fn;              /* NULL for a group such as `product` */
	const char *args;            /* the operands and options, for --help */
	const char *help;            /* one line */
	const struct cli_verb *sub;  /* a group's own verbs */
	int flags;                   /* CLI_NOSTORE, CLI_OWN_AT */
	int ops;                     /* crm-report: operands before the filter terms */
};

/* Handles a command's own option; returns 0, or an error status. */
typedef int (*cli_opt_fn)(void *ctx, int opt, const char *arg, crm_err *e);

struct cli_prog {
	const char *name;
	const char *synopsis;        /* what follows the name on the usage line */
	const struct cli_verb *verbs;
	const struct option *opts;   /* the command's own, ending in a zero entry */
	cli_opt_fn on_opt;
	const char *notes;           /* --help lines after the verbs */
	int allow_svg;
	/* Between the store's opening and the verb (crm-report reads its ledgers); may be NULL. */
	int (*before)(struct cmd *c, const struct cli_verb *v, crm_err *e);
	void (*after)(struct cmd *c);
};

struct cli {
	const char *prog;
	const struct cli_prog *p;
	const struct cli_verb *verb; /* the verb being run */
	char today[11];              /* set with the store: --as-of or the clock */
	const char *dir;
	enum outfmt fmt;
	const char *at;
	const char *as_of;
	const char *encoding; /* --encoding: what import and `-` read, converted to UTF-8 */
	int dry_run;
	const char *msg;
	int argc;        /* operands: after cli_main's dispatch, those of the verb */
	char **argv;
	int full_argc;
	char **full_argv;
	int show_usage;  /* a usage error: the synopsis follows the message */
	int svg;         /* -o svg: only commands that draw (crm-report) set allow_svg */
	int allow_svg;
	int quiet_pipe;  /* SIGPIPE came ignored: a closed pipe ends the command with 0 (cli.c) */
};

/*
 * The one main: parses the options, finds the verb (printing help, the
 * completion script or a usage error), opens the store in c->s, runs the verb
 * and prints its error once. Returns the exit status.
 */
int cli_main(const struct cli_prog *p, struct cmd *c, struct cli *cl, struct store *s,
	int argc, char **argv);
/* --help: the usage line, then each verb (a group's, one a line) with its help. */
void cli_help(const struct cli_prog *p, FILE *f);
/* --completion SHELL: the bash or zsh script for p's verbs and options (complete.c). */
int cli_completion(const struct cli_prog *p, const char *shell, FILE *f);

/* Opens the store the options name, with --at, --as-of, -n and -m applied. */
int cli_store(struct cli *c, struct store *s, crm_err *e);
/* Prints the error once, as `prog: message`, and gives the exit status. */
int cli_exit(struct cli *c, int rc, crm_err *e);
/* For a command whose work grows with the whole store (check, gc): minutes are
 * no sign of a corrupt object, so CRM_WATCHDOG's default does not apply; the
 * variable, when set, still does. */
void cli_no_watchdog(void);
int cli_usage(struct cli *c, crm_err *e, const char *why);
/* Takes the store's write lock; --at (a read of the past) cannot write: usage. */
int cli_write_lock(struct cli *c, struct store *s, crm_err *e);
/* `argument: FIELD: why 'v'` (65) when why is set, else 0. */
int cli_arg_bad(const char *field, const char *v, const char *why, crm_err *e);
/* 65 when an operand or option value is not valid UTF-8 (it would break every later read). */
int cli_arg_utf8(const char *field, const char *v, crm_err *e);

#endif
