#!/bin/sh
# crm-visit refuses bad input: where:line: field: message, exit 65, no commit, clean tree.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup: a live customer and an archived one, one visit' '
	new_store s &&
	crm-customer add Acme >/dev/null &&
	crm-customer add Gone >/dev/null &&
	crm-customer archive C000002 >/dev/null &&
	crm-visit log C000001 --date 2026-11-02 --next 2026-11-09 first >/dev/null
'

# refuse NAME 'printf-format CSV for log -' 'expected message after "crm-visit: "'
refuse() {
	test_expect_success "log - refuses: $1" "
		cd s &&
		before=\$(commits) &&
		printf '$2' >in.csv &&
		test_expect_code 65 crm-visit log - <in.csv 2>err &&
		grep_q '^crm-visit: $3' err &&
		test \"\$(commits)\" = \$before &&
		test_expect_code 1 crm-visit list summary=fine >/dev/null &&
		store_clean
	"
}

refuse 'unknown customer' 'customer,summary\nC000001,fine\nC000009,x\n' '-:3: customer: no customer .C000009.'
refuse 'archived customer' 'customer,summary\nC000001,fine\nC000002,x\n' '-:3: customer: C000002 .Gone. is archived'
refuse 'customer id with path characters' 'customer,summary\n../x,y\n' '-:2: customer: id may hold only'
refuse 'empty customer' 'customer,summary\n,fine\n' '-:2: customer: must not be empty$'
refuse 'next date before the visit date' 'customer,summary,date,next_date\nC000001,fine,2026-11-05,2026-11-04\n' '-:2: next_date: 2026-11-04 is before the visit date 2026-11-05$'
refuse 'impossible date' 'customer,summary,date\nC000001,fine,2026-02-30\n' '-:2: date: impossible date .2026-02-30.'
refuse 'impossible next date' 'customer,summary,next_date\nC000001,fine,2026-04-31\n' '-:2: next_date: impossible date .2026-04-31.'
refuse 'a date not in ISO form' 'customer,summary,date\nC000001,fine,22.11.2026\n' '-:2: date: not a date'
refuse 'empty summary' 'customer,summary\nC000001,fine\nC000001,\n' '-:3: summary: must not be empty$'
refuse 'blank summary' 'customer,summary\nC000001,"  "\n' '-:2: summary: must not be empty'
refuse 'bad kind' 'customer,summary,kind\nC000001,fine,lunch\n' '-:2: kind: not one of visit,call,meeting,message .lunch.'
refuse 'an id in the input' 'id,customer,summary\nV202611-00001,C000001,fine\n' '-:2: id: is given when the visit is logged'
refuse 'a done date in the input' 'customer,summary,done\nC000001,fine,2026-11-02\n' '-:2: done: is set by crm-visit done'
refuse 'no customer column' 'summary,date\nfine,2026-11-02\n' '-:1: customer: missing column in the header'
refuse 'no summary column' 'customer\nC000001\n' '-:1: summary: missing column in the header'
refuse 'unknown column' 'customer,summary,colour\nC000001,fine,red\n' '-:1: colour: unknown column in visits header'
refuse 'column named twice' 'customer,summary,summary\nC000001,fine,x\n' '-:1: summary: column named twice'
refuse 'unterminated quote' 'customer,summary\nC000001,fine\n"C000001,open\n' '-:3: csv: unterminated quote'
refuse 'unterminated quote at the end of the input' 'customer,summary\nC000001,fine\n"C000001,open' '-:3: csv: unterminated quote'
refuse 'ragged row' 'customer,summary\nC000001\n' '-:2: csv: 1 fields where the header has 2'
refuse 'NUL byte' 'customer,summary\nC000001,fi\000ne\n' '-:2: csv: NUL byte'
refuse 'invalid UTF-8' 'customer,summary\nC000001,fine\377\n' '-:2: csv: invalid UTF-8'
refuse 'a merge conflict marker' 'customer,summary\n<<<<<<< HEAD\nC000001,fine\n' '-:2: csv: merge conflict marker'
refuse 'physical lines counted across CRLF and blank lines' 'customer,summary\r\n\r\nC000001,fine\r\n\r\nC000001,\r\n' '-:5: summary: must not be empty'
refuse 'a header and no visits' 'customer,summary\n' '-: no visits in the input'

