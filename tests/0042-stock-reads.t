#!/bin/sh
# crm-stock level, card, alert and value: what the moves add up to, by hand.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

LH=sku,name,category,warehouse,qty,unit,avg_cost,value
CH=date,id,kind,warehouse,qty,value,balance_qty,balance_value,avg_cost,ref
AH=sku,name,qty,alert_level,reorder_qty,order_qty
B7="B-7,Bolt,parts/bolt"
D9="D-9,Drill,tools/power/drill"
H1="H-1,Hammer,tools/hand/hammer"
W12="W-12,Wrench 12,tools/hand/wrench"

# The moves, in the order written (value of an outgoing q: round(V*q/Q), half away from zero):
#  a W-12 in 10 @ 3.00 MAIN 2026-10-01 ref PO-7  M202610-00001  +30.00  MAIN 10 / 30.00
#  b W-12 in 5 @ 3.30 EAST 2026-10-02            M202610-00002  +16.50  EAST 5 / 16.50
#  c H-1 in 4 @ 12.00 MAIN 2026-10-03            M202610-00003  +48.00
#  d D-9 in 2 @ 99.99 MAIN 2026-10-04            M202610-00004  +199.98
#  e B-7 in 300 @ 0.05 EAST 2026-10-05           M202610-00005  +15.00
#  f X-0 in 1 @ 1.00 MAIN 2026-10-06             M202610-00006  +1.00
#  g W-12 out 3 MAIN 2026-11-01 ref SO-1         M202611-00001  30.00*3/10 = 9.00     MAIN 7 / 21.00
#  h B-7 out 250 EAST 2026-11-02                 M202611-00002  15.00*250/300 = 12.50  EAST 50 / 2.50
#  i X-0 out 1 MAIN 2026-11-03                   M202611-00003  all of V: 1.00         MAIN 0 / 0.00
#    X-0 discontinued                                                         (commit rev_i)
#  j W-12 move 2 MAIN->EAST 2026-11-15           M202611-00004/5  21.00*2/7 = 6.00  MAIN 5 / 15.00, EAST 7 / 22.50  (rev_j)
#  k W-12 in 3 @ 3.28 MAIN 2026-12-01            M202612-00001  +9.84   MAIN 8 / 24.84
#  l H-1 in 1 @ 15.00 MAIN dated 2026-10-02      M202610-00007  +15.00  H-1 MAIN 5 / 63.00
test_expect_success 'setup: two warehouses, five products, the moves above' '
	new_store s &&
	crm-stock warehouse add MAIN "Main store" >/dev/null &&
	crm-stock warehouse add EAST "East depot" >/dev/null &&
	crm-stock product add W-12 "Wrench 12" category=tools/hand/wrench unit=pcs alert_level=20 reorder_qty=50 >/dev/null &&
	crm-stock product add H-1 Hammer category=tools/hand/hammer unit=pcs alert_level=6 >/dev/null &&
	crm-stock product add D-9 Drill category=tools/power/drill unit=pcs alert_level=2 >/dev/null &&
	crm-stock product add B-7 Bolt category=parts/bolt unit=pcs alert_level=40 reorder_qty=500 >/dev/null &&
	crm-stock product add X-0 Zero category=tools/hand/wrench unit=pcs alert_level=3 >/dev/null &&
	crm-stock in W-12 10 --cost 3.00 --wh MAIN --ref PO-7 --date 2026-10-01 >/dev/null &&
	crm-stock in W-12 5 --cost 3.30 --wh EAST --date 2026-10-02 >/dev/null &&
	crm-stock in H-1 4 --cost 12.00 --wh MAIN --date 2026-10-03 >/dev/null &&
	crm-stock in D-9 2 --cost 99.99 --wh MAIN --date 2026-10-04 >/dev/null &&
	crm-stock in B-7 300 --cost 0.05 --wh EAST --date 2026-10-05 >/dev/null &&
	crm-stock in X-0 1 --cost 1.00 --wh MAIN --date 2026-10-06 >/dev/null &&
	crm-stock out W-12 3 --wh MAIN --ref SO-1 --date 2026-11-01 >/dev/null &&
	crm-stock out B-7 250 --wh EAST --date 2026-11-02 >/dev/null &&
	crm-stock out X-0 1 --wh MAIN --date 2026-11-03 >/dev/null &&
	crm-stock product set X-0 status=discontinued >/dev/null &&
	git rev-parse HEAD >rev_i &&
	crm-stock move W-12 2 --from MAIN --to EAST --date 2026-11-15 >/dev/null &&
	git rev-parse HEAD >rev_j &&
	crm-stock in W-12 3 --cost 3.28 --wh MAIN --date 2026-12-01 >id &&
	test "$(cat id)" = M202612-00001 &&
	crm-stock in H-1 1 --cost 15.00 --wh MAIN --date 2026-10-02 >id &&
	test "$(cat id)" = M202610-00007 &&
	crm check >/dev/null &&
	store_clean
