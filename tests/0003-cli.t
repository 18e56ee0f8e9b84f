#!/bin/sh
# One verb table per command (src/lib/cli.c): --help, unknown verbs, shell
# completion from the same table; a closed pipe with SIGPIPE ignored.
. "${0%/*}/lib.sh"

CMDS="crm crm-customer crm-visit crm-stock crm-order crm-ar crm-report"

# The top-level verbs --help lists: the first word of each indented line, once each.
help_verbs() {
	"$1" --help | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' | uniq
}

# bash_complete PROG WORD...: what the bash script offers for the last word.
bash_complete() {
	"$1" --completion bash >"$TRASH/c.bash" &&
	bash -c '. "$1" && shift && COMP_WORDS=("$@") && COMP_CWORD=$(($# - 1)) &&
		fn=$(complete -p "$1" | sed "s/.* -F \([^ ]*\) .*/\1/") && "$fn" &&
		printf "%s\n" "${COMPREPLY[@]}"' sh "$TRASH/c.bash" "$@"
}

test_expect_success '--help lists every verb with its one-line help, exit 0' '
	for c in $CMDS; do
		"$c" --help >out &&
		grep_q "^usage: $c " out &&
		test "$(help_verbs "$c" | wc -l)" -gt 3 &&
		! grep -q "^  [a-z-]*  *$" out || return 1
	done &&
	crm-stock --help >out &&
	grep_q "^  product import \\[FILE|-\\] *products as CSV" out &&
	grep_q "^  warehouse list  *the warehouses$" out
'

test_expect_success 'an unknown verb: usage, 2, naming it and the known ones' '
	for c in $CMDS; do
		test_expect_code 2 "$c" frobnicate 2>err &&
		known=$(help_verbs "$c" | paste -sd, - | sed "s/,/, /g") &&
		grep_q "^$c: unknown command .frobnicate.; known: $known$" err &&
		grep_q "^usage: $c " err || return 1
	done
'

test_expect_success 'an unknown or missing verb of a group names the group' '
	test_expect_code 2 crm-customer contact remove 2>err &&
	grep_q "^crm-customer: unknown contact command .remove.; known: add, list$" err &&
	test_expect_code 2 crm-stock product 2>err &&
	grep_q "^crm-stock: product: a command is needed: add, set, list, import$" err
'

test_expect_success 'bash completion: the verbs of every command, as --help lists them' '
	for c in $CMDS; do
		bash_complete "$c" "" >out &&
		help_verbs "$c" >expect &&
		test_cmp expect out || return 1
	done
'

test_expect_success 'bash completion: a prefix, a group, options and their values' '
	test "$(bash_complete crm-stock pro)" = product &&
	test "$(bash_complete crm-stock product "" | paste -sd" " -)" = "add set list import" &&
	test "$(bash_complete crm-stock warehouse l)" = list &&
	test "$(bash_complete crm-customer contact "" | paste -sd" " -)" = "add list" &&
	test "$(bash_complete crm-customer -C somewhere --fields id contact a)" = add &&
	test "$(bash_complete crm-customer --fie)" = --fields &&
	test "$(bash_complete crm-report --ch)" = --chart &&
	test -z "$(bash_complete crm-customer list "")" &&
	test -z "$(bash_complete crm-stock product add "")"
'

test_expect_success 'zsh completion: #compdef, every verb and group verb with its help' '
	for c in $CMDS; do
		"$c" --completion zsh >"_$c" &&
		test "$(head -1 "_$c")" = "#compdef $c" &&
		for v in $(help_verbs "$c"); do
			grep_q "'\''$v:" "_$c" || return 1
		done || return 1
	done &&
	grep_q "^product) .* verbs=('\''add:a new product" _crm-stock &&
	if command -v zsh >/dev/null; then
		# The script as compinit would run it, with _describe showing what it offers.
		zsh -fc "_describe() { print -l \${(P)2%%:*} }; compadd() { shift; print -l \$@ }; _files() { }
			words=(crm-stock product \"\"); CURRENT=3; . ./_crm-stock" >out &&
		printf "add\nset\nlist\nimport\n" >expect && test_cmp expect out
	fi
'

test_expect_success '--completion takes bash or zsh: anything else is usage' '
	test_expect_code 2 crm-customer --completion fish 2>err &&
	grep_q "^crm-customer: --completion takes bash or zsh$" err
'

test_expect_success 'setup: a store large enough to fill a pipe' '
	new_store big &&
	{ echo name,phone && seq 1 4000 | sed "s/.*/Customer &,021-6000-&/"; } >in.csv &&
	crm-customer import in.csv 2>/dev/null &&
	test "$(crm-customer list -o csv | wc -l)" = 4001
'

test_expect_success 'with SIGPIPE ignored, a reader that stops early: no message, exit 0' '
	cd big &&
	{ trap "" PIPE; crm-customer list -o csv 2>err; echo $? >rc; } | head -1 >out &&
	test "$(cat rc)" = 0 && test ! -s err &&
	test "$(cat out)" = "$(crm-customer list -o csv | head -1)"
'

test_expect_success 'with SIGPIPE as usual, the writer dies of it (141), as before' '
	cd big &&
	{ crm-customer list -o csv 2>err; echo $? >rc; } | head -1 >/dev/null &&
	test "$(cat rc)" = 141 && test ! -s err
'

test_expect_success 'with SIGPIPE ignored, an error keeps its status and message' '
	cd big &&
	{ trap "" PIPE; crm-customer frobnicate 2>err; echo $? >rc; } | head -1 &&
	test "$(cat rc)" = 2 && grep_q "unknown command" err &&
	{ trap "" PIPE; crm-customer list -o csv >/dev/full 2>err; echo $? >rc; } &&
	test "$(cat rc)" != 0 && grep_q "write error" err
'

test_done
