#!/bin/sh
# crm-stock in/out/move/count/import: the moving average, exact to the cent, by hand.
# Q and V are per SKU and warehouse; an outgoing q takes round(V*q/Q) half away from
# zero, and all of V when q = Q. Every step is one commit, moves/ and stock/ together.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

shard() {
	h=2166136261
	for b in $(printf %s "$1" | od -An -v -tu1); do
		h=$(( ((h ^ b) * 16777619) & 4294967295 ))
	done
	printf '%02x\n' $((h % 64))
}

# bshard SKU: the stock/ file of a SKU's balances: the same hash mod 1024, three hex digits,
# in the folder of its first two: 12/126.
bshard() {
	h=2166136261
	for b in $(printf %s "$1" | od -An -v -tu1); do
		h=$(( ((h ^ b) * 16777619) & 4294967295 ))
	done
	printf '%02x/%03x\n' $((h % 1024 / 16)) $((h % 1024))
}

# bal SKU WH Q V: the stock/ row of SKU at WH reads Q and V.
bal() {
	f=stock/$(bshard "$1").csv
	got=$(grep "^$1@$2," "$f")
	if [ "$got" != "$1@$2,$1,$2,$3,$4" ]; then
		echo "stock row of $1@$2: wanted '$1@$2,$1,$2,$3,$4', got '$got'" >&2
		return 1
	fi
}

# cents MONEY -> integer minor units; money CENTS -> "-12.34"
CENTS='function cents(v,  n, a) { n = (substr(v, 1, 1) == "-"); if (n) v = substr(v, 2);
	split(v, a, "."); v = a[1] * 100 + a[2]; return n ? -v : v }
	function money(c,  s) { s = c < 0 ? "-" : ""; if (c < 0) c = -c; return sprintf("%s%d.%02d", s, int(c / 100), c % 100) }'

# sums_ok: every stock/ row equals the sum of the moves of its SKU and warehouse, and back.
sums_ok() {
	cat moves/*/*.csv | awk -F, "$CENTS"'
		$1 == "id" { next }
		{ k = $3 "@" $4; q[k] += $5; v[k] += cents($6) }
		END { for (k in q) print k "," q[k] "," money(v[k]) }' | LC_ALL=C sort >sums.moves &&
	cat stock/*/*.csv | awk -F, '$1 != "key" { print $1 "," $4 "," $5 }' | LC_ALL=C sort >sums.stock &&
	test_cmp sums.moves sums.stock
}

# step_ok N: exactly N more commits than $before, sums agree, crm check passes, tree clean.
step_ok() {
	test "$(commits)" = $((before + $1)) &&
	sums_ok &&
	crm check >/dev/null &&
	store_clean
}

# level_is LINE...: crm-stock level -o csv sku=W-12 prints the header and these lines.
level_is() {
	echo sku,name,category,warehouse,qty,unit,avg_cost,value >expect.level &&
	for l; do echo "W-12,Wrench 12,tools/hand/wrench,$l"; done >>expect.level &&
	crm-stock level -o csv sku=W-12 >out.level &&
	test_cmp expect.level out.level
}

test_expect_success 'setup: one warehouse, two products' '
	new_store s &&
	crm-stock warehouse add MAIN "Main store" >/dev/null &&
	crm-stock product add W-12 "Wrench 12" category=tools/hand/wrench unit=pcs >/dev/null &&
	crm-stock product add H-1 Hammer category=tools/hand/hammer unit=pcs >/dev/null
'

test_expect_success 'in 100 @ 9.50 (the only warehouse, no --wh): 950.00; Q 100 V 950.00' '
	cd s &&
	before=$(commits) &&
	crm-stock in W-12 100 --cost 9.50 --ref PO-1 --date 2026-11-01 >id &&
	test "$(cat id)" = M202611-00001 &&
	git log -1 --format=%s | grep -q "^crm-stock in M202611-00001 W-12" &&
	git log -1 --format=%b >msg &&
	grep_q "^\\$ crm-stock .*in W-12 100" msg &&
	git show --format= --name-only HEAD >files &&
	printf "%s\n" moves/2026-11/0001.csv stock/12/126.csv >expect && test_cmp expect files &&
	bal W-12 MAIN 100 950.00 &&
	level_is "MAIN,100,pcs,9.50,950.00" &&
	step_ok 1
