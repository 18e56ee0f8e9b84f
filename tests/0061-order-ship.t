#!/bin/sh
# crm-order new, ship, return, cancel, show, list (DESIGN §6 "Prices", "Orders",
# plans): grade price vs list price vs @PRICE, --discount; a shipment is one commit
# of stock out at the moving average (its cost kept on the line), the shipped
# quantities and the invoices of the order's plan; a return comes back at the cost
# it left with and its credit note settles the oldest open invoice. Every figure
# is worked out by hand in the comments.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# bal SKU Q V: the stock/ row of SKU at MAIN reads Q and V.
bal() {
	got=$(cat stock/*/*.csv | grep "^$1@MAIN,")
	if [ "$got" != "$1@MAIN,$1,MAIN,$2,$3" ]; then
		echo "stock row of $1@MAIN: wanted '$1@MAIN,$1,MAIN,$2,$3', got '$got'" >&2
		return 1
	fi
}

# line_is ROW: the lines/ table holds exactly this row (matched on its id).
line_is() {
	id=${1%%,*}
	got=$(cat lines/*/*.csv | grep "^$id,")
	if [ "$got" != "$1" ]; then
		echo "line $id: wanted '$1', got '$got'" >&2
		return 1
	fi
}

# move_is ROW: the moves/ table holds exactly this row.
move_is() {
	id=${1%%,*}
	got=$(cat moves/*/*.csv | grep "^$id,")
	if [ "$got" != "$1" ]; then
		echo "move $id: wanted '$1', got '$got'" >&2
		return 1
	fi
}

# open_of DOC: the open amount open/ keeps for a document or order (empty: none).
open_of() {
	cat open/*/*.csv 2>/dev/null | awk -F, -v d="$1" '$3 == d { print $(NF - 1) }'
}

# touched: the top-level folders HEAD changed, one per line, sorted.
touched() {
	git show --format= --name-only HEAD | cut -d/ -f1 | LC_ALL=C sort -u
}

CENTS='function cents(v,  n, a) { n = (substr(v, 1, 1) == "-"); if (n) v = substr(v, 2);
	split(v, a, "."); v = a[1] * 100 + a[2]; return n ? -v : v }
	function money(c,  s) { s = c < 0 ? "-" : ""; if (c < 0) c = -c; return sprintf("%s%d.%02d", s, int(c / 100), c % 100) }'

# sums_ok: every stock/ row equals the sum of the moves of its SKU and warehouse.
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

# totals ORDER: the summary lines of crm-order show (ordered ..., invoiced ...).
totals() {
	crm-order show -o table "$1" | grep -E "^(ordered|invoiced) "
}

# owed_ok ORDER AMOUNT: show's invoiced less what settled it (paid, discount,
# credited) is what is still owed (AMOUNT), so no settlement is counted twice.
owed_ok() {
	totals "$1" >tot &&
	awk "$CENTS"' { for (i = 1; i < NF; i++) if ($i == "invoiced") inv = cents($(i + 1));
		else if ($i == "paid" || $i == "discount" || $i == "credited") pd += cents($(i + 1)) }
		END { print money(inv - pd) }' tot >owed &&
	if [ "$(cat owed)" != "$2" ]; then
		echo "show: invoiced - paid - discount - credited = $(cat owed), but $2 is owed:" >&2
		cat tot >&2
		return 1
	fi
}

