#!/bin/sh
# Owners and the pool: assign, pool, claim, release, archive; CRM_USER is the acting user.
. "${0%/*}/lib.sh"

test_expect_success 'setup: customers of bob and carol, one unowned, one in the pool' '
	new_store s &&
	printf "%s\n" "name,owner,status,created" "Old Bob,bob,,2026-01-01" "Fresh Bob,bob,,2026-01-01" \
		"Carol Co,carol,,2026-01-01" "Nobody,,,2026-01-01" "Pooled,dave,pool,2026-01-01" >in.csv &&
	CRM_USER=alice crm-customer import in.csv 2>/dev/null &&
	crm-customer list -o csv --fields id,owner,status >out &&
	printf "%s\n" id,owner,status C000001,bob,active C000002,bob,active C000003,carol,active C000004,,pool C000005,dave,pool >expect &&
	test_cmp expect out
'

test_expect_success 'assign ID... OWNER: one commit, status active, history in crm log' '
	cd s &&
	before=$(commits) &&
	CRM_USER=alice crm-customer assign C000003 C000004 erin >out 2>err &&
	test ! -s out && test ! -s err &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id,status owner=erin >out &&
	printf "id,status\nC000003,active\nC000004,active\n" >expect && test_cmp expect out &&
	git log -1 --format=%s | grep -q "assign to erin: 2 customers" &&
	crm log C000003 >out && grep_q ",C000003,owner,carol,erin$" out
'

test_expect_success 'assign - OWNER takes the ids list prints; assign to nobody puts them in the pool' '
	cd s &&
	before=$(commits) &&
	crm-customer list -o csv owner=erin | crm-customer assign - carol &&
	test "$(commits)" = $((before + 1)) &&
	test "$(crm-customer list -o csv --fields id owner=carol | wc -l)" = 3 &&
	crm-customer assign C000004 "" &&
	crm-customer show -o csv --fields owner,status C000004 >out &&
	printf "owner,status\n,pool\n" >expect && test_cmp expect out
'

test_expect_success 'assign refusals: no owner (2), unknown id (1), bad id or owner (65); no commit' '
	cd s &&
	before=$(commits) &&
	test_expect_code 2 crm-customer assign C000001 2>err && grep_q "ids (or -) and an owner" err &&
	test_expect_code 1 crm-customer assign C000001 C000099 erin 2>err && grep_q "^crm-customer: no customer .C000099.$" err &&
	test_expect_code 65 crm-customer assign ../x erin 2>err && grep_q "^crm-customer: argument: id: id may hold only" err &&
	test_expect_code 65 crm-customer assign C000001 "$(printf "er\377in")" 2>err && grep_q "^crm-customer: argument: owner: invalid UTF-8" err &&
	test_expect_code 2 crm-customer assign C000001 grade=A erin 2>err && grep_q "only customer ids before the owner" err &&
	: | test_expect_code 1 crm-customer assign - erin 2>err && grep_q "no customer ids on standard input" err &&
	test "$(commits)" = $before && store_clean &&
	crm-customer show -o csv --fields owner C000001 | grep -q "^bob$"
'

test_expect_success 'pool: unowned and status pool; no visits yet, so nobody is stale' '
	cd s &&
	crm-customer pool --as-of 2026-12-31 -o csv --fields id,name,owner >out &&
	printf "id,name,owner\nC000004,Nobody,\nC000005,Pooled,dave\n" >expect && test_cmp expect out
'

test_expect_success 'pool: with visits, an owned customer unvisited for pool.stale-days (90) joins' '
	cd s &&
	crm-visit log --date 2026-03-01 C000001 "long ago" >/dev/null &&
	crm-visit log --date 2026-06-01 C000002 "recent" >/dev/null &&
	crm-visit log --date 2026-06-01 C000003 "recent" >/dev/null &&
	crm-customer pool --as-of 2026-06-10 -o csv --fields id >out &&
	printf "id\nC000001\nC000004\nC000005\n" >expect && test_cmp expect out &&
	crm-customer pool --as-of 2026-05-30 -o csv --fields id >out &&
	printf "id\nC000004\nC000005\n" >expect && test_cmp expect out &&
	crm-customer pool --as-of 2026-05-31 -o csv --fields id >out &&
	printf "id\nC000001\nC000004\nC000005\n" >expect && test_cmp expect out
'

test_expect_success 'pool takes filters; nothing in the pool is 1' '
	cd s &&
	crm-customer pool --as-of 2026-06-10 -o csv --fields id owner=bob >out &&
	printf "id\nC000001\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-customer pool --as-of 2026-06-10 owner=carol >/dev/null &&
	git config -f crm.conf pool.stale-days 10 && git commit -qm "pool: 10 days" crm.conf &&
	crm-customer pool --as-of 2026-06-11 -o csv --fields id >out &&
	printf "id\nC000001\nC000004\nC000005\n" >expect && test_cmp expect out &&
	crm-customer pool --as-of 2026-06-12 -o csv --fields id >out &&
	printf "id\nC000001\nC000002\nC000003\nC000004\nC000005\n" >expect && test_cmp expect out &&
	git config -f crm.conf pool.stale-days 90 && git commit -qm "pool: 90 days" crm.conf
