#!/bin/sh
# Ledger months of many segments (crm-store(5) "Ledgers"): a month's first 32
# segments lie in its folder, each later run of 32 in a sub-folder named by its
# first number (visits/2026-09/0033/0033.csv), so a write rewrites small trees.
# With store.segment-kib 1 a few hundred records make such a month; appends,
# edits by id, lists, --at, crm log, crm check, a shipment and sync must all
# find the records there, and a month written flat past 32 segments (as crm
# wrote it before sub-folders) reads and appends flat.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# visits N DATEPFX: N visit rows of September (day 1-28, a follow-up each) as CSV on stdout.
visit_rows() {
	echo "customer,date,summary,next_date"
	awk -v n="$1" -v m="$2" 'BEGIN { for (i = 1; i <= n; i++)
		printf "C%06d,%s-%02d,visit %d with a summary long enough to fill a small segment soon,%s-28\n",
			i % 2 + 1, m, i % 28 + 1, i, m }'
}

# layout DIR: each folder of the month DIR holds at most 32 files, and the month
# itself only 0001.csv-0032.csv and sub-folders named by their first segment.
layout_ok() {
	for d in "$1" "$1"/*/; do
		test -d "$d" || continue
		test "$(ls "$d" | grep -c "\.csv$")" -le 32 || { echo "$d: too many segments" >&2; return 1; }
	done
	ls "$1" | grep -v '^00[0-3][0-9]\.csv$' | while read -r f; do
		test -d "$1/$f" || { echo "$1/$f: a flat segment past 32" >&2; exit 1; }
		n=$((1$f - 10000))
		test $(((n - 1) % 32)) = 0 || { echo "$1/$f: not a first segment" >&2; exit 1; }
		for g in "$1/$f"/*.csv; do
			k=$((1$(basename "$g" .csv) - 10000))
			test $k -ge $n && test $k -lt $((n + 32)) || { echo "$g: in the wrong sub-folder" >&2; exit 1; }
		done
	done
}

same_state() {
	test "$(git -C "$1" rev-parse HEAD^{tree})" = "$(git -C "$2" rev-parse HEAD^{tree})" || {
		git -C "$1" log --oneline -3 >&2; git -C "$2" log --oneline -3 >&2; return 1; }
}

test_expect_success 'setup: a store of 1 KiB segments, two customers, stock' '
	new_store s &&
	git config -f crm.conf store.segment-kib 1 && git commit -qam "small segments" &&
	crm-customer add Acme >/dev/null &&
	crm-customer add Beta >/dev/null &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add P-1 Pump price=10.00 >/dev/null &&
	crm-stock in P-1 100000 --cost 4.00 --date 2026-09-01 >/dev/null &&
	git rev-parse HEAD >../before-visits
'

test_expect_success 'a month of 800 visits: 32 segments in the month, the rest in sub-folders of 32' '
	cd s &&
	visit_rows 800 2026-09 | crm-visit log - >/dev/null &&
	test -f visits/2026-09/0032.csv && ! test -e visits/2026-09/0033.csv &&
	test -f visits/2026-09/0033/0033.csv && test -f visits/2026-09/0033/0064.csv &&
	test -f visits/2026-09/0065/0065.csv &&
	layout_ok visits/2026-09 &&
	test "$(git ls-tree HEAD visits/2026-09/ | wc -l)" -lt 40 &&
	test "$(cat $(find visits -name "*.csv") | grep -c "^V202609-")" = 800 &&
	test "$(cat $(find visits -name "*.csv") | cut -d, -f1 | grep "^V" | sort -u | wc -l)" = 800 &&
	crm check >out && grep_q " 0 problems" out
'

test_expect_success 'the next visit is numbered after the whole month and lands in the last sub-folder' '
	cd s &&
	last=$(find visits/2026-09 -name "*.csv" | sort | tail -1) &&
	crm-visit log C000001 "one more" --date 2026-09-15 >id &&
	test "$(cat id)" = V202609-00801 &&
	test "$(find visits/2026-09 -name "*.csv" | sort | tail -1)" = "$(git show --format= --name-only HEAD -- visits)" &&
	grep -q "^V202609-00801," $(git show --format= --name-only HEAD -- visits) &&
	case $last in visits/2026-09/0*/0*.csv) ;; *) false ;; esac
'

test_expect_success 'list: the whole month, newest first across its sub-folders' '
	cd s &&
	crm-visit list -o csv --fields date,id "date<2026-10-01" >l &&
	test "$(tail -n +2 l | wc -l)" = 801 &&
	tail -n +2 l | LC_ALL=C sort -c -r &&
	test "$(sed -n 2p l)" = "2026-09-28,V202609-00783"
'

test_expect_success 'done by id: a visit in a sub-folder, only its segment rewritten' '
	cd s &&
	f=$(grep -l "^V202609-00500," $(find visits -name "*.csv")) &&
	case $f in visits/2026-09/0*/0*.csv) ;; *) false ;; esac &&
	crm-visit done V202609-00500 >/dev/null &&
	test "$(git show --format= --name-only HEAD)" = "$f" &&
	grep -q "^V202609-00500,.*,20[0-9-]*$" "$f" &&
	crm-visit list -o csv --fields id,done "id=V202609-00500" >d &&
	grep -q "^V202609-00500,20[0-9-]*$" d
'

