#!/bin/sh
# crm-ar aging: buckets on their edges, --by owner/region, --basis invoice,
# --as-of (the business date) and --at (the books as they stood), credit, totals.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

H="customer,name,currency,not_due,1-30,31-60,61-90,over_90,credit,total"

test_expect_success 'an empty store has nothing to age: exit 1, no row' '
	new_store e &&
	crm-customer add Solo >/dev/null &&
	test_expect_code 1 crm-ar --as-of 2026-12-31 aging -o csv >out &&
	! grep -q "^C0" out
'

test_expect_success 'setup: invoices whose days past due on 2026-12-31 sit on every bucket edge' '
	new_store s &&
	crm-customer add Acme owner=bob region=north >/dev/null &&
	crm-customer add Beta owner=carol region=north >/dev/null &&
	crm-customer add Gamma owner=bob region=south >/dev/null &&
	crm-customer add Delta owner=dave >/dev/null &&
	# n/0: due on the invoice date; days past due on 2026-12-31 in the comment
	crm-ar invoice C000001 1.00 --date 2026-12-31 --terms n/0 >/dev/null &&   # day 0: not due
	crm-ar invoice C000001 2.00 --date 2026-12-30 --terms n/0 >/dev/null &&   # day 1: 1-30
	crm-ar invoice C000001 4.00 --date 2026-12-01 --terms n/0 >/dev/null &&   # day 30: 1-30
	crm-ar invoice C000001 8.00 --date 2026-11-30 --terms n/0 >/dev/null &&   # day 31: 31-60
	crm-ar invoice C000001 16.00 --date 2026-11-01 --terms n/0 >/dev/null &&  # day 60: 31-60
	crm-ar invoice C000001 32.00 --date 2026-10-31 --terms n/0 >/dev/null &&  # day 61: 61-90
	crm-ar invoice C000001 64.00 --date 2026-10-02 --terms n/0 >/dev/null &&  # day 90: 61-90
	crm-ar invoice C000001 128.00 --date 2026-10-01 --terms n/0 >id &&        # day 91: over 90
	test "$(cat id)" = I202610-00003 &&
	# due 2026-12-31: day 0
	crm-ar invoice C000002 50.00 --date 2026-12-01 --terms n/30 >/dev/null &&
	# due 2026-08-31; 400.00 paid on 09-15 leaves 600.00, 122 days past due on 12-31
	crm-ar invoice C000003 1000.00 --date 2026-08-01 --terms n/30 >/dev/null &&
	crm-ar pay C000003 400.00 --date 2026-09-15 >/dev/null &&
	# 198.00 on day 5 of 1/10: settles round(198.00 / 0.99) = 200.00 (2.00 discount); 300.00 open, due 2027-01-19
	crm-ar invoice C000003 500.00 --date 2026-12-20 --terms 1/10,n/30 >g2 &&
	crm-ar pay C000003 198.00 --date 2026-12-25 --invoice $(cat g2) >/dev/null &&
	# nothing owed: all 75.00 is credit
	crm-ar pay C000004 75.00 --date 2026-12-01 >/dev/null &&
	crm check >/dev/null
'

test_expect_success 'aging --as-of: day 0 not due, 1 and 30 in 1-30, 31 and 60 in 31-60, 61 and 90 in 61-90, 91 over 90' '
	cd s &&
	crm-ar --as-of 2026-12-31 aging -o csv >out &&
	echo "$H" >expect &&
	# Acme: 1.00 | 2.00 + 4.00 | 8.00 + 16.00 | 32.00 + 64.00 | 128.00; total 255.00
	echo "C000001,Acme,CNY,1.00,6.00,24.00,96.00,128.00,0.00,255.00" >>expect &&
	echo "C000002,Beta,CNY,50.00,0.00,0.00,0.00,0.00,0.00,50.00" >>expect &&
	# Gamma: 300.00 not due, 600.00 over 90: 900.00
	echo "C000003,Gamma,CNY,300.00,0.00,0.00,0.00,600.00,0.00,900.00" >>expect &&
	echo "C000004,Delta,CNY,0.00,0.00,0.00,0.00,0.00,-75.00,-75.00" >>expect &&
	# 1+50+300 = 351.00; 128+600 = 728.00; 255+50+900-75 = 1130.00
	echo "total,,CNY,351.00,6.00,24.00,96.00,728.00,-75.00,1130.00" >>expect &&
	test_cmp expect out
