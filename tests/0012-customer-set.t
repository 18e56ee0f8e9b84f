#!/bin/sh
# crm-customer set: ids as operands, ids or CSV records on stdin (-); one commit per command.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER
today=$(date +%F)

test_expect_success 'setup: five customers' '
	new_store s &&
	printf "%s\n" "name,grade,owner,created" "One,A,alice,2026-01-01" "Two,B,bob,2026-01-02" \
		"Three,B,bob,2026-01-03" "Four,C,carol,2026-01-04" "Five,D,,2026-01-05" >in.csv &&
	crm-customer import in.csv 2>/dev/null &&
	test "$(crm-customer list -o csv | wc -l)" = 6
'

test_expect_success 'set ID field=value: one commit, updated is today, created kept' '
	cd s &&
	before=$(commits) &&
	crm-customer set C000001 grade=B "note=called, no answer" >out 2>err &&
	test ! -s out && test ! -s err &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer show -o csv --fields id,grade,created,updated,note C000001 >out &&
	printf "id,grade,created,updated,note\nC000001,B,2026-01-01,$today,\"called, no answer\"\n" >expect &&
	test_cmp expect out &&
	git log -1 --format=%s >msg && grep_q "set grade=B (and 1 more) on C000001" msg &&
	git log -1 --format=%b >msg && grep_q "^\\$ crm-customer set C000001 grade=B" msg &&
	store_clean
'

test_expect_success 'set of several ids and fields: one commit, only those records change' '
	cd s &&
	before=$(commits) &&
	crm-customer set C000002 C000003 C000004 grade=A credit_limit=5000 &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id,grade,credit_limit >out &&
	printf "%s\n" id,grade,credit_limit C000001,B, C000002,A,5000.00 C000003,A,5000.00 C000004,A,5000.00 C000005,D, >expect &&
	test_cmp expect out &&
	git log -1 --format=%s | grep -q "set grade=A (and 1 more) on 3 customers" &&
	git show --format= --numstat HEAD >out &&
	printf "3\t3\tcustomers/000/000000.csv\n" >expect && test_cmp expect out
'

test_expect_success 'a value may be emptied, and may hold = and quotes' '
	cd s &&
	crm-customer set C000004 credit_limit= "tags=a=b" "note=say \"hi\"" &&
	crm-customer show -o csv --fields credit_limit,tags,note C000004 >out &&
	printf "credit_limit,tags,note\n,a=b,\"say \"\"hi\"\"\"\n" >expect && test_cmp expect out
'

test_expect_success 'set - reads ids from stdin (blank lines, CRLF, spaces ignored), one commit' '
	cd s &&
	before=$(commits) &&
	printf "C000001\r\n\r\n  C000005  \nC000003" | crm-customer set - tags=q4 &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id tags=q4 >out &&
	printf "id\nC000001\nC000003\nC000005\n" >expect && test_cmp expect out &&
	git log -1 --format=%s | grep -q "set tags=q4 on 3 customers"
'

test_expect_success 'the pipeline: list -o csv | set - field=value regrades what list found' '
	cd s &&
	before=$(commits) &&
	crm-customer list -o csv grade=A | crm-customer set - grade=C 2>err &&
	test ! -s err &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id grade=C >out &&
	printf "id\nC000002\nC000003\nC000004\n" >expect && test_cmp expect out
'

test_expect_success 'set - with CSV records and no field=value: the columns are the new values' '
	cd s &&
	before=$(commits) &&
	crm-customer list -o csv --fields id,grade,region owner=bob >rows &&
	sed -e "s/,C,/,D,/" -e "s/,\$/,华东/" rows >edited &&
	crm-customer set - <edited &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id,grade,region,owner owner=bob >out &&
	printf "id,grade,region,owner\nC000002,D,华东,bob\nC000003,D,华东,bob\n" >expect && test_cmp expect out &&
	git log -1 --format=%s | grep -q "set fields from records on 2 customers"
'

test_expect_success 'set - with whole records: created and updated stay crm'"'"'s; a BOM is fine' '
	cd s &&
	crm-customer list -o csv id=C000004 | sed -e "s/,carol,/,dave,/" -e "s/,2026-01-04,/,1999-01-01,/" >rec &&
	{ printf "\357\273\277"; cat rec; } | crm-customer set - &&
	crm-customer show -o csv --fields owner,created,updated C000004 >out &&
	printf "owner,created,updated\ndave,2026-01-04,$today\n" >expect && test_cmp expect out
'

