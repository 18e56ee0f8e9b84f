#!/bin/sh
# The fast paths of a scan (raw-line prefilter, whole-file checks) give the
# same answers as reading every record; and ids minted in clones never collide.
. "${0%/*}/lib.sh"

test_expect_success 'setup: values with quotes, commas, backslashes and line breaks' '
	new_store s &&
	crm-customer add "x\"y trading" owner=bob >/dev/null &&
	crm-customer add "Acme, Inc" owner=bob >/dev/null &&
	crm-customer add "back\\slash" owner=bob >/dev/null &&
	crm-customer add "$(printf "two\nlines")" owner=bob >/dev/null &&
	crm-customer add "plain wq" owner=bob >/dev/null
'

test_expect_success 'a regex finds values whose lines are quoted or escaped' '
	cd s &&
	crm-customer list -o csv --fields id "name~x.y" >out &&
	printf "id\nC000001\n" >expect && test_cmp expect out &&
	crm-customer list -o csv --fields id "name~Acme, I" >out &&
	printf "id\nC000002\n" >expect && test_cmp expect out &&
	crm-customer list -o csv --fields id "name~k.s" >out &&
	printf "id\nC000003\n" >expect && test_cmp expect out &&
	crm-customer list -o csv --fields id "name~o\\nl" >out &&
	printf "id\nC000004\n" >expect && test_cmp expect out
'

test_expect_success 'anchored patterns are matched on the field, not the line' '
	cd s &&
	crm-customer list -o csv --fields id "name~^plain" >out &&
	printf "id\nC000005\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-customer list "name~^C0000" >out
'

test_expect_success 'field=value and a regex together' '
	cd s &&
	crm-customer list -o csv --fields id owner=bob "name~^p" >out &&
	printf "id\nC000005\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-customer list owner=carol "name~x"
'

test_expect_success 'invalid UTF-8 on a line the filter passes over is still refused when read' '
	cd s &&
	printf "C000006,\\377bad,,,,,bob,,active,,,,,,\n" >>customers/000/000000.csv &&
	test_expect_code 65 crm-customer list >out 2>err &&
	grep_q "customers/000/000000.csv:7: csv: invalid UTF-8" err &&
	git checkout -- customers
'

test_expect_success 'an empty grade is not less than C: ordering skips empty values' '
	cd s &&
	crm-customer set C000001 grade=B &&
	crm-customer list -o csv --fields id "grade<C" >out &&
	printf "id\nC000001\n" >expect && test_cmp expect out
'

test_expect_success 'a clone mints ids with its own node code; merged, none collide' '
	git clone -q s c1 && git clone -q s c2 &&
	(cd c1 && crm-customer add "Clone One" owner=bob >../id1) &&
	(cd c2 && crm-customer add "Clone Two" owner=bob >../id2) &&
	(cd s && crm-customer add "Home" owner=bob >../id0) &&
	grep -q "^C000006-[A-Z2-9]\{4\}$" id1 &&
	grep -q "^C000006-[A-Z2-9]\{4\}$" id2 &&
	test "$(cat id0)" = C000006 &&
	test "$(cat id1)" != "$(cat id2)" &&
	(cd c1 && git config crm.node >../node1) &&
	(cd c1 && crm-customer add "Clone Three" owner=bob >../id3) &&
	grep -q "^C000007-$(cat node1)$" id3
'

test_done
