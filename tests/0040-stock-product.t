#!/bin/sh
# crm-stock warehouse add/list and product add/set/list/import: the master files,
# upsert, all or nothing, one commit per command.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# shard SKU: the products/ and stock/ file a SKU lives in, by the store's rule:
# FNV-1a 32-bit of the SKU bytes (offset 2166136261, prime 16777619) mod 64, two hex digits.
shard() {
	h=2166136261
	for b in $(printf %s "$1" | od -An -v -tu1); do
		h=$(( ((h ^ b) * 16777619) & 4294967295 ))
	done
	printf '%02x\n' $((h % 64))
}

HDR=sku,name,category,unit,price,price_a,price_b,price_c,price_d,floor,alert_level,reorder_qty,status

test_expect_success 'the shard rule itself (checked against a hand-run FNV-1a)' '
	# FNV-1a of "a": (2166136261 ^ 97) * 16777619 mod 2^32 = 3826002220 = 0xe40c292c; mod 64 = 0x2c
	test "$(shard a)" = 2c
'

test_expect_success 'warehouse add prints the id, one commit each; a parent must exist first' '
	new_store s &&
	before=$(commits) &&
	crm-stock warehouse add MAIN "Main store" >out &&
	test "$(cat out)" = MAIN &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s | grep -q "^crm-stock warehouse add MAIN" &&
	git log -1 --format=%b | grep -q "^\\$ crm-stock warehouse add MAIN" &&
	crm-stock warehouse add EAST "East depot" parent=MAIN >out &&
	test "$(cat out)" = EAST &&
	test "$(commits)" = $((before + 2)) &&
	store_clean
'

test_expect_success 'warehouse list and warehouses/00.csv: id,name,parent sorted by id' '
	cd s &&
	printf "%s\n" id,name,parent "EAST,East depot,MAIN" "MAIN,Main store," >expect &&
	test_cmp expect warehouses/00.csv &&
	crm-stock warehouse list -o csv >out &&
	test_cmp expect out &&
	crm check >/dev/null
'

test_expect_success 'product add prints the SKU, one commit, money with 2 digits, status active' '
	cd s &&
	before=$(commits) &&
	crm-stock product add W-12 "Wrench 12" category=tools/hand/wrench unit=pcs price=20 price_a=18.5 floor=15 alert_level=10 reorder_qty=50 >out &&
	test "$(cat out)" = W-12 &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s | grep -q "^crm-stock product add W-12" &&
	f=products/$(shard W-12).csv &&
	test "$f" = products/26.csv &&
	head -1 $f >h && echo $HDR >expect && test_cmp expect h &&
	grep_q "^W-12,Wrench 12,tools/hand/wrench,pcs,20.00,18.50,,,,15.00,10,50,active$" $f &&
	store_clean
'

test_expect_success 'product list: every column in csv, sorted by sku (strcmp across shards)' '
	cd s &&
	crm-stock product add H-1 Hammer category=tools/hand/hammer >/dev/null &&
	crm-stock product add D-9 Drill category=tools/power/drill unit=pcs price=199 >/dev/null &&
	crm-stock product add a-1 "lower-case sku" category=misc >/dev/null &&
	crm-stock product list -o csv >out &&
	# strcmp: "D-9" < "H-1" < "W-12" < "a-1" (upper case before lower case)
	printf "%s\n" $HDR "D-9,Drill,tools/power/drill,pcs,199.00,,,,,,,,active" \
		"H-1,Hammer,tools/hand/hammer,,,,,,,,,,active" \
		"W-12,Wrench 12,tools/hand/wrench,pcs,20.00,18.50,,,,15.00,10,50,active" \
		"a-1,lower-case sku,misc,,,,,,,,,,active" >expect &&
	test_cmp expect out &&
	test -f products/$(shard H-1).csv && grep -q "^H-1," products/$(shard H-1).csv &&
	test -f products/$(shard D-9).csv && grep -q "^D-9," products/$(shard D-9).csv &&
	crm check >/dev/null
'