test_expect_success 'set - from records with field=value given too: the operands win' '
	cd s &&
	printf "id,grade\nC000001,A\n" | crm-customer set - grade=D &&
	crm-customer show -o csv --fields grade C000001 >out &&
	printf "grade\nD\n" >expect && test_cmp expect out
'

test_expect_success 'an empty list on stdin is "nothing matched" (1), not a commit' '
	cd s &&
	before=$(commits) &&
	{ crm-customer list -o csv owner=nobody; true; } | test_expect_code 1 crm-customer set - grade=A 2>err &&
	grep_q "^crm-customer: no customer ids on standard input$" err &&
	: | test_expect_code 1 crm-customer set - grade=A 2>err &&
	test "$(commits)" = $before && store_clean
'

# refused CODE 'message regex' set-args...: refused, nothing committed, tree clean.
refused() {
	code=$1 msg=$2
	shift 2
	before=$(commits) &&
	test_expect_code "$code" crm-customer set "$@" 2>err &&
	grep_q "$msg" err &&
	test "$(commits)" = $before &&
	store_clean
}

test_expect_success 'refused: unknown id (1); nothing of the other ids is written' '
	cd s &&
	refused 1 "^crm-customer: no customer .C000099.$" C000001 C000099 grade=A &&
	crm-customer show -o csv --fields grade C000001 | grep -q "^D$"
'

test_expect_success 'refused: bad field=value (65, argument: FIELD: message)' '
	cd s &&
	refused 65 "^crm-customer: argument: colour: no such field in customers$" C000001 colour=red &&
	refused 65 "^crm-customer: argument: id: kept by crm; cannot be set$" C000001 id=C000009 &&
	refused 65 "^crm-customer: argument: updated: kept by crm" C000001 updated=2026-01-01 &&
	refused 65 "^crm-customer: argument: grade: not one of A,B,C,D .E.$" C000001 grade=E &&
	refused 65 "^crm-customer: argument: name: must not be empty$" C000001 name= &&
	refused 65 "^crm-customer: argument: credit_limit: too many decimal places" C000001 credit_limit=12.345 &&
	refused 65 "^crm-customer: argument: credit_limit: amount too large" C000001 credit_limit=99999999999999999999 &&
	refused 65 "^crm-customer: argument: note: invalid UTF-8" C000001 "note=$(printf "x\377y")"
'

test_expect_success 'refused: ids with path characters, as operands or on stdin' '
	cd s &&
	refused 65 "^crm-customer: argument: id: id may hold only" ../x grade=A &&
	refused 65 "^crm-customer: argument: id: id may hold only" a/b grade=A &&
	printf "C000001\n../../etc/passwd\n" >ids &&
	refused 65 "^crm-customer: -:2: id: id may hold only.*\.\./\.\./etc/passwd" - grade=A <ids
'

test_expect_success 'refused: bad records on stdin name - and the physical line' '
	cd s &&
	printf "id,grade\r\nC000001,A\r\n\r\nC000002,E\r\n" >rec &&
	refused 65 "^crm-customer: -:4: grade: not one of A,B,C,D .E.$" - <rec &&
	printf "id,colour\nC000001,red\n" >rec &&
	refused 65 "^crm-customer: -:1: colour: unknown column in customers header$" - <rec &&
	printf "name,grade\nOne,A\n" >rec &&
	refused 65 "^crm-customer: -:1: id: required column missing from header$" - <rec &&
	printf "id,grade\nC000001,A\nC000002\n" >rec &&
	refused 65 "^crm-customer: -:3: csv: 1 fields where the header has 2$" - <rec &&
	printf "id,grade\nC000001,A\nC000099,B\n" >rec &&
	refused 1 "^crm-customer: no customer .C000099.$" - <rec &&
	crm-customer show -o csv --fields grade C000001 | grep -q "^D$"
'

test_expect_success 'refused: usage (2) with nothing to set, - twice, or --at' '
	cd s &&
	refused 2 "field=value to set" C000001 &&
	refused 2 "given twice" - - grade=A </dev/null &&
	refused 2 "cannot write" --at HEAD C000001 grade=A &&
	refused 2 "usage:" 
'

test_expect_success '-n: would change, no commit' '
	cd s &&
	before=$(commits) &&
	crm-customer -n set C000002 C000003 grade=B >out &&
	grep_q "would commit: set grade=B on 2 customers" out &&
	grep_q "would change customers/000/000000.csv" out &&
	test "$(commits)" = $before && store_clean &&
	test_expect_code 1 crm-customer list grade=B >/dev/null
'

test_done
