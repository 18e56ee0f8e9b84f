#!/bin/sh
# crm-ar remind (quiet when nothing), schedule, statement (opening, closing,
# aging footer) and terms-taken (the annual rate each tier implies).
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# body FILE: the rows of a CSV report without its header, sorted.
body() {
	sed 1d "$1" | sort
}

test_expect_success 'remind on a store with nothing open: no output at all, exit 0' '
	new_store e &&
	crm-customer add Solo >/dev/null &&
	crm-ar --as-of 2026-11-10 remind >out 2>err &&
	test ! -s out && test ! -s err &&
	crm-ar --as-of 2026-11-10 remind -o csv --within 30 >out &&
	test ! -s out
'

test_expect_success 'setup: a discount window, a due date and overdue invoices' '
	new_store s &&
	crm-customer add Acme owner=bob terms=2/0,1/10,n/30 >/dev/null &&
	crm-customer add Beta owner=carol >/dev/null &&
	crm-customer add Gamma owner=bob >/dev/null &&
	crm-ar invoice C000001 1000.00 --date 2026-11-02 >/dev/null &&                # I202611-00001, due 12-02
	crm-ar invoice C000002 300.00 --date 2026-10-01 --terms n/30 >/dev/null &&    # I202610-00001, due 10-31
	crm-ar invoice C000002 200.50 --date 2026-11-01 --terms n/10 >/dev/null &&    # I202611-00002, due 11-11
	crm-ar invoice C000003 80.00 --date 2026-10-15 --terms n/20 >/dev/null        # I202610-00002, due 11-04
'

H="owner,customer,name,invoice,event,date,rate,pay,saving,open"

test_expect_success 'remind (3 days by default): the window closing, what falls due, what is overdue' '
	cd s &&
	crm-ar --as-of 2026-11-10 remind -o csv >out &&
	test "$(head -n 1 out)" = "$H" &&
	body out >got &&
	# 1 % holds to 2026-11-02 + 10 = 11-12: pay 1000.00 - 10.00 = 990.00, saving 10.00
	{ echo "bob,C000001,Acme,I202611-00001,discount,2026-11-12,1.00,990.00,10.00,1000.00"
	  echo "bob,C000003,Gamma,I202610-00002,overdue,2026-11-04,,80.00,,80.00"
	  echo "carol,C000002,Beta,I202610-00001,overdue,2026-10-31,,300.00,,300.00"
	  echo "carol,C000002,Beta,I202611-00002,due,2026-11-11,,200.50,,200.50"
	} | sort >expect &&
	test_cmp expect got
'

test_expect_success 'remind --by OWNER: only that owner'\''s customers' '
	cd s &&
	crm-ar --as-of 2026-11-10 remind -o csv --by bob >out &&
	body out >got &&
	{ echo "bob,C000001,Acme,I202611-00001,discount,2026-11-12,1.00,990.00,10.00,1000.00"
	  echo "bob,C000003,Gamma,I202610-00002,overdue,2026-11-04,,80.00,,80.00"
	} | sort >expect &&
	test_cmp expect got &&
	crm-ar --as-of 2026-11-10 remind -o csv --by nobody >out &&
	test ! -s out
'

test_expect_success 'remind --within 1: the due date of tomorrow is in, the window of the day after is not' '
	cd s &&
	crm-ar --as-of 2026-11-10 remind -o csv --within 1 >out &&
	body out >got &&
	{ echo "bob,C000003,Gamma,I202610-00002,overdue,2026-11-04,,80.00,,80.00"
	  echo "carol,C000002,Beta,I202610-00001,overdue,2026-10-31,,300.00,,300.00"
	  echo "carol,C000002,Beta,I202611-00002,due,2026-11-11,,200.50,,200.50"
	} | sort >expect &&
	test_cmp expect got
'

test_expect_success 'remind --within 0: only what is overdue today' '
	cd s &&
	crm-ar --as-of 2026-11-10 remind -o csv --within 0 >out &&
	body out >got &&
	{ echo "bob,C000003,Gamma,I202610-00002,overdue,2026-11-04,,80.00,,80.00"
	  echo "carol,C000002,Beta,I202610-00001,overdue,2026-10-31,,300.00,,300.00"
	} | sort >expect &&
	test_cmp expect got
'

