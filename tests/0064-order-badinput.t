#!/bin/sh
# crm-order refusals (DESIGN §2.5, §5, §7): bad values, unknown ids and rule
# violations are 65 naming the field, a role is 77, usage is 2; every refusal
# says why on stderr, commits nothing and leaves the work tree clean.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# refused CODE FIELD-MESSAGE cmd...: exits CODE, stderr matches
# "^crm-order: FIELD-MESSAGE", no commit, the tree clean.
refused() {
	code=$1 msg=$2
	shift 2
	b=$(commits)
	"$@" >out 2>err
	rc=$?
	if [ $rc != "$code" ]; then
		echo "'$*' exited $rc, wanted $code:" >&2
		cat err >&2
		return 1
	fi
	grep_q "^crm-order: $msg" err &&
	test "$(commits)" = "$b" &&
	store_clean
}

test_expect_success 'setup: customers (one archived), products (one discontinued), stock, orders' '
	new_store s &&
	crm-customer add Acme >/dev/null &&
	crm-customer add Gone >/dev/null &&
	crm-customer archive C000002 >/dev/null &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add P-1 Pump price=100.00 floor=50.00 >/dev/null &&
	crm-stock product add OLD Old price=5.00 status=discontinued >/dev/null &&
	crm-stock product add NP "No price" >/dev/null &&
	crm-stock in P-1 10 --cost 40.00 --date 2026-11-01 >/dev/null &&
	crm-order new C000001 P-1:20 --date 2026-11-02 >/dev/null &&
	crm-order quote C000001 P-1:1 --date 2026-11-02 >/dev/null &&
	crm-order new C000001 P-1:1 --date 2026-11-02 >/dev/null &&
	crm-order cancel O202611-00003 &&
	crm-order new C000001 P-1:2 --date 2026-11-02 >/dev/null &&
	crm-order ship O202611-00004 --date 2026-11-03 >/dev/null &&
	crm-order list -o csv --fields id,status >out &&
	printf "id,status\nO202611-00001,open\nO202611-00002,quote\nO202611-00003,cancelled\nO202611-00004,shipped\n" >expect &&
	test_cmp expect out
'

test_expect_success 'unknown or archived customer' '
	cd s &&
	refused 65 "argument: customer: no customer .C000009." crm-order new C000009 P-1:1 &&
	refused 65 "argument: customer: C000002 .Gone. is archived" crm-order new C000002 P-1:1 &&
	refused 65 "argument: customer: no customer .C000009." crm-order quote C000009 P-1:1 &&
	refused 65 "argument: customer: C000002 .Gone. is archived" crm-order quote C000002 P-1:1
'

test_expect_success 'unknown, discontinued or unpriced SKU; a SKU that is not an id' '
	cd s &&
	refused 65 "argument: sku: no product .P-9." crm-order new C000001 P-9:1 &&
	refused 65 "argument: sku: .OLD. is discontinued" crm-order new C000001 OLD:1 &&
	refused 65 "argument: sku: .OLD. is discontinued" crm-order quote C000001 OLD:1@5.00 &&
	refused 65 "argument: price: NP has no price" crm-order new C000001 NP:1 &&
	refused 65 "argument: sku: " crm-order new C000001 "P 1:1"
'

test_expect_success 'malformed line, qty and price' '
	cd s &&
	refused 65 "argument: line: SKU:QTY\\[@PRICE\\], not .P-1." crm-order new C000001 P-1 &&
	refused 65 "argument: qty: not a number .x." crm-order new C000001 P-1:x &&
	refused 65 "argument: qty: must be a positive whole number .0." crm-order new C000001 P-1:0 &&
	refused 65 "argument: qty: must be a positive whole number .-1." crm-order new C000001 P-1:-1 &&
	refused 65 "argument: qty: not a whole number .1.5." crm-order new C000001 P-1:1.5 &&
	refused 65 "argument: qty: " crm-order new C000001 P-1:99999999999999999999 &&
	refused 65 "argument: price: not an amount .abc." crm-order new C000001 P-1:1@abc &&
	refused 65 "argument: price: must not be negative .-1." crm-order new C000001 P-1:1@-1 &&
	refused 65 "argument: price: too many decimal places .1.234." crm-order new C000001 P-1:1@1.234 &&
	refused 65 "argument: price: " crm-order new C000001 P-1:1@ &&
	refused 65 "argument: qty: " crm-order ship O202611-00001 P-1:x
'

test_expect_success 'an order whose value overflows is refused, never wrapped' '
	cd s &&
	refused 65 "argument: qty: " crm-order new C000001 P-1:9000000000000000@90000000.00 --reason big