'

test_expect_success 'a second warehouse: in/out/count without --wh is a usage error' '
	cd s &&
	crm-stock warehouse add EAST "East depot" >/dev/null &&
	before=$(commits) &&
	test_expect_code 2 crm-stock in W-12 1 --cost 1 --date 2026-11-01 2>err &&
	grep_q "^crm-stock: .*--wh is needed" err &&
	test_expect_code 2 crm-stock out W-12 1 --date 2026-11-01 2>err &&
	grep_q "^crm-stock: .*--wh is needed" err &&
	test_expect_code 2 crm-stock count W-12 1 --date 2026-11-01 2>err &&
	grep_q "^crm-stock: .*--wh is needed" err &&
	step_ok 0
'

test_expect_success 'in 50 @ 10.30: 515.00; Q 150 V 1465.00, avg 1465.00/150 = 9.7666 -> 9.77' '
	cd s &&
	before=$(commits) &&
	crm-stock in W-12 50 --cost 10.30 --wh MAIN --date 2026-11-02 >id &&
	test "$(cat id)" = M202611-00002 &&
	bal W-12 MAIN 150 1465.00 &&
	level_is "MAIN,150,pcs,9.77,1465.00" &&
	step_ok 1
'

test_expect_success 'out 40: round(1465.00*40/150) = round(390.6666) = 390.67; left 110 / 1074.33' '
	cd s &&
	before=$(commits) &&
	crm-stock out W-12 40 --wh MAIN --ref SO-1 --note "first sale" --date 2026-11-03 >id &&
	test "$(cat id)" = M202611-00003 &&
	git log -1 --format=%s | grep -q "^crm-stock out M202611-00003" &&
	grep_q "^M202611-00003,2026-11-03,W-12,MAIN,-40,-390.67,out,SO-1,alice,first sale$" moves/2026-11/0001.csv &&
	bal W-12 MAIN 110 1074.33 &&
	# 1074.33 / 110 = 9.76664 -> 9.77
	level_is "MAIN,110,pcs,9.77,1074.33" &&
	step_ok 1
'

test_expect_success '-n out: says what it would do, commits nothing, the balance stays' '
	cd s &&
	before=$(commits) &&
	crm-stock -n out W-12 5 --wh MAIN --date 2026-11-03 >out 2>&1 &&
	grep_q "would" out &&
	bal W-12 MAIN 110 1074.33 &&
	test "$(wc -l <moves/2026-11/0001.csv)" = 4 &&
	step_ok 0
'

test_expect_success 'out of more than on hand is refused (qty, naming the 110 on hand)' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-stock out W-12 111 --wh MAIN --date 2026-11-03 2>err &&
	grep_q "^crm-stock: argument: qty: .*110" err &&
	test_expect_code 65 crm-stock out W-12 1 --wh EAST --date 2026-11-03 2>err &&
	grep_q "^crm-stock: argument: qty: " err &&
	bal W-12 MAIN 110 1074.33 &&
	step_ok 0
'

test_expect_success 'move 20 MAIN->EAST: round(1074.33*20/110) = round(195.3327) = 195.33, one commit, two moves' '
	cd s &&
	before=$(commits) &&
	crm-stock move W-12 20 --from MAIN --to EAST --date 2026-11-04 >id &&
	printf "%s\n" M202611-00004 M202611-00005 >expect && test_cmp expect id &&
	git log -1 --format=%s | grep -q "^crm-stock move" &&
	tail -2 moves/2026-11/0001.csv >got &&
	printf "%s\n" "M202611-00004,2026-11-04,W-12,MAIN,-20,-195.33,move,,alice," \
		"M202611-00005,2026-11-04,W-12,EAST,20,195.33,move,,alice," >expect &&
	test_cmp expect got &&
	# MAIN 1074.33 - 195.33 = 879.00 (90 left, avg 9.7666 -> 9.77); EAST 195.33/20 = 9.7665 -> 9.77
	bal W-12 MAIN 90 879.00 &&
	bal W-12 EAST 20 195.33 &&
	level_is "EAST,20,pcs,9.77,195.33" "MAIN,90,pcs,9.77,879.00" &&
	step_ok 1