'

test_expect_success 'level: per SKU and warehouse, sorted, avg_cost rounded half away from zero' '
	cd s &&
	crm-stock level -o csv >out &&
	# B-7 2.50/50 = 0.05; H-1 63.00/5 = 12.60; W-12 EAST 22.50/7 = 3.214 -> 3.21;
	# W-12 MAIN 24.84/8 = 3.105 -> 3.11 (to even would give 3.10); X-0 (0, 0.00) left out
	printf "%s\n" $LH "$B7,EAST,50,pcs,0.05,2.50" "$D9,MAIN,2,pcs,99.99,199.98" \
		"$H1,MAIN,5,pcs,12.60,63.00" "$W12,EAST,7,pcs,3.21,22.50" "$W12,MAIN,8,pcs,3.11,24.84" >expect &&
	test_cmp expect out
'

test_expect_success 'level --all keeps the rows at 0 / 0.00, with an empty avg_cost' '
	cd s &&
	crm-stock level --all -o csv >out &&
	printf "%s\n" $LH "$B7,EAST,50,pcs,0.05,2.50" "$D9,MAIN,2,pcs,99.99,199.98" \
		"$H1,MAIN,5,pcs,12.60,63.00" "$W12,EAST,7,pcs,3.21,22.50" "$W12,MAIN,8,pcs,3.11,24.84" \
		"X-0,Zero,tools/hand/wrench,MAIN,0,pcs,,0.00" >expect &&
	test_cmp expect out
'

test_expect_success 'level filters: category regex, qty and value as numbers, warehouse, --wh' '
	cd s &&
	crm-stock level -o csv "category~^tools/" >out &&
	printf "%s\n" $LH "$D9,MAIN,2,pcs,99.99,199.98" "$H1,MAIN,5,pcs,12.60,63.00" \
		"$W12,EAST,7,pcs,3.21,22.50" "$W12,MAIN,8,pcs,3.11,24.84" >expect &&
	test_cmp expect out &&
	crm-stock level -o csv "qty<=5" >out &&
	printf "%s\n" $LH "$D9,MAIN,2,pcs,99.99,199.98" "$H1,MAIN,5,pcs,12.60,63.00" >expect &&
	test_cmp expect out &&
	crm-stock level -o csv "value>100" >out &&
	printf "%s\n" $LH "$D9,MAIN,2,pcs,99.99,199.98" >expect &&
	test_cmp expect out &&
	printf "%s\n" $LH "$B7,EAST,50,pcs,0.05,2.50" "$W12,EAST,7,pcs,3.21,22.50" >expect &&
	crm-stock level -o csv warehouse=EAST >out && test_cmp expect out &&
	crm-stock level -o csv --wh EAST >out && test_cmp expect out &&
	crm-stock level -o csv --wh MAIN "qty>3" >out &&
	printf "%s\n" $LH "$H1,MAIN,5,pcs,12.60,63.00" "$W12,MAIN,8,pcs,3.11,24.84" >expect &&
	test_cmp expect out &&
	crm-stock level --all -o csv "qty<1" >out &&
	printf "%s\n" $LH "X-0,Zero,tools/hand/wrench,MAIN,0,pcs,,0.00" >expect &&
	test_cmp expect out
'

test_expect_success 'level exits 1 when no row' '
	cd s &&
	test_expect_code 1 crm-stock level -o csv sku=NOPE >out &&
	test "$(grep -c -v "^sku," out)" = 0 &&
	test_expect_code 1 crm-stock level --wh EAST "category~^tools/power/" >out &&
	test_expect_code 1 crm-stock level sku=X-0 >out &&
	test "$(grep -c "X-0" out)" = 0