test_expect_success 'log - refuses a zero-byte input (no header is not no visits)' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-visit log - </dev/null 2>err &&
	grep_q "^crm-visit: -: csv: empty file" err &&
	test "$(commits)" = $before &&
	store_clean
'

# refuse_arg NAME 'expected message' crm-visit arguments...
refuse_arg() {
	name=$1 msg=$2
	shift 2
	args=
	for a; do
		args="$args '$(printf %s "$a" | sed "s/'/'\\\\''/g")'"
	done
	test_expect_success "log refuses: $name" '
		cd s &&
		before=$(commits) &&
		eval "test_expect_code 65 crm-visit $args" 2>err &&
		grep_q "^crm-visit: $msg" err &&
		test "$(commits)" = $before &&
		test "$(crm-visit list -o csv | wc -l)" = 2 &&
		store_clean
	'
}

refuse_arg 'unknown customer' 'argument: customer: no customer .C000009.$' log C000009 hello
refuse_arg 'archived customer' 'argument: customer: C000002 .Gone. is archived$' log C000002 hello
refuse_arg 'customer id with a slash' 'argument: customer: id may hold only' log a/b hello
refuse_arg 'impossible --date' 'argument: date: impossible date .2026-02-30.$' log --date 2026-02-30 C000001 hello
refuse_arg 'impossible --next' 'argument: next_date: impossible date .2026-02-29.$' log --next 2026-02-29 C000001 hello
refuse_arg '--next before --date' 'argument: next_date: 2026-11-01 is before the visit date 2026-11-05$' log --date 2026-11-05 --next 2026-11-01 C000001 hello
refuse_arg '--next before today (the default date)' 'argument: next_date: 2026-11-21 is before the visit date 2026-11-22$' --as-of 2026-11-22 log --next 2026-11-21 C000001 hello
refuse_arg 'empty summary' 'argument: summary: must not be empty$' log C000001 ""
refuse_arg 'bad --kind' 'argument: kind: not one of visit,call,meeting,message .lunch.$' log --kind lunch C000001 hello
refuse_arg 'empty --by' 'argument: by: must not be empty$' log --by "" C000001 hello

test_expect_success 'a summary with a line break is kept on one physical line' '
	cd s &&
	crm-visit log --date 2026-11-03 C000001 "two
lines" >/dev/null &&
	test "$(wc -l <visits/2026-11/0001.csv)" = 3 &&
	crm check >/dev/null &&
	store_clean
'

test_expect_success 'a hand-broken segment is named by file and line, and nothing is written' '
	cd s &&
	before=$(commits) &&
	printf "V202611-00099,2026-11-31,C000001,alice,visit,x,,,\n" >>visits/2026-11/0001.csv &&
	git commit -qam "a bad hand edit" &&
	test_expect_code 65 crm-visit log --date 2026-11-04 C000001 hello 2>err &&
	grep_q "^crm-visit: visits/2026-11/0001.csv:4: date: impossible date .2026-11-31." err &&
	test_expect_code 65 crm-visit due 2>err &&
	grep_q "^crm-visit: visits/2026-11/0001.csv:4: date:" err &&
	test "$(commits)" = $((before + 1)) &&
	store_clean
'

test_expect_success 'invalid UTF-8 in a summary on the command line is refused, nothing written' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-visit log C000001 "$(printf "bad\377")" 2>err &&
	grep_q "argument: summary: invalid UTF-8 at byte 4" err &&
	test "$(commits)" = $before && store_clean
'

test_done