'

test_expect_success 'move of more than the source holds, or to the same warehouse: refused' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-stock move W-12 21 --from EAST --to MAIN --date 2026-11-04 2>err &&
	grep_q "^crm-stock: argument: qty: .*20" err &&
	test_expect_code 65 crm-stock move W-12 1 --from EAST --to EAST --date 2026-11-04 2>err &&
	grep_q "^crm-stock: argument: to: " err &&
	bal W-12 EAST 20 195.33 &&
	step_ok 0
'

test_expect_success 'out 10 of EAST 20 / 195.33: 195.33*10/20 = 97.665 -> 97.67 (half away from zero, not to even)' '
	cd s &&
	before=$(commits) &&
	crm-stock out W-12 10 --wh EAST --date 2026-11-05 >id &&
	test "$(cat id)" = M202611-00006 &&
	grep_q "^M202611-00006,2026-11-05,W-12,EAST,-10,-97.67,out,,alice,$" moves/2026-11/0001.csv &&
	# 195.33 - 97.67 = 97.66; avg 9.766 -> 9.77
	bal W-12 EAST 10 97.66 &&
	level_is "EAST,10,pcs,9.77,97.66" "MAIN,90,pcs,9.77,879.00" &&
	step_ok 1
'

test_expect_success 'in 30 @ 11.11 at EAST: 333.30; Q 40 V 430.96, avg 10.774 -> 10.77' '
	cd s &&
	before=$(commits) &&
	crm-stock in W-12 30 --cost 11.11 --wh EAST --date 2026-11-06 >id &&
	test "$(cat id)" = M202611-00007 &&
	bal W-12 EAST 40 430.96 &&
	level_is "EAST,40,pcs,10.77,430.96" "MAIN,90,pcs,9.77,879.00" &&
	step_ok 1
'

test_expect_success 'out 7 dated in October: valued from the balance now, round(430.96*7/40) = round(75.418) = 75.42' '
	cd s &&
	before=$(commits) &&
	crm-stock out W-12 7 --wh EAST --date 2026-10-30 >id &&
	test "$(cat id)" = M202610-00001 &&
	printf "%s\n" id,date,sku,warehouse,qty,value,kind,ref,by,note \
		"M202610-00001,2026-10-30,W-12,EAST,-7,-75.42,out,,alice," >expect &&
	test_cmp expect moves/2026-10/0001.csv &&
	# 430.96 - 75.42 = 355.54; 355.54/33 = 10.7739 -> 10.77
	bal W-12 EAST 33 355.54 &&
	level_is "EAST,33,pcs,10.77,355.54" "MAIN,90,pcs,9.77,879.00" &&
	step_ok 1
'

test_expect_success 'count EAST 35 (33 on hand): +2 at round(355.54*2/33) = round(21.5478) = 21.55' '
	cd s &&
	before=$(commits) &&
	crm-stock count W-12 35 --wh EAST --date 2026-11-08 >id &&
	test "$(cat id)" = M202611-00008 &&
	git log -1 --format=%s | grep -q "^crm-stock count" &&
	grep_q "^M202611-00008,2026-11-08,W-12,EAST,2,21.55,count,,alice,$" moves/2026-11/0001.csv &&
	# 355.54 + 21.55 = 377.09; 377.09/35 = 10.774 -> 10.77
	bal W-12 EAST 35 377.09 &&
	level_is "EAST,35,pcs,10.77,377.09" "MAIN,90,pcs,9.77,879.00" &&
	step_ok 1
'