'

test_expect_success 'level --as-of: moves dated later are left out (by date, not by commit)' '
	cd s &&
	crm-stock level --as-of 2026-11-30 -o csv >out &&
	# without k (2026-12-01): W-12 MAIN 5 / 15.00
	printf "%s\n" $LH "$B7,EAST,50,pcs,0.05,2.50" "$D9,MAIN,2,pcs,99.99,199.98" \
		"$H1,MAIN,5,pcs,12.60,63.00" "$W12,EAST,7,pcs,3.21,22.50" "$W12,MAIN,5,pcs,3.00,15.00" >expect &&
	test_cmp expect out &&
	crm-stock level --as-of 2026-10-31 -o csv >out &&
	# October only: a b c d e f l
	printf "%s\n" $LH "$B7,EAST,300,pcs,0.05,15.00" "$D9,MAIN,2,pcs,99.99,199.98" \
		"$H1,MAIN,5,pcs,12.60,63.00" "$W12,EAST,5,pcs,3.30,16.50" "$W12,MAIN,10,pcs,3.00,30.00" \
		"X-0,Zero,tools/hand/wrench,MAIN,1,pcs,1.00,1.00" >expect &&
	test_cmp expect out &&
	crm-stock level --as-of 2026-10-02 -o csv >out &&
	# a, b and the late-written l (dated 2026-10-02)
	printf "%s\n" $LH "$H1,MAIN,1,pcs,15.00,15.00" "$W12,EAST,5,pcs,3.30,16.50" "$W12,MAIN,10,pcs,3.00,30.00" >expect &&
	test_cmp expect out &&
	test_expect_code 1 crm-stock level --as-of 2026-09-30 >out
'

test_expect_success 'level --at a past commit: the balances as they were recorded then' '
	cd s &&
	crm-stock level --at $(cat rev_i) -o csv sku=W-12 >out &&
	printf "%s\n" $LH "$W12,EAST,5,pcs,3.30,16.50" "$W12,MAIN,7,pcs,3.00,21.00" >expect &&
	test_cmp expect out &&
	crm-stock level --at $(cat rev_j) -o csv sku=W-12 >out &&
	printf "%s\n" $LH "$W12,EAST,7,pcs,3.21,22.50" "$W12,MAIN,5,pcs,3.00,15.00" >expect &&
	test_cmp expect out &&
	crm-stock level --at $(cat rev_j) --as-of 2026-11-14 -o csv sku=W-12 >out &&
	printf "%s\n" $LH "$W12,EAST,5,pcs,3.30,16.50" "$W12,MAIN,7,pcs,3.00,21.00" >expect &&
	test_cmp expect out &&
	crm-stock level --at $(cat rev_i) -o csv sku=X-0 >out; test $? = 1
'

test_expect_success 'level -o json: one object a row; -o tsv' '
	cd s &&
	crm-stock level -o json sku=W-12 >out &&
	test "$(wc -l <out)" = 2 &&
	head -1 out >first && grep_q "\"warehouse\":\"EAST\"" first &&
	grep -Eq "\"value\":\"?22\\.50\"?" first &&
	grep -Eq "\"avg_cost\":\"?3\\.21\"?" first &&
	tail -1 out >last && grep_q "\"warehouse\":\"MAIN\"" last &&
	grep -Eq "\"qty\":\"?8\"?" last &&
	crm-stock level -o tsv sku=D-9 >out &&
	printf "sku\tname\tcategory\twarehouse\tqty\tunit\tavg_cost\tvalue\nD-9\tDrill\ttools/power/drill\tMAIN\t2\tpcs\t99.99\t199.98\n" >expect &&
	test_cmp expect out
'

test_expect_success 'card: every move of the SKU by date then id, with the running balance' '
	cd s &&
	crm-stock card W-12 -o csv >out &&
	# 46.50/15 = 3.10; 37.50/12 = 3.125 -> 3.13; 31.50/10 = 3.15; 47.34/15 = 3.156 -> 3.16
	printf "%s\n" $CH \
		"2026-10-01,M202610-00001,in,MAIN,10,30.00,10,30.00,3.00,PO-7" \
		"2026-10-02,M202610-00002,in,EAST,5,16.50,15,46.50,3.10," \
		"2026-11-01,M202611-00001,out,MAIN,-3,-9.00,12,37.50,3.13,SO-1" \
		"2026-11-15,M202611-00004,move,MAIN,-2,-6.00,10,31.50,3.15," \
		"2026-11-15,M202611-00005,move,EAST,2,6.00,12,37.50,3.13," \
		"2026-12-01,M202612-00001,in,MAIN,3,9.84,15,47.34,3.16," >expect &&
	test_cmp expect out