test_expect_success 'remind on the invoice date: the 2 % window closes today' '
	cd s &&
	crm-ar --as-of 2026-11-02 remind -o csv --within 1 --by bob >out &&
	body out >got &&
	# 1000.00 x 2 % = 20.00: pay 980.00
	echo "bob,C000001,Acme,I202611-00001,discount,2026-11-02,2.00,980.00,20.00,1000.00" >expect &&
	test_cmp expect got
'

test_expect_success 'remind lists each owner'\''s rows together (per owner, for cron)' '
	new_store g &&
	n=0; for o in bob carol bob carol bob; do n=$((n + 1)); crm-customer add "Cust $n" owner=$o >/dev/null || exit 1; done &&
	for i in 1 2 3 4 5; do crm-ar invoice C00000$i $i.00 --date 2026-10-01 >/dev/null || exit 1; done &&
	crm-ar --as-of 2026-11-10 remind -o csv >out &&
	test "$(sed 1d out | wc -l)" = 5 &&
	sed 1d out | cut -d, -f1 | uniq >owners &&
	printf "bob\ncarol\n" >expect &&
	sort owners >sorted &&
	test_cmp expect sorted
'

test_expect_success 'remind is quiet when everything is paid' '
	cd s &&
	crm-ar pay C000001 990.00 --date 2026-11-12 >/dev/null &&
	crm-ar pay C000002 500.50 --date 2026-11-12 >/dev/null &&
	crm-ar pay C000003 80.00 --date 2026-11-12 >/dev/null &&
	crm-ar --as-of 2026-11-12 remind --within 30 >out 2>err &&
	test ! -s out && test ! -s err &&
	crm check >/dev/null
'

test_expect_success 'setup: a fresh invoice to schedule' '
	cd s &&
	crm-ar invoice C000001 1234.56 --date 2026-12-01 >id &&
	test "$(cat id)" = I202612-00001
'

test_expect_success 'schedule INVOICE: one row per window still open, then the net due date' '
	cd s &&
	crm-ar --as-of 2026-12-01 schedule I202612-00001 -o csv >out &&
	# 2 %: 1234.56 x 0.02 = 24.6912 -> 24.69, pay 1209.87; 1 %: 12.3456 -> 12.35, pay 1222.21
	printf "invoice,customer,pay_by,rate,amount,saving\n" >expect &&
	printf "I202612-00001,C000001,2026-12-01,2.00,1209.87,24.69\n" >>expect &&
	printf "I202612-00001,C000001,2026-12-11,1.00,1222.21,12.35\n" >>expect &&
	printf "I202612-00001,C000001,2026-12-31,0,1234.56,0.00\n" >>expect &&
	test_cmp expect out &&
	# a window that has closed is not offered
	crm-ar --as-of 2026-12-02 schedule I202612-00001 -o csv >out &&
	test "$(sed 1d out | cut -d, -f3 | tr "\n" " ")" = "2026-12-11 2026-12-31 "
'

test_expect_success 'schedule CUSTOMER: every open invoice of the customer' '
	cd s &&
	crm-ar invoice C000002 100.00 --date 2026-12-01 --terms n/15 >id2 &&
	crm-ar --as-of 2026-12-12 schedule C000002 -o csv >out &&
	printf "invoice,customer,pay_by,rate,amount,saving\n$(cat id2),C000002,2026-12-16,0,100.00,0.00\n" >expect &&
	test_cmp expect out &&
	crm-ar --as-of 2026-12-12 schedule C000001 -o csv >out &&
	printf "invoice,customer,pay_by,rate,amount,saving\nI202612-00001,C000001,2026-12-31,0,1234.56,0.00\n" >expect &&
	test_cmp expect out
'

test_expect_success 'schedule --every day: the rate changes the day after the window closes' '
	cd s &&
	crm-ar --as-of 2026-12-09 schedule I202612-00001 --every day -o csv >out &&
	# 2026-12-09 .. 2026-12-31: 23 days
	test "$(sed 1d out | wc -l)" = 23 &&
	grep_q "^I202612-00001,C000001,2026-12-11,1.00,1222.21,12.35$" out &&
	grep_q "^I202612-00001,C000001,2026-12-12,0,1234.56,0.00$" out &&
	test "$(tail -n 1 out | cut -d, -f3)" = 2026-12-31
'

