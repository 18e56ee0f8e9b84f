#!/bin/sh
# crm-visit stats and stale: the figures a sales manager reads.
. "${0%/*}/lib.sh"

test_expect_success 'setup: two salespeople, five customers, a month of visits' '
	new_store s &&
	faketime "2026-10-01 09:00:00" crm-customer add Old1 grade=A owner=alice >/dev/null &&
	faketime "2026-10-01 09:00:00" crm-customer add Old2 grade=B owner=alice >/dev/null &&
	faketime "2026-10-01 09:00:00" crm-customer add Old3 grade=A owner=bob >/dev/null &&
	faketime "2026-11-05 09:00:00" crm-customer add New1 grade=C owner=alice >/dev/null &&
	faketime "2026-11-06 09:00:00" crm-customer add New2 grade=A owner=bob >/dev/null &&
	{ echo "customer,date,by,summary";
	  for d in 02 03 04 05 06 09 10 11 12 13; do echo "C000001,2026-11-$d,alice,v"; done;
	  echo "C000004,2026-11-16,alice,v";
	  echo "C000003,2026-11-17,bob,v";
	  echo "C000003,2026-10-20,bob,before the period"; } | crm-visit log - 2>/dev/null
'

test_expect_success 'stats --by owner over November: every column computed' '
	cd s &&
	crm-visit stats --from 2026-11-01 --to 2026-11-30 --over 8 -o csv >out &&
	cat >expect <<-\EOF &&
	group,visits,per_workday,customers_visited,per_customer,new_customers,not_visited,over_visited,a_visited_pct
	alice,11,0.52,2,5.50,1,1,1,100.00
	bob,1,0.05,1,1.00,1,1,0,50.00
	EOF
	test_cmp expect out
'

test_expect_success 'stats --by region and a period default to this month' '
	cd s &&
	crm-visit stats --by region --from 2026-11-01 --to 2026-11-30 -o csv >out &&
	grep_q "^(none),12,0.57,3,4.00,2,2,1,66.67$" out &&
	crm-visit stats --as-of 2026-11-10 -o csv >out &&
	grep_q "^alice,7,1.00,1,7.00,1,2,0,100.00$" out &&
	grep_q "^bob,0,0.00,0,0.00,1,2,0,0.00$" out
'

test_expect_success 'stats refusals' '
	cd s &&
	test_expect_code 2 crm-visit stats --by colour 2>err &&
	test_expect_code 2 crm-visit stats --from 2026-11-30 --to 2026-11-01 2>err &&
	test_expect_code 65 crm-visit stats --from 2026-02-30 2>err &&
	grep_q "argument: from: impossible date" err
'

test_expect_success 'stale: A and B grade first, never-visited counted from creation' '
	cd s &&
	crm-visit stale --days 10 --as-of 2026-11-30 -o csv >out &&
	cat >expect <<-\EOF &&
	customer,name,grade,owner,last_visit,days
	C000005,New2,A,bob,,24
	C000001,Old1,A,alice,2026-11-13,17
	C000003,Old3,A,bob,2026-11-17,13
	C000002,Old2,B,alice,,60
	C000004,New1,C,alice,2026-11-16,14
	EOF
	test_cmp expect out &&
	crm-visit stale --days 10 --by alice --as-of 2026-11-30 -o csv >out &&
	test "$(wc -l <out)" = 4 &&
	crm-visit stale --days 100 --as-of 2026-11-30 >out && test ! -s out &&
	test_expect_code 2 crm-visit stale 2>err
'

test_done
