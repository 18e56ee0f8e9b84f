#!/bin/sh
# crm-report pivot and abc (DESIGN §5, §6 "Reports") over the store of
# tests/report-store.sh: a measure by ROW and COL with row and column totals,
# category:N cutting the path, --sum with every ledger's measure, filters;
# abc classes on the 80/95 edges (the customer whose cumulative share reaches
# or crosses 80 % is in A, the one crossing 95 % in B), --classes, --of
# products, --sum margin. Figures are worked out by hand in the comments.
. "${0%/*}/lib.sh"
. "$TEST_SRC/tests/report-store.sh"

expect() {
	printf "%s\n" "$@" >expect
}

test_expect_success 'setup: the report store' '
	report_store && crm check >/dev/null
'

test_expect_success 'pivot region year: cells, row totals, a total row' '
	cd s &&
	crm-report pivot region year >out 2>err &&
	# north 2025: Acme 200 + Beta 200; 2026: Acme 1500 + 300 - 100 + Beta 200
	# south 2025: Gamma 240; 2026: Gamma 260 + Delta 152.50 + Epsilon 47.50
	expect region,2025,2026,total north,400.00,1900.00,2300.00 south,240.00,460.00,700.00 \
		total,640.00,2360.00,3000.00 &&
	test_cmp expect out && test ! -s err
'

test_expect_success 'pivot category:2 owner: the path cut at depth 2' '
	cd s &&
	crm-report pivot category:2 owner >out &&
	# alice tools/hand: Acme wrenches 200 + 1000, hammers 300, Gamma hammers 240 = 1740;
	# tools/power: Acme drills 500 - 100, Gamma 260 = 660; garden/water: Epsilon 47.50
	# bob tools/hand: Delta 152.50; tools/power: Beta 200; garden/water: Beta 200
	expect category:2,alice,bob,total garden/water,47.50,200.00,247.50 \
		tools/hand,1740.00,152.50,1892.50 tools/power,660.00,200.00,860.00 \
		total,2447.50,552.50,3000.00 &&
	test_cmp expect out &&
	crm-report pivot category:1 >out &&
	expect category:1,total garden,247.50 tools,2752.50 total,3000.00 &&
	test_cmp expect out
'

test_expect_success 'pivot grade --sum margin' '
	cd s &&
	crm-report pivot grade --sum margin >out &&
	# A: Acme 80 + 400 + 150 + 120 - 30 = 720, Gamma 120 + 120 = 240;
	# B: Beta 60 + 80 + Epsilon 17.50; C: Delta 2.50
	expect grade,total A,960.00 B,157.50 C,2.50 total,1120.00 &&
	test_cmp expect out
'

test_expect_success 'pivot sku quarter --sum qty: an empty cell is 0, a return negative' '
	cd s &&
	crm-report pivot sku quarter --sum qty --from 2026-01-01 >out &&
	# D-1: Q1 5 + 2, Q2 -1; G-1: 40, 10; H-1: 30, 25; W-12: 50, none
	expect sku,2026-Q1,2026-Q2,total D-1,7,-1,6 G-1,40,10,50 H-1,30,25,55 W-12,50,0,50 \
		total,127,34,161 &&
	test_cmp expect out
'

test_expect_success 'pivot --sum orders and quotes: counts by the order date' '
	cd s &&
	crm-report pivot owner year --sum orders >out &&
	# alice 2025: P-1, Gamma; 2026: Acme x 2, the won quote, Epsilon; bob: Beta; Beta, Delta
	# (open quotes and the lost one are no orders)
	expect owner,2025,2026,total alice,2,4,6 bob,1,2,3 total,3,6,9 &&
	test_cmp expect out &&
	crm-report pivot owner --sum quotes >out &&
	# open quotes: Epsilon (alice); Beta, Delta (bob)
	expect owner,total alice,1 bob,2 total,3 &&
	test_cmp expect out
'

test_expect_success 'pivot --sum receipts, new_customers, visits' '
	cd s &&
	crm-report pivot owner --sum receipts >out &&
	# alice: Acme 1000 + Gamma 130; bob: Beta 200 + Delta 152.50
	expect owner,total alice,1130.00 bob,352.50 total,1482.50 &&
	test_cmp expect out &&
	crm-report pivot region --sum new_customers >out &&
	expect region,total north,2 south,3 total,5 &&
	test_cmp expect out &&
	crm-report pivot region --sum new_customers --from 2026-01-01 >out &&
	# created in 2026: Delta, Epsilon
	expect region,total south,2 total,2 &&
	test_cmp expect out &&
	crm-report pivot month --sum visits >out &&
	expect month,total 2026-02,1 2026-03,5 total,6 &&
	test_cmp expect out
'

test_expect_success 'pivot --sum balance: what is open as of --as-of' '
	cd s &&
	crm-report pivot customer --sum balance --as-of 2026-07-01 >out &&
	# Acme 200 + 1500 + 300 - 100 (credit) - 1000 = 900; Beta 200 + 200 - 200;
	# Gamma 240 + 260 - 130; Delta paid; Epsilon 47.50
	expect customer,total C000001,900.00 C000002,200.00 C000003,370.00 C000005,47.50 total,1517.50 &&
	test_cmp expect out &&
	crm-report pivot customer --sum balance --as-of 2026-03-01 >out &&
	# on 1 March: Acme 200 + 1500 - 1000; Beta 200 + 200; Gamma 240
	expect customer,total C000001,700.00 C000002,400.00 C000003,240.00 total,1340.00 &&
	test_cmp expect out