test_expect_success 'schedule --every week: a row a week from today while the invoice is open' '
	cd s &&
	crm-ar --as-of 2026-12-04 schedule I202612-00001 --every week -o csv >out &&
	printf "invoice,customer,pay_by,rate,amount,saving\n" >expect &&
	printf "I202612-00001,C000001,2026-12-04,1.00,1222.21,12.35\n" >>expect &&
	printf "I202612-00001,C000001,2026-12-11,1.00,1222.21,12.35\n" >>expect &&
	printf "I202612-00001,C000001,2026-12-18,0,1234.56,0.00\n" >>expect &&
	printf "I202612-00001,C000001,2026-12-25,0,1234.56,0.00\n" >>expect &&
	test_cmp expect out
'

test_expect_success 'schedule: nothing open is exit 1 with a message; a bad --every is usage (2)' '
	cd s &&
	test_expect_code 1 crm-ar schedule C000003 >out 2>err &&
	test ! -s out && grep_q "nothing open for .C000003." err &&
	test_expect_code 1 crm-ar schedule I202610-00002 2>err &&
	grep_q "nothing open for .I202610-00002." err &&
	test_expect_code 2 crm-ar schedule C000001 --every month 2>err &&
	grep_q "every day or week" err
'

test_expect_success 'statement: opening balance, each document, closing balance (csv: no footer)' '
	cd s &&
	crm-ar credit C000002 20.00 --reason "short delivery" --date 2026-12-05 >cr &&
	crm-ar statement C000002 --from 2026-10-15 --to 2026-12-31 -o csv >out &&
	printf "date,doc,what,amount,balance\n" >expect &&
	# before 10-15: the 300.00 invoice of 10-01
	printf "2026-10-15,,opening balance,,300.00\n" >>expect &&
	printf "2026-11-01,I202611-00002,invoice,200.50,500.50\n" >>expect &&
	printf "2026-11-12,R202611-00002,receipt,-500.50,0.00\n" >>expect &&
	printf "2026-12-01,$(cat id2),invoice,100.00,100.00\n" >>expect &&
	printf "2026-12-05,$(cat cr),credit note,-20.00,80.00\n" >>expect &&
	printf "2026-12-31,,closing balance,,80.00\n" >>expect &&
	test_cmp expect out
'

test_expect_success 'statement shows a cash discount as its own line' '
	cd s &&
	crm-ar statement C000001 --from 2026-11-01 --to 2026-11-30 -o csv >out &&
	printf "date,doc,what,amount,balance\n" >expect &&
	printf "2026-11-01,,opening balance,,0.00\n" >>expect &&
	printf "2026-11-02,I202611-00001,invoice,1000.00,1000.00\n" >>expect &&
	# 990.00 paid on day 10 settled 1000.00: 10.00 of it discount
	printf "2026-11-12,I202611-00001,cash discount,-10.00,990.00\n" >>expect &&
	printf "2026-11-12,R202611-00001,receipt,-990.00,0.00\n" >>expect &&
	printf "2026-11-30,,closing balance,,0.00\n" >>expect &&
	test_cmp expect out
'

test_expect_success 'statement on a terminal (-o table) ends with the aging as of --to' '
	cd s &&
	crm-ar statement C000002 --from 2026-10-15 --to 2027-01-20 -o table >out &&
	grep_q "^2026-10-15  *opening balance  *300.00$" out &&
	grep_q "^2027-01-20  *closing balance  *80.00$" out &&
	# 80.00 due 2026-12-16 is 35 days late on 2027-01-20
	grep_q "^aging as of 2027-01-20: not due 0.00, 1-30 0.00, 31-60 80.00, 61-90 0.00, over 90 0.00$" out &&
	crm-ar statement C000002 --from 2026-10-15 --to 2027-01-20 -o csv >out &&
	! grep -q "^aging" out
'

test_expect_success 'statement: --to defaults to --as-of; --to before --from is usage' '
	cd s &&
	crm-ar --as-of 2026-12-10 statement C000002 -o csv >out &&
	test "$(tail -n 1 out)" = "2026-12-10,,closing balance,,80.00" &&
	test "$(sed -n 2p out)" = ",,opening balance,,0.00" &&
	test_expect_code 2 crm-ar statement C000002 --from 2026-12-10 --to 2026-12-01 2>err &&
	grep_q "to is before --from" err
'

