#!/bin/sh
# crm-report funnel, kpi, work and risk (DESIGN §5, §6 "Reports", §7) over the
# store of tests/report-store.sh: the quotes by stage with their amount, the
# probability-weighted amount and won/(won + lost); the KPIs per owner and per
# region (visits per workday and per customer visited, new customers, repeat
# purchase, collection, A customers, sales, margin, sales target attainment
# from targets/); work per owner and week or month; risk silent when nobody is
# at risk, else the customers whose own order rhythm broke or whose sales fell.
# Figures are worked out by hand in the comments.
. "${0%/*}/lib.sh"
. "$TEST_SRC/tests/report-store.sh"

expect() {
	printf "%s\n" "$@" >expect
}

test_expect_success 'setup: the report store' '
	report_store && crm check >/dev/null
'

test_expect_success 'funnel: open quotes by stage, then won and lost' '
	cd s &&
	crm-report funnel >out 2>err &&
	# lead: Beta 500.00 x 10 % = 50.00; proposal: Epsilon 100.00 x 60 % = 60.00;
	# negotiation: Delta 200.00 x 80 % = 160.00 (no quote is at qualified now);
	# won: Gamma 260.00; lost: Acme 500.00; conversion won / (won + lost) = 1/2
	expect owner,stage,count,amount,weighted,conversion_pct \
		all,lead,1,500.00,50.00, all,proposal,1,100.00,60.00, all,negotiation,1,200.00,160.00, \
		all,won,1,260.00,0.00,50.00 all,lost,1,500.00,0.00, &&
	test_cmp expect out && test ! -s err
'

test_expect_success 'funnel --by owner' '
	cd s &&
	crm-report funnel --by owner >out &&
	# alice: Epsilon (proposal), Gamma (won), Acme (lost); bob: Beta (lead), Delta (negotiation)
	expect owner,stage,count,amount,weighted,conversion_pct \
		alice,proposal,1,100.00,60.00, alice,won,1,260.00,0.00,50.00 alice,lost,1,500.00,0.00, \
		bob,lead,1,500.00,50.00, bob,negotiation,1,200.00,160.00, &&
	test_cmp expect out
'

test_expect_success 'funnel --from: quotes made in the period' '
	cd s &&
	crm-report funnel --from 2026-04-01 >out &&
	# from April: Delta (15 Apr), the lost Acme quote (1 May), Epsilon (10 May)
	expect owner,stage,count,amount,weighted,conversion_pct \
		all,proposal,1,100.00,60.00, all,negotiation,1,200.00,160.00, all,lost,1,500.00,0.00, &&
	test_cmp expect out &&
	test_expect_code 2 crm-report funnel --by region 2>err &&
	grep_q "^crm-report: funnel --by owner$" err
'

# kpi over the first half of 2026 (129 workdays: Jan 22, Feb 20, Mar 22, Apr 22,
# May 21, Jun 22), per owner:
#   visits: alice 4 (Epsilon, Acme x 2, Gamma) of 3 customers; bob 2 of 2
#   per workday: 4/129 = 0.031, 2/129 = 0.016; per customer 4/3 = 1.333, 1.00
#   new customers: Epsilon (alice), Delta (bob)
#   repeat: alice bought through Acme (2 orders), Gamma, Epsilon: 1 of 3 = 33.33 %;
#     bob: Beta, Delta, once each: 0 %
#   collection: due in the period: alice Acme 1500 (14 Feb) + 300 (19 Apr),
#     Gamma 260 (9 Apr) = 2060, received 1000 + 130 = 1130: 54.854 %;
#     bob Beta 200 (5 Mar) + Delta 152.50 (2 May), received 200 + 152.50: 100 %
#   A customers: alice Acme, Gamma; bob none
#   sales: alice 1500 + 300 - 100 + 260 + 47.50 = 2007.50, margin 400 + 150 + 120
#     - 30 + 120 + 17.50 = 777.50; bob 200 + 152.50 = 352.50, margin 80 + 2.50
#   target: alice 2000 + 500 = 2500 (the 2026 target is not inside the half):
#     2007.50/2500 = 80.30 %; bob 400 + 300 + 200 (Delta) = 900: 39.167 %
test_expect_success 'kpi per owner over a half year, with target attainment' '
	cd s &&
	crm-report kpi --from 2026-01-01 --to 2026-06-30 >out 2>err &&
	expect owner,visits,per_workday,per_customer,new_customers,repeat_pct,collection_pct,a_customers,sales,margin,target,attainment_pct \
		alice,4,0.03,1.33,1,33.33,54.85,2,2007.50,777.50,2500.00,80.30 \
		bob,2,0.02,1.00,1,0.00,100.00,0,352.50,82.50,900.00,39.17 &&
	test_cmp expect out && test ! -s err