'

test_expect_success 'malformed --discount, --date, --close, --probability' '
	cd s &&
	refused 65 "argument: discount: " crm-order new C000001 P-1:1 --discount 100 &&
	refused 65 "argument: discount: " crm-order new C000001 P-1:1 --discount -1 &&
	refused 65 "argument: discount: not an amount .abc." crm-order new C000001 P-1:1 --discount abc &&
	refused 65 "argument: date: impossible date .2026-02-30." crm-order new C000001 P-1:1 --date 2026-02-30 &&
	refused 65 "argument: date: " crm-order ship O202611-00001 P-1:1 --date yesterday &&
	refused 65 "argument: close_date: " crm-order quote C000001 P-1:1 --close 2026-13-01 &&
	refused 65 "argument: probability: " crm-order quote C000001 P-1:1 --probability 101 &&
	refused 65 "argument: probability: " crm-order quote C000001 P-1:1 --probability x
'

test_expect_success 'a plan that does not add up to 100, or is malformed' '
	cd s &&
	refused 65 "argument: plan: percentages add to 90, not 100" crm-order new C000001 P-1:1 --plan 30@0,60@60 &&
	refused 65 "argument: plan: percentages add to 110, not 100" crm-order new C000001 P-1:1 --plan 30@0,80@60 &&
	refused 65 "argument: plan: " crm-order new C000001 P-1:1 --plan x &&
	refused 65 "argument: plan: " crm-order new C000001 P-1:1 --plan 100@-5
'

test_expect_success 'malformed terms' '
	cd s &&
	refused 65 "argument: terms: missing n/NET" crm-order new C000001 P-1:1 --terms 2/10 &&
	refused 65 "argument: terms: net: days is not a whole number" crm-order new C000001 P-1:1 --terms n/x &&
	refused 65 "argument: terms: net 5 days is under the last tier" crm-order new C000001 P-1:1 --terms 2/10,n/5 &&
	refused 65 "argument: terms: " crm-order new C000001 P-1:1 --terms 101/0,n/30 &&
	refused 65 "argument: terms: " crm-order new C000001 P-1:1 --terms ""x
'

test_expect_success 'shipping more than ordered, than on hand, a SKU not on the order' '
	cd s &&
	refused 65 "argument: qty: O202611-00001: no line of P-1 with 21 left to ship" crm-order ship O202611-00001 P-1:21 &&
	refused 65 "argument: qty: P-1 at MAIN has 8 on hand, cannot take 20" crm-order ship O202611-00001 &&
	refused 65 "argument: qty: P-1 at MAIN has 8 on hand, cannot take 9" crm-order ship O202611-00001 P-1:9 &&
	refused 65 "argument: qty: O202611-00001: no line of OLD with 1 left to ship" crm-order ship O202611-00001 OLD:1 &&
	test "$(cat stock/*/*.csv | grep "^P-1@MAIN,")" = "P-1@MAIN,P-1,MAIN,8,320.00"
'

test_expect_success 'shipping a quote, a cancelled, a shipped or an unknown order' '
	cd s &&
	refused 65 "argument: order: O202611-00002 is quote; only an open order ships (win the quote first)" crm-order ship O202611-00002 &&
	refused 65 "argument: order: O202611-00003 is cancelled; only an open order ships" crm-order ship O202611-00003 &&
	refused 65 "argument: order: O202611-00004 is shipped; only an open order ships" crm-order ship O202611-00004 &&
	refused 65 "argument: order: no order .O202611-09999." crm-order ship O202611-09999 &&
	refused 65 "argument: order: no order .nonsense." crm-order ship nonsense &&
	refused 65 "argument: order: no order .\\.\\./x." crm-order ship ../x
'

test_expect_success 'returning more than shipped, or what never shipped; cancel of a shipped order' '
	cd s &&
	refused 65 "argument: qty: O202611-00004: no line of P-1 with 3 shipped" crm-order return O202611-00004 P-1:3 &&
	refused 65 "argument: qty: O202611-00001: no line of P-1 with 1 shipped" crm-order return O202611-00001 P-1:1 &&
	refused 65 "argument: order: no order .O202611-09999." crm-order return O202611-09999 P-1:1 &&
	refused 65 "argument: order: O202611-00004 is shipped; only a quote or an open order is cancelled" crm-order cancel O202611-00004
'

