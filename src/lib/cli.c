#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "date.h"

#define CRM_VERSION "0.1.0"

static const struct option common[] = {
	{"at", required_argument, NULL, OPT_AT},
	{"as-of", required_argument, NULL, OPT_ASOF},
	{"dry-run", no_argument, NULL, 'n'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{"output", required_argument, NULL, 'o'},
	{"message", required_argument, NULL, 'm'},
	{"completion", required_argument, NULL, OPT_COMPLETION},
	{"encoding", required_argument, NULL, OPT_ENCODING},
};
#define NCOMMON (int)(sizeof common / sizeof common[0])

int cli_usage(struct cli *c, crm_err *e, const char *why)
{
	c->show_usage = 1;
	return crm_fail(e, CRM_EUSAGE, "%s", why);
}

static void on_watchdog(int sig)
{
	(void)sig;
	static const char m[] = "crm: watchdog: the command ran too long (a corrupt object?); stopped\n";
	if (write(STDERR_FILENO, m, sizeof m - 1) < 0)
		_exit(70);
	_exit(70);
}

void cli_no_watchdog(void)
{
	if (!getenv("CRM_WATCHDOG"))
		alarm(0);
}

static void on_pipe(int sig)
{
	(void)sig;
	_exit(0);
}

/*
 * A reader that stopped early (`| head`) normally kills the writer with
 * SIGPIPE. A parent that ignores SIGPIPE (`trap '' PIPE`, some daemons) would
 * leave every write failing instead, and the command would print a write error
 * it cannot help. Then the first write to the closed pipe ends the command
 * quietly with status 0, at the point where the signal would have killed it
 * (locks are flock()s: they go with the process). Error messages at the end
 * are written with SIGPIPE ignored again, so a usage error keeps its status.
 */
static int quiet_pipe(void)
{
	struct sigaction sa;
	if (sigaction(SIGPIPE, NULL, &sa) || sa.sa_handler != SIG_IGN)
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_pipe;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGPIPE, &sa, NULL) == 0;
}

/*
 * Parses argv with the common options plus the command's (`extra`, ending in
 * a zero entry). Returns -1 after --help or --version (exit 0), else a status.
 */
static int cli_parse(struct cli *c, int argc, char **argv, const struct option *extra,
	cli_opt_fn fn, void *ctx, crm_err *e)
{
	struct option opts[64];
	int n = 0;
	for (int i = 0; i < NCOMMON; i++)
		opts[n++] = common[i];
	for (int i = 0; extra && extra[i].name && n < 62; i++)
		opts[n++] = extra[i];
	memset(&opts[n], 0, sizeof opts[n]);
	c->full_argc = argc;
	c->full_argv = argv;
	c->fmt = OUT_AUTO;
	c->quiet_pipe = quiet_pipe();
	const char *w = getenv("CRM_WATCHDOG");
	signal(SIGALRM, on_watchdog);
	alarm(w && *w ? (unsigned)atoi(w) : 600);
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "C:o:nm:h", opts, NULL)) != -1) {
		int rc = 0;
		switch (opt) {
		case 'C': c->dir = optarg; break;
		case 'o':
			if (c->allow_svg && !strcmp(optarg, "svg")) {
				c->svg = 1;
				break;
			}
			if (out_parse_fmt(optarg, &c->fmt))
				return cli_usage(c, e, c->allow_svg ? "-o takes table, csv, excel, tsv, json or svg" :
					"-o takes table, csv, excel, tsv or json");
			break;
		case 'n': c->dry_run = 1; break;
		case 'm': c->msg = optarg; break;
		case 'h': cli_help(c->p, stdout); return -1;
		case OPT_COMPLETION:
			if (cli_completion(c->p, optarg, stdout))
				return cli_usage(c, e, "--completion takes bash or zsh");
			return -1;
		case OPT_VERSION: printf("%s (crm) %s\n", c->prog, CRM_VERSION); return -1;
		case OPT_AT: c->at = optarg; break;
		case OPT_ASOF: c->as_of = optarg; break;
		case OPT_ENCODING: c->encoding = optarg; break;
		case '?': {
			char why[128];
			if (optopt)
				snprintf(why, sizeof why, "unknown option or missing value: -%c", optopt);
			else
				snprintf(why, sizeof why, "unknown option or missing value: %s", argv[optind - 1]);
			return cli_usage(c, e, why);
		}
		default:
			rc = fn ? fn(ctx, opt, optarg, e) : cli_usage(c, e, "unknown option");
		}
		if (rc)
			return rc;
	}
	c->argc = argc - optind;
	c->argv = argv + optind;
	if (c->as_of) {
		int32_t d;
		const char *why = date_parse(c->as_of, &d);
		if (why)
			return crm_fail(e, CRM_EUSAGE, "--as-of: %s '%s'", why, c->as_of);
		date_set_today(d);
	}
	return 0;
}

