#!/bin/sh
# open/ in 4096 shards named by four hex digits in the folder of the shard's
# number over 64 (open/3d/0f6c.csv, crm-store(5) "Open items"); a store whose open/ a crm
# of before wrote in 1024 shards of three digits (open/3d/3db.csv) keeps
# them: payments, invoices and crm check find its items there.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# open_of DOC: the open amount open/ keeps for a document (empty when settled).
open_of() {
	cat open/*/*.csv | awk -F, -v d="$1" '$3 == d { print $(NF - 1) }'
}

test_expect_success 'setup: forty customers, an invoice each' '
	new_store s &&
	for i in $(seq 1 40); do crm-customer add "Customer $i" >/dev/null || return 1; done &&
	for i in $(seq 1 40); do
		crm-ar invoice "$(printf C%06d "$i")" 100.00 --terms n/30 --date 2026-11-02 >/dev/null || return 1
	done
'

test_expect_success 'a new store keeps open/ in four hex digits, in the folder of the number over 64' '
	cd s &&
	find open -name "*.csv" | sort >files &&
	# forty customers in 4096 shards: hardly two in one
	test "$(wc -l <files)" -ge 30 &&
	! grep -v "^open/[0-3][0-9a-f]/0[0-9a-f][0-9a-f][0-9a-f]\.csv$" files &&
	while read -r f; do
		n=${f##*/} && n=${n%.csv} && d=${f#open/} && d=${d%%/*} &&
		test $((0x$n >> 6)) = $((0x$d)) || return 1
	done <files &&
	test "$(open_of I202611-00007)" = 100.00 &&
	crm check >/dev/null
'

test_expect_success 'a store whose open/ has 1024 shards of three digits keeps them' '
	cd s &&
	head -1 "$(head -1 files)" >header &&
	# each four-digit shard k into the three-digit one k mod 1024, as a crm of before wrote it
	mkdir ../old &&
	while read -r f; do
		n=${f##*/} && k=$((0x${n%.csv} % 1024)) &&
		tail -n +2 "$f" >>"../old/$(printf %03x $k)" || return 1
	done <files &&
	git rm -rq open &&
	for b in ../old/*; do
		k=$((0x${b##*/})) && d=$(printf open/%02x $((k >> 4))) && mkdir -p "$d" &&
		{ cat header && LC_ALL=C sort "$b"; } >"$d/${b##*/}.csv" || return 1
	done &&
	git add open && git commit -qm "open/ as a crm of before wrote it" &&
	crm check >/dev/null &&
	# a payment settles the invoice where the old shard holds it
	crm-ar pay C000007 100.00 --date 2026-11-10 --invoice I202611-00007 >/dev/null &&
	test -z "$(open_of I202611-00007)" &&
	crm-ar invoice C000007 50.00 --terms n/30 --date 2026-11-11 >id &&
	test "$(open_of "$(cat id)")" = 50.00 &&
	f=$(grep -l "^C000007@" open/*/*.csv) &&
	expr "$f" : "open/[0-3][0-9a-f]/[0-3][0-9a-f][0-9a-f]\.csv$" >/dev/null &&
	test -z "$(find open -name "????.csv")" &&
	crm check >/dev/null &&
	store_clean
'

test_expect_success 'a shard renamed into the other layout is named by crm check' '
	cd s &&
	# the last: crm reads the layout from the first
	f=$(find open -name "*.csv" | LC_ALL=C sort | tail -1) &&
	n=${f##*/} && d=${f%/*} &&
	git mv "$f" "$d/0$n" && git commit -qm "one shard renamed" &&
	test_expect_code 65 crm check >out 2>&1 &&
	grep_q "belongs in $f" out
'

test_done