test_expect_success 'setup: customers of grade A, C and none; two products; opening stock' '
	new_store s &&
	crm-customer add Acme grade=A terms=1/10,n/30 >/dev/null &&
	crm-customer add Beta grade=C >/dev/null &&
	crm-customer add Gamma >/dev/null &&
	crm-stock warehouse add MAIN "Main store" >/dev/null &&
	crm-stock product add W-12 "Wrench 12" category=tools/hand unit=pcs price=20.00 price_a=18.00 price_b=19.00 floor=15.00 >/dev/null &&
	crm-stock product add H-1 Hammer category=tools/hand unit=pcs price=8.30 >/dev/null &&
	# W-12: 100 x 9.50 = 950.00, 50 x 10.30 = 515.00: Q 150, V 1465.00
	crm-stock in W-12 100 --cost 9.50 --date 2026-11-01 >/dev/null &&
	crm-stock in W-12 50 --cost 10.30 --date 2026-11-02 >/dev/null &&
	# H-1: 10 x 3.30 = 33.00, 20 x 3.41 = 68.20: Q 30, V 101.20
	crm-stock in H-1 10 --cost 3.30 --date 2026-11-01 >/dev/null &&
	crm-stock in H-1 20 --cost 3.41 --date 2026-11-01 >/dev/null &&
	bal W-12 150 1465.00 && bal H-1 30 101.20
'

test_expect_success 'new: grade C without price_c takes the list price; the order is exposure in open/' '
	cd s &&
	before=$(commits) &&
	crm-order new C000002 W-12:1 H-1:1 --date 2026-11-04 >id &&
	test "$(cat id)" = O202611-00001 &&
	line_is "L202611-00001-1,2026-11-04,O202611-00001,1,W-12,1,20.00,,0,0.00" &&
	line_is "L202611-00001-2,2026-11-04,O202611-00001,2,H-1,1,8.30,,0,0.00" &&
	crm-order list -o csv --fields status,owner,terms,plan id=O202611-00001 >out &&
	printf "status,owner,terms,plan\nopen,alice,,\n" >expect && test_cmp expect out &&
	# 20.00 + 8.30
	test "$(open_of O202611-00001)" = 28.30 &&
	git log -1 --format=%s | grep -q "^crm-order new O202611-00001 (28.30)$" &&
	step_ok 1
'

test_expect_success 'new: no grade takes the list price; @PRICE is taken as given; same SKU, two lines' '
	cd s &&
	crm-order new C000003 W-12:2 W-12:1@19.99 --date 2026-11-04 >id &&
	test "$(cat id)" = O202611-00002 &&
	line_is "L202611-00002-1,2026-11-04,O202611-00002,1,W-12,2,20.00,,0,0.00" &&
	line_is "L202611-00002-2,2026-11-04,O202611-00002,2,W-12,1,19.99,,0,0.00" &&
	# 2 x 20.00 + 19.99
	test "$(open_of O202611-00002)" = 59.99
'

test_expect_success 'new: grade A price, --discount on every line, --plan; values rounded per line' '
	cd s &&
	before=$(commits) &&
	crm-order new C000001 W-12:40 W-12:30@21.50 H-1:10 --discount 5 --plan 30@0,70@60 --date 2026-11-05 >id &&
	test "$(cat id)" = O202611-00003 &&
	# W-12 at price_a 18.00; H-1 has no price_a: list 8.30
	line_is "L202611-00003-1,2026-11-05,O202611-00003,1,W-12,40,18.00,5.00,0,0.00" &&
	line_is "L202611-00003-2,2026-11-05,O202611-00003,2,W-12,30,21.50,5.00,0,0.00" &&
	line_is "L202611-00003-3,2026-11-05,O202611-00003,3,H-1,10,8.30,5.00,0,0.00" &&
	crm-order list -o csv --fields customer,status,plan id=O202611-00003 >out &&
	printf "customer,status,plan\nC000001,open,\"30@0,70@60\"\n" >expect && test_cmp expect out &&
	# 40 x 18.00 x 0.95 = 684.00; 30 x 21.50 x 0.95 = 612.75; 10 x 8.30 x 0.95 = 78.85
	# total 1375.60
	test "$(open_of O202611-00003)" = 1375.60 &&
	git log -1 --format=%s | grep -q "^crm-order new O202611-00003 (1375.60)$" &&
	step_ok 1
'

