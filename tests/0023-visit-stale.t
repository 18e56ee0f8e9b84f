#!/bin/sh
# crm-visit stale: customers nobody has visited for N days, A and B grade first.
. "${0%/*}/lib.sh"

add() { faketime "$1 09:00:00" crm-customer add "$2" $3 >/dev/null; }

test_expect_success 'setup: eight customers, some visited' '
	new_store s &&
	add 2026-09-01 Alpha "grade=A owner=alice" &&
	add 2026-09-01 Bravo "grade=B owner=bob" &&
	add 2026-09-01 Charlie "grade=C owner=alice" &&
	add 2026-11-25 Delta "grade=D owner=alice" &&
	add 2026-09-01 Echo "owner=bob" &&
	add 2026-09-01 Foxtrot "grade=A owner=bob" &&
	add 2026-09-01 Golf "grade=A owner=alice" &&
	add 2026-09-01 Hotel "grade=B owner=alice" &&
	crm-customer archive C000007 >/dev/null &&
	{ echo "customer,date,by,summary";
	  echo "C000001,2026-11-02,alice,early";
	  echo "C000001,2026-11-10,alice,last";
	  echo "C000003,2026-11-20,alice,ten days before";
	  echo "C000005,2026-10-01,bob,long ago";
	  echo "C000006,2026-11-21,bob,nine days before";
	  echo "C000008,2026-09-15,alice,september"; } | crm-visit log - 2>/dev/null
'

test_expect_success 'stale --days 10: grade first, then the longest neglected; never-visited from creation' '
	cd s &&
	crm-visit stale --days 10 --as-of 2026-11-30 -o csv >out &&
	cat >expect <<-\EOF &&
	customer,name,grade,owner,last_visit,days
	C000001,Alpha,A,alice,2026-11-10,20
	C000002,Bravo,B,bob,,90
	C000008,Hotel,B,alice,2026-09-15,76
	C000003,Charlie,C,alice,2026-11-20,10
	C000005,Echo,,bob,2026-10-01,60
	EOF
	test_cmp expect out
'

test_expect_success 'stale: exactly N days counts, N-1 does not; archived customers never' '
	cd s &&
	crm-visit stale --days 11 --as-of 2026-11-30 -o csv >out &&
	! grep -q C000003 out &&
	crm-visit stale --days 9 --as-of 2026-11-30 -o csv >out &&
	grep_q "^C000006,Foxtrot,A,bob,2026-11-21,9$" out &&
	! grep -q C000004 out &&
	crm-visit stale --days 0 --as-of 2026-11-30 -o csv >out &&
	grep_q "^C000004,Delta,D,alice,,5$" out &&
	test "$(wc -l <out)" = 8 &&
	! grep -q C000007 out
'

test_expect_success 'stale --by keeps one owner' '
	cd s &&
	crm-visit stale --days 10 --by bob --as-of 2026-11-30 -o csv >out &&
	printf "customer,name,grade,owner,last_visit,days\nC000002,Bravo,B,bob,,90\nC000005,Echo,,bob,2026-10-01,60\n" >expect &&
	test_cmp expect out &&
	crm-visit stale --days 10 --by nobody --as-of 2026-11-30 >out 2>err &&
	test ! -s out && test ! -s err
'

test_expect_success 'a new visit takes a customer off the list' '
	cd s &&
	crm-visit log C000002 --date 2026-11-29 "at last" >/dev/null &&
	crm-visit stale --days 10 --as-of 2026-11-30 -o csv >out &&
	! grep -q C000002 out &&
	crm-visit stale --days 10 --as-of 2026-11-30 --at HEAD~1 -o csv >out &&
	grep_q "^C000002,Bravo,B,bob,,90$" out
'

test_expect_success 'nothing stale: no output, exit 0 (for cron)' '
	cd s &&
	crm-visit stale --days 100 --as-of 2026-11-30 >out 2>err &&
	test ! -s out && test ! -s err
'

test_expect_success 'stale -o json: one object per line' '
	cd s &&
	crm-visit stale --days 10 --by bob --as-of 2026-11-30 -o json >out &&
	test "$(wc -l <out)" = 1 &&
	grep_q "\"customer\":\"C000005\"" out
'

test_expect_success 'stale refusals: --days is required, a whole number' '
	cd s &&
	test_expect_code 2 crm-visit stale 2>err && grep_q "^crm-visit: stale --days N" err &&
	test_expect_code 2 crm-visit stale --days ten 2>err &&
		grep_q "^crm-visit: --days takes a whole number of days, not .ten." err &&
	test_expect_code 2 crm-visit stale --days -3 2>err && grep_q "not .-3." err &&
	test_expect_code 2 crm-visit stale --days 10 extra 2>err && grep_q "usage:" err
'

test_done