'

test_expect_success 'card --wh: one warehouse, its own balance' '
	cd s &&
	crm-stock card W-12 --wh MAIN -o csv >out &&
	# 24.84/8 = 3.105 -> 3.11
	printf "%s\n" $CH \
		"2026-10-01,M202610-00001,in,MAIN,10,30.00,10,30.00,3.00,PO-7" \
		"2026-11-01,M202611-00001,out,MAIN,-3,-9.00,7,21.00,3.00,SO-1" \
		"2026-11-15,M202611-00004,move,MAIN,-2,-6.00,5,15.00,3.00," \
		"2026-12-01,M202612-00001,in,MAIN,3,9.84,8,24.84,3.11," >expect &&
	test_cmp expect out &&
	crm-stock card W-12 --wh EAST -o csv >out &&
	# 22.50/7 = 3.214 -> 3.21
	printf "%s\n" $CH \
		"2026-10-02,M202610-00002,in,EAST,5,16.50,5,16.50,3.30," \
		"2026-11-15,M202611-00005,move,EAST,2,6.00,7,22.50,3.21," >expect &&
	test_cmp expect out
'

test_expect_success 'card sorts by date, not by id: a move written late and dated early comes first' '
	cd s &&
	crm-stock card H-1 -o csv >out &&
	# 63.00/5 = 12.60
	printf "%s\n" $CH \
		"2026-10-02,M202610-00007,in,MAIN,1,15.00,1,15.00,15.00," \
		"2026-10-03,M202610-00003,in,MAIN,4,48.00,5,63.00,12.60," >expect &&
	test_cmp expect out
'

test_expect_success 'card --from/--to: the moves dated in the range, the balance carried in from before' '
	cd s &&
	crm-stock card W-12 --from 2026-11-01 --to 2026-11-30 -o csv >out &&
	# opening balance on 2026-11-01: a + b = 15 / 46.50
	printf "%s\n" $CH \
		"2026-11-01,M202611-00001,out,MAIN,-3,-9.00,12,37.50,3.13,SO-1" \
		"2026-11-15,M202611-00004,move,MAIN,-2,-6.00,10,31.50,3.15," \
		"2026-11-15,M202611-00005,move,EAST,2,6.00,12,37.50,3.13," >expect &&
	test_cmp expect out &&
	crm-stock card H-1 --to 2026-10-02 -o csv >out &&
	printf "%s\n" $CH "2026-10-02,M202610-00007,in,MAIN,1,15.00,1,15.00,15.00," >expect &&
	test_cmp expect out &&
	test_expect_code 1 crm-stock card W-12 --from 2026-12-02 -o csv >out &&
	test "$(grep -c -v "^date," out)" = 0
'

test_expect_success 'card -o json: one object a move' '
	cd s &&
	crm-stock card D-9 -o json >out &&
	test "$(wc -l <out)" = 1 &&
	grep_q "\"id\":\"M202610-00004\"" out &&
	grep -Eq "\"balance_value\":\"?199\\.98\"?" out
'

test_expect_success 'alert: active products under their alert level, order_qty = reorder_qty or the shortfall' '
	cd s &&
	crm-stock product add N-1 New category=tools/hand/new alert_level=6 >/dev/null &&
	test_expect_code 1 crm-stock card N-1 >out 2>/dev/null &&
	crm-stock alert -o csv >out &&
	# W-12 15 < 20: reorder 50; H-1 5 < 6: 6 - 5 = 1; N-1 never stocked, 0 < 6: 6;
	# D-9 2 is not < 2; B-7 50 >= 40; X-0 0 < 3 but discontinued
	head -1 out >h && echo $AH >expect && test_cmp expect h &&
	tail -n +2 out | LC_ALL=C sort >body &&
	printf "%s\n" "H-1,Hammer,5,6,,1" "N-1,New,0,6,,6" "W-12,Wrench 12,15,20,50,50" >expect &&
	test_cmp expect body