test_expect_success 'ship part: stock out at the moving average, cost on the line, 30/70 invoices, one commit' '
	cd s &&
	before=$(commits) &&
	crm-order ship O202611-00003 W-12:25 H-1:4 --date 2026-11-06 >ids &&
	printf "I202611-00001\nI202701-00001\n" >expect && test_cmp expect ids &&
	git log -1 --format=%s | grep -q "^crm-order ship O202611-00003 from MAIN (459.04)$" &&
	# W-12: round(1465.00 x 25 / 150) = round(244.1666) = 244.17; left 125 / 1220.83
	move_is "M202611-00005,2026-11-06,W-12,MAIN,-25,-244.17,ship,O202611-00003,alice," &&
	bal W-12 125 1220.83 &&
	# H-1: round(101.20 x 4 / 30) = round(13.4933) = 13.49; left 26 / 87.71
	move_is "M202611-00006,2026-11-06,H-1,MAIN,-4,-13.49,ship,O202611-00003,alice," &&
	bal H-1 26 87.71 &&
	line_is "L202611-00003-1,2026-11-05,O202611-00003,1,W-12,40,18.00,5.00,25,244.17" &&
	line_is "L202611-00003-2,2026-11-05,O202611-00003,2,W-12,30,21.50,5.00,0,0.00" &&
	line_is "L202611-00003-3,2026-11-05,O202611-00003,3,H-1,10,8.30,5.00,4,13.49" &&
	# 25 x 17.10 = 427.50; 4 x 7.885 = 31.54; 459.04.
	# 30 %: round(137.712) = 137.71 on 2026-11-06; the rest 321.33 on 11-06 + 60 = 2027-01-05
	crm-ar list -o csv --fields id,date,order,kind,amount,due,terms,installment order=O202611-00003 >out &&
	printf "%s\n" "id,date,order,kind,amount,due,terms,installment" \
		"I202611-00001,2026-11-06,O202611-00003,invoice,137.71,2026-11-06,\"1/10,n/30\",1/2" \
		"I202701-00001,2027-01-05,O202611-00003,invoice,321.33,2027-01-05,\"1/10,n/30\",2/2" >expect &&
	test_cmp expect out &&
	test "$(open_of I202611-00001)" = 137.71 &&
	test "$(open_of I202701-00001)" = 321.33 &&
	# the order still to ship: 1375.60 - 459.04 = 916.56
	test "$(open_of O202611-00003)" = 916.56 &&
	test "$(crm-order list -o csv --fields status id=O202611-00003 | tail -n 1)" = open &&
	printf "invoices\nlines\nmoves\nopen\nshipments\nstock\n" >expect && touched >out && test_cmp expect out &&
	step_ok 1
'

test_expect_success 'ship the rest (no SKU:QTY): every line in order, the order shipped, exposure gone' '
	cd s &&
	before=$(commits) &&
	crm-order ship O202611-00003 --date 2026-11-07 >ids &&
	printf "I202611-00002\nI202701-00002\n" >expect && test_cmp expect ids &&
	# line 1, W-12 15: round(1220.83 x 15 / 125) = round(146.4996) = 146.50; left 110 / 1074.33
	move_is "M202611-00007,2026-11-07,W-12,MAIN,-15,-146.50,ship,O202611-00003,alice," &&
	# line 2, W-12 30: round(1074.33 x 30 / 110) = round(292.9991) = 293.00; left 80 / 781.33
	move_is "M202611-00008,2026-11-07,W-12,MAIN,-30,-293.00,ship,O202611-00003,alice," &&
	bal W-12 80 781.33 &&
	# line 3, H-1 6: round(87.71 x 6 / 26) = round(20.2408) = 20.24; left 20 / 67.47
	move_is "M202611-00009,2026-11-07,H-1,MAIN,-6,-20.24,ship,O202611-00003,alice," &&
	bal H-1 20 67.47 &&
	# costs: 244.17 + 146.50 = 390.67; 293.00; 13.49 + 20.24 = 33.73
	line_is "L202611-00003-1,2026-11-05,O202611-00003,1,W-12,40,18.00,5.00,40,390.67" &&
	line_is "L202611-00003-2,2026-11-05,O202611-00003,2,W-12,30,21.50,5.00,30,293.00" &&
	line_is "L202611-00003-3,2026-11-05,O202611-00003,3,H-1,10,8.30,5.00,10,33.73" &&
	# 15 x 17.10 = 256.50; 612.75; 6 x 7.885 = 47.31; 916.56.
	# 30 %: round(274.968) = 274.97; the rest 641.59 on 11-07 + 60 = 2027-01-06
	git log -1 --format=%s | grep -q "^crm-order ship O202611-00003 from MAIN (916.56)$" &&
	crm-ar list -o csv --fields id,date,amount,due,installment order=O202611-00003 >out &&
	printf "%s\n" "id,date,amount,due,installment" \
		"I202611-00001,2026-11-06,137.71,2026-11-06,1/2" \
		"I202611-00002,2026-11-07,274.97,2026-11-07,1/2" \
		"I202701-00001,2027-01-05,321.33,2027-01-05,2/2" \
		"I202701-00002,2027-01-06,641.59,2027-01-06,2/2" >expect &&
	test_cmp expect out &&
	test "$(crm-order list -o csv --fields status id=O202611-00003 | tail -n 1)" = shipped &&
	test -z "$(open_of O202611-00003)" &&
	printf "invoices\nlines\nmoves\nopen\norders\nshipments\nstock\n" >expect && touched >out && test_cmp expect out &&
	step_ok 1
