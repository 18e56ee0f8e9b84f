#!/bin/sh
# Bad input to crm-customer import, set - and add/set operands: 65 (or 2 for usage),
# `crm-customer: FILE:LINE: FIELD: message`, no commit, a clean tree.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup' '
	new_store s &&
	crm-customer add Acme grade=A >/dev/null &&
	crm-customer add Beta grade=B >/dev/null
'

# check_refused CODE 'message regex' cmd...: the status, the message, no commit, no change.
check_refused() {
	code=$1 msg=$2
	shift 2
	before=$(commits) &&
	crm-customer list -o csv >state.before &&
	test_expect_code "$code" "$@" 2>err &&
	test "$(wc -l <err)" = 1 &&
	grep_q "$msg" err &&
	test "$(commits)" = $before &&
	crm-customer list -o csv >state.after &&
	test_cmp state.before state.after &&
	store_clean
}

# bad NAME 'printf input for import (name,... columns)' 'FIELD: message' ['printf input for set -']
# Each input is refused by import FILE (named by its file), import - and set - (named -).
bad() {
	test_expect_success "refused: $1" "
		cd s &&
		printf '$2' >in.csv &&
		check_refused 65 '^crm-customer: in.csv:$3' crm-customer import in.csv &&
		check_refused 65 '^crm-customer: -:$3' crm-customer import - <in.csv &&
		printf '${4:-$2}' >set.csv &&
		check_refused 65 '^crm-customer: -:$3' crm-customer set - <set.csv
	"
}

bad 'unterminated quote' 'id,name,grade\nC000001,ok,A\nC000002,"open,B\nC000001,more,C\n' \
	'3: csv: unterminated quote'
bad 'unterminated quote in the last field' 'id,name,grade\nC000001,ab,A\nC000002,x,"A\n' \
	'3: csv: unterminated quote'
bad 'ragged row, short' 'id,name,grade\nC000001,Acme\n' \
	'2: csv: 2 fields where the header has 3$'
bad 'ragged row, long' 'id,name,grade\nC000001,Acme,A,extra\n' \
	'2: csv: 4 fields where the header has 3$'
bad 'NUL byte' 'id,name,grade\nC000001,ab\000c,A\n' \
	'2: csv: NUL byte'
bad 'invalid UTF-8' 'id,name,grade\nC000001,ab\377,A\n' \
	'2: csv: invalid UTF-8 at column 11'
bad 'an overlong UTF-8 encoding' 'id,name,grade\nC000001,\300\257,A\n' \
	'2: csv: invalid UTF-8'
bad 'unknown column' 'id,name,colour\nC000001,x,red\n' \
	'1: colour: unknown column in customers header$'
bad 'a column named twice' 'id,name,name\nC000001,x,y\n' \
	'1: name: column named twice$'
bad 'bad enum (grade=E)' 'id,name,grade\nC000001,Acme,E\n' \
	"2: grade: not one of A,B,C,D .E.\$"
bad 'bad enum (status)' 'id,name,status\nC000001,Acme,closed\n' \
	"2: status: not one of active,pool,archived .closed.\$"
bad 'impossible date 2026-02-30' 'id,name,created\nC000009,Acme,2026-02-30\n' \
	"2: created: impossible date .2026-02-30.\$" 'id,created\nC000001,2026-02-30\n'
bad 'a date with trailing junk' 'id,name,created\nC000009,Acme,2026-01-01x\n' \
	'2: created: ' 'id,created\nC000001,2026-01-01x\n'
bad 'money with three decimals (12.345)' 'id,name,credit_limit\nC000001,Acme,12.345\n' \
	"2: credit_limit: too many decimal places .12.345.\$"
bad 'money in exponent form (1e3)' 'id,name,credit_limit\nC000001,Acme,1e3\n' \
	"2: credit_limit: not an amount .1e3.\$"
bad 'money with a thousands separator (1,234.50)' 'id,name,credit_limit\nC000001,Acme,"1,234.50"\n' \
	"2: credit_limit: not an amount .1,234.50.\$"
bad 'money nan' 'id,name,credit_limit\nC000001,Acme,nan\n' \
	"2: credit_limit: not an amount .nan.\$"
bad 'money overflow (99999999999999999999)' 'id,name,credit_limit\nC000001,Acme,99999999999999999999\n' \
	"2: credit_limit: amount too large .99999999999999999999.\$"
bad 'id with path characters (../x)' 'id,name\n../x,Acme\n' \
	"2: id: id may hold only letters, digits, .-. and ._. .../x.\$"
bad 'id with a slash (a/b)' 'id,name\na/b,Acme\n' \
	"2: id: id may hold only letters, digits, .-. and ._. .a/b.\$"
bad 'id naming .git' 'id,name\n.git,Acme\n' \
	'2: id: id may hold only'
bad 'CRLF and blank lines: the line number is physical' 'id,name,grade\r\n\r\nC000001,x,A\r\n\r\n\r\nC000002,y,Q\r\n' \
	"6: grade: not one of A,B,C,D .Q.\$"
bad 'a merge conflict marker' 'id,name\n<<<<<<< HEAD\nC000001,x\n' \
	'2: csv: merge conflict marker'

test_expect_success 'refused: a zero-byte input is no records by mistake, not "nothing to do"' '
	cd s &&
	: >empty.csv &&
	check_refused 65 "^crm-customer: empty.csv: csv: empty file" crm-customer import empty.csv &&
	check_refused 65 "^crm-customer: -: csv: empty file" crm-customer import - <empty.csv
'

test_expect_success 'refused: set - with a zero-byte stdin is nothing matched (1)' '
	cd s &&
	check_refused 1 "no customer ids on standard input" crm-customer set - grade=A <empty.csv