'

test_expect_success 'claim: an unowned or pooled customer becomes the acting user'"'"'s, one commit' '
	cd s &&
	before=$(commits) &&
	CRM_USER=alice crm-customer claim C000004 C000005 >out 2>err &&
	test ! -s out && test ! -s err &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id,owner,status owner=alice >out &&
	printf "id,owner,status\nC000004,alice,active\nC000005,alice,active\n" >expect && test_cmp expect out &&
	git log -1 --format=%s | grep -q "claim 2 customers"
'

test_expect_success 'claim: a stale customer listed by pool may be claimed from its owner' '
	cd s &&
	CRM_USER=alice crm-customer --as-of 2026-06-10 claim C000001 &&
	crm-customer show -o csv --fields owner,status C000001 >out &&
	printf "owner,status\nalice,active\n" >expect && test_cmp expect out &&
	crm log C000001 | grep -q ",C000001,owner,bob,alice$"
'

test_expect_success 'claim refusals: another owner'"'"'s live customer (65), archived (65), unknown (1)' '
	cd s &&
	before=$(commits) &&
	CRM_USER=alice test_expect_code 65 crm-customer --as-of 2026-06-10 claim C000002 2>err &&
	grep_q "^crm-customer: C000002 .Fresh Bob. is owned by bob; not in the pool$" err &&
	CRM_USER=alice test_expect_code 65 crm-customer --as-of 2026-06-10 claim C000004 C000002 2>err &&
	CRM_USER=alice test_expect_code 1 crm-customer claim C000099 2>err &&
	grep_q "no customer .C000099." err &&
	CRM_USER=alice test_expect_code 2 crm-customer claim 2>err &&
	CRM_USER=alice test_expect_code 2 crm-customer claim C000004 owner=bob 2>err &&
	grep_q "only customer ids" err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success 'claim of one'"'"'s own customer is allowed (nothing to take)' '
	cd s &&
	CRM_USER=bob crm-customer claim C000002 &&
	crm-customer show -o csv --fields owner C000002 | grep -q "^bob$"
'

test_expect_success 'release: the owner puts a customer back in the pool' '
	cd s &&
	before=$(commits) &&
	CRM_USER=alice crm-customer release C000004 &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer show -o csv --fields owner,status C000004 >out &&
	printf "owner,status\n,pool\n" >expect && test_cmp expect out
'

test_expect_success 'release refusals: not the owner and no director role (77)' '
	cd s &&
	before=$(commits) &&
	CRM_USER=alice test_expect_code 77 crm-customer release C000002 2>err &&
	grep_q "^crm-customer: C000002 is owned by bob, not alice; only its owner or a director releases it$" err &&
	CRM_USER=alice test_expect_code 77 crm-customer release C000004 2>err &&
	grep_q "owned by nobody, not alice" err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success 'a director (by git email in crm.conf) may release anyone'"'"'s customer' '
	cd s &&
	git config -f crm.conf --add role.director.member alice@example.com && git commit -qm "roles" crm.conf &&
	CRM_USER=alice crm-customer release C000002 &&
	crm-customer show -o csv --fields owner,status C000002 >out &&
	printf "owner,status\n,pool\n" >expect && test_cmp expect out
'

test_expect_success 'archive: archived customers leave the pool and take no claim' '
	cd s &&
	before=$(commits) &&
	crm-customer archive C000002 C000004 &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id status=archived >out &&
	printf "id\nC000002\nC000004\n" >expect && test_cmp expect out &&
	! crm-customer pool -o csv --fields id | grep -q "C000002\|C000004" &&
	CRM_USER=alice test_expect_code 65 crm-customer claim C000002 2>err &&
	grep_q "^crm-customer: C000002 is archived$" err &&
	crm-customer assign C000002 bob &&
	crm-customer show -o csv --fields owner,status C000002 >out &&
	printf "owner,status\nbob,archived\n" >expect && test_cmp expect out
'

test_expect_success 'archive refusals: unknown id (1), path id (65), none (2); -n commits nothing' '
	cd s &&
	before=$(commits) &&
	test_expect_code 1 crm-customer archive C000099 2>err &&
	test_expect_code 65 crm-customer archive a/b 2>err && grep_q "argument: id:" err &&
	test_expect_code 2 crm-customer archive 2>err &&
	crm-customer -n archive C000003 >out && grep_q "would" out &&
	test "$(commits)" = $before && store_clean &&
	crm-customer show -o csv --fields status C000003 | grep -q "^active$"
'

test_done
