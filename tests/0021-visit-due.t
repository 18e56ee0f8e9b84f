#!/bin/sh
# crm-visit due, done, move: follow-ups for cron; silent when nothing is due.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup: follow-ups of alice and bob' '
	new_store s &&
	crm-customer add Acme grade=A >/dev/null &&
	crm-customer add Beta owner=bob >/dev/null &&
	crm-customer add Gamma >/dev/null &&
	crm-visit log C000001 --date 2026-11-01 --next 2026-11-10 --action "send quote" first >/dev/null &&
	crm-visit log C000002 --date 2026-11-02 --by bob --next 2026-11-24 --action "call back" second >/dev/null &&
	crm-visit log C000003 --date 2026-11-03 --next 2026-12-20 later >/dev/null
'

test_expect_success 'due: overdue first, with days overdue' '
	cd s &&
	crm-visit due --as-of 2026-11-22 -o csv >out &&
	printf "due,overdue,customer,name,action,by,visit\n2026-11-10,12,C000001,Acme,send quote,alice,V202611-00001\n" >expect &&
	test_cmp expect out
'

test_expect_success 'due --within and --by' '
	cd s &&
	crm-visit due --as-of 2026-11-22 --within 3 -o csv --fields x >/dev/null 2>&1;
	crm-visit due --as-of 2026-11-22 --within 3 -o csv >out &&
	test "$(wc -l <out)" = 3 &&
	sed -n 3p out | grep -q "^2026-11-24,0,C000002,Beta,call back,bob," &&
	crm-visit due --as-of 2026-11-22 --within 3 --by bob -o csv >out &&
	test "$(wc -l <out)" = 2 && grep_q "C000002" out
'

test_expect_success 'nothing due: no output at all, exit 0 (cron mails nothing)' '
	cd s &&
	crm-visit due --as-of 2026-11-01 >out 2>err &&
	test ! -s out && test ! -s err &&
	crm-visit due --as-of 2026-11-22 --by carol >out && test ! -s out
'

test_expect_success 'a later visit to the customer closes the follow-up' '
	cd s &&
	crm-visit log C000001 --date 2026-11-15 "sent it" >/dev/null &&
	crm-visit due --as-of 2026-11-22 >out && test ! -s out
'

test_expect_success 'done and move' '
	cd s &&
	crm-visit move V202611-00002 2026-11-21 &&
	crm-visit due --as-of 2026-11-22 -o csv >out && grep_q "^2026-11-21,1,C000002" out &&
	crm-visit done V202611-00002 &&
	crm-visit due --as-of 2026-11-22 >out && test ! -s out &&
	git log -1 --format=%s | grep -q "done V202611-00002" &&
	store_clean
'

test_expect_success 'done/move refusals: unknown visit (1), no follow-up, date before the visit (65)' '
	cd s &&
	before=$(commits) &&
	test_expect_code 1 crm-visit done V202611-00099 2>err && grep_q "no visit .V202611-00099." err &&
	test_expect_code 1 crm-visit done X1 2>err &&
	test_expect_code 65 crm-visit done V202611-00004 2>err && grep_q "no follow-up" err &&
	test_expect_code 65 crm-visit move V202611-00003 2026-10-01 2>err &&
		grep_q "argument: next_date: 2026-10-01 is before the visit date 2026-11-03" err &&
	test_expect_code 65 crm-visit move V202611-00003 2026-02-30 2>err &&
	test "$(commits)" = $before
'

test_expect_success 'crm-customer show gives the last visit and the open follow-up' '
	cd s &&
	crm-customer show -o table C000003 >out &&
	grep_q "^last_visit  *2026-11-03" out &&
	grep_q "^follow_up  *2026-12-20" out
'

test_done
