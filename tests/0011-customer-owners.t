#!/bin/sh
# Anti-collision, duplicates and merge, owners, the pool, contacts.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup' '
	new_store s &&
	crm-customer add 北京用友科技有限公司 phone=010-62345678 owner=bob >/dev/null
'

test_expect_success 'anti-collision: folded name of another owner refused, naming customer and owner' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-customer add "北京 用友科技" 2>err &&
	grep_q "already a customer: C000001 .北京用友科技有限公司. owned by bob (same name); --force" err &&
	test_expect_code 65 crm-customer add "Other Name" phone="+86 10 6234 5678" 2>err &&
	grep_q "owned by bob (same phone)" err &&
	test_expect_code 65 crm-customer add "北京用友科技股份有限公司" 2>err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success '--force adds it anyway and the commit says so' '
	cd s &&
	crm-customer add --force "北京用友科技" >id &&
	git log -1 --format=%s | grep -q "anti-collision check overridden"
'

test_expect_success 'the same owner may add a look-alike (a note says so)' '
	cd s &&
	CRM_USER=bob crm-customer add "ＡＣＭＥ" >/dev/null 2>&1 &&
	CRM_USER=bob crm-customer add "Acme Co., Ltd." 2>err >/dev/null &&
	grep_q "note: 1 customer" err
'

test_expect_success 'dups: same name, same phone, one edit apart' '
	cd s &&
	crm-customer add "Pacific Logistic" owner=carol >/dev/null &&
	crm-customer add "Pacific Logistics" owner=dave >/dev/null &&
	crm-customer set C000003 phone=010-6234-5678 &&
	crm-customer dups -o csv >out &&
	grep_q ",same name,C000001," out &&
	grep_q ",same name,C000002," out &&
	grep_q ",similar name,C000005,Pacific Logistic," out &&
	grep_q ",same phone,C000001," out &&
	grep_q ",same phone,C000003," out &&
	test "$(grep -c ",similar name," out)" = 2
'

test_expect_success 'merge: the duplicate archived, contacts and visits repointed, one commit' '
	cd s &&
	crm-customer contact add C000002 "Li Lei" title=buyer >/dev/null &&
	crm-visit log --date 2026-11-01 C000002 "met Li Lei" >/dev/null &&
	before=$(commits) &&
	crm-customer merge C000001 C000002 &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer show -o csv C000002 | grep -q ",archived,.*merged into C000001$" &&
	crm-customer contact list -o csv customer=C000001 | grep -q "Li Lei" &&
	crm-visit list -o csv customer=C000001 | grep -q "met Li Lei" &&
	test_expect_code 1 crm-visit list customer=C000002 &&
	git log -1 --format=%s | grep -q "merge 1 duplicate(s) into C000001, 2 reference(s) repointed" &&
	crm check >/dev/null
'

test_expect_success 'merge refusals: unknown ids, into itself' '
	cd s &&
	before=$(commits) &&
	test_expect_code 1 crm-customer merge C000001 C000099 2>err &&
	test_expect_code 2 crm-customer merge C000001 C000001 2>err &&
	test_expect_code 2 crm-customer merge C000001 2>err &&
	test "$(commits)" = $before
'

test_expect_success 'assign, and the assignment history in crm log' '
	cd s &&
	crm-customer assign C000005 C000006 erin &&
	crm-customer list -o csv --fields id owner=erin >out &&
	printf "id\nC000005\nC000006\n" >expect && test_cmp expect out &&
	crm log C000005 | grep -q ",C000005,owner,carol,erin$" &&
	crm-customer list owner=erin -o csv | crm-customer assign - frank &&
	test "$(crm-customer list owner=frank -o csv | wc -l)" = 3
'

test_expect_success 'pool: no owner or status pool; claim and release' '
	cd s &&
	crm-customer add Nobody owner= >/dev/null &&
	crm-customer pool -o csv --fields id,name >out &&
	grep_q "^C000007,Nobody$" out &&
	crm-customer claim C000007 &&
	crm-customer show -o csv C000007 | grep -q ",alice,.*,active," &&
	test_expect_code 1 crm-customer pool "name=Nobody" &&
	crm-customer release C000007 &&
	crm-customer show -o csv C000007 | grep -q ",,pool," &&
	test_expect_code 65 crm-customer claim C000001 2>err && grep_q "owned by bob; not in the pool" err &&
	test_expect_code 77 crm-customer release C000001 2>err && grep_q "only its owner or a director" err
'

test_expect_success 'a director may release anyone'"'"'s customer' '
	cd s &&
	git config -f crm.conf --add role.director.member alice@example.com && git commit -qam roles &&
	crm-customer release C000001 &&
	crm-customer show -o csv C000001 | grep -q ",pool,"
'

test_expect_success 'pool counts owned customers with no visit for pool.stale-days once visits exist' '
	cd s &&
	crm-customer claim C000001 &&
	crm-customer pool --as-of 2027-03-01 -o csv --fields id >out &&
	grep_q "^C000001$" out &&
	crm-visit log --date 2027-02-27 C000001 "visited" >/dev/null &&
	crm-customer pool --as-of 2027-03-01 -o csv --fields id >out &&
	! grep -q "^C000001$" out
'

test_expect_success 'archive; archived customers take no visits or contacts' '
	cd s &&
	crm-customer archive C000006 &&
	crm-customer show -o csv C000006 | grep -q ",archived," &&
	test_expect_code 65 crm-customer contact add C000006 "X Y" 2>err && grep_q "is archived" err &&
	test_expect_code 65 crm-visit log C000006 hello 2>err
'

test_expect_success 'contacts: add prints the id, list by customer or filter' '
	cd s &&
	crm-customer contact add C000001 "Han Meimei" title=CFO email=han@example.com >id &&
	test "$(cat id)" = P000002 &&
	crm-customer contact list C000001 -o csv --fields id,name >out &&
	printf "id,name\nP000001,Li Lei\nP000002,Han Meimei\n" >expect && test_cmp expect out &&
	crm-customer contact list "title=CFO" -o csv --fields id >out &&
	printf "id\nP000002\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-customer contact add C000099 "No One" 2>err &&
	test_expect_code 2 crm-customer contact add C000001 2>err
'

test_done