'

# Per region: north (Acme, Beta), south (Gamma, Delta, Epsilon)
#   visits: north Acme x 2, Beta = 3 of 2 customers (1.50); south 3 of 3 (1.00)
#   repeat: north Acme again of Acme, Beta: 50 %; south 0 of 3
#   collection: north due 1800 + 200, received 1000 + 200: 60 %;
#     south due 260 + 152.50 = 412.50, received 130 + 152.50 = 282.50: 68.485 %
#   sales: north 1700 + 200, margin 640 + 80; south 260 + 152.50 + 47.50, margin 120 + 2.50 + 17.50
#   target: south Delta 200: 460/200 = 230 %; north has none
test_expect_success 'kpi --by region' '
	cd s &&
	crm-report kpi --by region --from 2026-01-01 --to 2026-06-30 >out &&
	test "$(head -n 1 out)" = region,visits,per_workday,per_customer,new_customers,repeat_pct,collection_pct,a_customers,sales,margin,target,attainment_pct &&
	grep -qx "north,3,0.02,1.50,0,50.00,60.00,1,1900.00,720.00,," out &&
	grep -qx "south,3,0.02,1.00,2,0.00,68.48,1,460.00,140.00,200.00,230.00" out
'

# Without --from/--to: the month of --as-of up to that day, 1-15 March 2026
# (10 workdays). alice: Acme, Gamma visited (2/10 = 0.20); the won quote of
# 1 March (Gamma) is her only order: 0 % repeat; nothing fell due; sales Gamma
# 260, margin 120. bob: Beta, Delta; Delta new; Beta 200 due 5 March, paid that
# day: 100 %; no order (no repeat figure). No sales target inside 1-15 March.
test_expect_success 'kpi: the month so far as of --as-of' '
	cd s &&
	crm-report kpi --as-of 2026-03-15 >out &&
	expect owner,visits,per_workday,per_customer,new_customers,repeat_pct,collection_pct,a_customers,sales,margin,target,attainment_pct \
		alice,2,0.20,1.00,0,0.00,,2,260.00,120.00,, \
		bob,2,0.20,1.00,1,,100.00,0,0.00,0.00,, &&
	test_cmp expect out
'

test_expect_success 'kpi --at: the targets as committed at that revision' '
	cd s &&
	crm-report kpi --from 2026-01-01 --to 2026-06-30 --at HEAD~1 >out &&
	# the commit before the targets: the same figures, no target
	grep -qx "alice,4,0.03,1.33,1,33.33,54.85,2,2007.50,777.50,," out &&
	grep -qx "bob,2,0.02,1.00,1,0.00,100.00,0,352.50,82.50,," out
'

# work, March 2026 by ISO week, as of 30 April (W09 is Sunday 1 March):
#   alice W09: the won quote (dated 1 March): 1 quote, 1 won
#   alice W10: visits Acme (2nd), Gamma (5th); W11: Gamma shipped (10th), the
#     Acme follow-up done (9th); W12: visit Acme (16th), Acme shipped (20th);
#     W13: Epsilon created (25th)
#   bob W10: visits Beta, Delta; Delta created (2nd); Beta paid 200.00 (5th)
#   bob W11: the Beta follow-up of 10 March, never done: overdue
#   bob W13: the Delta follow-up done (23rd)
test_expect_success 'work --by owner --period week' '
	cd s &&
	crm-report work --by owner --period week --from 2026-03-01 --to 2026-03-31 --as-of 2026-04-30 >out 2>err &&
	expect owner,period,visits,new_customers,quotes,won,shipments,receipts,followups_done,followups_overdue \
		alice,2026-W09,0,0,1,1,0,0.00,0,0 alice,2026-W10,2,0,0,0,0,0.00,0,0 \
		alice,2026-W11,0,0,0,0,1,0.00,1,0 alice,2026-W12,1,0,0,0,1,0.00,0,0 \
		alice,2026-W13,0,1,0,0,0,0.00,0,0 bob,2026-W10,2,1,0,0,0,200.00,0,0 \
		bob,2026-W11,0,0,0,0,0,0.00,0,1 bob,2026-W13,0,0,0,0,0,0.00,1,0 &&
	test_cmp expect out && test ! -s err