'

test_expect_success 'aging --by owner: one row per owner, and the total' '
	cd s &&
	crm-ar --as-of 2026-12-31 aging --by owner -o csv >out &&
	echo "owner,currency,not_due,1-30,31-60,61-90,over_90,credit,total" >expect &&
	# bob = Acme + Gamma: 1+300 = 301.00; 128+600 = 728.00; 255+900 = 1155.00
	echo "bob,CNY,301.00,6.00,24.00,96.00,728.00,0.00,1155.00" >>expect &&
	echo "carol,CNY,50.00,0.00,0.00,0.00,0.00,0.00,50.00" >>expect &&
	echo "dave,CNY,0.00,0.00,0.00,0.00,0.00,-75.00,-75.00" >>expect &&
	echo "total,CNY,351.00,6.00,24.00,96.00,728.00,-75.00,1130.00" >>expect &&
	test_cmp expect out
'

test_expect_success 'aging --by region: a customer without a region is (none)' '
	cd s &&
	crm-ar --as-of 2026-12-31 aging --by region -o csv >out &&
	echo "region,currency,not_due,1-30,31-60,61-90,over_90,credit,total" >expect &&
	echo "(none),CNY,0.00,0.00,0.00,0.00,0.00,-75.00,-75.00" >>expect &&
	# north = Acme + Beta: 1+50 = 51.00; 255+50 = 305.00
	echo "north,CNY,51.00,6.00,24.00,96.00,128.00,0.00,305.00" >>expect &&
	echo "south,CNY,300.00,0.00,0.00,0.00,600.00,0.00,900.00" >>expect &&
	echo "total,CNY,351.00,6.00,24.00,96.00,728.00,-75.00,1130.00" >>expect &&
	test_cmp expect out
'

test_expect_success 'aging --basis invoice counts days since the invoice date; no not-due column' '
	cd s &&
	crm-ar --as-of 2026-12-31 aging --basis invoice -o csv >out &&
	echo "customer,name,currency,0-30,31-60,61-90,over_90,credit,total" >expect &&
	# Acme (n/0: same days): 1+2+4 = 7.00 | 24.00 | 96.00 | 128.00
	echo "C000001,Acme,CNY,7.00,24.00,96.00,128.00,0.00,255.00" >>expect &&
	# Beta: 2026-12-01 is 30 days back
	echo "C000002,Beta,CNY,50.00,0.00,0.00,0.00,0.00,50.00" >>expect &&
	# Gamma: 300.00 issued 11 days back, 600.00 issued 152 days back
	echo "C000003,Gamma,CNY,300.00,0.00,0.00,600.00,0.00,900.00" >>expect &&
	echo "C000004,Delta,CNY,0.00,0.00,0.00,0.00,-75.00,-75.00" >>expect &&
	# 7+50+300 = 357.00
	echo "total,,CNY,357.00,24.00,96.00,728.00,-75.00,1130.00" >>expect &&
	test_cmp expect out
'

test_expect_success 'aging --as-of an earlier day leaves out later invoices and receipts' '
	cd s &&
	crm-ar --as-of 2026-09-10 aging -o csv >out &&
	echo "$H" >expect &&
	# only Gamma 1000.00, due 08-31: 10 days; the 400.00 of 09-15 is not yet in
	echo "C000003,Gamma,CNY,0.00,1000.00,0.00,0.00,0.00,0.00,1000.00" >>expect &&
	echo "total,,CNY,0.00,1000.00,0.00,0.00,0.00,0.00,1000.00" >>expect &&
	test_cmp expect out &&
	crm-ar --as-of 2026-09-15 aging -o csv >out &&
	# 1000.00 - 400.00 = 600.00, 15 days past due
	grep_q "^C000003,Gamma,CNY,0.00,600.00,0.00,0.00,0.00,0.00,600.00$" out
'

test_expect_success 'aging as of a day before anything was owed: exit 1, no row' '
	cd s &&
	test_expect_code 1 crm-ar --as-of 2026-07-01 aging -o csv >out &&
	! grep -q "^C0" out &&
	! grep -q "^total" out
'

