#!/bin/sh
# crm-visit log and list: the customer's visit archive.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup' '
	new_store s &&
	crm-customer add Acme grade=A >/dev/null &&
	crm-customer add Beta grade=B owner=bob >/dev/null &&
	crm-customer add Gone owner=bob >/dev/null &&
	crm-customer archive C000003
'

test_expect_success 'log prints the new id, defaults --by, --date and --kind, one commit' '
	cd s &&
	before=$(commits) &&
	crm-visit log --as-of 2026-11-22 C000001 --next 2026-11-29 --action "send quote" "met the buyer, wants 200 units" >id &&
	test "$(cat id)" = V202611-00001 &&
	test "$(commits)" = $((before + 1)) &&
	crm-visit list -o csv >out &&
	grep_q "^V202611-00001,2026-11-22,C000001,alice,visit,\"met the buyer, wants 200 units\",2026-11-29,send quote,$" out &&
	test -f visits/2026-11/0001.csv &&
	git log -1 --format=%s | grep -q "crm-visit log V202611-00001" &&
	store_clean
'

test_expect_success 'visits of another month go to that month; ids number per month' '
	cd s &&
	crm-visit log C000002 --date 2026-10-05 --kind call --by bob "called" >id &&
	test "$(cat id)" = V202610-00001 &&
	crm-visit log C000001 --date 2026-11-23 --kind meeting "second" >id &&
	test "$(cat id)" = V202611-00002 &&
	test -f visits/2026-10/0001.csv
'

test_expect_success 'list is newest first and takes filters' '
	cd s &&
	crm-visit list -o csv --fields id,date >out &&
	printf "id,date\nV202611-00002,2026-11-23\nV202611-00001,2026-11-22\nV202610-00001,2026-10-05\n" >expect &&
	test_cmp expect out &&
	crm-visit list -o csv --fields id customer=C000001 "date>=2026-11-23" >out &&
	printf "id\nV202611-00002\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-visit list by=nobody
'

test_expect_success 'log - takes several visits as CSV, one commit, defaults filled' '
	cd s &&
	before=$(commits) &&
	printf "customer,date,summary,kind\nC000001,2026-11-10,lunch,meeting\nC000002,2026-11-11,phone,call\n" |
		crm-visit log - 2>err &&
	grep_q "2 visits logged" err &&
	test "$(commits)" = $((before + 1)) &&
	crm-visit list -o csv "summary~^(lunch|phone)$" >out &&
	test "$(wc -l <out)" = 3 &&
	grep_q ",alice,meeting,lunch," out
'

test_expect_success 'log - is all or nothing: one bad row, no visit written' '
	cd s &&
	before=$(commits) &&
	printf "customer,date,summary\nC000001,2026-11-12,fine\nC000009,2026-11-12,nobody\n" >in.csv &&
	test_expect_code 65 crm-visit log - <in.csv 2>err &&
	grep_q "^crm-visit: -:3: customer: no customer .C000009." err &&
	test "$(commits)" = $before &&
	test_expect_code 1 crm-visit list summary=fine &&
	store_clean
'

test_expect_success 'refusals: unknown or archived customer, bad dates, next before date, empty summary, bad kind' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-visit log C000009 x 2>err && grep_q "argument: customer: no customer .C000009." err &&
	test_expect_code 65 crm-visit log C000003 x 2>err && grep_q "argument: customer: C000003 .Gone. is archived" err &&
	test_expect_code 65 crm-visit log --date 2026-02-30 C000001 x 2>err && grep_q "argument: date: impossible date .2026-02-30." err &&
	test_expect_code 65 crm-visit log --date 2026-11-05 --next 2026-11-01 C000001 x 2>err &&
		grep_q "argument: next_date: 2026-11-01 is before the visit date 2026-11-05" err &&
	test_expect_code 65 crm-visit log C000001 "" 2>err && grep_q "argument: summary: must not be empty" err &&
	test_expect_code 65 crm-visit log C000001 "   " 2>err && grep_q "argument: summary: must not be empty" err &&
	test_expect_code 65 crm-visit log --kind lunch C000001 x 2>err && grep_q "argument: kind: not one of visit,call,meeting,message" err &&
	test_expect_code 65 crm-visit log "../x" y 2>err &&
	printf "customer,date,summary\nC000001,2026-13-01,x\n" | test_expect_code 65 crm-visit log - 2>err &&
		grep_q "^crm-visit: -:2: date: impossible date" err &&
	test_expect_code 2 crm-visit log C000001 2>err && grep_q "usage:" err &&
	test "$(commits)" = $before &&
	store_clean
