#!/bin/sh
# crm-order import (DESIGN §6 "Importing history"): one row per order line; rows
# sharing ref are one order; lines of one SKU stay separate lines; a ship_date
# ships the line on that date and raises its invoice; stock moves only with
# --with-stock; all or nothing, errors as file:line: field: message.
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

# open_of DOC: the open amount open/ keeps for a document or order (empty: none).
open_of() {
	cat open/*/*.csv 2>/dev/null | awk -F, -v d="$1" '$3 == d { print $(NF - 1) }'
}

# refused FILE: the import failed and nothing changed.
nothing_changed() {
	test "$(commits)" = "$before" &&
	store_clean &&
	bal P-1 "$1" "$2"
}

H=ref,date,customer,sku,qty,price,discount,owner,terms,status,ship_date

test_expect_success 'setup: customers (one with a tiny credit limit), products with a floor, stock' '
	new_store s &&
	git config -f crm.conf --add role.finance.member alice &&
	git commit -qm "alice is finance" crm.conf &&
	crm-customer add Acme terms=n/30 >/dev/null &&
	crm-customer add Beta >/dev/null &&
	crm-customer add Tiny credit_limit=10.00 >/dev/null &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add P-1 Pump price=100.00 floor=50.00 >/dev/null &&
	crm-stock product add P-2 Pipe price=10.00 >/dev/null &&
	crm-stock in P-1 50 --cost 40.00 --date 2026-01-01 >/dev/null &&
	crm-stock in P-2 10 --cost 3.00 --date 2026-01-01 >/dev/null
'

test_expect_success 'import: rows sharing ref are one order; the same SKU twice stays two lines; one commit' '
	cd s &&
	cat >hist.csv <<-EOF &&
	$H
	SO-1,2026-03-01,C000001,P-1,2,95.00,,bob,,,2026-03-05
	SO-1,2026-03-01,C000001,P-1,3,90.00,10,bob,,,2026-03-05
	SO-1,2026-03-01,C000001,P-2,4,10.00,,bob,,,2026-03-09
	SO-2,2026-04-02,C000002,P-2,1,11.00,,,"1/10,n/45",,2026-04-20
	SO-3,2026-04-03,C000003,P-1,1,20.00,,,,,
	EOF
	before=$(commits) &&
	crm-order import hist.csv 2>err &&
	grep_q "^crm-order: 3 orders, 5 lines, 4 shipped$" err &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s | grep -q "^crm-order import 3 orders, 5 lines, 4 shipped$" &&
	crm-order list -o csv --fields id,date,customer,owner,status,terms,ref >out &&
	printf "%s\n" "id,date,customer,owner,status,terms,ref" \
		"O202603-00001,2026-03-01,C000001,bob,shipped,,SO-1" \
		"O202604-00001,2026-04-02,C000002,alice,shipped,\"1/10,n/45\",SO-2" \
		"O202604-00002,2026-04-03,C000003,alice,open,,SO-3" >expect &&
	test_cmp expect out &&
	cat lines/2026-03/0001.csv >out &&
	printf "%s\n" "id,date,order,line,sku,qty,price,discount,shipped,cost" \
		"L202603-00001-1,2026-03-01,O202603-00001,1,P-1,2,95.00,,2,0.00" \
		"L202603-00001-2,2026-03-01,O202603-00001,2,P-1,3,90.00,10.00,3,0.00" \
		"L202603-00001-3,2026-03-01,O202603-00001,3,P-2,4,10.00,,4,0.00" >expect &&
	test_cmp expect out &&
	crm check >/dev/null && store_clean
'

test_expect_success 'import: each ship date raises its invoice on that date, with the terms of the order or customer' '
	cd s &&
	# 2026-03-05: 2 x 95.00 + 3 x 90.00 x 0.90 = 190.00 + 243.00 = 433.00, n/30 (Acme): due 2026-04-04
	# 2026-03-09: 4 x 10.00 = 40.00, due 2026-04-08
	# SO-2: 11.00 on 2026-04-20, 1/10,n/45: due 2026-06-04
	crm-ar list -o csv --fields id,date,customer,order,amount,due,terms >out &&
	printf "%s\n" "id,date,customer,order,amount,due,terms" \
		"I202603-00001,2026-03-05,C000001,O202603-00001,433.00,2026-04-04,n/30" \
		"I202603-00002,2026-03-09,C000001,O202603-00001,40.00,2026-04-08,n/30" \
		"I202604-00001,2026-04-20,C000002,O202604-00001,11.00,2026-06-04,\"1/10,n/45\"" >expect &&
	test_cmp expect out &&
	test "$(open_of I202603-00001)" = 433.00
'

test_expect_success 'import without --with-stock: no move, the stock as it was, cost 0' '
	cd s &&
	test "$(ls moves)" = 2026-01 &&
	bal P-1 50 2000.00 &&
	bal P-2 10 30.00
'

test_expect_success 'import is history: a price under the floor and a credit limit are not guarded' '
	cd s &&
	# SO-3: 20.00 is under P-1 floor 50.00, and 20.00 passes Tiny limit of 10.00
	grep_q "^L202604-00002-1,2026-04-03,O202604-00002,1,P-1,1,20.00,,0,0.00$" lines/2026-04/0001.csv &&
	test "$(open_of O202604-00002)" = 20.00
'

test_expect_success 'an imported open order ships later like any other' '
	cd s &&
	# P-1 50 / 2000.00: 1 out at 40.00 (Tiny is over its limit: finance passes it)
	crm-order ship O202604-00002 --date 2026-04-10 --reason "history" >ids &&
	bal P-1 49 1960.00 &&
	test -z "$(open_of O202604-00002)" &&
	grep_q "^L202604-00002-1,2026-04-03,O202604-00002,1,P-1,1,20.00,,1,40.00$" lines/2026-04/0001.csv
'

test_expect_success 'import --with-stock: the shipped lines leave the stock at the moving average' '
	cd s &&
	cat >ws.csv <<-EOF &&
	$H
	WS-1,2026-05-01,C000001,P-1,2,95.00,,,,,2026-05-03
	WS-1,2026-05-01,C000001,P-1,3,95.00,,,,,2026-05-03
	WS-1,2026-05-01,C000001,P-2,1,10.00,,,,,
	EOF
	before=$(commits) &&
	crm-order import --with-stock ws.csv 2>err &&
	grep_q "^crm-order: 1 orders, 3 lines, 2 shipped$" err &&
	test "$(commits)" = $((before + 1)) &&
	# P-1 49 / 1960.00: 2 out at 80.00, then 3 out at round(1880.00 x 3 / 47) = round(120.0) = 120.00
	cat moves/2026-05/0001.csv >out &&
	printf "%s\n" "id,date,sku,warehouse,qty,value,kind,ref,by,note" \
		"M202605-00001,2026-05-03,P-1,MAIN,-2,-80.00,ship,O202605-00001,alice," \
		"M202605-00002,2026-05-03,P-1,MAIN,-3,-120.00,ship,O202605-00001,alice," >expect &&
	test_cmp expect out &&
	bal P-1 44 1760.00 &&
	bal P-2 10 30.00 &&
	grep_q "^L202605-00001-1,2026-05-01,O202605-00001,1,P-1,2,95.00,,2,80.00$" lines/2026-05/0001.csv &&
	grep_q "^L202605-00001-2,2026-05-01,O202605-00001,2,P-1,3,95.00,,3,120.00$" lines/2026-05/0001.csv &&
	grep_q "^L202605-00001-3,2026-05-01,O202605-00001,3,P-2,1,10.00,,0,0.00$" lines/2026-05/0001.csv &&
	# 5 x 95.00 = 475.00 invoiced; P-2 still to ship: 10.00 of exposure
	crm-ar list -o csv --fields amount,date,due order=O202605-00001 >out &&
	printf "amount,date,due\n475.00,2026-05-03,2026-06-02\n" >expect && test_cmp expect out &&
	test "$(crm-order list -o csv --fields status id=O202605-00001 | tail -n 1)" = open &&
	test "$(open_of O202605-00001)" = 10.00 &&
	crm check >/dev/null && store_clean
'

test_expect_success 'status cancelled and lost are kept; closed is kept as closed, with no exposure' '
	cd s &&
	printf "%s\n" "ref,date,customer,sku,qty,price,status" \
		"Z-1,2026-06-01,C000001,P-2,1,5.00,cancelled" \
		"Z-2,2026-06-01,C000001,P-2,1,5.00,lost" \
		"Z-3,2026-06-01,C000001,P-2,1,5.00,closed" >st.csv &&
	crm-order import st.csv 2>/dev/null &&
	crm-order list -o csv --fields ref,status "ref~^Z-" >out &&
	printf "ref,status\nZ-1,cancelled\nZ-2,lost\nZ-3,closed\n" >expect &&
	test_cmp expect out &&
	test -z "$(open_of O202606-00001)" &&
	test -z "$(open_of O202606-00002)" &&
	test -z "$(open_of O202606-00003)"
'

test_expect_success 'a ref the store has already is refused, naming the row' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-order import hist.csv 2>err &&
	grep_q "^crm-order: hist.csv:2: ref: .SO-1." err &&
	nothing_changed 44 1760.00
'

test_expect_success 'all or nothing: a bad row after good orders, nothing written (file:line: field)' '
	cd s &&
	printf "%s\n" "$H" \
		"A-1,2026-07-01,C000001,P-1,1,95.00,,,,,2026-07-02" \
		"A-2,2026-07-01,C000002,P-2,1,10.00,,,,," \
		"A-3,2026-07-01,C000009,P-2,1,10.00,,,,," >bad.csv &&
	before=$(commits) &&
	test_expect_code 65 crm-order import --with-stock bad.csv 2>err &&
	grep_q "^crm-order: bad.csv:4: customer: no customer .C000009." err &&
	nothing_changed 44 1760.00 &&
	test ! -e orders/2026-07 &&
	test_expect_code 1 crm-order list "ref~^A-"
'

test_expect_success 'all or nothing with --with-stock: not enough on hand, named by its row' '
	cd s &&
	printf "%s\n" "$H" \
		"B-1,2026-07-01,C000001,P-1,1,95.00,,,,,2026-07-02" \
		"B-2,2026-07-01,C000001,P-1,100,95.00,,,,,2026-07-02" >short.csv &&
	# 44 on hand, 1 taken by row 2 in this same import: 43 left for row 3
	before=$(commits) &&
	test_expect_code 65 crm-order import --with-stock short.csv 2>err &&
	grep_q "^crm-order: short.csv:3: qty: P-1 at MAIN has 43 on hand, cannot take 100" err &&
	nothing_changed 44 1760.00
'

test_expect_success 'the error names the physical line of the bad row, not its order'\''s first row' '
	cd s &&
	printf "%s\n" "ref,date,customer,sku,qty,price" \
		"C-1,2026-07-01,C000001,P-2,1,10.00" \
		"C-1,2026-07-01,C000001,P-9,1,10.00" >sku.csv &&
	before=$(commits) &&
	test_expect_code 65 crm-order import sku.csv 2>err &&
	grep_q "^crm-order: sku.csv:3: sku: no product .P-9." err &&
	nothing_changed 44 1760.00
'

test_expect_success 'file:line: field for bad values, one by one, nothing written' '
	cd s &&
	before=$(commits) &&
	bad() {
		printf "%s\n" "ref,date,customer,sku,qty,price,discount,terms,ship_date" \
			"D-1,2026-07-01,C000001,P-2,1,10.00,,," "$1" >one.csv &&
		test_expect_code 65 crm-order import one.csv 2>err &&
		grep_q "^crm-order: one.csv:3: $2" err
	} &&
	bad "D-2,2026-07-01,C000001,P-2,x,10.00,,," "qty: " &&
	bad "D-2,2026-07-01,C000001,P-2,0,10.00,,," "qty: " &&
	bad "D-2,2026-07-01,C000001,P-2,1.5,10.00,,," "qty: " &&
	bad "D-2,2026-07-01,C000001,P-2,1,ten,,," "price: " &&
	bad "D-2,2026-07-01,C000001,P-2,1,1.001,,," "price: " &&
	bad "D-2,2026-02-30,C000001,P-2,1,10.00,,," "date: " &&
	bad "D-2,2026-07-01,C000001,P-2,1,10.00,,n/x," "terms: " &&
	bad "D-2,2026-07-01,C000001,P-2,1,10.00,,,2026-06-30" "ship_date: 2026-06-30 is before the order date 2026-07-01" &&
	bad "D-2,2026-07-01,C000001,P-2,1,10.00,,,2026-13-01" "ship_date: " &&
	bad "D-1,2026-07-02,C000001,P-2,1,10.00,,," "ref: .D-1. has another date or customer" &&
	nothing_changed 44 1760.00
'

test_expect_success 'an order'\''s rows must be together: a ref coming back later is refused' '
	cd s &&
	printf "%s\n" "ref,date,customer,sku,qty,price" \
		"E-1,2026-07-01,C000001,P-2,1,10.00" \
		"E-2,2026-07-01,C000001,P-2,1,10.00" \
		"E-1,2026-07-01,C000001,P-2,1,10.00" >apart.csv &&
	before=$(commits) &&
	test_expect_code 65 crm-order import apart.csv 2>err &&
	grep_q "^crm-order: apart.csv:4: ref: .E-1. again" err &&
	nothing_changed 44 1760.00
'

test_expect_success 'refs out of order: distinct ones are imported, one repeated after the disorder is refused' '
	cd s &&
	printf "%s\n" "ref,date,customer,sku,qty,price" \
		"K-3,2026-07-01,C000001,P-2,1,10.00" \
		"K-1,2026-07-01,C000001,P-2,1,10.00" \
		"K-2,2026-07-01,C000001,P-2,1,10.00" \
		"K-1,2026-07-01,C000001,P-2,1,10.00" >disorder.csv &&
	before=$(commits) &&
	test_expect_code 65 crm-order import disorder.csv 2>err &&
	grep_q "^crm-order: disorder.csv:5: ref: .K-1. again" err &&
	nothing_changed 44 1760.00 &&
	head -n 4 disorder.csv >distinct.csv &&
	crm-order import distinct.csv 2>err &&
	grep_q "^crm-order: 3 orders, 3 lines, 0 shipped$" err &&
	crm-order list -o csv --fields ref | grep "^K-" | sort >out &&
	printf "K-1\nK-2\nK-3\n" >expect && test_cmp expect out
'

test_expect_success 'a missing column, an empty input, a missing file' '
	cd s &&
	before=$(commits) &&
	printf "ref,date,customer,sku,qty\nF-1,2026-07-01,C000001,P-2,1\n" >nocol.csv &&
	test_expect_code 65 crm-order import nocol.csv 2>err &&
	grep_q "^crm-order: nocol.csv:1: price: required column missing" err &&
	printf "ref,date,customer,sku,qty,price\n" | test_expect_code 65 crm-order import - 2>err &&
	grep_q "^crm-order: -: no orders in the input" err &&
	{ crm-order import no-such-file.csv 2>err; rc=$?; } &&
	if [ $rc != 66 ]; then echo "import of a missing file: exit $rc, wanted 66" >&2; false; fi &&
	grep_q "no-such-file.csv" err &&
	nothing_changed 44 1760.00
'

test_expect_success 'standard input as spreadsheets write it: BOM, CRLF' '
	cd s &&
	printf "\357\273\277ref,date,customer,sku,qty,price\r\nG-1,2026-07-01,C000002,P-2,2,10.00\r\n" |
		crm-order import - 2>err &&
	grep_q "^crm-order: 1 orders, 1 lines, 0 shipped$" err &&
	crm-order list -o csv --fields ref,customer,status ref=G-1 >out &&
	printf "ref,customer,status\nG-1,C000002,open\n" >expect && test_cmp expect out &&
	test "$(open_of "$(crm-order list -o csv --fields id ref=G-1 | tail -n 1)")" = 20.00 &&
	crm check >/dev/null && store_clean
'

test_done
