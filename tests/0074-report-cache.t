#!/bin/sh
# crm-report's column cache (crm-report(1) "CACHE", crm-store(5)): what a
# report read of a file is kept in .git/crm-cache, keyed by the file's
# identity (device, inode, size, modification and change times). A report
# from the cache says what one from the files says; a file changed in any
# way is read again; a cache file changed by anything but crm is no cache;
# --at and a store whose cache cannot be written read the files; crm gc
# removes what the cache holds of files since changed or gone.
. "${0%/*}/lib.sh"
. "$TEST_SRC/tests/report-store.sh"

# age: the store's files as if written an hour ago, and the change time that
# touch sets settled too (a file changed within a few seconds is not kept: it
# could change again unseen within the clock's grain).
age() {
	find customers products shipments orders receipts invoices visits -name "*.csv" -exec touch -d "1 hour ago" {} + &&
	sleep 3
}

test_expect_success 'setup: the report store, its files settled' '
	report_store &&
	age &&
	crm-report top 3 sales >../top.files &&
	crm-report pivot region month --sum margin >../pivot.files &&
	crm-report kpi --by owner --from 2025-01-01 --to 2026-12-31 >../kpi.files &&
	crm-report compare receipts --period quarter >../compare.files
'

test_expect_success 'the first reports kept what they read of each file' '
	cd s &&
	test -d .git/crm-cache &&
	find .git/crm-cache -type f -name "*.csv.*" >../cached &&
	grep -q "^.git/crm-cache/shipments/" ../cached &&
	grep -q "^.git/crm-cache/customers/" ../cached &&
	grep -q "^.git/crm-cache/visits/" ../cached &&
	! grep -q "\.tmp$" ../cached &&
	# nothing of it is in the work tree or in git
	git status --porcelain >../st && test ! -s ../st
'

test_expect_success 'the same reports from the cache say the same' '
	cd s &&
	crm-report top 3 sales >out && test_cmp ../top.files out &&
	crm-report pivot region month --sum margin >out && test_cmp ../pivot.files out &&
	crm-report kpi --by owner --from 2025-01-01 --to 2026-12-31 >out && test_cmp ../kpi.files out &&
	crm-report compare receipts --period quarter >out && test_cmp ../compare.files out &&
	CRM_NO_CACHE=1 crm-report top 3 sales >out && test_cmp ../top.files out
'

test_expect_success 'a shipment changed in place, its times put back: the change time differs, the file is read again' '
	cd s &&
	f=$(grep -l "^S202601-00001," shipments/*/*.csv) &&
	grep -q "^S202601-00001,2026-01-15,.*,1000.00,600.00," "$f" &&
	# same size, same inode: 1000.00 -> 9000.00 written over the bytes
	off=$(grep -bo "^S202601-00001,2026-01-15,[^\n]*,1000.00," "$f" | cut -d: -f1) &&
	line=$(grep "^S202601-00001," "$f") &&
	pre=${line%%,1000.00,*} &&
	ino=$(stat -c %i "$f") &&
	printf 9 | dd of="$f" bs=1 seek=$((off + ${#pre} + 1)) conv=notrunc 2>/dev/null &&
	touch -d "1 hour ago" "$f" &&
	test "$(stat -c %i "$f")" = "$ino" &&
	grep -q ",9000.00,600.00," "$f" &&
	crm-report top 1 sales >out &&
	# Acme: 1900.00 + 8000.00
	grep -q "^1,C000001,Acme,9900.00," out &&
	git checkout -q -- "$f" && touch -d "1 hour ago" "$f" &&
	crm-report top 3 sales >out && test_cmp ../top.files out
'

test_expect_success 'a cache file changed by hand is no cache: the report reads the file' '
	cd s &&
	for c in $(find .git/crm-cache/shipments -type f); do
		# a byte in the middle of each, and one file cut short
		size=$(stat -c %s "$c") &&
		printf "\377" | dd of="$c" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null || return 1
	done &&
	c=$(find .git/crm-cache/customers -type f | head -1) &&
	truncate -s 100 "$c" &&
	crm-report top 3 sales >out && test_cmp ../top.files out &&
	crm-report pivot region month --sum margin >out && test_cmp ../pivot.files out
'

test_expect_success 'a file written a moment ago is read each time, not kept' '
	cd s &&
	crm-visit log C000002 --date 2026-06-10 "called about hoses" >/dev/null &&
	f=$(grep -l "called about hoses" visits/*/*.csv) &&
	crm-report top 5 visits --of customers >/dev/null &&
	! find .git/crm-cache -path "*/$f.*" | grep -q . &&
	# 8 visits before, 9 now: Beta 2
	crm-report top 5 visits --of customers >out &&
	grep -q "^[0-9],C000002,Beta,2," out