test_expect_success 'quote verbs on orders that are not quotes; unknown stage' '
	cd s &&
	refused 65 "argument: order: O202611-00001 is open, not a quote" crm-order win O202611-00001 &&
	refused 65 "argument: order: O202611-00003 is cancelled, not a quote" crm-order stage O202611-00003 lead &&
	refused 65 "argument: order: O202611-00004 is shipped, not a quote" crm-order lose O202611-00004 --reason x &&
	refused 65 "argument: stage: no stage .won. in order.stages" crm-order stage O202611-00002 won &&
	refused 65 "argument: stage: no stage .won. in order.stages" crm-order quote C000001 P-1:1 --stage won
'

test_expect_success 'a warehouse that does not exist or is not an id' '
	cd s &&
	refused 65 "argument: warehouse: " crm-order ship O202611-00001 P-1:1 --wh NOPE &&
	refused 65 "argument: warehouse: " crm-order ship O202611-00001 P-1:1 --wh a/b &&
	refused 65 "argument: warehouse: " crm-order return O202611-00004 P-1:1 --wh NOPE
'

test_expect_success 'role refusals are 77: a price under the floor by a non-director' '
	cd s &&
	refused 77 "P-1 at 49.99 is under its floor 50.00: needs the director role (alice is not a member)" \
		crm-order new C000001 P-1:1@49.99 &&
	refused 77 "P-1 at 49.99 is under its floor 50.00: needs the director role" \
		crm-order new C000001 P-1:1@49.99 --reason "please"
'

test_expect_success 'usage errors are 2' '
	cd s &&
	refused 2 "" crm-order &&
	refused 2 "" crm-order frobnicate &&
	refused 2 "" crm-order new &&
	refused 2 "" crm-order new C000001 &&
	refused 2 "" crm-order quote C000001 &&
	refused 2 "" crm-order ship &&
	refused 2 "" crm-order return O202611-00004 &&
	refused 2 "" crm-order return O202611-00004 P-1:1 P-1:1 &&
	refused 2 "" crm-order win &&
	refused 2 "" crm-order win O202611-00002 O202611-00001 &&
	refused 2 "" crm-order stage O202611-00002 &&
	refused 2 "" crm-order show &&
	refused 2 "lose: --reason is needed" crm-order lose O202611-00002 &&
	refused 2 "new: --stage, --probability and --close are for quotes" crm-order new C000001 P-1:1 --close 2026-12-01 &&
	refused 2 "" crm-order new C000001 P-1:1 --bogus &&
	refused 2 "" crm-order --at HEAD new C000001 P-1:1 &&
	refused 2 "" crm-order import a.csv b.csv
'

# big N BAD-AT BAD-ROW: an import of N order lines (read a batch ahead on a
# thread of its own past 4096), the row before line BAD-AT replaced by BAD-ROW.
big() {
	awk -v n="$1" -v at="$2" -v bad="$3" "BEGIN {
		print \"ref,date,customer,sku,qty,price\"
		for (i = 2; i <= n + 1; i++)
			print (i == at ? bad : sprintf(\"B-%06d,2026-11-03,C000001,P-1,1,60.00\", int(i / 3)))
	}" >big.csv
}

test_expect_success 'import: a bad row many batches in is named by its line, on one thread or two, nothing written' '
	cd s &&
	big 20000 17001 "B-X,2026-11-03,C000001,P-1,1,abc" &&
	refused 65 "big.csv:17001: price: " crm-order import big.csv &&
	CRM_THREADS=1 refused 65 "big.csv:17001: price: " crm-order import big.csv &&
	big 20000 15001 "B-Y,2026-11-03,C000009,P-1,1,60.00" &&
	refused 65 "big.csv:15001: customer: no customer .C000009." crm-order import big.csv &&
	CRM_THREADS=1 refused 65 "big.csv:15001: customer: no customer .C000009." crm-order import big.csv &&
	big 20000 20001 "B-Z,2026-11-03,C000001,NOPE,1,60.00" &&
	refused 65 "big.csv:20001: sku: no product .NOPE." crm-order import big.csv
'

test_expect_success 'import: an order of more than 256 lines is refused at the line that passes it' '
	cd s &&
	awk "BEGIN { print \"ref,date,customer,sku,qty,price\"
		for (i = 1; i <= 5000; i++) print \"HUGE,2026-11-03,C000001,P-1,1,60.00\" }" >huge.csv &&
	refused 65 "huge.csv:2: ref: .HUGE. has more than 256 lines" crm-order import huge.csv
'

test_expect_success 'nothing was written by any refusal: the orders are as set up, crm check passes' '
	cd s &&
	crm-order list -o csv --fields id,status >out &&
	printf "id,status\nO202611-00001,open\nO202611-00002,quote\nO202611-00003,cancelled\nO202611-00004,shipped\n" >expect &&
	test_cmp expect out &&
	crm check >/dev/null &&
	store_clean
'

test_done
