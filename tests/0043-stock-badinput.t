#!/bin/sh
# crm-stock refuses bad input: argument or FILE:LINE, the field, exit 65 (2 for usage),
# no commit, nothing changed, a clean tree.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# state: everything a refusal must leave as it was.
state() {
	{
		crm-stock level --all -o csv
		crm-stock product list -o csv
		crm-stock warehouse list -o csv
		cat moves/*/*.csv
	} 2>&1
}

test_expect_success 'setup: MAIN and EAST, W-12 with 10 at MAIN (20.00), B-7 discontinued' '
	new_store s &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock warehouse add EAST East >/dev/null &&
	crm-stock product add W-12 "Wrench 12" category=tools/hand unit=pcs >/dev/null &&
	crm-stock product add B-7 Bolt category=parts >/dev/null &&
	crm-stock in W-12 10 --cost 2 --wh MAIN --date 2026-11-01 >/dev/null &&
	crm-stock product set B-7 status=discontinued >/dev/null &&
	crm check >/dev/null
'

# refuse_arg CODE NAME 'expected message (a regex after "crm-stock: ")' crm-stock arguments...
refuse_arg() {
	code=$1 name=$2 msg=$3
	shift 3
	args=
	for a; do
		args="$args '$(printf %s "$a" | sed "s/'/'\\\\''/g")'"
	done
	test_expect_success "refused ($code): $name" '
		cd s &&
		before=$(commits) &&
		state >state.before &&
		{ eval "test_expect_code $code crm-stock $args" >out 2>err || { cat err >&2; false; }; } &&
		grep_q "^crm-stock: $msg" err &&
		test ! -s out &&
		test "$(commits)" = $before &&
		state >state.after &&
		test_cmp state.before state.after &&
		store_clean
	'
}

# the spec's list, on the command line
refuse_arg 65 'in of an unknown SKU' 'argument: sku: .*NOPE' in NOPE 1 --cost 1 --wh MAIN
refuse_arg 65 'out of an unknown SKU' 'argument: sku: .*NOPE' out NOPE 1 --wh MAIN
refuse_arg 65 'move of an unknown SKU' 'argument: sku: .*NOPE' move NOPE 1 --from MAIN --to EAST
refuse_arg 65 'count of an unknown SKU' 'argument: sku: .*NOPE' count NOPE 1 --wh MAIN
refuse_arg 65 'product set of an unknown SKU' 'argument: sku: .*NOPE' product set NOPE unit=box
refuse_arg 65 'in to an unknown warehouse' 'argument: warehouse: .*NOWH' in W-12 1 --cost 1 --wh NOWH
refuse_arg 65 'out of an unknown warehouse' 'argument: warehouse: .*NOWH' out W-12 1 --wh NOWH
refuse_arg 65 'count in an unknown warehouse' 'argument: warehouse: .*NOWH' count W-12 1 --wh NOWH
refuse_arg 65 'move to an unknown warehouse' 'argument: \(warehouse\|to\): .*NOWH' move W-12 1 --from MAIN --to NOWH
refuse_arg 65 'move from an unknown warehouse' 'argument: \(warehouse\|from\): .*NOWH' move W-12 1 --from NOWH --to MAIN
refuse_arg 65 'level of an unknown warehouse' 'argument: warehouse: .*NOWH' level --wh NOWH
refuse_arg 65 'qty 0 on in' 'argument: qty: .*0' in W-12 0 --cost 1 --wh MAIN
refuse_arg 65 'qty 0 on out' 'argument: qty: ' out W-12 0 --wh MAIN
refuse_arg 65 'qty 0 on move' 'argument: qty: ' move W-12 0 --from MAIN --to EAST
refuse_arg 65 'a fractional qty' 'argument: qty: .*1\.5' in W-12 1.5 --cost 1 --wh MAIN
refuse_arg 65 'a qty that is not a number' 'argument: qty: .*abc' out W-12 abc --wh MAIN
refuse_arg 65 'an empty qty' 'argument: qty: ' out W-12 "" --wh MAIN
refuse_arg 65 'a negative qty (after --)' 'argument: qty: .*-3' out W-12 --wh MAIN -- -3
refuse_arg 65 'a negative counted qty (after --)' 'argument: qty: .*-1' count W-12 --wh MAIN -- -1
refuse_arg 65 'a cost with more digits than the currency' 'argument: cost: .*1\.234' in W-12 1 --cost 1.234 --wh MAIN
refuse_arg 65 'a negative cost' 'argument: cost: .*-1' in W-12 1 --cost=-1 --wh MAIN
refuse_arg 65 'a cost that is not money' 'argument: cost: .*abc' in W-12 1 --cost abc --wh MAIN
refuse_arg 65 'out below zero, naming the 10 on hand' 'argument: qty: .*10' out W-12 11 --wh MAIN
refuse_arg 65 'out of a warehouse that holds none' 'argument: qty: .*0' out W-12 1 --wh EAST
refuse_arg 65 'move of more than the source holds, naming the 10' 'argument: qty: .*10' move W-12 11 --from MAIN --to EAST
refuse_arg 65 'a move to the same warehouse' 'argument: to: ' move W-12 1 --from MAIN --to MAIN
refuse_arg 65 'category with an empty inner segment' 'argument: category: .*tools//x' product add C-1 Cat category=tools//x
refuse_arg 65 'category with a leading slash' 'argument: category: .*/tools' product add C-1 Cat category=/tools
refuse_arg 65 'category with a trailing slash' 'argument: category: .*tools/' product add C-1 Cat category=tools/
refuse_arg 65 'product set of a category with an empty segment' 'argument: category: ' product set W-12 category=a//b
refuse_arg 65 'product add of a SKU that exists' 'argument: sku: .*W-12' product add W-12 Again
refuse_arg 65 'in of a discontinued product' 'argument: sku: .*B-7' in B-7 1 --cost 1 --wh MAIN
refuse_arg 65 'a warehouse parent that does not exist' 'argument: parent: .*NOWH' warehouse add SUB Sub parent=NOWH
refuse_arg 65 'a SKU with a slash' 'argument: sku: ' product add a/b Slash
refuse_arg 65 'a SKU with a dot-dot path' 'argument: sku: ' product add ../x Up
refuse_arg 65 'a SKU with a space' 'argument: sku: ' product add "x y" Space
refuse_arg 65 'a SKU with a comma' 'argument: sku: ' product add "x,y" Comma
refuse_arg 65 'a SKU of non-ASCII letters' 'argument: sku: ' product add "$(printf "\303\274")" Umlaut
refuse_arg 65 'an empty SKU' 'argument: sku: ' product add "" Empty
refuse_arg 65 'a SKU of 41 characters' 'argument: sku: ' product add ABCDEFGHIJ_abcdefghij-0123456789_XYZxyz90 Long
refuse_arg 65 'an empty product name' 'argument: name: ' product add E-1 ""
refuse_arg 65 'a price that is not money' 'argument: price: .*abc' product add P-1 Pen price=abc
refuse_arg 65 'a price with three decimals' 'argument: price: .*1\.234' product set W-12 price=1.234
refuse_arg 65 'an alert_level that is not a whole number' 'argument: alert_level: .*x' product set W-12 alert_level=x
refuse_arg 65 'a status that is not active or discontinued' 'argument: status: .*gone' product set W-12 status=gone
refuse_arg 65 'a field products do not have' 'argument: colour: ' product add P-1 Pen colour=red
refuse_arg 65 'an impossible --date' 'argument: date: .*2026-02-30' in W-12 1 --cost 1 --wh MAIN --date 2026-02-30
refuse_arg 65 'a warehouse id with a slash' 'argument: id: ' warehouse add a/b Slash

# usage
refuse_arg 2 'no command' '.*command'
refuse_arg 2 'an unknown command' "unknown command 'frobnicate'; known: warehouse, product, in, out" frobnicate
refuse_arg 2 'an unknown product verb' "unknown product command 'frob'; known: add, set, list, import" product frob
refuse_arg 2 'an unknown warehouse verb' "unknown warehouse command 'frob'; known: add, list" warehouse frob
refuse_arg 2 'in without a qty' '.*quantity' in W-12
refuse_arg 2 'in without anything' '.*SKU' in
refuse_arg 2 'in without --cost' '.*cost' in W-12 1 --wh MAIN
refuse_arg 2 'move without --to' '.*to' move W-12 1 --from MAIN
refuse_arg 2 'product add without a name' '.*NAME' product add N-1
refuse_arg 2 'card without a SKU' '.*SKU' card
refuse_arg 2 'in/out/count with two warehouses and no default: --wh is needed' '.*--wh is needed' out W-12 1
refuse_arg 2 'a write at --at' '.*--at' --at HEAD in W-12 1 --cost 1 --wh MAIN
refuse_arg 2 'an unknown option' '.*--colour' level --colour

# refuse NAME 'printf-format CSV' 'expected message after "crm-stock: "' [import|product import]
refuse() {
	test_expect_success "${4:-import} - refuses: $1" "
		cd s &&
		before=\$(commits) &&
		state >state.before &&
		printf '$2' >in.csv &&
		{ test_expect_code 65 crm-stock ${4:-import} - <in.csv >out 2>err || { cat err >&2; false; }; } &&
		grep_q '^crm-stock: $3' err &&
		test \"\$(commits)\" = \$before &&
		state >state.after &&
		test_cmp state.before state.after &&
		store_clean
	"
}

M=date,sku,warehouse,qty,kind,cost,value
refuse 'unknown SKU' "$M\n2026-11-02,W-12,MAIN,1,in,1,\n2026-11-02,NOPE,MAIN,1,in,1,\n" '-:3: sku: .*NOPE'
refuse 'unknown warehouse' "$M\n2026-11-02,W-12,MAIN,1,in,1,\n2026-11-02,W-12,NOWH,1,in,1,\n" '-:3: warehouse: .*NOWH'
refuse 'qty 0' "$M\n2026-11-02,W-12,MAIN,0,in,1,\n" '-:2: qty: '
refuse 'a negative qty' "$M\n2026-11-02,W-12,MAIN,-2,out,,\n" '-:2: qty: .*-2'
refuse 'a fractional qty' "$M\n2026-11-02,W-12,MAIN,2.5,in,1,\n" '-:2: qty: .*2\.5'
refuse 'a cost with three decimals' "$M\n2026-11-02,W-12,MAIN,1,in,0.125,\n" '-:2: cost: .*0\.125'
refuse 'a negative cost' "$M\n2026-11-02,W-12,MAIN,1,in,-1,\n" '-:2: cost: '
refuse 'a value with three decimals' "$M\n2026-11-02,W-12,MAIN,1,in,,1.001\n" '-:2: value: .*1\.001'
refuse 'an in with neither cost nor value' "$M\n2026-11-02,W-12,MAIN,1,in,,\n" '-:2: \(cost\|value\): '
refuse 'a kind other than in, out, count' "$M\n2026-11-02,W-12,MAIN,1,ship,1,\n" '-:2: kind: .*ship'
refuse 'an impossible date' "$M\n2026-02-30,W-12,MAIN,1,in,1,\n" '-:2: date: .*2026-02-30'
refuse 'an in of a discontinued product' "$M\n2026-11-02,B-7,MAIN,1,in,1,\n" '-:2: sku: .*B-7'
refuse 'out below zero after an in of the same file, naming the 15 on hand' "$M\n2026-11-02,W-12,MAIN,5,in,1,\n2026-11-03,W-12,MAIN,16,out,,\n" '-:3: qty: .*15'
refuse 'a negative count' "$M\n2026-11-02,W-12,MAIN,-1,count,,\n" '-:2: qty: '
refuse 'no sku column' 'date,warehouse,qty,cost\n2026-11-02,MAIN,1,1\n' '-:[12]: sku: '
refuse 'an unknown column' "date,sku,warehouse,qty,cost,colour\n2026-11-02,W-12,MAIN,1,1,red\n" '-:1: colour: '
refuse 'physical lines counted across CRLF and blank lines' "$M\r\n\r\n2026-11-02,W-12,MAIN,1,in,1,\r\n\r\n2026-11-02,NOPE,MAIN,1,in,1,\r\n" '-:5: sku: '
refuse 'a ragged row' "$M\n2026-11-02,W-12,MAIN\n" '-:2: csv: '

refuse 'a SKU twice, naming both lines' 'sku,name\nQ-1,One\nQ-2,Two\n\nQ-1,Again\n' '-:5: sku: .*Q-1.*line 2' 'product import'
refuse 'a new SKU without a name' 'sku,name,price\nW-12,Wrench 12,3\nQ-3,,1\n' '-:3: name: ' 'product import'
refuse 'an existing SKU given an empty name' 'sku,name,price\nW-12,,3\n' '-:2: name: ' 'product import'
refuse 'a category with an empty segment' 'sku,name,category\nQ-4,Four,/tools\n' '-:2: category: ' 'product import'
refuse 'a bad SKU' 'sku,name\nx/y,Slash\n' '-:2: sku: ' 'product import'
refuse 'a price with three decimals' 'sku,name,price\nQ-5,Five,0.001\n' '-:2: price: ' 'product import'
refuse 'no sku column' 'name,price\nNo sku,1\n' '-:1: sku: ' 'product import'

test_expect_success 'import FILE names the file and the line' '
	cd s &&
	before=$(commits) &&
	printf "%s\n" $M "2026-11-02,W-12,MAIN,1,in,1," "2026-11-02,W-12,NOWH,1,in,1," >bad-moves.csv &&
	test_expect_code 65 crm-stock import bad-moves.csv 2>err &&
	grep_q "^crm-stock: bad-moves.csv:3: warehouse: .*NOWH" err &&
	printf "%s\n" sku,name,category Q-6,Six,a//b >bad-products.csv &&
	test_expect_code 65 crm-stock product import bad-products.csv 2>err &&
	grep_q "^crm-stock: bad-products.csv:2: category: " err &&
	test "$(commits)" = $before &&
	store_clean
'

test_expect_success 'a missing input file is 66, nothing written' '
	cd s &&
	before=$(commits) &&
	test_expect_code 66 crm-stock import nosuch.csv 2>err &&
	grep_q "nosuch.csv" err &&
	test_expect_code 66 crm-stock product import nosuch.csv 2>err &&
	grep_q "nosuch.csv" err &&
	test "$(commits)" = $before &&
	store_clean
'

test_expect_success 'after all the refusals: the store is as set up, and checks clean' '
	cd s &&
	crm-stock level -o csv >out &&
	printf "%s\n" sku,name,category,warehouse,qty,unit,avg_cost,value "W-12,Wrench 12,tools/hand,MAIN,10,pcs,2.00,20.00" >expect &&
	test_cmp expect out &&
	test "$(cat moves/*/*.csv | wc -l)" = 2 &&
	crm check >/dev/null &&
	store_clean
'

test_done
