#!/bin/sh
# crm-visit stats: the figures a sales manager reads, checked by hand.
# November 2026 has 21 working days, October 22 (1 November is a Sunday).
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
	test_cmp expect out &&
	git rev-parse HEAD >../rev
'

test_expect_success 'stats: the period defaults to this month up to today (--as-of)' '
	cd s &&
	crm-visit stats --as-of 2026-11-10 -o csv >out &&
	grep_q "^alice,7,1.00,1,7.00,1,2,0,100.00$" out &&
	grep_q "^bob,0,0.00,0,0.00,1,2,0,0.00$" out
'

test_expect_success 'stats: without regions every customer is in one group, (none)' '
	cd s &&
	crm-visit stats --by region --from 2026-11-01 --to 2026-11-30 -o csv >out &&
	grep_q "^(none),12,0.57,3,4.00,2,2,1,66.67$" out
'

test_expect_success 'stats --by owner: visits for who made them, customers for their owner' '
	cd s &&
	crm-visit log C000002 --date 2026-11-18 --by bob "covering for alice" >/dev/null &&
	crm-visit stats --by owner --from 2026-11-01 --to 2026-11-30 -o csv >out &&
	cat >expect <<-\EOF &&
	group,visits,per_workday,customers_visited,per_customer,new_customers,not_visited,over_visited,a_visited_pct
	alice,11,0.52,3,4.00,1,0,1,100.00
	bob,2,0.10,1,1.00,1,1,0,50.00
	EOF
	test_cmp expect out &&
	crm-visit stats --from 2026-11-10 --to 2026-11-19 -o csv >out &&
	grep_q "^alice,5,0.63,3,2.00,0,0,0,100.00$" out &&
	grep_q "^bob,2,0.25,1,1.00,0,1,0,50.00$" out
'

test_expect_success 'stats --by region: visits and customers both by the customer region' '
	cd s &&
	crm-customer set C000001 C000002 region=north >/dev/null &&
	crm-customer set C000003 C000004 C000005 region=south >/dev/null &&
	crm-visit stats --by region --from 2026-11-01 --to 2026-11-30 -o csv >out &&
	cat >expect <<-\EOF &&
	group,visits,per_workday,customers_visited,per_customer,new_customers,not_visited,over_visited,a_visited_pct
	north,11,0.52,2,5.50,0,0,1,100.00
	south,2,0.10,2,1.00,2,1,0,50.00
	EOF
	test_cmp expect out
'

test_expect_success 'stats: customers created after the period are not counted in it' '
	cd s &&
	crm-visit stats --from 2026-10-01 --to 2026-10-31 -o csv >out &&
	cat >expect <<-\EOF &&
	group,visits,per_workday,customers_visited,per_customer,new_customers,not_visited,over_visited,a_visited_pct
	alice,0,0.00,0,0.00,2,2,0,0.00
	bob,1,0.05,1,1.00,1,0,0,100.00
	EOF
	test_cmp expect out
'

test_expect_success 'stats --over M counts customers visited more than M times; --over 0 is every one visited' '
	cd s &&
	crm-visit stats --from 2026-11-01 --to 2026-11-30 --over 0 -o csv --by owner >out &&
	grep_q "^alice,11,0.52,3,4.00,1,0,3,100.00$" out &&
	grep_q "^bob,2,0.10,1,1.00,1,1,1,50.00$" out &&
	crm-visit stats --from 2026-11-01 --to 2026-11-30 --over 10 -o csv >out &&
	grep_q "^alice,11,0.52,3,4.00,1,0,0,100.00$" out
'

test_expect_success 'stats: a group with no A-grade customer has no share; archived customers leave the figures' '
	cd s &&
	crm-customer archive C000003 >/dev/null &&
	crm-visit stats --from 2026-11-01 --to 2026-11-30 -o csv >out &&
	grep_q "^bob,2,0.10,0,0.00,1,1,0,0.00$" out &&
	crm-customer set C000005 grade=B >/dev/null &&
	crm-visit stats --from 2026-11-01 --to 2026-11-30 -o csv >out &&
	grep_q "^bob,2,0.10,0,0.00,1,1,0,$" out
'

test_expect_success 'stats --at reads the figures as they were' '
	cd s &&
	crm-visit stats --at "$(cat ../rev)" --from 2026-11-01 --to 2026-11-30 -o csv >out &&
	grep_q "^alice,11,0.52,2,5.50,1,1,1,100.00$" out &&
	grep_q "^bob,1,0.05,1,1.00,1,1,0,50.00$" out
'

test_expect_success 'stats refusals' '
	cd s &&
	test_expect_code 2 crm-visit stats --by colour 2>err &&
	grep_q "^crm-visit: stats --by owner or --by region" err &&
	test_expect_code 2 crm-visit stats --from 2026-11-30 --to 2026-11-01 2>err &&
	grep_q "^crm-visit: --to is before --from" err &&
	test_expect_code 65 crm-visit stats --from 2026-02-30 2>err &&
	grep_q "^crm-visit: argument: from: impossible date .2026-02-30." err &&
	test_expect_code 65 crm-visit stats --to 2026-13-01 2>err &&
	grep_q "^crm-visit: argument: to: impossible date" err &&
	test_expect_code 2 crm-visit stats --over many 2>err &&
	grep_q "^crm-visit: --over takes a whole number" err &&
	test_expect_code 2 crm-visit stats extra 2>err &&
	grep_q "^crm-visit: stats takes options only" err
'

test_done