test_expect_success 'count MAIN 85 (90 on hand): -5 as an outgoing move, round(879.00*5/90) = round(48.833) = 48.83' '
	cd s &&
	before=$(commits) &&
	crm-stock count W-12 85 --wh MAIN --date 2026-11-09 >id &&
	test "$(cat id)" = M202611-00009 &&
	grep_q "^M202611-00009,2026-11-09,W-12,MAIN,-5,-48.83,count,,alice,$" moves/2026-11/0001.csv &&
	# 879.00 - 48.83 = 830.17; 830.17/85 = 9.7667 -> 9.77
	bal W-12 MAIN 85 830.17 &&
	level_is "EAST,35,pcs,10.77,377.09" "MAIN,85,pcs,9.77,830.17" &&
	step_ok 1
'

test_expect_success 'count equal to on hand: no move, no commit, exit 0, nothing on stdout' '
	cd s &&
	before=$(commits) &&
	crm-stock count W-12 85 --wh MAIN --date 2026-11-09 >out &&
	test ! -s out &&
	test "$(wc -l <moves/2026-11/0001.csv)" = 10 &&
	bal W-12 MAIN 85 830.17 &&
	step_ok 0
'

test_expect_success 'move all 35 of EAST to MAIN: all of V (377.09); EAST 0 / 0.00, MAIN 120 / 1207.26' '
	cd s &&
	before=$(commits) &&
	crm-stock move W-12 35 --from EAST --to MAIN --date 2026-11-10 >id &&
	printf "%s\n" M202611-00010 M202611-00011 >expect && test_cmp expect id &&
	tail -2 moves/2026-11/0001.csv >got &&
	printf "%s\n" "M202611-00010,2026-11-10,W-12,EAST,-35,-377.09,move,,alice," \
		"M202611-00011,2026-11-10,W-12,MAIN,35,377.09,move,,alice," >expect &&
	test_cmp expect got &&
	bal W-12 EAST 0 0.00 &&
	# 830.17 + 377.09 = 1207.26; 1207.26/120 = 10.0605 -> 10.06; EAST (0, 0.00) is left out
	bal W-12 MAIN 120 1207.26 &&
	level_is "MAIN,120,pcs,10.06,1207.26" &&
	step_ok 1
'

test_expect_success 'out 45 of 120: 1207.26*45/120 = 452.7225 -> 452.72; left 75 / 754.54' '
	cd s &&
	before=$(commits) &&
	crm-stock out W-12 45 --wh MAIN --date 2026-11-11 >id &&
	test "$(cat id)" = M202611-00012 &&
	grep_q "^M202611-00012,2026-11-11,W-12,MAIN,-45,-452.72,out,,alice,$" moves/2026-11/0001.csv &&
	# 1207.26 - 452.72 = 754.54; 754.54/75 = 10.0605 -> 10.06
	bal W-12 MAIN 75 754.54 &&
	level_is "MAIN,75,pcs,10.06,754.54" &&
	step_ok 1
'

test_expect_success 'out the last 75: all of V, 754.54; nothing left anywhere, to the cent' '
	cd s &&
	before=$(commits) &&
	crm-stock out W-12 75 --wh MAIN --date 2026-11-12 >id &&
	test "$(cat id)" = M202611-00013 &&
	grep_q "^M202611-00013,2026-11-12,W-12,MAIN,-75,-754.54,out,,alice,$" moves/2026-11/0001.csv &&
	bal W-12 MAIN 0 0.00 &&
	bal W-12 EAST 0 0.00 &&
	test_expect_code 1 crm-stock level -o csv sku=W-12 >out &&
	test "$(grep -c "^W-12," out)" = 0 &&
	crm-stock level --all -o csv sku=W-12 >out &&
	printf "%s\n" sku,name,category,warehouse,qty,unit,avg_cost,value \
		"W-12,Wrench 12,tools/hand/wrench,EAST,0,pcs,,0.00" \
		"W-12,Wrench 12,tools/hand/wrench,MAIN,0,pcs,,0.00" >expect &&
	test_cmp expect out &&
	step_ok 1
'