'

test_expect_success 'log - takes --date, --kind and --by as defaults for columns it lacks' '
	cd s &&
	printf "customer,summary,by\nC000002,by option,\nC000002,by column,carol\n" |
		crm-visit log - --date 2026-11-14 --kind call --by bob 2>err &&
	grep_q "2 visits logged" err &&
	crm-visit list -o csv --fields date,by,kind,summary "summary~^by " >out &&
	printf "date,by,kind,summary\n2026-11-14,carol,call,by column\n2026-11-14,bob,call,by option\n" >expect &&
	test_cmp expect out &&
	printf "customer,summary\nC000002,one\n" | crm-visit log - 2>err &&
	grep_q "^crm-visit: 1 visit logged$" err
'

test_expect_success 'every kind is accepted; --by names another salesperson' '
	cd s &&
	for k in visit call meeting message; do
		crm-visit log --date 2026-11-20 --kind $k --by dave C000002 "a $k" >/dev/null || exit 1
	done &&
	crm-visit list -o csv --fields kind by=dave >out &&
	test "$(sort out | tr "\n" " ")" = "call kind meeting message visit "
'

test_expect_success '-n shows what would be logged and commits nothing; -m adds to the message' '
	cd s &&
	before=$(commits) &&
	crm-visit -n log --date 2026-11-21 C000001 "dry" >out &&
	grep_q "would commit: log V202611-" out &&
	test "$(commits)" = $before &&
	store_clean &&
	test_expect_code 1 crm-visit list summary=dry &&
	crm-visit -m "after the fair" log --date 2026-11-21 C000001 "wet" >/dev/null &&
	git log -1 --format=%B >msg &&
	grep_q "^after the fair$" msg &&
	grep_q "^\$ crm-visit" msg
'

test_expect_success 'log refuses --at (it writes) and log - refuses --next and --action' '
	cd s &&
	before=$(commits) &&
	test_expect_code 2 crm-visit --at HEAD log C000001 x 2>err &&
	grep_q "^crm-visit: --at reads the past; it cannot write" err &&
	printf "customer,summary\nC000001,x\n" | test_expect_code 2 crm-visit log - --next 2026-12-01 2>err &&
	grep_q "^crm-visit: log -: --next and --action belong in the records" err &&
	test "$(commits)" = $before &&
	store_clean
'

test_expect_success 'list: json, --at, and the exit status of an empty result' '
	cd s &&
	crm-visit list -o json customer=C000001 date=2026-11-22 >out &&
	test "$(wc -l <out)" = 1 &&
	grep_q "\"id\":\"V202611-00001\"" out &&
	crm-visit list --at HEAD~1 -o csv summary=wet >out; test $? = 1 &&
	crm-visit list -o csv summary=wet >out &&
	test "$(wc -l <out)" = 2
'

test_expect_success 'a full segment is closed and the month goes on in the next' '
	cd s &&
	git config -f crm.conf store.segment-kib 1 && git commit -qam "small segments" &&
	i=0; while [ $i -lt 12 ]; do echo "C000001,2026-09-0$((i % 9 + 1)),visit number $i with a longish summary to fill the segment"; i=$((i+1)); done >rows &&
	(echo "customer,date,summary"; cat rows) | crm-visit log - 2>/dev/null &&
	ls visits/2026-09 >segs &&
	test "$(wc -l <segs)" -ge 2 &&
	for f in visits/2026-09/*.csv; do test $(wc -c <$f) -le 1200 || exit 1; done &&
	test "$(crm-visit list -o csv "date<2026-10-01" | wc -l)" = 13 &&
	crm check >/dev/null
'

test_done