'

test_expect_success 'alert --wh: quantities of that warehouse only' '
	cd s &&
	crm-stock alert --wh EAST -o csv >out &&
	# EAST: W-12 7, B-7 50, the rest 0
	tail -n +2 out | LC_ALL=C sort >body &&
	printf "%s\n" "D-9,Drill,0,2,,2" "H-1,Hammer,0,6,,6" "N-1,New,0,6,,6" "W-12,Wrench 12,7,20,50,50" >expect &&
	test_cmp expect body
'

test_expect_success 'alert prints nothing at all and exits 0 when nothing is short' '
	new_store q &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add P-1 Pen category=office alert_level=3 reorder_qty=10 >/dev/null &&
	crm-stock product add P-2 Pad category=office >/dev/null &&
	crm-stock in P-1 5 --cost 1 --date 2026-11-01 >/dev/null &&
	crm-stock alert >out 2>err &&
	test ! -s out &&
	crm-stock alert -o csv >out &&
	test ! -s out &&
	crm-stock alert -o json >out &&
	test ! -s out &&
	crm-stock out P-1 3 --date 2026-11-02 >/dev/null &&
	crm-stock alert -o csv >out &&
	# 2 < 3: reorder_qty 10
	printf "%s\n" $AH "P-1,Pen,2,3,10,10" >expect && test_cmp expect out
'

test_expect_success 'value --depth 1 (the default): per top category, then the total' '
	cd s &&
	# parts: B-7 50 / 2.50; tools: D-9 2 / 199.98 + H-1 5 / 63.00 + W-12 15 / 47.34 (+ X-0 0) = 22 / 310.32
	printf "%s\n" category,qty,value parts,50,2.50 tools,22,310.32 total,72,312.82 >expect &&
	crm-stock value -o csv >out && test_cmp expect out &&
	crm-stock value --depth 1 -o csv >out && test_cmp expect out
'

test_expect_success 'value --depth 2 and 3: the category path cut there' '
	cd s &&
	# tools/hand: H-1 5 / 63.00 + W-12 15 / 47.34 = 20 / 110.34
	printf "%s\n" category,qty,value parts/bolt,50,2.50 tools/hand,20,110.34 tools/power,2,199.98 total,72,312.82 >expect &&
	crm-stock value --depth 2 -o csv >out && test_cmp expect out &&
	printf "%s\n" category,qty,value parts/bolt,50,2.50 tools/hand/hammer,5,63.00 tools/hand/wrench,15,47.34 \
		tools/power/drill,2,199.98 total,72,312.82 >expect &&
	crm-stock value --depth 3 -o csv >out && test_cmp expect out
'

test_expect_success 'value --wh, a filter, and --as-of' '
	cd s &&
	crm-stock value --wh EAST -o csv >out &&
	printf "%s\n" category,qty,value parts,50,2.50 tools,7,22.50 total,57,25.00 >expect &&
	test_cmp expect out &&
	crm-stock value -o csv "category~^tools/power/" >out &&
	printf "%s\n" category,qty,value tools,2,199.98 total,2,199.98 >expect &&
	test_cmp expect out &&
	# October: parts 300 / 15.00; tools D-9 199.98 + H-1 63.00 + W-12 15 / 46.50 + X-0 1 / 1.00 = 23 / 310.48
	crm-stock value --as-of 2026-10-31 -o csv >out &&
	printf "%s\n" category,qty,value parts,300,15.00 tools,23,310.48 total,323,325.48 >expect &&
	test_cmp expect out
'

test_expect_success 'value -o json ends with the total' '
	cd s &&
	crm-stock value -o json >out &&
	test "$(wc -l <out)" = 3 &&
	tail -1 out >last &&
	grep_q "\"category\":\"total\"" last &&
	grep -Eq "\"value\":\"?312\\.82\"?" last
'

test_expect_success 'reads write nothing' '
	cd s &&
	before=$(commits) &&
	crm-stock level >/dev/null && crm-stock card W-12 >/dev/null &&
	crm-stock alert >/dev/null && crm-stock value >/dev/null &&
	test "$(commits)" = $before &&
	store_clean
'

test_done