int cli_store(struct cli *c, struct store *s, crm_err *e)
{
	int rc = store_open(s, c->dir, e);
	if (rc)
		return rc;
	s->prog = c->prog;
	s->dry_run = c->dry_run;
	if (c->msg)
		s->extra_msg = xstrdup(c->msg);
	store_set_cmdline(s, c->full_argc, c->full_argv);
	if (c->at && !(c->verb && c->verb->flags & CLI_OWN_AT))
		rc = store_set_at(s, c->at, e);
	date_fmt(date_today(), c->today);
	return rc;
}

int cli_exit(struct cli *c, int rc, crm_err *e)
{
	if (rc == -1)
		return 0;
	if (rc == 0) {
		crm_err ce = {0};
		if (out_close_stdout(&ce)) {
			fprintf(stderr, "%s: %s\n", c->prog, ce.msg);
			return ce.code;
		}
		return 0;
	}
	if (c->quiet_pipe)
		signal(SIGPIPE, SIG_IGN);
	if (e->code && e->msg[0])
		fprintf(stderr, "%s: %s\n", c->prog, e->msg);
	if (rc == CRM_EUSAGE && c->show_usage)
		cli_help(c->p, stderr);
	return rc;
}

int cli_write_lock(struct cli *c, struct store *s, crm_err *e)
{
	if (c->at)
		return crm_fail(e, CRM_EUSAGE, "--at reads the past; it cannot write");
	return store_lock(s, e);
}

int cli_arg_bad(const char *field, const char *v, const char *why, crm_err *e)
{
	return why ? crm_fail_at(e, "argument", 0, field, "%s '%s'", why, v) : 0;
}

int cli_arg_utf8(const char *field, const char *v, crm_err *e)
{
	if (v && utf8_valid(v, strlen(v)) != strlen(v))
		return crm_fail_at(e, "argument", 0, field, "invalid UTF-8");
	return 0;
}

/* `a, b, c`: the verbs a usage error names. */
static void verb_names(const struct cli_verb *v, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = 0;
	for (int i = 0; v[i].name && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", v[i].name);
}

/* Takes the verb (and a group's verb) off the operands. */
static int find_verb(struct cli *c, const struct cli_verb *v, const char *group, crm_err *e)
{
	char known[512], why[700];
	verb_names(v, known, sizeof known);
	const char *g = group ? group : "", *sp = group ? " " : "";
	if (c->argc < 1) {
		snprintf(why, sizeof why, "%s%sa command is needed: %s", g, group ? ": " : "", known);
		return cli_usage(c, e, why);
	}
	const char *name = c->argv[0];
	c->argc--, c->argv++;
	for (; v->name; v++)
		if (!strcmp(v->name, name))
			return v->sub ? find_verb(c, v->sub, v->name, e) : (c->verb = v, 0);
	snprintf(why, sizeof why, "unknown %s%scommand '%s'; known: %s", g, sp, name, known);
	return cli_usage(c, e, why);
}

#define HELP_COL 40

static void help_verbs(const char *group, const struct cli_verb *v, FILE *f)
{
	for (; v->name; v++) {
		if (v->sub) {
			help_verbs(v->name, v->sub, f);
			continue;
		}
		int n = fprintf(f, "  %s%s%s%s%s", group ? group : "", group ? " " : "", v->name,
			*v->args ? " " : "", v->args);
		if (n >= HELP_COL)
			n = fprintf(f, "\n") - 1;
		fprintf(f, "%*s%s\n", HELP_COL - n, "", v->help);
	}
}

void cli_help(const struct cli_prog *p, FILE *f)
{
	fprintf(f, "usage: %s %s command ...\n", p->name, p->synopsis);
	help_verbs(NULL, p->verbs, f);
	if (p->notes)
		fputs(p->notes, f);
}

int cli_main(const struct cli_prog *p, struct cmd *c, struct cli *cl, struct store *s,
	int argc, char **argv)
{
	crm_err e = {0};
	cl->prog = p->name;
	cl->p = p;
	cl->allow_svg = p->allow_svg;
	int rc = cli_parse(cl, argc, argv, p->opts, p->on_opt, c, &e);
	if (!rc)
		rc = find_verb(cl, p->verbs, NULL, &e);
	if (!rc && !(cl->verb->flags & CLI_NOSTORE))
		rc = cli_store(cl, s, &e);
	if (!rc && p->before)
		rc = p->before(c, cl->verb, &e);
	if (!rc)
		rc = cl->verb->fn(c, cl->argc, cl->argv, &e);
	if (p->after)
		p->after(c);
	store_close(s);
	return cli_exit(cl, rc, &e);
}
