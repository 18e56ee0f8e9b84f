#!/bin/sh
# Multi-currency: a customer's currency (checked like every currency code),
# the currency documents take (--currency, else the customer's, else the
# base), receipts within a currency, statements in one currency, and reports
# in the base currency at the rate on or before each fact's date. A store
# whose customer files have no currency column reads as before.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# refused CODE MSG CMD...: exit CODE, the message on stderr, nothing on stdout, no commit, a clean tree.
refused() {
	code=$1 msg=$2
	shift 2
	before=$(commits) &&
	{ test_expect_code "$code" "$@" >out 2>err || { cat err >&2; false; }; } &&
	grep_q "$msg" err &&
	test ! -s out &&
	test "$(commits)" = "$before" &&
	store_clean
}

test_expect_success 'setup: a USD customer, a customer in the base currency, stock' '
	new_store s &&
	crm-customer add Acme currency=USD owner=bob >/dev/null &&
	crm-customer add Beta owner=bob >/dev/null &&
	crm-customer show -o csv --fields id,currency C000001 >out &&
	printf "id,currency\nC000001,USD\n" >expect && test_cmp expect out &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add W-1 Widget price=10.00 >/dev/null &&
	crm-stock in W-1 100 --cost 5.00 --wh MAIN --date 2026-10-01 >/dev/null &&
	crm check >/dev/null
'

test_expect_success 'a customer currency that is not 3 capitals: 65 naming the field, nothing committed' '
	cd s &&
	refused 65 "^crm-customer: argument: currency: a currency is 3 capital letters like CNY or USD .usd.\$" \
		crm-customer add Gamma currency=usd &&
	refused 65 "^crm-customer: argument: currency: a currency is 3 capital letters like CNY or USD .EURO.\$" \
		crm-customer set C000002 currency=EURO &&
	printf "name,currency\nDelta,EUR\nEpsilon,US\n" >in.csv &&
	refused 65 "^crm-customer: in.csv:3: currency: a currency is 3 capital letters like CNY or USD .US.\$" \
		crm-customer import in.csv &&
	test "$(crm-customer list -o csv | wc -l)" = 3
'

test_expect_success 'crm check names a hand-edited currency by file and line' '
	cd s &&
	cp customers/000/000000.csv c.bak &&
	sed -i "s/,USD,/,usd,/" customers/000/000000.csv &&
	test_expect_code 65 crm check >out 2>err &&
	grep_q "^crm: customers/000/000000.csv:2: currency: a currency is 3 capital letters like CNY or USD .usd.\$" err &&
	cp c.bak customers/000/000000.csv && rm c.bak &&
	crm check >/dev/null
'

test_expect_success 'defaults: --currency, else the customer s currency, else the base currency' '
	cd s &&
	crm-ar invoice C000001 100.00 --date 2026-11-02 >i1 &&
	crm-ar invoice C000002 100.00 --date 2026-11-02 >i2 &&
	crm-ar invoice C000001 50.00 --date 2026-11-02 --currency CNY >i3 &&
	crm-ar credit C000001 10.00 --date 2026-11-03 --reason "short" >c1 &&
	crm-ar pay C000001 20.00 --date 2026-11-04 >r1 &&
	crm-ar list -o csv --fields id,currency >out &&
	grep_q "^$(cat i1),USD\$" out && grep_q "^$(cat i2),CNY\$" out &&
	grep_q "^$(cat i3),CNY\$" out && grep_q "^$(cat c1),USD\$" out &&
	grep_q "^$(cat r1),2026-11-04,C000001,20.00,USD," receipts/2026-11/*.csv &&
	# the credit note and the receipt settled the USD invoice only: 100 - 10 - 20
	cat open/*/*.csv >op &&
	grep_q "^C000001@$(cat i1),.*,USD,100.00,70.00," op &&
	grep_q "^C000001@$(cat i3),.*,CNY,50.00,50.00," op
'