'

test_expect_success 'the invoices add up exactly to the order: 137.71 + 321.33 + 274.97 + 641.59 = 1375.60' '
	cd s &&
	crm-ar list -o csv --fields amount order=O202611-00003 | tail -n +2 |
		awk "$CENTS"'\'' { t += cents($1) } END { print money(t) }'\'' >sum &&
	test "$(cat sum)" = 1375.60
'

test_expect_success 'crm-ar list shows the very rows of invoices/ for the order' '
	cd s &&
	cat invoices/*/*.csv | grep ",O202611-00003," | LC_ALL=C sort >files.rows &&
	crm-ar list -o csv order=O202611-00003 | tail -n +2 | LC_ALL=C sort >list.rows &&
	test "$(wc -l <files.rows)" = 4 &&
	test_cmp files.rows list.rows &&
	grep_q "^I202701-00002,2027-01-06,C000001,O202611-00003,invoice,641.59,CNY,2027-01-06,\"1/10,n/30\",2/2,," files.rows
'

test_expect_success 'show: lines with value, sales, cost, margin; totals; the invoices' '
	cd s &&
	crm-order show -o csv O202611-00003 >out &&
	# margins: 684.00 - 390.67 = 293.33; 612.75 - 293.00 = 319.75; 78.85 - 33.73 = 45.12
	printf "%s\n" "order,line,sku,qty,price,discount,value,shipped,sales,cost,margin" \
		"O202611-00003,1,W-12,40,18.00,5.00,684.00,40,684.00,390.67,293.33" \
		"O202611-00003,2,W-12,30,21.50,5.00,612.75,30,612.75,293.00,319.75" \
		"O202611-00003,3,H-1,10,8.30,5.00,78.85,10,78.85,33.73,45.12" >expect &&
	test_cmp expect out &&
	# cost 390.67 + 293.00 + 33.73 = 717.40; margin 1375.60 - 717.40 = 658.20
	totals O202611-00003 >tot &&
	printf "%s\n" "ordered 1375.60  shipped 1375.60  cost 717.40  margin 658.20  credit notes 0.00" \
		"invoiced 1375.60  paid 0.00  discount 0.00  credited 0.00  written off 0.00  owed 1375.60" >expect &&
	test_cmp expect tot &&
	crm-order show -o table O202611-00003 >out &&
	grep_q "^status  *shipped$" out &&
	grep_q "^plan  *30@0,70@60$" out &&
	grep_q "^  I202701-00002 2027-01-06 invoice 641.59 due 2027-01-06$" out
'

test_expect_success 'nothing is left to ship: the shipped order is refused, nothing changes' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-order ship O202611-00003 --date 2026-11-08 2>err &&
	grep_q "^crm-order: argument: order: O202611-00003 is shipped; only an open order ships" err &&
	step_ok 0
'

test_expect_success 'return 5: back at the cost it left with, a credit note settling the oldest invoice' '
	cd s &&
	before=$(commits) &&
	crm-order return O202611-00003 W-12:5 --date 2026-11-08 >ids &&
	test "$(cat ids)" = I202611-00003 &&
	# the first line of W-12 with 5 shipped: line 1, cost 390.67 for 40;
	# back: round(390.67 x 5 / 40) = round(48.83375) = 48.83; W-12 85 / 781.33 + 48.83 = 830.16
	move_is "M202611-00010,2026-11-08,W-12,MAIN,5,48.83,return,O202611-00003,alice," &&
	bal W-12 85 830.16 &&
	line_is "L202611-00003-1,2026-11-05,O202611-00003,1,W-12,35,18.00,5.00,35,341.84" &&
	# credit 5 x 17.10 = 85.50, without terms, settling I202611-00001 (due 11-06, the oldest):
	# 137.71 - 85.50 = 52.21 open
	crm-ar list -o csv id=I202611-00003 >out &&
	grep_q "^I202611-00003,2026-11-08,C000001,O202611-00003,credit,-85.50,CNY,2026-11-08,,,," out &&
	cat applications/*/*.csv | grep ",I202611-00003," >app &&
	grep_q "^A202611-00001,2026-11-08,credit,I202611-00003,I202611-00001,C000001,CNY,2026-11-06,2026-11-06,\"1/10,n/30\",,85.50,0.00," app &&
	test "$(wc -l <app)" = 1 &&
	test "$(open_of I202611-00001)" = 52.21 &&
	test "$(open_of I202611-00002)" = 274.97 &&
	test -z "$(open_of I202611-00003)" &&
	git log -1 --format=%s | grep -q "^crm-order return O202611-00003 to MAIN (85.50)$" &&
	printf "applications\ninvoices\nlines\nmoves\nopen\nshipments\nstock\n" >expect && touched >out && test_cmp expect out &&
	step_ok 1