test_expect_success 'setup: payments in each tier for terms-taken' '
	new_store t &&
	crm-customer add Acme >/dev/null &&
	crm-customer add Beta >/dev/null &&
	crm-ar invoice C000001 1000.00 --date 2026-11-02 --terms 1/10,n/60 >a1 &&
	crm-ar invoice C000001 300.00 --date 2026-11-04 --terms 1/10,n/60 >a2 &&
	crm-ar invoice C000001 500.00 --date 2026-11-02 --terms 1/10,n/60 >a3 &&
	crm-ar invoice C000002 2000.00 --date 2026-11-02 --terms 2/0,1/10,n/30 >b1 &&
	crm-ar invoice C000002 1000.00 --date 2026-11-02 --terms 2/0,1/10,n/30 >b2 &&
	crm-ar invoice C000002 100.00 --date 2026-09-01 --terms n/30 >b3 &&
	# day 10 at 1 %: F = 1000.00 - 10.00 = 990.00
	crm-ar pay C000001 990.00 --date 2026-11-12 --invoice $(cat a1) >/dev/null &&
	# day 8 at 1 %: F = 300.00 - 3.00 = 297.00
	crm-ar pay C000001 297.00 --date 2026-11-12 --invoice $(cat a2) >/dev/null &&
	# day 29, on time at net
	crm-ar pay C000001 500.00 --date 2026-12-01 --invoice $(cat a3) >/dev/null &&
	# day 0 at 2 %: F = 2000.00 - 40.00 = 1960.00
	crm-ar pay C000002 1960.00 --date 2026-11-02 --invoice $(cat b1) >/dev/null &&
	# day 10 at 1 %: 990.00
	crm-ar pay C000002 990.00 --date 2026-11-12 --invoice $(cat b2) >/dev/null &&
	# due 10-01, paid 11-02: late, 62 days after the invoice date
	crm-ar pay C000002 100.00 --date 2026-11-02 --invoice $(cat b3) >/dev/null &&
	crm check >/dev/null
'

test_expect_success 'terms-taken by customer: payments, settled, discount, average days, annual rate' '
	cd t &&
	crm-ar terms-taken -o csv >out &&
	printf "customer,tier,payments,settled,discount,avg_days,annual_pct\n" >expect &&
	# 1/10 of n/60: 1/99 x 365/50 = 0.073737.. -> 7.37; 1000+300 = 1300.00, 10+3 = 13.00, (10+8)/2 = 9.00 days
	printf "C000001,1/10,2,1300.00,13.00,9.00,7.37\n" >>expect &&
	printf "C000001,net,1,500.00,0.00,29.00,\n" >>expect &&
	# 2/0 of n/30: 2/98 x 365/30 = 0.248299.. -> 24.83
	printf "C000002,2/0,1,2000.00,40.00,0.00,24.83\n" >>expect &&
	# 1/10 of n/30: 1/99 x 365/20 = 0.184343.. -> 18.43
	printf "C000002,1/10,1,1000.00,10.00,10.00,18.43\n" >>expect &&
	printf "C000002,late,1,100.00,0.00,62.00,\n" >>expect &&
	test_cmp expect out
'

test_expect_success 'terms-taken --by terms groups by the invoice terms' '
	cd t &&
	crm-ar terms-taken --by terms -o csv >out &&
	printf "terms,tier,payments,settled,discount,avg_days,annual_pct\n" >expect &&
	printf "\"1/10,n/60\",1/10,2,1300.00,13.00,9.00,7.37\n" >>expect &&
	printf "\"1/10,n/60\",net,1,500.00,0.00,29.00,\n" >>expect &&
	printf "\"2/0,1/10,n/30\",2/0,1,2000.00,40.00,0.00,24.83\n" >>expect &&
	printf "\"2/0,1/10,n/30\",1/10,1,1000.00,10.00,10.00,18.43\n" >>expect &&
	printf "n/30,late,1,100.00,0.00,62.00,\n" >>expect &&
	test_cmp expect out
'

test_expect_success 'terms-taken --from/--to counts payments of those days; none is exit 1' '
	cd t &&
	crm-ar terms-taken --from 2026-11-12 --to 2026-11-12 -o csv >out &&
	body out >got &&
	{ echo "C000001,1/10,2,1300.00,13.00,9.00,7.37"
	  echo "C000002,1/10,1,1000.00,10.00,10.00,18.43"
	} | sort >expect &&
	test_cmp expect got &&
	test_expect_code 1 crm-ar terms-taken --from 2027-01-01 >out &&
	test_expect_code 2 crm-ar terms-taken --by owner 2>err &&
	grep_q "terms-taken --by customer or terms" err &&
	new_store ../t2 && test_expect_code 1 crm-ar terms-taken
'

test_done