'

test_expect_success '--at reads the files of that commit, and neither uses nor writes the cache' '
	cd s &&
	rev=$(git rev-parse HEAD~1) &&
	rm -rf .git/crm-cache &&
	crm-report top 3 sales --at "$rev" >out &&
	test ! -e .git/crm-cache &&
	CRM_NO_CACHE=1 crm-report top 3 sales --at "$rev" >expect &&
	test_cmp expect out
'

test_expect_success 'a cache that cannot be made: the report reads the files, says nothing of it' '
	cd s &&
	rm -rf .git/crm-cache && : >.git/crm-cache &&
	crm-report top 3 sales >out 2>err &&
	test_cmp ../top.files out && test ! -s err &&
	rm -f .git/crm-cache
'

test_expect_success 'crm gc removes what the cache holds of files changed or gone, and keeps the rest' '
	cd s &&
	age &&
	crm-report top 3 sales >/dev/null &&
	n=$(find .git/crm-cache -type f | wc -l) && test "$n" -gt 0 &&
	: >.git/crm-cache/shipments/stray.csv.0102 &&
	f=$(find shipments -name "*.csv" | head -1) &&
	touch "$f" &&
	crm gc >out &&
	grep -q "^removed 2 stale files of the reports" out &&
	test "$(find .git/crm-cache -type f | wc -l)" = $((n - 1)) &&
	crm gc >out && ! grep -q stale out
'

# A report finds a fact's customer by the number of its id when every id is
# one prefix and its number zero-padded to one width (C000001 ... C1000000),
# else by the id itself: both must find every customer and no other.
# top_visits DIR ID...: a store of the customers of in.csv, a visit for each ID
# given (one per time named), and its top 5 customers by visits in ../out.
top_visits() {
	crm init "$1" >/dev/null &&
	(cd "$1" && crm-customer import - <../in.csv 2>/dev/null &&
		shift && for c; do crm-visit log "$c" --date 2026-06-10 "called" >/dev/null || return 1; done &&
		crm-report top 5 visits --of customers --from 2026-01-01 --to 2026-12-31 -o csv >../out)
}

test_expect_success 'customers numbered past the width of the first are found by their number' '
	{ echo id,name,region && for i in $(seq 1 12); do echo "K$i,N$i,East"; done; } >in.csv &&
	top_visits ids1 K1 K10 K10 K12 K12 K12 &&
	# of 6 visits: 3 = 50.00 %, 2 = 33.33 %, 1 = 16.67 %
	cat >expect <<-\EOF &&
	rank,customers,name,value,share_pct
	1,K12,N12,3,50.00
	2,K10,N10,2,33.33
	3,K1,N1,1,16.67
	EOF
	test_cmp expect out
'

test_expect_success 'ids of other forms beside them are found by the id itself' '
	printf "id,name,region\nC000001,Acme,East\nC12,Beta,West\nC0000005,Gamma,East\nC1000000,Delta,West\n" >in.csv &&
	top_visits ids2 C000001 C000001 C12 C0000005 C0000005 C0000005 C1000000 &&
	# of 7 visits: 3 = 42.86 %, 2 = 28.57 %, 1 = 14.29 % (twice, by id)
	cat >expect <<-\EOF &&
	rank,customers,name,value,share_pct
	1,C0000005,Gamma,3,42.86
	2,C000001,Acme,2,28.57
	3,C1000000,Delta,1,14.29
	4,C12,Beta,1,14.29
	EOF
	test_cmp expect out
'

test_done