'

test_expect_success 'return 10 more: the credit clears the oldest invoice and goes on to the next' '
	cd s &&
	before=$(commits) &&
	crm-order return O202611-00003 W-12:10 --date 2026-11-09 >ids &&
	test "$(cat ids)" = I202611-00004 &&
	# line 1 now 35 shipped, cost 341.84: round(341.84 x 10 / 35) = round(97.6686) = 97.67
	move_is "M202611-00011,2026-11-09,W-12,MAIN,10,97.67,return,O202611-00003,alice," &&
	bal W-12 95 927.83 &&
	line_is "L202611-00003-1,2026-11-05,O202611-00003,1,W-12,25,18.00,5.00,25,244.17" &&
	# credit 10 x 17.10 = 171.00: 52.21 clears I202611-00001, 118.79 onto I202611-00002 (274.97 -> 156.18)
	# (the quoted terms dropped, so cut counts the fields that follow)
	cat applications/*/*.csv | grep ",I202611-00004," | sed "s/\"[^\"]*\"//" | cut -d, -f5,12,13 >app &&
	printf "I202611-00001,52.21,0.00\nI202611-00002,118.79,0.00\n" >expect && test_cmp expect app &&
	test -z "$(open_of I202611-00001)" &&
	test "$(open_of I202611-00002)" = 156.18 &&
	test "$(open_of I202701-00001)" = 321.33 &&
	step_ok 1
'

test_expect_success 'return of more than any line shipped is refused' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-order return O202611-00003 W-12:31 --date 2026-11-09 2>err &&
	grep_q "^crm-order: argument: qty: O202611-00003: no line of W-12 with 31 shipped" err &&
	test_expect_code 65 crm-order return O202611-00003 H-1:11 --date 2026-11-09 2>err &&
	grep_q "^crm-order: argument: qty: " err &&
	bal W-12 95 927.83 &&
	step_ok 0
'

test_expect_success 'show after returns: 25 x 17.10 on line 1; cost 244.17 + 293.00 + 33.73 = 570.90' '
	cd s &&
	# ordered = shipped = 427.50 + 612.75 + 78.85 = 1119.10; margin 1119.10 - 570.90 = 548.20
	totals O202611-00003 >tot &&
	# credit notes: 5 x 17.10 + 10 x 17.10 = 85.50 + 171.00 = 256.50
	grep_q "^ordered 1119.10  shipped 1119.10  cost 570.90  margin 548.20  credit notes 256.50$" tot
'

test_expect_success 'show: invoiced less paid, discount and credited is what the order still owes' '
	cd s &&
	# open: 156.18 + 321.33 + 641.59 = 1119.10 (no receipt yet)
	owed_ok O202611-00003 1119.10
'

test_expect_success 'show: a receipt is paid; invoiced less what settled it is still what is owed' '
	cd s &&
	# 2026-12-20: past the 10-day tier of I202611-00002, so no discount: 156.18 -> 56.18
	crm-ar pay C000001 100.00 --date 2026-12-20 >/dev/null &&
	test "$(open_of I202611-00002)" = 56.18 &&
	owed_ok O202611-00003 1019.10 &&
	crm check >/dev/null
'

test_expect_success 'ship part, then cancel the rest: qty cut to what shipped, status shipped, exposure gone' '
	cd s &&
	crm-order ship O202611-00002 W-12:2 --date 2026-11-10 >ids &&
	test "$(cat ids)" = I202611-00005 &&
	# round(927.83 x 2 / 95) = round(19.5332) = 19.53; W-12 93 / 908.30
	move_is "M202611-00012,2026-11-10,W-12,MAIN,-2,-19.53,ship,O202611-00002,alice," &&
	bal W-12 93 908.30 &&
	# Gamma has no terms: crm.conf n/30, due 2026-12-10
	crm-ar list -o csv --fields amount,due,terms id=I202611-00005 >out &&
	printf "amount,due,terms\n40.00,2026-12-10,n/30\n" >expect && test_cmp expect out &&
	test "$(open_of O202611-00002)" = 19.99 &&
	before=$(commits) &&
	crm-order cancel O202611-00002 &&
	git log -1 --format=%s | grep -q "^crm-order cancel O202611-00002 (19.99)$" &&
	test "$(crm-order list -o csv --fields status id=O202611-00002 | tail -n 1)" = shipped &&
	line_is "L202611-00002-1,2026-11-04,O202611-00002,1,W-12,2,20.00,,2,19.53" &&
	line_is "L202611-00002-2,2026-11-04,O202611-00002,2,W-12,0,19.99,,0,0.00" &&
	test -z "$(open_of O202611-00002)" &&
	test "$(open_of I202611-00005)" = 40.00 &&
	bal W-12 93 908.30 &&
	printf "lines\nopen\norders\n" >expect && touched >out && test_cmp expect out &&
	step_ok 1
'

test_expect_success 'cancel an order never shipped: cancelled, its exposure gone' '
	cd s &&
	before=$(commits) &&
	crm-order cancel O202611-00001 &&
	test "$(crm-order list -o csv --fields status id=O202611-00001 | tail -n 1)" = cancelled &&
	test -z "$(open_of O202611-00001)" &&
	step_ok 1
'

test_expect_success 'cancel of a shipped or cancelled order is refused; shipping a cancelled one too' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-order cancel O202611-00002 2>err &&
	grep_q "^crm-order: argument: order: O202611-00002 is shipped; only a quote or an open order is cancelled" err &&
	test_expect_code 65 crm-order cancel O202611-00001 2>err &&
	grep_q "^crm-order: argument: order: O202611-00001 is cancelled; only a quote or an open order is cancelled" err &&
	test_expect_code 65 crm-order ship O202611-00001 2>err &&
	grep_q "^crm-order: argument: order: O202611-00001 is cancelled; only an open order ships" err &&
	step_ok 0
'

test_expect_success 'list: filters on status, customer, date; --fields' '
	cd s &&
	crm-order list -o csv --fields id,status >out &&
	printf "id,status\nO202611-00001,cancelled\nO202611-00002,shipped\nO202611-00003,shipped\n" >expect &&
	test_cmp expect out &&
	crm-order list -o csv --fields id status=shipped customer=C000001 >out &&
	printf "id\nO202611-00003\n" >expect && test_cmp expect out &&
	crm-order list -o csv --fields id "date<2026-11-05" >out &&
	printf "id\nO202611-00001\nO202611-00002\n" >expect && test_cmp expect out &&
	crm-order list -o csv --fields id "customer!=C000001" "status~^(open|shipped)$" >out &&
	printf "id\nO202611-00002\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-order list status=open >/dev/null
'

test_expect_success '-n ship: says what it would change, commits nothing, stock stays' '
	cd s &&
	crm-order new C000003 H-1:2 --date 2026-11-20 >id &&
	before=$(commits) &&
	crm-order -n ship "$(cat id)" --date 2026-11-21 >out 2>&1 &&
	grep_q "would commit: ship $(cat id)" out &&
	bal H-1 20 67.47 &&
	test "$(crm-order list -o csv --fields status id=$(cat id) | tail -n 1)" = open &&
	step_ok 0
'

test_expect_success 'a line shipped in two parts is invoiced exactly its value (no cent lost to rounding)' '
	cd s &&
	# 10 x 8.30 x 0.95 = 78.85, but 4 x 7.885 = 31.54 and 6 x 7.885 = 47.31 round exactly;
	# 5 x 7.885 = 39.425 -> 39.43 twice would be 78.86: the last part must take 78.85 - 39.43 = 39.42
	crm-order new C000003 H-1:10 --discount 5 --date 2026-11-20 >id &&
	o=$(cat id) &&
	crm-order ship $o H-1:5 --date 2026-11-21 >/dev/null &&
	crm-order ship $o H-1:5 --date 2026-11-22 >/dev/null &&
	crm-ar list -o csv --fields amount order=$o | tail -n +2 >amounts &&
	awk "$CENTS"'\'' { t += cents($1) } END { print money(t) }'\'' amounts >sum &&
	if [ "$(cat sum)" != 78.85 ]; then echo "invoiced $(cat sum) for a line worth 78.85:" >&2; cat amounts >&2; false; fi &&
	test -z "$(open_of $o)" &&
	crm check >/dev/null && store_clean
'

test_expect_success 'a line shipped in parts rounding down: fully shipped, no cent of exposure left in open/' '
	cd s &&
	# 10 x 7.99 x 0.95 = 75.905 -> 75.91; 4 x 7.5905 = 30.362 -> 30.36, 6 x 7.5905 = 45.543 -> 45.54:
	# 75.90, so the last part must be 75.91 - 30.36 = 45.55, and nothing stays on the credit limit
	crm-order new C000003 H-1:10@7.99 --discount 5 --date 2026-11-20 >id &&
	o=$(cat id) &&
	test "$(open_of $o)" = 75.91 &&
	crm-order ship $o H-1:4 --date 2026-11-21 >/dev/null &&
	crm-order ship $o --date 2026-11-22 >/dev/null &&
	test "$(crm-order list -o csv --fields status id=$o | tail -n 1)" = shipped &&
	if [ -n "$(open_of $o)" ]; then echo "shipped order $o still holds $(open_of $o) in open/" >&2; false; fi &&
	crm-ar list -o csv --fields amount order=$o | tail -n +2 >amounts &&
	awk "$CENTS"'\'' { t += cents($1) } END { print money(t) }'\'' amounts >sum &&
	if [ "$(cat sum)" != 75.91 ]; then echo "invoiced $(cat sum) for a line worth 75.91:" >&2; cat amounts >&2; false; fi
'

test_done