'

test_expect_success 'a header and no rows is an import of nothing: 0, no commit' '
	cd s &&
	printf "name,grade\n" >hdr.csv &&
	before=$(commits) &&
	crm-customer import hdr.csv 2>err &&
	printf "crm-customer: 0 added, 0 updated\n" >expect && test_cmp expect err &&
	test "$(commits)" = $before && store_clean &&
	printf "id,grade\n" >hdr.csv &&
	check_refused 1 "no customer ids on standard input" crm-customer set - <hdr.csv
'

test_expect_success 'accepted: a UTF-8 byte order mark on import and set -' '
	cd s &&
	printf "\357\273\277name,grade\nBom Ltd,C\n" >bom.csv &&
	crm-customer import bom.csv 2>err && grep_q "1 added, 0 updated" err &&
	crm-customer list -o csv --fields name,grade "name=Bom Ltd" >out &&
	printf "name,grade\nBom Ltd,C\n" >expect && test_cmp expect out &&
	printf "\357\273\277id,grade\nC000001,D\n" | crm-customer set - &&
	crm-customer show -o csv --fields grade C000001 | grep -q "^D$" &&
	printf "\357\273\277C000001\n" | crm-customer set - grade=A &&
	crm-customer show -o csv --fields grade C000001 | grep -q "^A$" &&
	store_clean
'

test_expect_success 'accepted: CRLF line ends and blank lines in good input' '
	cd s &&
	printf "name,grade\r\n\r\nCrlf Co,B\r\n\r\n" | crm-customer import - 2>err &&
	grep_q "1 added, 0 updated" err &&
	crm-customer list -o csv --fields name "name=Crlf Co" | grep -q "^Crlf Co$"
'

# Operands of add and set are named `argument`.
arg() {
	test_expect_success "refused on the command line: $1" "
		cd s &&
		check_refused 65 '^crm-customer: argument: $3' crm-customer add 'New Name' $2 &&
		check_refused 65 '^crm-customer: argument: $3' crm-customer set C000001 $2
	"
}

arg 'unknown field' colour=red 'colour: no such field in customers$'
arg 'bad enum (grade=E)' grade=E "grade: not one of A,B,C,D .E.\$"
arg 'money 12.345' credit_limit=12.345 "credit_limit: too many decimal places .12.345.\$"
arg 'money 1e3' credit_limit=1e3 "credit_limit: not an amount .1e3.\$"
arg 'money 1,234.50' credit_limit=1,234.50 "credit_limit: not an amount .1,234.50.\$"
arg 'money nan' credit_limit=nan "credit_limit: not an amount .nan.\$"
arg 'money overflow' credit_limit=99999999999999999999 "credit_limit: amount too large .99999999999999999999.\$"
arg 'a kept field' created=2026-02-30 'created: kept by crm; cannot be set$'

test_expect_success 'refused on the command line: invalid UTF-8 in a value' '
	cd s &&
	check_refused 65 "^crm-customer: argument: note: invalid UTF-8 at byte 2$" crm-customer set C000001 "note=a$(printf "\377")" &&
	check_refused 65 "^crm-customer: argument: name: invalid UTF-8 at byte 1$" crm-customer add "$(printf "\377x")"
'

test_expect_success 'refused on the command line: ids with path characters' '
	cd s &&
	check_refused 65 "^crm-customer: argument: id: id may hold only.*\.\./x.$" crm-customer set ../x grade=A &&
	check_refused 65 "^crm-customer: argument: id: id may hold only.*a/b.$" crm-customer set a/b grade=A &&
	check_refused 65 "^crm-customer: argument: id: id may hold only" crm-customer show ../../etc/passwd
'

test_expect_success 'refused: a regular expression that does not compile names the argument' '
	cd s &&
	test_expect_code 65 crm-customer list "name~(" >out 2>err &&
	grep_q "^crm-customer: argument: name: bad regular expression .name~(. at offset 1: missing closing parenthesis$" err &&
	test ! -s out &&
	test_expect_code 65 crm-customer list "name~[z-a]" 2>err &&
	grep_q "^crm-customer: argument: name: bad regular expression" err
'

test_expect_success 'refused: a regex that hits the match limit is an error naming file and line, never no-match' '
	cd s &&
	crm-customer add "$(printf "%040d" 0 | tr 0 a)b" >/dev/null &&
	before=$(commits) &&
	test_expect_code 65 crm-customer list "name~^(a+)+\$" >out 2>err &&
	grep_q "^crm-customer: customers/000/000000.csv:[0-9]*: name: regular expression .\^(a+)+\\$.: .*limit" err &&
	test_expect_code 65 crm-customer export "name~^(a+)+\$" >out 2>err &&
	test_expect_code 65 crm-customer pool "name~^(a+)+\$" >out 2>err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success 'a hand-broken store file stops every write, naming its file and line' '
	cd s &&
	printf "C000099,x,,,,Q,,,active,,,,,,,\n" >>customers/000/000000.csv &&
	git commit -qam "a bad hand edit" &&
	before=$(commits) &&
	test_expect_code 65 crm-customer add Other 2>err &&
	grep_q "^crm-customer: customers/000/000000.csv:[0-9]*: grade: not one of A,B,C,D .Q.$" err &&
	test_expect_code 65 crm-customer set C000001 grade=B 2>err &&
	grep_q "customers/000/000000.csv:[0-9]*: grade:" err &&
	printf "name\nZ\n" >z.csv &&
	test_expect_code 65 crm-customer import z.csv 2>err &&
	test "$(commits)" = $before && store_clean
'

test_done