test_expect_success 'aging --as-of D --at REV: a receipt back-dated later is left out' '
	cd s &&
	git rev-parse HEAD >rev &&
	# recorded now, dated 2026-12-15: pays the day-91 invoice
	crm-ar pay C000001 128.00 --date 2026-12-15 --invoice I202610-00003 >/dev/null &&
	crm-ar --as-of 2026-12-31 aging -o csv >out &&
	# 255.00 - 128.00 = 127.00
	grep_q "^C000001,Acme,CNY,1.00,6.00,24.00,96.00,0.00,0.00,127.00$" out &&
	crm-ar --as-of 2026-12-31 --at "$(cat rev)" aging -o csv >out &&
	grep_q "^C000001,Acme,CNY,1.00,6.00,24.00,96.00,128.00,0.00,255.00$" out &&
	grep_q "^total,,CNY,351.00,6.00,24.00,96.00,728.00,-75.00,1130.00$" out &&
	crm-ar --as-of 2026-12-31 --at HEAD~1 aging -o csv >out2 &&
	test_cmp out out2 &&
	# as of 12-10 the receipt of 12-15 had not come in, whatever the commit:
	# days 9 and 10: 4+8 = 12.00; days 39, 40: 16+32 = 48.00; days 69, 70: 64+128 = 192.00
	crm-ar --as-of 2026-12-10 aging -o csv >out &&
	grep_q "^C000001,Acme,CNY,0.00,12.00,48.00,192.00,0.00,0.00,252.00$" out &&
	store_clean
'

test_expect_success 'aging after the customer is paid up: the customer leaves the report' '
	cd s &&
	crm-ar pay C000003 900.00 --date 2026-12-31 >/dev/null &&
	crm-ar --as-of 2026-12-31 aging -o csv >out &&
	! grep -q "^C000003," out &&
	crm check >/dev/null
'

test_expect_success 'aging.buckets in crm.conf chooses the columns' '
	cd s &&
	git config -f crm.conf aging.buckets 30,60 &&
	git commit -qm "two buckets" crm.conf &&
	crm-ar --as-of 2026-12-31 aging -o csv >out &&
	head -n 1 out >hdr &&
	echo "customer,name,currency,not_due,1-30,31-60,over_60,credit,total" >expect &&
	test_cmp expect hdr &&
	# Acme: 32.00 + 64.00 (128.00 is paid) = 96.00 over 60
	grep_q "^C000001,Acme,CNY,1.00,6.00,24.00,96.00,0.00,127.00$" out
'

test_expect_success 'aging refuses a bad --by or --basis (2) and a broken aging.buckets (65)' '
	cd s &&
	test_expect_code 2 crm-ar aging --by colour 2>err && grep_q "aging --by customer, owner or region" err &&
	test_expect_code 2 crm-ar aging --basis paid 2>err && grep_q "aging --basis due or invoice" err &&
	git config -f crm.conf aging.buckets 60,30 &&
	git commit -qm "bad buckets" crm.conf &&
	test_expect_code 65 crm-ar --as-of 2026-12-31 aging 2>err &&
	grep_q "crm.conf: aging.buckets" err
'

test_expect_success 'aging is in the base currency at the rate on or before --as-of' '
	new_store m &&
	crm-customer add Usco >/dev/null &&
	crm-customer add Local >/dev/null &&
	mkdir -p rates &&
	printf "date,currency,rate\n2026-11-01,USD,7.100000\n2026-12-15,USD,7.200000\n2027-01-15,USD,7.300000\n" >rates/2026.csv &&
	git add rates && git commit -qm "rates" &&
	# due 2026-12-02: 29 days on 2026-12-31
	crm-ar invoice C000001 100.00 --currency USD --date 2026-11-02 --terms n/30 >/dev/null &&
	crm-ar invoice C000002 50.00 --date 2026-12-20 --terms n/30 >/dev/null &&
	crm-ar --as-of 2026-12-31 aging -o csv >out &&
	# 100.00 USD at 7.200000 (2026-12-15, the last rate on or before 12-31) = 720.00 CNY
	if grep -q ",USD," out; then echo "a row in USD:"; cat out; exit 1; fi &&
	grep_q "^C000001,Usco,CNY,0.00,720.00,0.00,0.00,0.00,0.00,720.00$" out &&
	grep_q "^total,,CNY,50.00,720.00,0.00,0.00,0.00,0.00,770.00$" out
'

test_done