test_expect_success 'SKUs in one shard are kept in byte order within the file' '
	cd s &&
	# all four hash to shard 00; added in reverse of byte order
	for k in p_13 p-15 P_0 P-46; do
		test "$(shard $k)" = 00 || exit 1
		crm-stock product add $k "part $k" category=parts >/dev/null || exit 1
	done &&
	tail -n +2 products/00.csv | cut -d, -f1 >got &&
	# "-" (0x2d) < "_" (0x5f); "P" (0x50) < "p" (0x70)
	printf "%s\n" P-46 P_0 p-15 p_13 >expect &&
	test_cmp expect got &&
	crm-stock product list -o csv --fields sku >out &&
	tail -n +2 out >got && LC_ALL=C sort -c got &&
	test "$(wc -l <got)" = 8 &&
	store_clean
'

test_expect_success 'product list: --fields and filters' '
	cd s &&
	crm-stock product list -o csv --fields sku,price "price>19" >out &&
	printf "%s\n" sku,price D-9,199.00 W-12,20.00 >expect && test_cmp expect out &&
	crm-stock product list -o csv --fields sku "category~^tools/hand/" >out &&
	printf "%s\n" sku H-1 W-12 >expect && test_cmp expect out &&
	test_expect_code 1 crm-stock product list -o csv category=nothing >out &&
	# no product row (a csv header alone, as crm-customer list does)
	test "$(grep -c -v "^sku," out)" = 0
'