test_expect_success 'orders and quotes take the customer s currency, and so do the invoices a shipment raises' '
	cd s &&
	o=$(crm-order new C000001 W-1:10@10.00 --date 2026-11-05) &&
	q=$(crm-order quote C000001 W-1:5@10.00 --date 2026-11-05) &&
	b=$(crm-order new C000002 W-1:1@10.00 --date 2026-11-05) &&
	x=$(crm-order new C000002 W-1:1@10.00 --date 2026-11-05 --currency EUR) &&
	crm-order ship $o --wh MAIN --date 2026-11-06 >si &&
	grep_q "^$o,2026-11-05,C000001,.*,USD," orders/2026-11/*.csv &&
	grep_q "^$q,2026-11-05,C000001,.*,USD," orders/2026-11/*.csv &&
	grep_q "^$b,2026-11-05,C000002,.*,CNY," orders/2026-11/*.csv &&
	grep_q "^$x,2026-11-05,C000002,.*,EUR," orders/2026-11/*.csv &&
	grep_q "^$(cat si),2026-11-06,C000001,$o,invoice,100.00,USD," invoices/2026-11/*.csv &&
	grep_q ",$o,C000001,bob,W-1,10,100.00,50.00,USD\$" shipments/2026-11/*.csv &&
	crm check >/dev/null
'

test_expect_success 'a receipt in another currency than its invoice stays refused (65), whichever way it got it' '
	cd s &&
	refused 65 "^crm-ar: argument: currency: .$(cat i3). is in CNY, the receipt in USD\$" \
		crm-ar pay C000001 10.00 --date 2026-11-10 --invoice "$(cat i3)" &&
	refused 65 "^crm-ar: argument: currency: .$(cat i1). is in USD, the receipt in CNY\$" \
		crm-ar pay C000001 10.00 --date 2026-11-10 --invoice "$(cat i1)" --currency CNY &&
	refused 65 "^crm-ar: argument: currency: a currency is 3 capital letters like CNY or USD .usd.\$" \
		crm-ar invoice C000001 10.00 --currency usd &&
	refused 65 "^crm-order: argument: currency: a currency is 3 capital letters like CNY or USD .US.\$" \
		crm-order new C000001 W-1:1@10.00 --currency US &&
	printf "date,customer,amount,currency\n2026-11-10,C000001,5.00,dollar\n" >imp.csv &&
	refused 65 "^crm-ar: imp.csv:2: currency: a currency is 3 capital letters like CNY or USD .dollar.\$" \
		crm-ar import imp.csv
'

test_expect_success 'a statement is in one currency: documents in two refuse to mix; --currency picks one' '
	cd s &&
	refused 65 "^crm-ar: statement: C000001 has documents in USD and CNY; a statement is in one currency (--currency C)\$" \
		crm-ar statement C000001 --to 2026-11-30 &&
	crm-ar statement C000001 --to 2026-11-30 --currency CNY -o csv >out &&
	printf "%s\n" "date,doc,what,amount,balance" ",,opening balance,,0.00" \
		"2026-11-02,$(cat i3),invoice,50.00,50.00" "2026-11-30,,closing balance,,50.00" >expect &&
	test_cmp expect out &&
	crm-ar statement C000001 --to 2026-11-30 --currency USD -o csv >out &&
	printf "%s\n" "date,doc,what,amount,balance" ",,opening balance,,0.00" \
		"2026-11-02,$(cat i1),invoice,100.00,100.00" "2026-11-03,$(cat c1),credit note,-10.00,90.00" \
		"2026-11-04,$(cat r1),receipt,-20.00,70.00" "2026-11-06,$(cat si),invoice,100.00,170.00" \
		"2026-11-30,,closing balance,,170.00" >expect &&
	test_cmp expect out &&
	# one currency: no --currency needed
	crm-ar statement C000002 --to 2026-11-30 -o csv >out &&
	grep_q "^2026-11-30,,closing balance,,100.00\$" out
'

# The report store: sales, margin, receipts and balances in USD and CNY, USD at 7.00 from
# 2026-11-01 and 7.25 from 2026-12-01; stock cost (5.00 a unit) is in the base currency.
test_expect_success 'setup: CNY and USD at two dated rates' '
	new_store r &&
	crm-customer add Acme currency=USD owner=bob >/dev/null &&
	crm-customer add Beta owner=bob >/dev/null &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add W-1 Widget price=10.00 >/dev/null &&
	crm-stock in W-1 100 --cost 5.00 --wh MAIN --date 2026-10-01 >/dev/null &&
	crm-ar rate USD 7.000000 --date 2026-11-01 >/dev/null &&
	crm-ar rate USD 7.250000 --date 2026-12-01 >/dev/null &&
	printf "date,currency,rate\n2026-11-01,USD,7.000000\n2026-12-01,USD,7.250000\n" >expect &&
	test_cmp expect rates/2026.csv &&
	# Acme: 100.00 USD shipped 11-02, 200.00 USD on 2/10,n/30 shipped 12-03
	o1=$(crm-order new C000001 W-1:10@10.00 --date 2026-11-01) &&
	crm-order ship $o1 --wh MAIN --date 2026-11-02 >/dev/null &&
	o2=$(crm-order new C000001 W-1:20@10.00 --date 2026-12-01 --terms 2/10,n/30) &&
	crm-order ship $o2 --wh MAIN --date 2026-12-03 >i2 &&
	# Beta: 100.00 CNY shipped 11-02
	o3=$(crm-order new C000002 W-1:10@10.00 --date 2026-11-01) &&
	crm-order ship $o3 --wh MAIN --date 2026-11-02 >/dev/null &&
	# Acme pays 60.00 USD on 11-20 (net), then 196.00 USD on 12-10 for the 200.00 (2 % off: 4.00 USD)
	crm-ar pay C000001 60.00 --date 2026-11-20 >/dev/null &&
	crm-ar pay C000001 196.00 --date 2026-12-10 --invoice "$(cat i2)" >/dev/null &&
	crm-ar pay C000002 100.00 --date 2026-11-15 >/dev/null &&
	crm check >/dev/null
'

test_expect_success 'sales and margin in the base currency at the rate of the ship date; cost is in it already' '
	cd r &&
	crm-report pivot customer month --sum sales -o csv >out &&
	# Acme: 100 x 7.00 = 700.00 in November, 200 x 7.25 = 1450.00 in December
	printf "%s\n" "customer,2026-11,2026-12,total" "C000001,700.00,1450.00,2150.00" \
		"C000002,100.00,0.00,100.00" "total,800.00,1450.00,2250.00" >expect &&
	test_cmp expect out &&
	crm-report pivot customer month --sum margin -o csv >out &&
	# less 10 x 5.00 and 20 x 5.00 of cost: 650.00 and 1350.00; Beta 100.00 - 50.00
	printf "%s\n" "customer,2026-11,2026-12,total" "C000001,650.00,1350.00,2000.00" \
		"C000002,50.00,0.00,50.00" "total,700.00,1350.00,2050.00" >expect &&
	test_cmp expect out &&
	crm-report kpi --from 2026-11-01 --to 2026-12-31 -o csv | cut -d, -f1,9,10 >out &&
	printf "owner,sales,margin\nbob,2250.00,2050.00\n" >expect &&
	test_cmp expect out
'

test_expect_success 'receipts at the rate of their date; balance at the rate of the day it is the balance of' '
	cd r &&
	crm-report pivot customer month --sum receipts -o csv >out &&
	# 60 x 7.00 = 420.00; 196 x 7.25 = 1421.00
	printf "%s\n" "customer,2026-11,2026-12,total" "C000001,420.00,1421.00,1841.00" \
		"C000002,100.00,0.00,100.00" "total,520.00,1421.00,1941.00" >expect &&
	test_cmp expect out &&
	# 40.00 USD still owed: 280.00 at 7.00 on 11-30, 290.00 at 7.25 on 12-31
	crm-report top 5 balance --to 2026-11-30 -o csv | cut -d, -f2,4 >out &&
	printf "customers,value\nC000001,280.00\n" >expect && test_cmp expect out &&
	crm-report --as-of 2026-12-31 top 5 balance -o csv | cut -d, -f2,4 >out &&
	printf "customers,value\nC000001,290.00\n" >expect && test_cmp expect out &&
	crm-ar --as-of 2026-12-31 aging -o csv | grep "^total," | cut -d, -f3,10 >out &&
	echo "CNY,290.00" >expect && test_cmp expect out
'

test_expect_success 'terms-taken: what was settled and the discount given, in the base currency' '
	cd r &&
	crm-ar terms-taken -o csv | cut -d, -f1-6 >out &&
	# the 2 % tier: 200 x 7.25 = 1450.00 settled, 4 x 7.25 = 29.00 given
	printf "%s\n" "customer,tier,payments,settled,discount,avg_days" "C000001,2/10,1,1450.00,29.00,7.00" \
		"C000001,net,1,420.00,0.00,18.00" "C000002,net,1,100.00,0.00,13.00" >expect &&
	test_cmp expect out
'

test_expect_success 'no rate on or before a fact s date: 65 naming the currency and the date; facts outside the period need none' '
	cd r &&
	o=$(crm-order new C000002 W-1:1@10.00 --date 2026-12-05 --currency EUR) &&
	crm-order ship $o --wh MAIN --date 2026-12-06 >/dev/null &&
	test_expect_code 65 crm-report top 5 sales >out 2>err &&
	grep_q "^crm-report: rates: no EUR rate on or before 2026-12-06 (crm-ar rate EUR RATE --date D)\$" err &&
	test ! -s out &&
	crm-report top 5 sales --to 2026-11-30 -o csv | cut -d, -f2,4 >out &&
	printf "customers,value\nC000001,700.00\nC000002,100.00\n" >expect && test_cmp expect out &&
	test_expect_code 65 crm-report kpi --from 2026-12-01 --to 2026-12-31 >out 2>err &&
	grep_q "no EUR rate on or before 2026-12-06" err &&
	crm-ar rate EUR 7.800000 --date 2026-12-01 >/dev/null &&
	crm-report top 5 sales -o csv | cut -d, -f2,4 >out &&
	# 10.00 EUR x 7.80 = 78.00 more for Beta
	printf "customers,value\nC000001,2150.00\nC000002,178.00\n" >expect && test_cmp expect out
'

test_expect_success 'a store whose customer files have no currency column reads and writes as before' '
	new_store old &&
	mkdir -p customers/000 &&
	printf "%s\n" "id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,created,updated,tags,note" \
		"C000001,Old Co,,,,B,bob,,active,,,2026-01-01,2026-01-01,," >customers/000/000000.csv &&
	git add -A && git commit -qm "a customer file of an older crm" &&
	crm check >/dev/null &&
	crm-customer list -o csv --fields id,name,currency >out &&
	printf "id,name,currency\nC000001,Old Co,\n" >expect && test_cmp expect out &&
	# every field, in the schema s order: the line is not printed as the older file has it
	crm-customer list -o csv | tail -n 1 >out &&
	echo "C000001,Old Co,,,,B,bob,,active,,,,2026-01-01,2026-01-01,," >expect && test_cmp expect out &&
	crm-ar invoice C000001 10.00 --date 2026-11-02 >/dev/null &&
	grep_q ",C000001,,invoice,10.00,CNY," invoices/2026-11/*.csv &&
	crm-customer set C000001 currency=USD >/dev/null &&
	head -1 customers/000/000000.csv | grep -q ",credit_limit,currency,created," &&
	crm-ar invoice C000001 10.00 --date 2026-11-03 >/dev/null &&
	grep_q ",C000001,,invoice,10.00,USD," invoices/2026-11/*.csv &&
	crm check >/dev/null
'

test_done
