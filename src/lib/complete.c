/*
 * Shell completion scripts, printed by `--completion bash|zsh` from the same
 * verb table that dispatches, so a new verb completes without another edit.
 * Both scripts find the verb (and a group's verb) by skipping options and the
 * values of the options that take one, then offer what may follow.
 */
#include <string.h>
#include "cli.h"

/* The common options that take a value, short and long (cli.c's table). */
static const char *const common_valued = "-C|-o|-m|--at|--as-of|--output|--message";
static const char *const common_long = "--at --as-of --dry-run --help --version --output --message";

static void put_options(const struct cli_prog *p, FILE *f)
{
	fputs(common_long, f);
	for (const struct option *o = p->opts; o && o->name; o++)
		fprintf(f, " --%s", o->name);
}

/* The case pattern of the options whose value is the next word. */
static void put_valued(const struct cli_prog *p, FILE *f)
{
	fputs(common_valued, f);
	for (const struct option *o = p->opts; o && o->name; o++)
		if (o->has_arg == required_argument)
			fprintf(f, "|--%s", o->name);
}

/* The loop both shells share (words from first to before last): verb and sub are the first two operands. */
static void put_scan(const struct cli_prog *p, const char *words, const char *first, const char *last, FILE *f)
{
	fprintf(f, "\tfor ((i = %s; i < %s; i++)); do\n\t\tcase ${%s[i]} in\n\t\t", first, last, words);
	put_valued(p, f);
	fprintf(f, ") ((i++)) ;;\n\t\t-*) ;;\n"
		   "\t\t*) if [[ -z $verb ]]; then verb=${%s[i]}; elif [[ -z $sub ]]; then sub=${%s[i]}; fi ;;\n"
		   "\t\tesac\n\tdone\n", words, words);
}

/* The case arms of the groups: after `product`, its verbs until one is given. */
static void put_groups(const struct cli_prog *p, const char *indent, const char *open,
	void (*words)(const struct cli_verb *, FILE *), const char *close, FILE *f)
{
	for (const struct cli_verb *v = p->verbs; v->name; v++)
		if (v->sub) {
			fprintf(f, "%s%s) [[ -n $sub ]] || %s", indent, v->name, open);
			words(v->sub, f);
			fprintf(f, "%s ;;\n", close);
		}
}

static void bash_words(const struct cli_verb *v, FILE *f)
{
	for (int i = 0; v[i].name; i++)
		fprintf(f, "%s%s", i ? " " : "", v[i].name);
}

static void bash_script(const struct cli_prog *p, const char *fn, FILE *f)
{
	fprintf(f, "# bash completion for %s: `%s --completion bash` prints this\n", p->name, p->name);
	fprintf(f, "%s()\n{\n\tlocal cur=${COMP_WORDS[COMP_CWORD]} i verb= sub= words=\n", fn);
	fputs("\tif [[ ${COMP_WORDS[COMP_CWORD-1]} == -C ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -d -- \"$cur\"))\n\t\treturn\n\tfi\n", f);
	put_scan(p, "COMP_WORDS", "1", "COMP_CWORD", f);
	fputs("\tif [[ $cur == -* ]]; then\n\t\twords=\"", f);
	put_options(p, f);
	fputs("\"\n\telse\n\t\tcase $verb in\n\t\t'') words=\"", f);
	bash_words(p->verbs, f);
	fputs("\" ;;\n", f);
	put_groups(p, "\t\t", "words=\"", bash_words, "\"", f);
	fputs("\t\tesac\n\tfi\n\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\n", f);
	/* -o default: after a verb, file names (import FILE) when no word fits. */
	fprintf(f, "complete -o default -F %s %s\n", fn, p->name);
}

/* zsh's _describe entries, 'verb:help', in single quotes. */
static void zsh_words(const struct cli_verb *v, FILE *f)
{
	for (int i = 0; v[i].name; i++) {
		fprintf(f, "%s'%s:", i ? " " : "", v[i].name);
		for (const char *h = v[i].help; *h; h++)
			*h == '\'' ? fputs("'\\''", f) : fputc(*h, f);
		fputc('\'', f);
	}
}

static void zsh_script(const struct cli_prog *p, FILE *f)
{
	fprintf(f, "#compdef %s\n# zsh completion for %s: `%s --completion zsh` prints this\n",
		p->name, p->name, p->name);
	fputs("local i verb= sub=\nlocal -a verbs\n"
	      "if [[ ${words[CURRENT-1]} == -C ]]; then\n\t_files -/\n\treturn\nfi\n", f);
	put_scan(p, "words", "2", "CURRENT", f);
	fputs("if [[ ${words[CURRENT]} == -* ]]; then\n\tcompadd -- ", f);
	put_options(p, f);
	fputs("\n\treturn\nfi\ncase $verb in\n'') verbs=(", f);
	zsh_words(p->verbs, f);
	fputs(") ;;\n", f);
	put_groups(p, "", "verbs=(", zsh_words, ")", f);
	fputs("esac\nif (( $#verbs )); then\n\t_describe command verbs\nelse\n\t_files\nfi\n", f);
}

int cli_completion(const struct cli_prog *p, const char *shell, FILE *f)
{
	if (!strcmp(shell, "zsh")) {
		zsh_script(p, f);
		return 0;
	}
	if (strcmp(shell, "bash"))
		return -1;
	char fn[64] = "_";
	strncat(fn, p->name, sizeof fn - 2);
	for (char *c = fn; *c; c++)
		if (*c == '-')
			*c = '_';
	bash_script(p, fn, f);
	return 0;
}
