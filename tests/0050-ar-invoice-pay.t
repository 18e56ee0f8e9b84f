#!/bin/sh
# crm-ar invoice, credit and pay: terms, plans, cash discounts to the cent,
# oldest due first, credit on account (DESIGN §6 "Terms and cash discounts").
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# apps RECEIPT|INVOICE: its applications as date,kind,source,invoice,rate,settled,discount.
apps() {
	crm-ar show -o csv "$1" | sed '1,/^applications:$/d' | cut -d, -f2-
}

# open_of DOC: the open amount open/ keeps for a document (empty when settled).
open_of() {
	cat open/*/*.csv | awk -F, -v d="$1" '$3 == d { print $(NF - 1) }'
}

test_expect_success 'setup: customers with and without terms, a default in crm.conf' '
	new_store s &&
	git config -f crm.conf terms.default 1/15,n/45 &&
	git commit -qm "default terms" crm.conf &&
	crm-customer add Acme terms=2/0,1/10,n/30 owner=bob >/dev/null &&
	crm-customer add Beta terms= >/dev/null &&
	crm-customer add Gamma >/dev/null &&
	crm-customer add Delta terms=2/0,1/10,n/30 >/dev/null &&
	crm-customer add Epsilon terms=n/30 >/dev/null &&
	crm-customer add Zeta terms=n/30 >/dev/null
'

test_expect_success 'invoice --terms --date: due is date + net, id printed, one commit' '
	cd s &&
	before=$(commits) &&
	crm-ar invoice C000001 1000.00 --terms 1/10,n/60 --date 2026-11-02 >id &&
	test "$(cat id)" = I202611-00001 &&
	test "$(commits)" = $((before + 1)) &&
	# 2026-11-02 + 60 days: 28 to 11-30, 31 to 12-31, 1 more: 2027-01-01
	crm-ar list -o csv id=I202611-00001 >out &&
	grep_q "^I202611-00001,2026-11-02,C000001,,invoice,1000.00,CNY,2027-01-01,\"1/10,n/60\",,,$" out &&
	git log -1 --format=%s >msg &&
	grep_q "^crm-ar invoice I202611-00001 C000001 1000.00$" msg &&
	test "$(open_of I202611-00001)" = 1000.00 &&
	crm check >/dev/null &&
	store_clean
'

test_expect_success 'invoice without --terms takes the customer'\''s terms' '
	cd s &&
	crm-ar invoice C000001 250.00 --date 2026-11-02 >id &&
	test "$(cat id)" = I202611-00002 &&
	# 2/0,1/10,n/30 from Acme: due 2026-11-02 + 30 = 2026-12-02
	crm-ar list -o csv id=I202611-00002 >out &&
	grep_q "^I202611-00002,2026-11-02,C000001,,invoice,250.00,CNY,2026-12-02,\"2/0,1/10,n/30\",,,$" out
'

test_expect_success 'a customer without terms takes crm.conf terms.default' '
	cd s &&
	crm-ar invoice C000002 300.00 --date 2026-11-02 >id &&
	test "$(cat id)" = I202611-00003 &&
	# 1/15,n/45: 2026-11-02 + 45 = 2026-12-17
	crm-ar list -o csv id=I202611-00003 >out &&
	grep_q "^I202611-00003,2026-11-02,C000002,,invoice,300.00,CNY,2026-12-17,\"1/15,n/45\",,,$" out
'

test_expect_success 'terms are stored in canonical form (0.50 -> 0.5)' '
	cd s &&
	crm-ar invoice C000003 10.00 --terms 0.50/30,n/60 --date 2026-11-02 >id &&
	test "$(cat id)" = I202611-00004 &&
	crm-ar list -o csv --fields terms,due id=I202611-00004 >out &&
	printf "terms,due\n\"0.5/30,n/60\",2027-01-01\n" >expect &&
	test_cmp expect out
'

test_expect_success 'plan 30@0,70@60: two invoices, dated and due on date + offset, adding up exactly' '
	cd s &&
	before=$(commits) &&
	crm-ar invoice C000002 1000.01 --plan 30@0,70@60 --date 2026-11-02 >ids &&
	printf "I202611-00005\nI202701-00001\n" >expect &&
	test_cmp expect ids &&
	test "$(commits)" = $((before + 1)) &&
	# round(1000.01 x 0.30) = round(300.003) = 300.00; the last takes the rest: 1000.01 - 300.00 = 700.01
	crm-ar list -o csv --fields id,date,amount,due,terms,installment customer=C000002 "id>I202611-00004" >out &&
	printf "id,date,amount,due,terms,installment\n" >expect &&
	printf "I202611-00005,2026-11-02,300.00,2026-11-02,\"1/15,n/45\",1/2\n" >>expect &&
	printf "I202701-00001,2027-01-01,700.01,2027-01-01,\"1/15,n/45\",2/2\n" >>expect &&
	test_cmp expect out &&
	git log -1 --format=%s >msg &&
	grep_q "^crm-ar invoice I202611-00005..I202701-00001 C000002 1000.01$" msg &&
	crm check >/dev/null && store_clean
'

test_expect_success 'plan rounding is half away from zero, the remainder on the last part' '
	cd s &&
	crm-ar invoice C000003 0.03 --plan 50@0,50@30 --date 2026-11-02 >ids &&
	test "$(wc -l <ids)" = 2 &&
	# round(0.03 x 0.5) = round(0.015) = 0.02; last = 0.03 - 0.02 = 0.01
	crm-ar list -o csv --fields amount,date,installment id="$(sed -n 1p ids)" >out &&
	printf "amount,date,installment\n0.02,2026-11-02,1/2\n" >expect && test_cmp expect out &&
	crm-ar list -o csv --fields amount,date,installment id="$(sed -n 2p ids)" >out &&
	printf "amount,date,installment\n0.01,2026-12-02,2/2\n" >expect && test_cmp expect out
'

test_expect_success 'three parts of 33.33/33.33/33.34 % of 100.00 add up to 100.00' '
	cd s &&
	crm-ar invoice C000003 100.00 --plan 33.33@0,33.33@30,33.34@60 --date 2026-11-03 >ids &&
	test "$(wc -l <ids)" = 3 &&
	# 33.33 + 33.33 + (100.00 - 66.66 = 33.34)
	for id in $(cat ids); do crm-ar list -o csv --fields amount id=$id | tail -n 1; done >out &&
	printf "33.33\n33.33\n33.34\n" >expect && test_cmp expect out
'

test_expect_success '-n prints what would be raised and commits nothing' '
	cd s &&
	before=$(commits) &&
	crm-ar -n invoice C000001 5.00 --date 2026-11-20 >out &&
	grep_q "would commit: invoice I202611-" out &&
	crm-ar -n invoice C000001 5.00 --date 2026-11-20 --plan 50@0,50@30 >out &&
	grep_q "would commit: invoice I202611-.*\.\.I202612-" out &&
	crm-ar -n credit C000001 5.00 --reason dry --date 2026-11-20 >out &&
	grep_q "would commit: credit" out &&
	crm-ar -n pay C000001 5.00 --date 2026-11-20 >out &&
	grep_q "would commit: pay R202611-" out &&
	test "$(commits)" = $before &&
	test_expect_code 1 crm-ar list amount=5.00 >/dev/null &&
	store_clean
'

test_expect_success 'credit note: negative amount, applied oldest due first, without discount' '
	cd s &&
	crm-customer add Credco terms=2/0,n/30 >/dev/null &&
	crm-ar invoice C000007 100.00 --date 2026-10-01 --terms n/30 >a &&
	crm-ar invoice C000007 200.00 --date 2026-09-01 --terms n/60 >b &&
	crm-ar invoice C000007 50.00 --date 2026-10-05 --terms n/10 >c &&
	test "$(cat a b c | tr "\n" " ")" = "I202610-00001 I202609-00001 I202610-00002 " &&
	before=$(commits) &&
	crm-ar credit C000007 180.00 --reason damaged --date 2026-11-01 >id &&
	test "$(cat id)" = I202611-00008 &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	grep_q "^crm-ar credit I202611-00008 C000007 180.00: damaged$" msg &&
	crm-ar list -o csv --fields kind,amount,due,terms,note id=I202611-00008 >out &&
	printf "kind,amount,due,terms,note\ncredit,-180.00,2026-11-01,,damaged\n" >expect && test_cmp expect out &&
	# due 10-15 (50.00) first; then due 10-31, the older invoice (09-01) first: 180 - 50 = 130 of its 200
	apps I202611-00008 >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n" >expect &&
	printf "2026-11-01,credit,I202611-00008,I202610-00002,,50.00,0.00\n" >>expect &&
	printf "2026-11-01,credit,I202611-00008,I202609-00001,,130.00,0.00\n" >>expect &&
	test_cmp expect out &&
	test "$(open_of I202609-00001)" = 70.00 &&
	test "$(open_of I202610-00001)" = 100.00 &&
	test -z "$(open_of I202610-00002)" &&
	test -z "$(open_of I202611-00008)" &&
	crm check >/dev/null && store_clean
'

test_expect_success 'a credit note larger than what is owed stays open as credit' '
	cd s &&
	# owed: 70.00 + 100.00 = 170.00; 200.00 - 170.00 = 30.00 left as credit
	crm-ar credit C000007 200.00 --reason "goodwill" --date 2026-11-02 >id &&
	test "$(open_of $(cat id))" = -30.00 &&
	test -z "$(open_of I202609-00001)" && test -z "$(open_of I202610-00001)" &&
	crm check >/dev/null
'

test_expect_success 'pay: tier 1 % on its last day (day 10); F = O - round(O x r), half away from zero' '
	cd s &&
	crm-ar invoice C000004 1000.50 --date 2026-11-02 >inv &&
	test "$(cat inv)" = I202611-00010 &&
	before=$(commits) &&
	# 2026-11-12 is day 10 of 2/0,1/10,n/30: 1 %. 1000.50 x 1 % = 10.005 -> 10.01; F = 1000.50 - 10.01 = 990.49
	crm-ar pay C000004 990.49 --date 2026-11-12 --invoice I202611-00010 >id &&
	test "$(cat id)" = R202611-00001 &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	grep_q "^crm-ar pay R202611-00001 C000004 990.49 (1 application)$" msg &&
	apps R202611-00001 >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n2026-11-12,receipt,R202611-00001,I202611-00010,1,1000.50,10.01\n" >expect &&
	test_cmp expect out &&
	test -z "$(open_of I202611-00010)" &&
	crm check >/dev/null && store_clean
'

test_expect_success 'pay: the next day (day 11) earns nothing; 990.49 leaves 10.01 open' '
	cd s &&
	crm-ar invoice C000004 1000.50 --date 2026-11-02 >inv &&
	test "$(cat inv)" = I202611-00011 &&
	crm-ar pay C000004 990.49 --date 2026-11-13 --invoice I202611-00011 >id &&
	apps $(cat id) >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n2026-11-13,receipt,$(cat id),I202611-00011,,990.49,0.00\n" >expect &&
	test_cmp expect out &&
	# 1000.50 - 990.49 = 10.01
	test "$(open_of I202611-00011)" = 10.01 &&
	crm check >/dev/null
'

test_expect_success 'pay on the invoice date: 2 %; 1234.56 x 2 % = 24.6912 -> 24.69, F = 1209.87' '
	cd s &&
	crm-ar invoice C000004 1234.56 --date 2026-11-02 >inv &&
	test "$(cat inv)" = I202611-00012 &&
	crm-ar pay C000004 1209.87 --date 2026-11-02 --invoice I202611-00012 >id &&
	apps $(cat id) >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n2026-11-02,receipt,$(cat id),I202611-00012,2,1234.56,24.69\n" >expect &&
	test_cmp expect out &&
	test -z "$(open_of I202611-00012)" &&
	crm check >/dev/null
'

test_expect_success 'pay: 1 cent short of F within a tier settles pro rata, not in full' '
	cd s &&
	crm-ar invoice C000004 1234.56 --date 2026-11-02 >inv &&
	# 1209.86 at 2 %: round(1209.86 / 0.98) = round(1234.5510..) = 1234.55, discount 24.69; 0.01 stays open
	crm-ar pay C000004 1209.86 --date 2026-11-02 --invoice $(cat inv) >id &&
	apps $(cat id) | tail -n 1 >out &&
	echo "2026-11-02,receipt,$(cat id),$(cat inv),2,1234.55,24.69" >expect &&
	test_cmp expect out &&
	test "$(open_of $(cat inv))" = 0.01
'

test_expect_success 'pay: a partial payment within a tier settles round(P / (1 - r))' '
	cd s &&
	crm-ar invoice C000004 10000.00 --date 2026-11-02 >inv &&
	# 4900.00 / 0.99 = 4949.4949.. -> 4949.49 settled, 49.49 discount; 10000.00 - 4949.49 = 5050.51 open
	crm-ar pay C000004 4900.00 --date 2026-11-12 --invoice $(cat inv) >id &&
	apps $(cat id) >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n2026-11-12,receipt,$(cat id),$(cat inv),1,4949.49,49.49\n" >expect &&
	test_cmp expect out &&
	test "$(open_of $(cat inv))" = 5050.51 &&
	crm check >/dev/null &&
	# the rest on day 10 as well: F = 5050.51 - round(50.5051) = 5050.51 - 50.51 = 5000.00
	crm-ar pay C000004 5000.00 --date 2026-11-12 --invoice $(cat inv) >id &&
	apps $(cat id) | tail -n 1 >out &&
	echo "2026-11-12,receipt,$(cat id),$(cat inv),1,5050.51,50.51" >expect &&
	test_cmp expect out &&
	test -z "$(open_of $(cat inv))" &&
	crm check >/dev/null && store_clean
'

test_expect_success 'pay without --invoice: oldest due first, each at its own tier, the rest to the next' '
	cd s &&
	crm-ar invoice C000005 400.00 --date 2026-11-01 --terms n/60 >e1 &&
	crm-ar invoice C000005 300.00 --date 2026-11-05 --terms n/10 >e2 &&
	crm-ar invoice C000005 200.00 --date 2026-11-03 --terms 1/10,n/20 >e3 &&
	before=$(commits) &&
	crm-ar pay C000005 800.00 --date 2026-11-10 >id &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s | grep -q "(3 applications)$" &&
	# due 11-15 (e2): 300.00 at 0 %, 500.00 left;
	# due 11-23 (e3), day 7 of 1/10: F = 200.00 - 2.00 = 198.00, 302.00 left;
	# due 12-31 (e1): 302.00 settled at 0 %, 400.00 - 302.00 = 98.00 open
	apps $(cat id) >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n" >expect &&
	printf "2026-11-10,receipt,$(cat id),$(cat e2),,300.00,0.00\n" >>expect &&
	printf "2026-11-10,receipt,$(cat id),$(cat e3),1,200.00,2.00\n" >>expect &&
	printf "2026-11-10,receipt,$(cat id),$(cat e1),,302.00,0.00\n" >>expect &&
	test_cmp expect out &&
	test "$(open_of $(cat e1))" = 98.00 &&
	crm check >/dev/null && store_clean
'

test_expect_success 'overpayment becomes credit on account: a negative receipt item in open/' '
	cd s &&
	# 150.00 - 98.00 = 52.00 left over
	crm-ar pay C000005 150.00 --date 2026-11-20 >id &&
	test "$(cat id)" = R202611-00008 &&
	test -z "$(open_of $(cat e1))" &&
	cat open/*/*.csv | grep "^C000005@R202611-00008," >out &&
	echo "C000005@R202611-00008,C000005,R202611-00008,receipt,2026-11-20,2026-11-20,,CNY,150.00,-52.00," >expect &&
	test_cmp expect out &&
	crm check >/dev/null && store_clean
'

test_expect_success 'the next invoice takes the credit on account at once, in the same commit' '
	cd s &&
	before=$(commits) &&
	crm-ar invoice C000005 70.00 --date 2026-11-25 >id &&
	test "$(commits)" = $((before + 1)) &&
	apps $(cat id) >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n2026-11-25,receipt,R202611-00008,$(cat id),,52.00,0.00\n" >expect &&
	test_cmp expect out &&
	# 70.00 - 52.00 = 18.00 still owed; the credit is used up
	test "$(open_of $(cat id))" = 18.00 &&
	test -z "$(open_of R202611-00008)" &&
	crm check >/dev/null && store_clean
'

test_expect_success 'a receipt with nothing open is all credit; a payment earns no tier of an invoice dated later' '
	cd s &&
	crm-ar pay C000006 40.00 --date 2026-11-01 >id &&
	test "$(open_of $(cat id))" = -40.00 &&
	crm-ar invoice C000006 100.00 --date 2026-11-02 >inv &&
	# 100.00 - 40.00 = 60.00
	test "$(open_of $(cat inv))" = 60.00 &&
	test -z "$(open_of $(cat id))" &&
	crm check >/dev/null
'

test_expect_success 'pay -m adds to the message; --method and --ref are kept on the receipt' '
	cd s &&
	crm-ar -m "wire from HQ" pay C000006 60.00 --date 2026-11-03 --method bank --ref TX-9 >id &&
	git log -1 --format=%B >msg &&
	grep_q "^wire from HQ$" msg &&
	grep_q "^\$ crm-ar" msg &&
	crm-ar show -o csv $(cat id) >out &&
	grep_q "^method  *bank$" out &&
	grep_q "^ref  *TX-9$" out &&
	test -z "$(open_of $(cat inv))"
'

test_expect_success 'import: money left on account by a receipt settles a later invoice of the same run' '
	cd s &&
	crm-customer add Eta terms=n/30 >cu &&
	printf "%s\n" "type,date,customer,amount" "invoice,2026-12-01,$(cat cu),100.00" \
		"receipt,2026-12-02,$(cat cu),150.00" "invoice,2026-12-03,$(cat cu),30.00" \
		"invoice,2026-12-04,$(cat cu),40.00" >run.csv &&
	crm-ar import run.csv 2>err &&
	crm-ar list -o csv --fields id customer=$(cat cu) date=2026-12-03 | tail -n 1 >i2 &&
	crm-ar list -o csv --fields id customer=$(cat cu) date=2026-12-04 | tail -n 1 >i3 &&
	# 150.00 pays 100.00, 30.00 of the next, 20.00 of the last: 20.00 left open
	test -z "$(open_of $(cat i2))" &&
	test "$(open_of $(cat i3))" = 20.00 &&
	crm check >/dev/null
'

test_done
