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

test_expect_success 'crm-customer show gives the last visit and the open follow-up' '
	cd s &&
	crm-customer show -o table C000003 >out &&
	grep_q "^last_visit  *2026-11-03" out &&
	grep_q "^follow_up  *2026-12-20" out
'

test_expect_success 'done of several visits in one segment marks every one, in one commit' '
	cd s &&
	crm-visit log C000001 --date 2026-11-16 --next 2026-11-18 --action a x >/dev/null &&
	crm-visit log C000003 --date 2026-11-16 --next 2026-11-19 --action b y >/dev/null &&
	before=$(commits) &&
	crm-visit done --as-of 2026-11-20 V202611-00005 V202611-00006 &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s | grep -q "done V202611-00005 V202611-00006" &&
	crm-visit list -o csv --fields id,done "date=2026-11-16" >out &&
	printf "id,done\nV202611-00006,2026-11-20\nV202611-00005,2026-11-20\n" >expect &&
	test_cmp expect out &&
	store_clean
'

test_expect_success 'done - reads visit ids from stdin, one per line, as cron output gives them' '
	cd s &&
	crm-visit log C000001 --date 2026-11-16 --next 2026-11-18 --action c x2 >/dev/null &&
	crm-visit log C000002 --date 2026-11-16 --next 2026-11-19 --action d y2 >/dev/null &&
	before=$(commits) &&
	crm-visit due --as-of 2026-11-20 -o tsv | awk -F"	" "NR > 1 { print \$7 }" >ids &&
	test "$(wc -l <ids)" = 2 &&
	crm-visit done --as-of 2026-11-20 - <ids &&
	test "$(commits)" = $((before + 1)) &&
	crm-visit due --as-of 2026-11-20 >out && test ! -s out &&
	printf "" | test_expect_code 65 crm-visit done - 2>err &&
	grep_q "^crm-visit: -: no visit ids in the input" err &&
	printf "V202611-00001\nx/y\n" | test_expect_code 65 crm-visit done - 2>err &&
	grep_q "^crm-visit: -:2: id: id may hold only" err &&
	test "$(commits)" = $((before + 1)) &&
	store_clean
'

test_expect_success 'move says where to in the commit; the moved date is due then' '
	cd s &&
	crm-visit log C000003 --date 2026-11-17 --next 2026-11-18 z >/dev/null &&
	crm-visit move V202611-00009 2026-11-30 &&
	git log -1 --format=%s | grep -q "move V202611-00009 to 2026-11-30" &&
	crm-visit due --as-of 2026-11-29 >out && test ! -s out &&
	crm-visit due --as-of 2026-11-30 -o csv >out && grep_q "^2026-11-30,0,C000003,Gamma,,alice,V202611-00009$" out &&
	crm-visit due --as-of 2026-11-29 --at HEAD~1 -o csv >out && grep_q "^2026-11-18,11,C000003" out
'

test_expect_success 'a later visit the same day closes the follow-up; an archived customer has none' '
	cd s &&
	crm-visit log C000003 --date 2026-11-17 "same day, later" >/dev/null &&
	crm-visit due --as-of 2026-11-30 >out && test ! -s out &&
	crm-customer add Delta >/dev/null &&
	crm-visit log C000004 --date 2026-11-17 --next 2026-11-18 w >/dev/null &&
	crm-visit due --as-of 2026-11-30 -o csv >out && grep_q C000004 out &&
	crm-customer archive C000004 >/dev/null &&
	crm-visit due --as-of 2026-11-30 >out && test ! -s out
'

test_expect_success 'done and move refuse a follow-up already done, naming the day' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-visit done V202611-00005 2>err &&
	grep_q "^crm-visit: argument: done: V202611-00005 was done on 2026-11-20$" err &&
	test_expect_code 65 crm-visit move V202611-00005 2026-12-01 2>err &&
	grep_q "^crm-visit: argument: done: V202611-00005 was done on 2026-11-20$" err &&
	test_expect_code 65 crm-visit done V202611-00009 V202611-00005 2>err &&
	test "$(commits)" = $before &&
	crm-visit due --as-of 2026-11-30 >out && test ! -s out &&
	store_clean
'

test_expect_success 'due refusals' '
	cd s &&
	test_expect_code 2 crm-visit due --within soon 2>err &&
	grep_q "^crm-visit: --within takes a whole number of days, not .soon." err &&
	test_expect_code 2 crm-visit due today 2>err && grep_q "^crm-visit: due takes no operands" err &&
	test_expect_code 2 crm-visit due --as-of 2026-02-30 2>err &&
	grep_q "^crm-visit: --as-of: impossible date .2026-02-30." err
'

test_expect_success 'done/move refusals: unknown visit (1), no follow-up, date before the visit (65)' '
	cd s &&
	before=$(commits) &&
	test_expect_code 1 crm-visit done V202611-00099 2>err && grep_q "^crm-visit: no visit .V202611-00099." err &&
	test_expect_code 1 crm-visit done X1 2>err && grep_q "^crm-visit: no visit .X1." err &&
	test_expect_code 1 crm-visit move ../V202611-00001 2026-12-01 2>err && grep_q "^crm-visit: no visit" err &&
	test_expect_code 65 crm-visit done V202611-00004 2>err &&
		grep_q "^crm-visit: argument: next_date: V202611-00004 has no follow-up to mark done" err &&
	test_expect_code 65 crm-visit move V202611-00004 2026-12-01 2>err &&
		grep_q "^crm-visit: argument: next_date: V202611-00004 has no follow-up to move" err &&
	test_expect_code 65 crm-visit move V202611-00003 2026-10-01 2>err &&
		grep_q "^crm-visit: argument: next_date: 2026-10-01 is before the visit date 2026-11-03" err &&
	test_expect_code 65 crm-visit move V202611-00003 2026-02-30 2>err &&
		grep_q "^crm-visit: argument: next_date: impossible date .2026-02-30." err &&
	test_expect_code 2 crm-visit move V202611-00003 2>err && grep_q "usage:" err &&
	test_expect_code 2 crm-visit done 2>err && grep_q "usage:" err &&
	test_expect_code 2 crm-visit --at HEAD done V202611-00003 2>err &&
	test "$(commits)" = $before &&
	store_clean
'

test_done
