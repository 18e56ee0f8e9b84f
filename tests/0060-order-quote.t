#!/bin/sh
# crm-order quote, stage, win, lose (DESIGN §6 "Orders"): a quote has a stage and a
# probability (defaults from crm.conf order.stages, else lead/qualified/proposal/
# negotiation), win makes it an open order, lose records why; every step is one
# commit and shows in `crm log O...`.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# row ID: the order's CSV row as crm-order list prints it (no header).
row() {
	crm-order list -o csv id="$1" | tail -n +2
}

# open_order ID: the open amount open/ keeps for an order (empty when none).
open_order() {
	cat open/*/*.csv 2>/dev/null | awk -F, -v d="$1" '$3 == d && $4 == "order" { print $(NF - 1) }'
}

# log_has ID FIELD OLD NEW: crm log ID shows that change.
log_has() {
	crm log "$1" >log.out &&
	grep_q "^[0-9a-f]*,[^,]*,Alice Test,$1,$2,$3,$4\$" log.out
}

test_expect_success 'setup: two customers, a product with grade prices' '
	new_store s &&
	crm-customer add Acme grade=A >/dev/null &&
	crm-customer add Beta grade=B >/dev/null &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add W-12 "Wrench 12" category=tools/hand unit=pcs price=20.00 price_a=18.00 price_b=19.00 >/dev/null
'

test_expect_success 'quote without --stage: the first default stage, lead at 10 %, close date kept, one commit' '
	cd s &&
	before=$(commits) &&
	crm-order quote C000001 W-12:10 --date 2026-11-03 --close 2026-12-01 >id &&
	test "$(cat id)" = O202611-00001 &&
	test "$(commits)" = $((before + 1)) &&
	test "$(row O202611-00001)" = "O202611-00001,2026-11-03,C000001,alice,quote,lead,10,2026-12-01,,,CNY,,," &&
	# 10 x 18.00 (grade A) = 180.00
	git log -1 --format=%s >msg &&
	grep_q "^crm-order quote O202611-00001 (180.00)$" msg &&
	git log -1 --format=%b >body &&
	grep_q "^\\$ crm-order .*quote C000001 W-12:10" body &&
	grep_q "^L202611-00001-1,2026-11-03,O202611-00001,1,W-12,10,18.00,,0,0.00$" lines/2026-11/0001.csv &&
	crm check >/dev/null &&
	store_clean
'

test_expect_success 'a quote is no exposure: open/ holds nothing for it' '
	cd s &&
	test -z "$(open_order O202611-00001)"
'

test_expect_success 'quote --stage qualified takes 30 %; --probability overrides the default' '
	cd s &&
	crm-order quote C000002 W-12:5 --stage qualified --date 2026-11-04 >id &&
	test "$(cat id)" = O202611-00002 &&
	test "$(row O202611-00002)" = "O202611-00002,2026-11-04,C000002,alice,quote,qualified,30,,,,CNY,,," &&
	crm-order quote C000002 W-12:5 --stage negotiation --probability 45 --date 2026-11-04 >id &&
	test "$(cat id)" = O202611-00003 &&
	crm-order list -o csv --fields stage,probability id=O202611-00003 >out &&
	printf "stage,probability\nnegotiation,45\n" >expect && test_cmp expect out
'

test_expect_success 'stage moves a quote on: the stage default, or --probability; one commit each' '
	cd s &&
	before=$(commits) &&
	crm-order stage O202611-00001 proposal &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s | grep -q "^crm-order stage O202611-00001 to proposal$" &&
	crm-order list -o csv --fields stage,probability,status id=O202611-00001 >out &&
	printf "stage,probability,status\nproposal,60,quote\n" >expect && test_cmp expect out &&
	crm-order stage O202611-00001 negotiation --probability 75 &&
	test "$(commits)" = $((before + 2)) &&
	crm-order list -o csv --fields stage,probability id=O202611-00001 >out &&
	printf "stage,probability\nnegotiation,75\n" >expect && test_cmp expect out &&
	crm check >/dev/null && store_clean
'

test_expect_success 'stage refuses an unknown stage and a probability over 100, changing nothing' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-order stage O202611-00001 bogus 2>err &&
	grep_q "^crm-order: argument: stage: no stage .bogus. in order.stages" err &&
	test_expect_code 65 crm-order stage O202611-00001 lead --probability 101 2>err &&
	grep_q "^crm-order: argument: probability: " err &&
	test_expect_code 2 crm-order stage O202611-00001 2>err &&
	grep_q "stage QUOTE STAGE" err &&
	test "$(commits)" = $before &&
	crm-order list -o csv --fields stage,probability id=O202611-00001 >out &&
	printf "stage,probability\nnegotiation,75\n" >expect && test_cmp expect out &&
	store_clean
'

test_expect_success 'win: an open order at 100 %, its value becomes exposure in open/, one commit' '
	cd s &&
	before=$(commits) &&
	crm-order win O202611-00001 &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s | grep -q "^crm-order win O202611-00001 (180.00)$" &&
	test "$(row O202611-00001)" = "O202611-00001,2026-11-03,C000001,alice,open,negotiation,100,2026-12-01,,,CNY,,," &&
	test "$(open_order O202611-00001)" = 180.00 &&
	crm check >/dev/null && store_clean
'

test_expect_success 'win, stage and lose want a quote: an open order is refused with 65' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-order win O202611-00001 2>err &&
	grep_q "^crm-order: argument: order: O202611-00001 is open, not a quote" err &&
	test_expect_code 65 crm-order stage O202611-00001 lead 2>err &&
	grep_q "^crm-order: argument: order: O202611-00001 is open, not a quote" err &&
	test_expect_code 65 crm-order lose O202611-00001 --reason late 2>err &&
	grep_q "^crm-order: argument: order: O202611-00001 is open, not a quote" err &&
	test_expect_code 65 crm-order win O202611-09999 2>err &&
	grep_q "^crm-order: argument: order: no order .O202611-09999." err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success 'lose needs --reason (usage, 2); with it: lost, 0 %, the reason kept and in the commit' '
	cd s &&
	before=$(commits) &&
	test_expect_code 2 crm-order lose O202611-00002 2>err &&
	grep_q "lose: --reason is needed" err &&
	test_expect_code 2 crm-order lose O202611-00002 --reason "" 2>err &&
	test "$(commits)" = $before &&
	crm-order lose O202611-00002 --reason "price too high, went to a rival" &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	grep_q "^crm-order lose O202611-00002: price too high, went to a rival$" msg &&
	test "$(row O202611-00002)" = "O202611-00002,2026-11-04,C000002,alice,lost,qualified,0,,,,CNY,,\"price too high, went to a rival\"," &&
	test -z "$(open_order O202611-00002)" &&
	crm check >/dev/null && store_clean
'

test_expect_success 'a lost quote cannot be won, staged or lost again' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-order win O202611-00002 2>err &&
	grep_q "^crm-order: argument: order: O202611-00002 is lost, not a quote" err &&
	test_expect_code 65 crm-order stage O202611-00002 proposal 2>err &&
	grep_q "is lost, not a quote" err &&
	test_expect_code 65 crm-order lose O202611-00002 --reason again 2>err &&
	grep_q "is lost, not a quote" err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success 'crm log O...: creation, every stage, probability, status and reason change' '
	cd s &&
	log_has O202611-00001 "(created)" "" 2026-11-03 &&
	log_has O202611-00001 stage lead proposal &&
	log_has O202611-00001 probability 10 60 &&
	log_has O202611-00001 stage proposal negotiation &&
	log_has O202611-00001 probability 60 75 &&
	log_has O202611-00001 status quote open &&
	log_has O202611-00001 probability 75 100 &&
	# newest first: the win comes before the stage changes
	head -2 log.out | tail -1 | grep -q ",status,quote,open$" &&
	log_has O202611-00002 status quote lost &&
	log_has O202611-00002 probability 30 0 &&
	log_has O202611-00002 reason "" "\"price too high, went to a rival\""
'

test_expect_success 'list filters quotes by status, stage and probability' '
	cd s &&
	crm-order list -o csv --fields id status=quote >out &&
	printf "id\nO202611-00003\n" >expect && test_cmp expect out &&
	crm-order list -o csv --fields id "probability>=50" >out &&
	printf "id\nO202611-00001\n" >expect && test_cmp expect out &&
	crm-order list -o csv --fields id stage~^neg >out &&
	printf "id\nO202611-00001\nO202611-00003\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-order list status=cancelled >out
'

test_expect_success 'order.stages in crm.conf replaces the defaults: first stage, its probabilities' '
	cd s &&
	git config -f crm.conf order.stages "prospect:5,demo:40,contract:90" &&
	git commit -qm "stages" crm.conf &&
	crm-order quote C000001 W-12:1 --date 2026-11-05 >id &&
	test "$(cat id)" = O202611-00004 &&
	crm-order list -o csv --fields stage,probability id=O202611-00004 >out &&
	printf "stage,probability\nprospect,5\n" >expect && test_cmp expect out &&
	crm-order stage O202611-00004 contract &&
	crm-order list -o csv --fields stage,probability id=O202611-00004 >out &&
	printf "stage,probability\ncontract,90\n" >expect && test_cmp expect out &&
	before=$(commits) &&
	test_expect_code 65 crm-order stage O202611-00004 lead 2>err &&
	grep_q "^crm-order: argument: stage: no stage .lead. in order.stages" err &&
	test_expect_code 65 crm-order quote C000001 W-12:1 --stage proposal 2>err &&
	grep_q "^crm-order: argument: stage: no stage .proposal." err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success 'quote: --probability out of range, bad --close, new with --stage' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-order quote C000001 W-12:1 --probability 101 2>err &&
	grep_q "^crm-order: argument: probability: " err &&
	test_expect_code 65 crm-order quote C000001 W-12:1 --probability -1 2>err &&
	grep_q "^crm-order: argument: probability: " err &&
	test_expect_code 65 crm-order quote C000001 W-12:1 --close 2026-02-30 2>err &&
	grep_q "^crm-order: argument: close_date: .*2026-02-30" err &&
	test_expect_code 2 crm-order new C000001 W-12:1 --stage demo 2>err &&
	grep_q "are for quotes" err &&
	test_expect_code 2 crm-order quote C000001 2>err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success '-n win says what it would commit and changes nothing' '
	cd s &&
	before=$(commits) &&
	crm-order -n win O202611-00004 >out 2>&1 &&
	grep_q "would commit: win O202611-00004" out &&
	test "$(commits)" = $before &&
	test "$(crm-order list -o csv --fields status id=O202611-00004 | tail -n 1)" = quote &&
	store_clean
'

test_expect_success 'show of a quote: its lines valued, nothing shipped' '
	cd s &&
	crm-order show -o csv O202611-00003 >out &&
	printf "%s\n" "order,line,sku,qty,price,discount,value,shipped,sales,cost,margin" \
		"O202611-00003,1,W-12,5,19.00,,95.00,0,0.00,0.00,0.00" >expect &&
	test_cmp expect out &&
	test_expect_code 1 crm-order show O202611-09999 2>err &&
	grep_q "no order .O202611-09999." err
'

test_done