test_expect_success 'a SKU of 40 characters is an id; a deep category path is fine' '
	cd s &&
	sku=ABCDEFGHIJ_abcdefghij-0123456789_XYZxyz9 &&
	test ${#sku} = 40 &&
	crm-stock product add $sku "Long one" category=a/b/c/d/e >out &&
	test "$(cat out)" = $sku &&
	grep_q "^$sku,Long one,a/b/c/d/e," products/$(shard $sku).csv
'

test_expect_success 'product set: one SKU, several SKUs, one commit each; money normalised' '
	cd s &&
	before=$(commits) &&
	crm-stock product set W-12 price=21.5 >/dev/null &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s | grep -q "^crm-stock product set" &&
	crm-stock product set H-1 D-9 unit=box alert_level=3 >/dev/null &&
	test "$(commits)" = $((before + 2)) &&
	crm-stock product list -o csv --fields sku,unit,price,alert_level "sku~^[DHW]-" >out &&
	printf "%s\n" sku,unit,price,alert_level D-9,box,199.00,3 H-1,box,,3 W-12,pcs,21.50,10 >expect &&
	test_cmp expect out &&
	store_clean
'

test_expect_success 'product set - takes SKUs one a line on stdin, one commit' '
	cd s &&
	before=$(commits) &&
	printf "H-1\nW-12\n" | crm-stock product set - reorder_qty=7 >/dev/null &&
	test "$(commits)" = $((before + 1)) &&
	crm-stock product list -o csv --fields sku,reorder_qty "reorder_qty=7" >out &&
	printf "%s\n" sku,reorder_qty H-1,7 W-12,7 >expect && test_cmp expect out &&
	crm-stock product list -o csv --fields sku,reorder_qty sku=D-9 >out &&
	printf "%s\n" sku,reorder_qty D-9, >expect && test_cmp expect out
'

test_expect_success 'product set - takes the records of product list -o csv (key column sku)' '
	cd s &&
	before=$(commits) &&
	crm-stock product list -o csv "category~^tools/power/" | crm-stock product set - floor=150 >/dev/null &&
	test "$(commits)" = $((before + 1)) &&
	crm-stock product list -o csv --fields sku,floor "floor>0" >out &&
	printf "%s\n" sku,floor D-9,150.00 W-12,15.00 >expect && test_cmp expect out &&
	store_clean
'

test_expect_success 'product set refuses a bad category and changes nothing' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-stock product set H-1 category=tools/ 2>err &&
	grep_q "^crm-stock: argument: category: " err &&
	test "$(commits)" = $before &&
	grep_q "^H-1,Hammer,tools/hand/hammer," products/$(shard H-1).csv &&
	store_clean
'

test_expect_success 'product import: upsert by sku, absent columns kept, one commit' '
	cd s &&
	before=$(commits) &&
	printf "%s\n" sku,name,price "H-1,Hammer (heavy),12.5" "N-2,Nail,0.1" >up.csv &&
	crm-stock product import up.csv >out 2>err &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s | grep -q "^crm-stock product import" &&
	crm-stock product list -o csv "sku~^[HN]-" >out &&
	printf "%s\n" $HDR "H-1,Hammer (heavy),tools/hand/hammer,box,12.50,,,,,,3,7,active" \
		"N-2,Nail,,,0.10,,,,,,,,active" >expect &&
	test_cmp expect out &&
	store_clean
'

test_expect_success 'product import: columns found by header name, in any order; stdin' '
	cd s &&
	before=$(commits) &&
	printf "%s\n" price_b,status,sku "9,discontinued,N-2" | crm-stock product import - 2>err &&
	test "$(commits)" = $((before + 1)) &&
	crm-stock product list -o csv --fields sku,name,price,price_b,status sku=N-2 >out &&
	printf "%s\n" sku,name,price,price_b,status "N-2,Nail,0.10,9.00,discontinued" >expect &&
	test_cmp expect out
'

# refused 'message regex' FILE: 65, no commit, the products unchanged, tree clean.
refused() {
	before=$(commits) &&
	crm-stock product list -o csv >state.before &&
	test_expect_code 65 crm-stock product import "$2" 2>err &&
	grep_q "$1" err &&
	test "$(commits)" = $before &&
	crm-stock product list -o csv >state.after &&
	test_cmp state.before state.after &&
	store_clean
}

test_expect_success 'product import is all or nothing: a bad row after good ones, nothing taken' '
	cd s &&
	printf "%s\n" sku,name,price "W-12,Changed,1" "Z-1,Brand new,2" "D-9,Drill,abc" "Z-2,Later,3" >bad.csv &&
	refused "^crm-stock: bad.csv:4: price: " bad.csv &&
	test_expect_code 1 crm-stock product list sku=Z-1 >/dev/null
'

test_expect_success 'product import: a SKU twice in the input is refused, naming both lines' '
	cd s &&
	printf "sku,name\nQ-1,One\n\nQ-1,Two\n" >twice.csv &&
	refused "^crm-stock: twice.csv:4: sku: .*Q-1.*line 2" twice.csv &&
	test_expect_code 1 crm-stock product list sku=Q-1 >/dev/null
'

test_expect_success 'product import: a new SKU needs a name; an update does not' '
	cd s &&
	printf "sku,price\nW-12,22\nQ-2,5\n" >noname.csv &&
	refused "^crm-stock: noname.csv:3: name: " noname.csv &&
	printf "sku,price\nW-12,22\n" | crm-stock product import - 2>/dev/null &&
	crm-stock product list -o csv --fields sku,name,price sku=W-12 >out &&
	printf "%s\n" sku,name,price "W-12,Wrench 12,22.00" >expect && test_cmp expect out
'

test_expect_success 'product import: a header without sku is refused' '
	cd s &&
	printf "name,price\nNo sku,1\n" >nosku.csv &&
	refused "^crm-stock: nosku.csv:1: sku: " nosku.csv
'

test_expect_success 'product import: a category with an empty segment is refused at its line' '
	cd s &&
	printf "sku,name,category\nC-1,Ok,tools/hand\nC-2,Bad,tools//hand\n" >cat.csv &&
	refused "^crm-stock: cat.csv:3: category: " cat.csv &&
	test_expect_code 1 crm-stock product list sku=C-1 >/dev/null
'

test_expect_success 'product import: a spreadsheet CSV with a BOM, CRLF and a quoted comma' '
	cd s &&
	before=$(commits) &&
	printf "\357\273\277sku,name,category,unit,price\r\nB-7,\"Bolt, 7mm\",parts/bolt,pcs,0.05\r\n\r\nH-1,Hammer,tools/hand/hammer,pcs,12.50\r\n" >sheet.csv &&
	crm-stock product import sheet.csv 2>err &&
	test "$(commits)" = $((before + 1)) &&
	crm-stock product list -o csv --fields sku,name,category,unit,price "sku~^[BH]-" >out &&
	printf "%s\n" sku,name,category,unit,price "B-7,\"Bolt, 7mm\",parts/bolt,pcs,0.05" \
		"H-1,Hammer,tools/hand/hammer,pcs,12.50" >expect &&
	test_cmp expect out &&
	grep_q "^B-7,\"Bolt, 7mm\",parts/bolt,pcs,0.05,,,,,,,,active$" products/$(shard B-7).csv &&
	! grep -rl "$(printf "\r")" products warehouses &&
	! grep -rl "$(printf "\357\273\277")" products &&
	crm check >/dev/null &&
	store_clean
'

test_expect_success 'the whole product list round-trips through import: nothing changes' '
	cd s &&
	head=$(git rev-parse HEAD) &&
	crm-stock product list -o csv >all &&
	crm-stock product import all 2>/dev/null &&
	crm-stock product list -o csv >again &&
	test_cmp all again &&
	git diff --quiet $head HEAD -- products &&
	store_clean
'

test_expect_success 'discontinued: listed by status; an in is refused, the record kept' '
	cd s &&
	crm-stock product set B-7 status=discontinued >/dev/null &&
	crm-stock product list -o csv --fields sku status=discontinued >out &&
	printf "%s\n" sku B-7 N-2 >expect && test_cmp expect out &&
	before=$(commits) &&
	test_expect_code 65 crm-stock in B-7 5 --cost 1 --wh MAIN --date 2026-11-02 2>err &&
	grep_q "^crm-stock: argument: sku: .*B-7" err &&
	grep_q "discontinued" err &&
	test "$(commits)" = $before &&
	test_expect_code 65 crm-stock product set B-7 status=gone 2>err &&
	grep_q "^crm-stock: argument: status: " err &&
	crm-stock product set B-7 status=active >/dev/null &&
	crm-stock in B-7 5 --cost 1 --wh MAIN --date 2026-11-02 >id &&
	test "$(cat id)" = M202611-00001 &&
	store_clean
'

test_expect_success 'product add refuses a SKU that exists, without a commit' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-stock product add W-12 "Other" 2>err &&
	grep_q "^crm-stock: argument: sku: .*W-12" err &&
	test "$(commits)" = $before &&
	grep_q "^W-12,Wrench 12," products/$(shard W-12).csv &&
	store_clean
'

test_expect_success '-n: product add and import commit nothing' '
	cd s &&
	before=$(commits) &&
	crm-stock -n product add DRY-1 "Dry" >out 2>&1 &&
	grep_q "would" out &&
	printf "sku,name\nDRY-2,Dry two\n" | crm-stock -n product import - >out 2>&1 &&
	grep_q "would" out &&
	test "$(commits)" = $before &&
	test_expect_code 1 crm-stock product list "sku~^DRY" >/dev/null &&
	store_clean
'

test_expect_success 'list -o json and --at: the catalogue as a past commit had it' '
	cd s &&
	crm-stock product list -o json sku=W-12 >out &&
	test "$(wc -l <out)" = 1 &&
	grep_q "\"sku\":\"W-12\"" out &&
	grep_q "\"name\":\"Wrench 12\"" out &&
	first=$(git log --format=%H --grep="^crm-stock product add W-12" | tail -1) &&
	crm-stock product list --at $first -o csv --fields sku,price >out &&
	printf "%s\n" sku,price W-12,20.00 >expect && test_cmp expect out &&
	crm check >/dev/null
'

test_expect_success 'product import: a progress line only on a terminal (CRM_PROGRESS_AFTER=0)' '
	command -v script >/dev/null || { echo "script(1) is needed (Debian package util-linux)"; exit 1; }
	cd s &&
	awk "BEGIN { print \"sku,name,price\"; for (i = 0; i < 1500; i++) printf \"P-%d,Part %d,1\\n\", i, i }" >../parts.csv &&
	CRM_PROGRESS_AFTER=0 crm-stock product import ../parts.csv 2>err &&
	! grep -q "imported" err &&
	sed "s/^P-/Q-/" ../parts.csv >../parts2.csv &&
	CRM_PROGRESS_AFTER=0 script -qec "crm-stock product import ../parts2.csv" /dev/null >out </dev/null &&
	grep -q "crm-stock: imported 1,024 of 1,500" out &&
	grep -q "$(printf "\r\033\\[K")crm-stock: 1500 added" out &&
	store_clean
'

test_done