'

test_expect_success 'work --period month' '
	cd s &&
	crm-report work --period month --from 2026-03-01 --to 2026-03-31 --as-of 2026-04-30 >out &&
	expect owner,period,visits,new_customers,quotes,won,shipments,receipts,followups_done,followups_overdue \
		alice,2026-03,3,1,1,1,2,0.00,1,0 bob,2026-03,2,1,0,0,0,200.00,1,1 &&
	test_cmp expect out &&
	# as of 9 March, the Beta follow-up of the 10th is not overdue yet
	crm-report work --period month --from 2026-03-01 --to 2026-03-31 --as-of 2026-03-09 >out &&
	grep -qx "bob,2026-03,2,1,0,0,0,200.00,1,0" out
'

test_expect_success 'work: bad --period and --by are usage errors' '
	cd s &&
	test_expect_code 2 crm-report work --period year 2>err &&
	grep_q "^crm-report: work --period day, week or month$" err &&
	test_expect_code 2 crm-report work --by region 2>err &&
	grep_q "^crm-report: work --by owner$" err &&
	test_expect_code 2 crm-report kpi --by grade 2>err &&
	grep_q "^crm-report: kpi --by owner or region$" err
'

# risk as of 30 April 2026: Acme ordered 2025-02-10, 2026-01-15, 2026-03-20
# (gaps 339 and 64 days, median taken as 64); 41 days of silence is under
# 2 x 64. Beta, Gamma have two orders (no rhythm yet), Delta and Epsilon one;
# nobody sold less than the year before. Nothing to say: no output, 0.
test_expect_success 'risk: silent, exit 0, when nobody is at risk' '
	cd s &&
	crm-report risk --as-of 2026-04-30 >out 2>err &&
	test ! -s out && test ! -s err &&
	crm-report risk --as-of 2026-04-30 -o table >out &&
	test ! -s out
'

# As of 1 August 2026: 134 days since 20 March, over 2 x 64 = 128; Acme last
# visited 16 March, 138 days ago, over the pool'"'"'s 90. Sales of the last year
# (2025-08-01, 2026-08-01]: 1500 + 300 - 100 = 1700, the year before 200: not
# down. Value at risk: the larger year, 1700.00.
test_expect_success 'risk: a customer whose own order rhythm broke' '
	cd s &&
	crm-report risk --as-of 2026-08-01 >out 2>err &&
	expect customer,name,owner,value_at_risk,last_order,why \
		"C000001,Acme,alice,1700.00,2026-03-20,134 days since the last order (usually 64); no visit for 90 days" &&
	test_cmp expect out && test ! -s err &&
	# with --factor 3 the line is at 192 days: nobody
	crm-report risk --as-of 2026-08-01 --factor 3 >out &&
	test ! -s out
'

# As of 1 June 2027 the last year (2026-06-01, 2027-06-01] holds only Epsilon'"'"'s
# 47.50; the year before: Acme 1700, Gamma 240 + 260, Beta 200 (Feb 2026),
# Delta 152.50: each down 100 %. Acme: 438 days since 20 March 2026.
test_expect_success 'risk: sales down on the year before, largest value first' '
	cd s &&
	crm-report risk --as-of 2027-06-01 >out &&
	expect customer,name,owner,value_at_risk,last_order,why \
		"C000001,Acme,alice,1700.00,2026-03-20,438 days since the last order (usually 64); sales down 100.00% on the year before; no visit for 90 days" \
		"C000003,Gamma,alice,500.00,2026-03-01,sales down 100.00% on the year before; no visit for 90 days" \
		"C000002,Beta,bob,200.00,2026-01-28,sales down 100.00% on the year before; no visit for 90 days" \
		"C000004,Delta,bob,152.50,2026-04-02,sales down 100.00% on the year before; no visit for 90 days" &&
	test_cmp expect out &&
	test_expect_code 2 crm-report risk --drop 0 2>err &&
	grep_q "^crm-report: --drop takes a percent from 1 to 100$" err &&
	test_expect_code 2 crm-report risk --factor x 2>err &&
	grep_q "^crm-report: --factor takes a whole number from 1$" err
'

test_done