'

test_expect_success 'pivot with a filter' '
	cd s &&
	crm-report pivot owner region grade=A >out &&
	expect owner,north,south,total alice,1900.00,500.00,2400.00 total,1900.00,500.00,2400.00 &&
	test_cmp expect out
'

test_expect_success 'pivot with nothing to show: 1, silent' '
	cd s &&
	test_expect_code 1 crm-report pivot region year region=west >out 2>err &&
	test ! -s out && test ! -s err
'

test_expect_success 'abc: the customer reaching 80 % is A, the one crossing 95 % is B' '
	cd s &&
	crm-report abc >out 2>err &&
	# of 3000: Acme 1900 (63.33 %), Gamma 500: cumulative 2400 = 80.00 %, A;
	# Beta 400: 2800 = 93.33 %, B; Delta 152.50: 2952.50 = 98.42 %, crosses 95: B;
	# Epsilon 47.50 (1.583 %): C
	expect rank,customer,name,value,share_pct,cumulative_pct,class \
		1,C000001,Acme,1900.00,63.33,63.33,A 2,C000003,Gamma,500.00,16.67,80.00,A \
		3,C000002,Beta,400.00,13.33,93.33,B 4,C000004,Delta,152.50,5.08,98.42,B \
		5,C000005,Epsilon,47.50,1.58,100.00,C &&
	test_cmp expect out && test ! -s err
'

test_expect_success 'abc --classes 70,90: crossing 70 is A, past 90 is C' '
	cd s &&
	crm-report abc --classes 70,90 >out &&
	# Gamma crosses 70 (80.00): A; Beta crosses 90 (93.33): B; Delta after it: C
	expect rank,customer,name,value,share_pct,cumulative_pct,class \
		1,C000001,Acme,1900.00,63.33,63.33,A 2,C000003,Gamma,500.00,16.67,80.00,A \
		3,C000002,Beta,400.00,13.33,93.33,B 4,C000004,Delta,152.50,5.08,98.42,C \
		5,C000005,Epsilon,47.50,1.58,100.00,C &&
	test_cmp expect out
'

test_expect_success 'abc --from: the 2026 sales only' '
	cd s &&
	crm-report abc --from 2026-01-01 >out &&
	# of 2360: Acme 1700 (72.034 %), Gamma 260: 1960 = 83.051 %, A; Beta 200:
	# 2160 = 91.525 %, B; Delta 152.50: 2312.50 = 97.987 %, B; Epsilon: C
	expect rank,customer,name,value,share_pct,cumulative_pct,class \
		1,C000001,Acme,1700.00,72.03,72.03,A 2,C000003,Gamma,260.00,11.02,83.05,A \
		3,C000002,Beta,200.00,8.47,91.53,B 4,C000004,Delta,152.50,6.46,97.99,B \
		5,C000005,Epsilon,47.50,2.01,100.00,C &&
	test_cmp expect out
'

test_expect_success 'abc --of products; abc --sum margin' '
	cd s &&
	crm-report abc --of products >out &&
	# W-12 1200 (40 %), D-1 860: 68.67 %, H-1 692.50: 91.75 % crosses 80: A; G-1 crosses 95: B
	expect rank,sku,name,value,share_pct,cumulative_pct,class "1,W-12,Wrench 12,1200.00,40.00,40.00,A" \
		2,D-1,Drill,860.00,28.67,68.67,A 3,H-1,Hammer,692.50,23.08,91.75,A 4,G-1,Hose,247.50,8.25,100.00,B &&
	test_cmp expect out &&
	crm-report abc --sum margin >out &&
	# of 1120: Acme 720 (64.286 %), Gamma 240: 960 = 85.714 %, A; Beta 140 (12.5 %):
	# 1100 = 98.214 %, B; Epsilon 17.50 (1.5625 %): C; Delta 2.50 (0.223 %): C
	expect rank,customer,name,value,share_pct,cumulative_pct,class \
		1,C000001,Acme,720.00,64.29,64.29,A 2,C000003,Gamma,240.00,21.43,85.71,A \
		3,C000002,Beta,140.00,12.50,98.21,B 4,C000005,Epsilon,17.50,1.56,99.78,C \
		5,C000004,Delta,2.50,0.22,100.00,C &&
	test_cmp expect out
'

test_expect_success 'abc: bad --classes and --of are usage errors; nothing to show is 1' '
	cd s &&
	test_expect_code 2 crm-report abc --classes 95,80 >out 2>err &&
	grep_q "^crm-report: --classes A,B: cumulative percents, like 80,95$" err && test ! -s out &&
	test_expect_code 2 crm-report abc --classes 80 2>err &&
	grep_q "^crm-report: --classes" err &&
	test_expect_code 2 crm-report abc --of owners 2>err &&
	grep_q "^crm-report: abc --of customers or products$" err &&
	test_expect_code 1 crm-report abc region=west >out 2>err &&
	test ! -s out && test ! -s err
'

test_done