test_expect_success 'the ledger: in 950.00 + 515.00 + 333.30 + count 21.55 = 1819.85 out, every line by hand' '
	cd s &&
	# outs: 390.67 + 97.67 + 75.42 + 48.83 + 452.72 + 754.54 = 1819.85; units 100+50+30+2 = 40+10+7+5+45+75 = 182
	printf "%s\n" id,date,sku,warehouse,qty,value,kind,ref,by,note \
		"M202611-00001,2026-11-01,W-12,MAIN,100,950.00,in,PO-1,alice," \
		"M202611-00002,2026-11-02,W-12,MAIN,50,515.00,in,,alice," \
		"M202611-00003,2026-11-03,W-12,MAIN,-40,-390.67,out,SO-1,alice,first sale" \
		"M202611-00004,2026-11-04,W-12,MAIN,-20,-195.33,move,,alice," \
		"M202611-00005,2026-11-04,W-12,EAST,20,195.33,move,,alice," \
		"M202611-00006,2026-11-05,W-12,EAST,-10,-97.67,out,,alice," \
		"M202611-00007,2026-11-06,W-12,EAST,30,333.30,in,,alice," \
		"M202611-00008,2026-11-08,W-12,EAST,2,21.55,count,,alice," \
		"M202611-00009,2026-11-09,W-12,MAIN,-5,-48.83,count,,alice," \
		"M202611-00010,2026-11-10,W-12,EAST,-35,-377.09,move,,alice," \
		"M202611-00011,2026-11-10,W-12,MAIN,35,377.09,move,,alice," \
		"M202611-00012,2026-11-11,W-12,MAIN,-45,-452.72,out,,alice," \
		"M202611-00013,2026-11-12,W-12,MAIN,-75,-754.54,out,,alice," >expect &&
	test_cmp expect moves/2026-11/0001.csv &&
	printf "%s\n" key,sku,warehouse,qty,value W-12@EAST,W-12,EAST,0,0.00 W-12@MAIN,W-12,MAIN,0,0.00 >expect &&
	test_cmp expect stock/12/126.csv
'

test_expect_success 'count up from zero is at value 0; count back down to 0 takes all of V (0.00)' '
	cd s &&
	before=$(commits) &&
	crm-stock count W-12 4 --wh EAST --date 2026-11-20 >id &&
	test "$(cat id)" = M202611-00014 &&
	grep_q "^M202611-00014,2026-11-20,W-12,EAST,4,0.00,count,,alice,$" moves/2026-11/0001.csv &&
	bal W-12 EAST 4 0.00 &&
	crm-stock level -o csv sku=W-12 >out &&
	grep_q "^W-12,Wrench 12,tools/hand/wrench,EAST,4,pcs,0.00,0.00$" out &&
	crm-stock count W-12 0 --wh EAST --date 2026-11-21 >id &&
	test "$(cat id)" = M202611-00015 &&
	grep_q "^M202611-00015,2026-11-21,W-12,EAST,-4,0.00,count,,alice,$" moves/2026-11/0001.csv &&
	bal W-12 EAST 0 0.00 &&
	step_ok 2
'

test_expect_success 'import: in by unit cost, in by total value (default kind), out, count; one commit' '
	cd s &&
	before=$(commits) &&
	printf "%s\n" date,sku,warehouse,qty,kind,cost,value,ref \
		2026-11-21,H-1,MAIN,10,in,2.50,,OPEN \
		2026-11-22,H-1,MAIN,5,,,13.00, \
		2026-11-23,H-1,MAIN,6,out,,, \
		2026-11-24,H-1,MAIN,10,count,,, >moves.csv &&
	crm-stock import moves.csv >out 2>err &&
	grep_q "4 moves" err &&
	# 10 @ 2.50 = 25.00; +13.00: Q 15 V 38.00; out 6: 38.00*6/15 = 15.20, Q 9 V 22.80;
	# count 10: +1 at round(22.80*1/9) = round(2.5333) = 2.53, Q 10 V 25.33, avg 2.533 -> 2.53
	tail -4 moves/2026-11/0001.csv >got &&
	printf "%s\n" "M202611-00016,2026-11-21,H-1,MAIN,10,25.00,in,OPEN,alice," \
		"M202611-00017,2026-11-22,H-1,MAIN,5,13.00,in,,alice," \
		"M202611-00018,2026-11-23,H-1,MAIN,-6,-15.20,out,,alice," \
		"M202611-00019,2026-11-24,H-1,MAIN,1,2.53,count,,alice," >expect &&
	test_cmp expect got &&
	bal H-1 MAIN 10 25.33 &&
	crm-stock level -o csv sku=H-1 >out &&
	printf "%s\n" sku,name,category,warehouse,qty,unit,avg_cost,value \
		"H-1,Hammer,tools/hand/hammer,MAIN,10,pcs,2.53,25.33" >expect &&
	test_cmp expect out &&
	step_ok 1