test_expect_success '--at and crm log read the sub-folders of a past tree' '
	cd s &&
	test "$(crm-visit --at HEAD~1 list -o csv "date<2026-10-01" | wc -l)" = 802 &&
	test "$(crm-visit --at $(cat ../before-visits) list -o csv | wc -l)" = 1 &&
	crm-visit --at HEAD~1 list -o csv --fields id,done "id=V202609-00500" >d &&
	grep -q "^V202609-00500,$" d &&
	crm log V202609-00500 >log &&
	grep_q "^[0-9a-f]*,.*,V202609-00500,done,," log &&
	grep_q "^[0-9a-f]*,.*,V202609-00500,(created)," log &&
	crm log V202609-00777 >log && grep_q "V202609-00777" log
'

test_expect_success 'undo of a change in a sub-folder' '
	cd s &&
	crm undo >/dev/null &&
	crm-visit list -o csv --fields id,done "id=V202609-00500" >d &&
	grep -q "^V202609-00500,$" d &&
	crm check >out && grep_q " 0 problems" out
'

test_expect_success 'crm check: the month of a record and duplicate ids across sub-folders' '
	cd s &&
	g=visits/2026-09/0065/0070.csv &&
	grep "^V202609-00003," visits/2026-09/0001.csv >>$g &&
	grep "^V202609-00004," visits/2026-09/0001.csv | sed "s/^V202609-00004,2026-09-05/V202609-99999,2026-08-05/" >>$g &&
	test_must_fail crm check >out 2>&1 &&
	grep_q "$g:.*duplicate id .V202609-00003." out &&
	grep_q "$g:.*dated 2026-08-05, so it belongs in visits/2026-08/" out &&
	git checkout -q -- $g &&
	crm check >out && grep_q " 0 problems" out
'

test_expect_success 'orders and lines in sub-folders: show and ship one there' '
	cd s &&
	{ echo "ref,date,customer,sku,qty,price,discount,owner,terms,status,ship_date"
	  awk "BEGIN { for (i = 1; i <= 700; i++) printf \"R%d,2026-10-%02d,C%06d,P-1,%d,10.00,,,,,\\n\", i, i % 28 + 1, i % 2 + 1, i % 5 + 1 }"
	} | crm-order import >/dev/null &&
	layout_ok orders/2026-10 && layout_ok lines/2026-10 &&
	test -d orders/2026-10/0033 && test -d lines/2026-10/0033 &&
	o=O202610-00690 &&
	grep -l "^$o," $(find orders -name "*.csv") | grep -q "^orders/2026-10/0[0-9]*/" &&
	crm-order show $o >show && grep_q "$o" show &&
	crm-order ship $o --date 2026-10-30 >/dev/null &&
	git show --format= --name-only HEAD >touched &&
	grep_q "^orders/2026-10/0[0-9]*/0[0-9]*\.csv$" touched &&
	grep_q "^lines/2026-10/0[0-9]*/0[0-9]*\.csv$" touched &&
	grep_q "^shipments/2026-10/0001\.csv$" touched &&
	crm-order list -o csv --fields id,status "id=$o" >st && grep_q "^$o,shipped$" st &&
	crm check >out && grep_q " 0 problems" out
'

test_expect_success 'a month written flat past 32 segments (the old layout) reads, edits and appends flat' '
	cd s &&
	for f in visits/2026-09/0*/*.csv; do git mv "$f" visits/2026-09/; done &&
	rmdir visits/2026-09/0*/ &&
	git commit -qm "the old layout: one flat month" &&
	test "$(find visits/2026-09 -mindepth 1 -type d | wc -l)" = 0 &&
	n=$(ls visits/2026-09 | wc -l) &&
	crm check >out && grep_q " 0 problems" out &&
	test "$(crm-visit list -o csv "date<2026-10-01" | wc -l)" = 802 &&
	crm-visit done V202609-00600 >/dev/null &&
	visit_rows 40 2026-09 | crm-visit log - >ids &&
	test "$(find visits/2026-09 -mindepth 1 -type d | wc -l)" = 0 &&
	test "$(ls visits/2026-09 | wc -l)" -gt "$n" &&
	test "$(cat $(find visits -name "*.csv") | cut -d, -f1 | grep "^V2026" | sort -u | wc -l)" = 841 &&
	crm-visit list -o csv --fields date,id "date<2026-10-01" | tail -n +2 | LC_ALL=C sort -c -r &&
	crm check >out && grep_q " 0 problems" out
'

test_expect_success 'sync: two clones append to the same sub-folder, merged as a union' '
	cd s &&
	visit_rows 300 2026-11 | crm-visit log - >/dev/null &&
	test -d visits/2026-11/0033 &&
	git init -q --bare -b main ../srv.git &&
	git remote add origin ../srv.git &&
	crm sync >/dev/null &&
	cd .. && crm clone srv.git bob >/dev/null &&
	(cd bob && visit_rows 30 2026-11 | crm-visit log - >/dev/null && crm sync >/dev/null) &&
	(cd s && visit_rows 30 2026-11 | crm-visit log - >/dev/null && crm sync >/dev/null 2>../err) &&
	(cd bob && crm sync >/dev/null) &&
	same_state s bob &&
	cd s &&
	test "$(cat $(find visits/2026-11 -name "*.csv") | grep -c "^V202611-")" = 360 &&
	test "$(cat $(find visits/2026-11 -name "*.csv") | cut -d, -f1 | grep "^V" | sort -u | wc -l)" = 360 &&
	layout_ok visits/2026-11 &&
	test "$(crm conflicts -o csv | wc -l)" -le 1 &&
	crm check >out && grep_q " 0 problems" out
'

test_done
