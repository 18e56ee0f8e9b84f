#!/bin/sh
# crm-report top and compare (DESIGN §5, §6 "Reports") over the store of
# tests/report-store.sh: top N by sales, margin and qty with each group's share
# of the whole, --of customers/products/owners/regions/categories, filters on
# customer and product fields, --from/--to, --at; compare by month, quarter and
# year with the previous period, growth and growth % (two decimals, half away
# from zero), --yoy, and the empty periods listed. Figures are worked out by
# hand in the comments.
. "${0%/*}/lib.sh"
. "$TEST_SRC/tests/report-store.sh"

# expect LINE...: the lines of the file expect.
expect() {
	printf "%s\n" "$@" >expect
}

test_expect_success 'setup: the report store; shipments/ holds every ship, return and import' '
	report_store &&
	crm check >/dev/null &&
	# 11 facts: 10 shipment lines (one imported) and the return
	test "$(cat shipments/*/*.csv | grep -c "^S")" = 11 &&
	cat shipments/*/*.csv | grep "^S" | awk -F, "{ s += \$8 * 100; c += \$9 * 100; q += \$7 }
		END { printf \"%d %d %d\n\", s, c, q }" >sums &&
	# sales 3000.00, cost 1880.00 (margin 1120.00), qty 193
	test "$(cat sums)" = "300000 188000 193" &&
	grep -q "^S202604-00002,2026-04-10,O202601-00001,C000001,alice,D-1,-1,-100.00,-70.00,CNY$" shipments/2026-04/*.csv
'

test_expect_success 'top 3 sales: customers by shipped value, share of all 3000.00' '
	cd s &&
	crm-report top 3 sales >out 2>err &&
	# 1900/3000 = 63.333 %, 500/3000 = 16.667 %, 400/3000 = 13.333 %
	expect rank,customers,name,value,share_pct \
		1,C000001,Acme,1900.00,63.33 2,C000003,Gamma,500.00,16.67 3,C000002,Beta,400.00,13.33 &&
	test_cmp expect out && test ! -s err
'

test_expect_success 'top N past the number of groups lists them all' '
	cd s &&
	crm-report -o csv top 10 sales >out &&
	# 152.50/3000 = 5.0833 %, 47.50/3000 = 1.5833 %
	expect rank,customers,name,value,share_pct \
		1,C000001,Acme,1900.00,63.33 2,C000003,Gamma,500.00,16.67 3,C000002,Beta,400.00,13.33 \
		4,C000004,Delta,152.50,5.08 5,C000005,Epsilon,47.50,1.58 &&
	test_cmp expect out
'

test_expect_success 'top margin --of products: sales less the cost kept on each shipment' '
	cd s &&
	crm-report top 5 margin --of products >out &&
	# W-12 80 + 400 = 480; D-1 60 + 150 + 120 - 30 (the return) = 300;
	# H-1 120 + 120 + 2.50 = 242.50; G-1 80 + 17.50 = 97.50; all 1120.00
	# 480/1120 = 42.857 %, 300/1120 = 26.786 %, 242.5/1120 = 21.652 %, 97.5/1120 = 8.705 %
	expect rank,products,name,value,share_pct "1,W-12,Wrench 12,480.00,42.86" 2,D-1,Drill,300.00,26.79 \
		3,H-1,Hammer,242.50,21.65 4,G-1,Hose,97.50,8.71 &&
	test_cmp expect out
'

test_expect_success 'top qty --of products: units, the return counted back' '
	cd s &&
	crm-report top 2 qty --of products >out &&
	# H-1 20 + 30 + 25 = 75, W-12 10 + 50 = 60 of 193 (D-1 2 + 5 + 2 - 1 = 8, G-1 50)
	# 75/193 = 38.860 %, 60/193 = 31.088 %
	expect rank,products,name,value,share_pct 1,H-1,Hammer,75,38.86 "2,W-12,Wrench 12,60,31.09" &&
	test_cmp expect out
'

test_expect_success 'top --of owners and --of regions' '
	cd s &&
	crm-report top 5 sales --of owners >out &&
	# alice: Acme 1900 + Gamma 500 + Epsilon 47.50 = 2447.50 (81.583 %); bob: 400 + 152.50 = 552.50
	expect rank,owners,name,value,share_pct 1,alice,,2447.50,81.58 2,bob,,552.50,18.42 &&
	test_cmp expect out &&
	crm-report top 5 sales --of regions >out &&
	# north: Acme + Beta = 2300 (76.667 %); south: 500 + 152.50 + 47.50 = 700
	expect rank,regions,name,value,share_pct 1,north,,2300.00,76.67 2,south,,700.00,23.33 &&
	test_cmp expect out
'

test_expect_success 'top --of categories: the full category path' '
	cd s &&
	crm-report top 5 sales --of categories >out &&
	# wrench 200 + 1000; drill 200 + 500 + 260 - 100; hammer 240 + 300 + 152.50; hose 200 + 47.50
	# 692.5/3000 = 23.083 %
	expect rank,categories,name,value,share_pct 1,tools/hand/wrench,,1200.00,40.00 \
		2,tools/power/drill,,860.00,28.67 3,tools/hand/hammer,,692.50,23.08 4,garden/water/hose,,247.50,8.25 &&
	test_cmp expect out
'

test_expect_success 'filters on customer fields: shares of what the filter keeps' '
	cd s &&
	crm-report top 5 sales region=south >out &&
	# 500/700 = 71.429 %, 152.5/700 = 21.786 %, 47.5/700 = 6.786 %
	expect rank,customers,name,value,share_pct 1,C000003,Gamma,500.00,71.43 \
		2,C000004,Delta,152.50,21.79 3,C000005,Epsilon,47.50,6.79 &&
	test_cmp expect out
'

test_expect_success 'filters on product fields, and both together' '
	cd s &&
	crm-report top 5 sales "category~^tools/hand" >out &&
	# hand tools: Acme 200 + 1000 + 300 = 1500, Gamma 240, Delta 152.50: 1892.50
	# 1500/1892.5 = 79.260 %, 240/1892.5 = 12.682 %, 152.5/1892.5 = 8.058 %
	expect rank,customers,name,value,share_pct 1,C000001,Acme,1500.00,79.26 \
		2,C000003,Gamma,240.00,12.68 3,C000004,Delta,152.50,8.06 &&
	test_cmp expect out &&
	crm-report top 5 sales grade=A sku=D-1 >out &&
	# drills to grade A: Acme 500 - 100 = 400, Gamma 260: 400/660 = 60.606 %
	expect rank,customers,name,value,share_pct 1,C000001,Acme,400.00,60.61 2,C000003,Gamma,260.00,39.39 &&
	test_cmp expect out
'

test_expect_success '--from/--to: only the facts dated inside' '
	cd s &&
	crm-report top 1 sales --from 2026-03-01 --to 2026-03-31 >out &&
	# March: Gamma 260 (ship date 2026-03-10), Acme 300: 300/560 = 53.571 %
	expect rank,customers,name,value,share_pct 1,C000001,Acme,300.00,53.57 &&
	test_cmp expect out &&
	crm-report top 5 sales --of customers --from 2026-02-01 --to 2026-02-28 >out &&
	# Beta ordered on 2026-01-28; sales are dated by the ship date 2026-02-03
	expect rank,customers,name,value,share_pct 1,C000002,Beta,200.00,100.00 &&
	test_cmp expect out
'

test_expect_success 'top pipeline: open quotes weighted by their probability' '
	cd s &&
	crm-report top 3 pipeline >out &&
	# Delta 200 x 80 % = 160, Epsilon 100 x 60 % = 60, Beta 500 x 10 % = 50 (the won
	# and the lost quote are no pipeline): 160/270 = 59.259 %, 60/270 = 22.222 %
	expect rank,customers,name,value,share_pct 1,C000004,Delta,160.00,59.26 \
		2,C000005,Epsilon,60.00,22.22 3,C000002,Beta,50.00,18.52 &&
	test_cmp expect out
'

test_expect_success 'top --at REV: the store as it was after the 2025 shipments' '
	cd s &&
	crm-report top 3 sales --at "$(cat ../rev-2025)" >out &&
	# 240/640 = 37.5 %, 200/640 = 31.25 %; a tie goes by key
	expect rank,customers,name,value,share_pct 1,C000003,Gamma,240.00,37.50 \
		2,C000001,Acme,200.00,31.25 3,C000002,Beta,200.00,31.25 &&
	test_cmp expect out
'

test_expect_success 'top with nothing to show: 1, silent' '
	cd s &&
	test_expect_code 1 crm-report top 3 sales region=west >out 2>err &&
	test ! -s out && test ! -s err &&
	test_expect_code 1 crm-report top 3 sales --from 2024-01-01 --to 2024-12-31 >out &&
	test ! -s out
'

test_expect_success 'compare by month: previous, growth, growth %, the empty May listed' '
	cd s &&
	crm-report compare sales --from 2026-01-01 --to 2026-06-30 >out 2>err &&
	# Jan 1500 (Dec 2025: 0, no %); Feb 200: -1300/1500 = -86.667 %;
	# Mar 260 + 300 = 560: +360/200 = 180 %; Apr 152.50 - 100 = 52.50:
	# -507.50/560 = -90.625 %, half away from zero -90.63; May 0: -100 %; Jun 47.50
	expect period,value,previous,growth,growth_pct \
		2026-01,1500.00,0.00,1500.00, 2026-02,200.00,1500.00,-1300.00,-86.67 \
		2026-03,560.00,200.00,360.00,180.00 2026-04,52.50,560.00,-507.50,-90.63 \
		2026-05,0.00,52.50,-52.50,-100.00 2026-06,47.50,0.00,47.50, &&
	test_cmp expect out && test ! -s err
'

test_expect_success 'compare without --from: from the first month with a fact, gaps listed' '
	cd s &&
	crm-report compare sales >out &&
	# 2025-02 .. 2026-06: 17 months and the header
	test "$(wc -l <out)" = 18 &&
	test "$(sed -n 2p out)" = "2025-02,200.00,0.00,200.00," &&
	grep -qx "2025-03,0.00,200.00,-200.00,-100.00" out &&
	grep -qx "2025-10,0.00,0.00,0.00," out &&
	grep -qx "2025-11,240.00,0.00,240.00," out &&
	test "$(tail -n 1 out)" = "2026-06,47.50,0.00,47.50,"
'

test_expect_success 'compare --period quarter' '
	cd s &&
	crm-report compare sales --period quarter >out &&
	# 2026-Q1 1500 + 200 + 560 = 2260: +2020/240 = 841.667 %;
	# 2026-Q2 52.50 + 47.50 = 100: -2160/2260 = -95.575 %
	expect period,value,previous,growth,growth_pct \
		2025-Q1,200.00,0.00,200.00, 2025-Q2,200.00,200.00,0.00,0.00 \
		2025-Q3,0.00,200.00,-200.00,-100.00 2025-Q4,240.00,0.00,240.00, \
		2026-Q1,2260.00,240.00,2020.00,841.67 2026-Q2,100.00,2260.00,-2160.00,-95.58 &&
	test_cmp expect out
'

test_expect_success 'compare --yoy: the same quarter a year before' '
	cd s &&
	crm-report compare sales --period quarter --yoy --from 2026-01-01 >out &&
	# Q1 2260 vs 200: +2060 = 1030 %; Q2 100 vs 200: -50 %
	expect period,value,previous,growth,growth_pct \
		2026-Q1,2260.00,200.00,2060.00,1030.00 2026-Q2,100.00,200.00,-100.00,-50.00 &&
	test_cmp expect out &&
	crm-report compare qty --yoy --from 2026-05-01 --to 2026-06-30 >out &&
	# May 2026: 0 vs May 2025: 2 drills; June 2026: 10 hoses vs 0
	expect period,value,previous,growth,growth_pct 2026-05,0,2,-2,-100.00 2026-06,10,0,10, &&
	test_cmp expect out
'

test_expect_success 'compare --period year, sales and margin' '
	cd s &&
	crm-report compare sales --period year >out &&
	# 2026: +1720/640 = 268.75 %
	expect period,value,previous,growth,growth_pct 2025,640.00,0.00,640.00, 2026,2360.00,640.00,1720.00,268.75 &&
	test_cmp expect out &&
	crm-report compare margin --period year >out &&
	# 2025: 80 + 60 + 120 = 260; 2026: 1120 - 260 = 860: +600/260 = 230.769 %
	expect period,value,previous,growth,growth_pct 2025,260.00,0.00,260.00, 2026,860.00,260.00,600.00,230.77 &&
	test_cmp expect out
'

test_expect_success 'compare with nothing to show: 1, silent' '
	cd s &&
	test_expect_code 1 crm-report compare sales region=west >out 2>err &&
	test ! -s out && test ! -s err
'

# An imported order belongs to its owner like any other: its shipment must carry
# the owner, or its sales follow the customer to a new owner while the orders
# and every other shipment stay with the old one.
test_expect_success 'an imported shipment keeps its order owner when the customer changes hands' '
	cd s &&
	crm-customer assign C000001 bob >/dev/null &&
	crm-report pivot owner year --sum orders >ords &&
	# orders stay with their owner: alice 2025: P-1 (Acme), Gamma
	grep -qx "alice,2,4,6" ords &&
	crm-report top 5 sales --of owners >out &&
	# all sales stay where they were: alice 2447.50, bob 552.50
	expect rank,owners,name,value,share_pct 1,alice,,2447.50,81.58 2,bob,,552.50,18.42 &&
	test_cmp expect out
'

test_done