'

test_expect_success 'import from stdin, moves across two months and warehouses; -n commits nothing' '
	cd s &&
	before=$(commits) &&
	printf "%s\n" date,sku,warehouse,qty,cost "2026-12-01,H-1,EAST,3,1.00" |
		crm-stock -n import - >out 2>&1 &&
	step_ok 0 &&
	bal H-1 MAIN 10 25.33 &&
	! grep -q "H-1@EAST" stock/$(bshard H-1).csv &&
	printf "%s\n" date,sku,warehouse,qty,kind,cost "2026-12-01,H-1,EAST,3,in,1.00" "2026-11-30,H-1,MAIN,4,out," |
		crm-stock import - 2>err &&
	grep_q "2 moves" err &&
	# out 4 of 10 / 25.33: 25.33*4/10 = 10.132 -> 10.13, left 6 / 15.20
	grep_q "^M202612-00001,2026-12-01,H-1,EAST,3,3.00,in,,alice,$" moves/2026-12/0001.csv &&
	grep_q "^M202611-00020,2026-11-30,H-1,MAIN,-4,-10.13,out,,alice,$" moves/2026-11/0001.csv &&
	bal H-1 EAST 3 3.00 &&
	bal H-1 MAIN 6 15.20 &&
	step_ok 1
'

test_expect_success '-m adds to the commit message of a move' '
	cd s &&
	crm-stock -m "stocktake at EAST" in H-1 1 --cost 3.00 --wh EAST --date 2026-12-02 >id &&
	test "$(cat id)" = M202612-00002 &&
	git log -1 --format=%B >msg &&
	grep_q "^stocktake at EAST$" msg &&
	# EAST 3 / 3.00 + 1 / 3.00 = 4 / 6.00
	bal H-1 EAST 4 6.00 &&
	crm check >/dev/null
'

test_expect_success 'a full moves segment is closed and the month goes on in the next, ids unbroken' '
	new_store s3 &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add K-1 Key category=parts >/dev/null &&
	git config -f crm.conf store.segment-kib 1 && git commit -qam "small segments" &&
	before=$(commits) &&
	{ echo date,sku,qty,cost,note; i=1; while [ $i -le 40 ]; do
		echo "2026-09-$(printf %02d $((i % 28 + 1))),K-1,1,1.25,opening stock line $i with a longish note"; i=$((i + 1)); done; } >open.csv &&
	crm-stock import open.csv 2>err &&
	grep_q "40 moves" err &&
	ls moves/2026-09 >segs &&
	test "$(wc -l <segs)" -ge 2 &&
	for f in moves/2026-09/*.csv; do test $(wc -c <$f) -le 1300 || exit 1; head -1 $f | grep -q "^id,date,sku," || exit 1; done &&
	cat moves/2026-09/*.csv | grep -v "^id," | cut -d, -f1 >ids &&
	i=1; while [ $i -le 40 ]; do printf "M202609-%05d\n" $i; i=$((i + 1)); done >expect &&
	test_cmp expect ids &&
	# 40 x 1.25 = 50.00
	bal K-1 MAIN 40 50.00 &&
	step_ok 1
'

test_expect_success 'stock/ rows are sorted by key with strcmp; level by sku, then warehouse' '
	new_store s4 &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock warehouse add EAST East >/dev/null &&
	crm-stock product add K-3 Three category=parts >/dev/null &&
	crm-stock product add K-34 "Thirty-four" category=parts >/dev/null &&
	test "$(bshard K-3)" = 0e/0e2 && test "$(bshard K-34)" = 0e/0e2 &&
	crm-stock in K-3 1 --cost 1 --wh MAIN --date 2026-11-01 >/dev/null &&
	crm-stock in K-3 2 --cost 1 --wh EAST --date 2026-11-01 >/dev/null &&
	crm-stock in K-34 3 --cost 1 --wh MAIN --date 2026-11-01 >/dev/null &&
	# "K-34@" < "K-3@" because "4" (0x34) < "@" (0x40); and "EAST" < "MAIN"
	printf "%s\n" key,sku,warehouse,qty,value K-34@MAIN,K-34,MAIN,3,3.00 \
		K-3@EAST,K-3,EAST,2,2.00 K-3@MAIN,K-3,MAIN,1,1.00 >expect &&
	test_cmp expect stock/0e/0e2.csv &&
	crm-stock level -o csv --all >out &&
	cut -d, -f1,4 out >got &&
	printf "%s\n" sku,warehouse K-3,EAST K-3,MAIN K-34,MAIN >expect &&
	test_cmp expect got &&
	crm check >/dev/null
'

test_expect_success 'a hand-edited stock/ file that no longer equals the moves fails crm check' '
	cd s &&
	f=stock/$(bshard H-1).csv &&
	cp $f keep &&
	sed "s/^H-1@MAIN,H-1,MAIN,6,15.20$/H-1@MAIN,H-1,MAIN,7,15.20/" keep >$f &&
	! cmp -s keep $f &&
	test_expect_code 65 crm check >out 2>err &&
	grep_q "stock/$(bshard H-1).csv:.*qty" err &&
	cp keep $f && rm keep &&
	crm check >/dev/null &&
	store_clean
'

test_expect_success 'default warehouse: stock.warehouse in crm.conf names it' '
	new_store s2 &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock warehouse add EAST East >/dev/null &&
	crm-stock product add G-1 Gear category=parts >/dev/null &&
	test_expect_code 2 crm-stock in G-1 10 --cost 1 --date 2026-11-01 2>err &&
	grep_q "--wh is needed" err &&
	git config -f crm.conf stock.warehouse EAST && git commit -qam "default warehouse" &&
	before=$(commits) &&
	crm-stock in G-1 10 --cost 1 --date 2026-11-01 >id &&
	test "$(cat id)" = M202611-00001 &&
	bal G-1 EAST 10 10.00 &&
	crm-stock out G-1 4 --date 2026-11-02 >/dev/null &&
	bal G-1 EAST 6 6.00 &&
	step_ok 2
'

test_expect_success 'stock below zero is refused; stock.allow-negative = true lets it through' '
	cd s2 &&
	before=$(commits) &&
	test_expect_code 65 crm-stock out G-1 9 --date 2026-11-03 2>err &&
	grep_q "^crm-stock: argument: qty: .*6" err &&
	test_expect_code 65 crm-stock count G-1 --date 2026-11-03 -- -1 2>err &&
	grep_q "^crm-stock: argument: qty: " err &&
	step_ok 0 &&
	git config -f crm.conf stock.allow-negative true && git commit -qam "allow negative" &&
	before=$(commits) &&
	crm-stock out G-1 9 --date 2026-11-03 >id &&
	test "$(cat id)" = M202611-00003 &&
	# 6 / 6.00 on hand, out 9: round(6.00*9/6) = 9.00, leaving -3 / -3.00; avg round(-3.00/-3) = 1.00
	grep_q "^M202611-00003,2026-11-03,G-1,EAST,-9,-9.00,out,,alice,$" moves/2026-11/0001.csv &&
	bal G-1 EAST -3 -3.00 &&
	step_ok 1
'

test_expect_success 'level of negative stock: avg_cost is round(value/qty), empty only when qty is 0' '
	cd s2 &&
	crm-stock level -o csv sku=G-1 >out &&
	grep_q "^G-1,Gear,parts,EAST,-3,,1.00,-3.00$" out
'

test_done
