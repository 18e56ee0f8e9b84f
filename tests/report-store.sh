# tests/report-store.sh: the store of the crm-report tests (0070-0073), built
# by hand with the commands a user runs. Every figure the tests expect is
# worked out from the facts below.
#
# Customers (created on, by --as-of; owner; region; grade):
#   C000001 Acme     2025-01-05  alice  north  A
#   C000002 Beta     2025-01-20  bob    north  B
#   C000003 Gamma    2025-06-01  alice  south  A
#   C000004 Delta    2026-03-02  bob    south  C
#   C000005 Epsilon  2026-03-25  alice  south  B
# Products (category, one cost each, so the moving average never moves):
#   W-12 tools/hand/wrench 12.00   H-1 tools/hand/hammer 6.00
#   D-1  tools/power/drill 70.00   G-1 garden/water/hose 3.00
# Shipments (the shipments/ ledger; margin = sales - cost):
#   2025-02-12 C1 W-12  10 @ 20.00 =  200.00 cost 120.00 margin  80.00 (imported)
#   2025-05-20 C2 D-1    2 @100.00 =  200.00 cost 140.00 margin  60.00
#   2025-11-05 C3 H-1   20 @ 12.00 =  240.00 cost 120.00 margin 120.00
#   2026-01-15 C1 W-12  50 @ 20.00 = 1000.00 cost 600.00 margin 400.00
#   2026-01-15 C1 D-1    5 @100.00 =  500.00 cost 350.00 margin 150.00
#   2026-02-03 C2 G-1   40 @  5.00 =  200.00 cost 120.00 margin  80.00 (ordered 2026-01-28)
#   2026-03-10 C3 D-1    2 @130.00 =  260.00 cost 140.00 margin 120.00 (a won quote of 2026-03-01)
#   2026-03-20 C1 H-1   30 @ 10.00 =  300.00 cost 180.00 margin 120.00
#   2026-04-02 C4 H-1   25 @  6.10 =  152.50 cost 150.00 margin   2.50
#   2026-04-10 C1 D-1   -1 @100.00 = -100.00 cost -70.00 margin -30.00 (a return)
#   2026-06-05 C5 G-1   10 @  4.75 =   47.50 cost  30.00 margin  17.50
#   sales 3000.00 (2025: 640.00, 2026: 2360.00), margin 1120.00, qty 193
#   per customer: C1 1900.00, C3 500.00, C2 400.00, C4 152.50, C5 47.50
# Quotes: 2026-02-10 C2 G-1 100 @ 5.00 = 500.00, lead, 10 %
#         2026-03-01 C3 D-1 2 @ 130.00 = 260.00, proposal, 60 %: won, shipped
#         2026-04-15 C4 W-12 10 @ 20.00 = 200.00, negotiation, 80 %
#         2026-05-01 C1 H-1 50 @ 10.00 = 500.00, qualified, 30 %: lost
#         2026-05-10 C5 W-12 5 @ 20.00 = 100.00, proposal, 60 %
# Invoices: one per shipment, terms n/30 (due 30 days after the ship date);
#   the return raises a credit note of -100.00.
# Receipts: 2026-02-14 C1 1000.00, 2026-03-05 C2 200.00, 2026-04-20 C3 130.00,
#   2026-05-02 C4 152.50
# Visits: 2026-02-20 C5 alice; 2026-03-02 C1 alice, follow-up 2026-03-09 done
#   on 2026-03-09; 2026-03-03 C2 bob, follow-up 2026-03-10 never done;
#   2026-03-04 C4 bob, follow-up 2026-03-20 done on 2026-03-23; 2026-03-05 C3
#   alice; 2026-03-16 C1 alice, follow-up 2026-04-06 open
# Targets (targets/2026.csv, the last commit): see the file below.
CRM_USER=alice
export CRM_USER

report_store() {
	crm init s >/dev/null && cd s &&
	crm-customer add Acme region=north grade=A owner=alice industry=tools --as-of 2025-01-05 >/dev/null &&
	crm-customer add Beta region=north grade=B owner=bob industry=trade --as-of 2025-01-20 >/dev/null &&
	crm-customer add Gamma region=south grade=A owner=alice industry=tools --as-of 2025-06-01 >/dev/null &&
	crm-customer add Delta region=south grade=C owner=bob industry=farm --as-of 2026-03-02 >/dev/null &&
	crm-customer add Epsilon region=south grade=B owner=alice industry=trade --as-of 2026-03-25 >/dev/null &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add W-12 "Wrench 12" category=tools/hand/wrench price=20.00 >/dev/null &&
	crm-stock product add H-1 Hammer category=tools/hand/hammer price=10.00 >/dev/null &&
	crm-stock product add D-1 Drill category=tools/power/drill price=100.00 >/dev/null &&
	crm-stock product add G-1 Hose category=garden/water/hose price=5.00 >/dev/null &&
	crm-stock in W-12 100 --cost 12.00 --date 2025-01-02 >/dev/null &&
	crm-stock in H-1 100 --cost 6.00 --date 2025-01-02 >/dev/null &&
	crm-stock in D-1 20 --cost 70.00 --date 2025-01-02 >/dev/null &&
	crm-stock in G-1 100 --cost 3.00 --date 2025-01-02 >/dev/null &&
	printf "ref,date,customer,sku,qty,price,ship_date\nP-1,2025-02-10,C000001,W-12,10,20.00,2025-02-12\n" |
		crm-order import - --with-stock --wh MAIN >/dev/null 2>&1 &&
	o=$(crm-order new C000002 D-1:2@100.00 --date 2025-05-20) && crm-order ship "$o" --date 2025-05-20 >/dev/null &&
	o=$(crm-order new C000003 H-1:20@12.00 --date 2025-11-05) && crm-order ship "$o" --date 2025-11-05 >/dev/null &&
	git rev-parse HEAD >../rev-2025 &&
	o4=$(crm-order new C000001 W-12:50@20.00 D-1:5@100.00 --date 2026-01-15) &&
	crm-order ship "$o4" --date 2026-01-15 >/dev/null &&
	o=$(crm-order new C000002 G-1:40@5.00 --date 2026-01-28) && crm-order ship "$o" --date 2026-02-03 >/dev/null &&
	crm-order quote C000002 G-1:100@5.00 --stage lead --probability 10 --date 2026-02-10 >/dev/null &&
	q=$(crm-order quote C000003 D-1:2@130.00 --stage proposal --probability 60 --date 2026-03-01) &&
	crm-order win "$q" --date 2026-03-10 >/dev/null && crm-order ship "$q" --date 2026-03-10 >/dev/null &&
	o=$(crm-order new C000001 H-1:30@10.00 --date 2026-03-20) && crm-order ship "$o" --date 2026-03-20 >/dev/null &&
	o=$(crm-order new C000004 H-1:25@6.10 --date 2026-04-02) && crm-order ship "$o" --date 2026-04-02 >/dev/null &&
	crm-order return "$o4" D-1:1 --date 2026-04-10 >/dev/null &&
	crm-order quote C000004 W-12:10@20.00 --stage negotiation --probability 80 --date 2026-04-15 >/dev/null &&
	q=$(crm-order quote C000001 H-1:50@10.00 --stage qualified --probability 30 --date 2026-05-01) &&
	crm-order lose "$q" --reason "too expensive" --date 2026-05-20 >/dev/null &&
	crm-order quote C000005 W-12:5@20.00 --stage proposal --probability 60 --date 2026-05-10 >/dev/null &&
	o=$(crm-order new C000005 G-1:10@4.75 --date 2026-06-05) && crm-order ship "$o" --date 2026-06-05 >/dev/null &&
	crm-ar pay C000001 1000.00 --date 2026-02-14 >/dev/null &&
	crm-ar pay C000002 200.00 --date 2026-03-05 >/dev/null &&
	crm-ar pay C000003 130.00 --date 2026-04-20 >/dev/null &&
	crm-ar pay C000004 152.50 --date 2026-05-02 >/dev/null &&
	crm-visit log C000005 --by alice --date 2026-02-20 "first call" >/dev/null &&
	v1=$(crm-visit log C000001 --by alice --date 2026-03-02 --next 2026-03-09 --action "send quote" "spring range") &&
	crm-visit log C000002 --by bob --date 2026-03-03 --next 2026-03-10 --action "call back" prices >/dev/null &&
	v4=$(crm-visit log C000004 --by bob --date 2026-03-04 --next 2026-03-20 --action demo "first visit") &&
	crm-visit log C000003 --by alice --date 2026-03-05 drills >/dev/null &&
	crm-visit log C000001 --by alice --date 2026-03-16 --next 2026-04-06 --action "follow up" hammers >/dev/null &&
	crm-visit done "$v1" --as-of 2026-03-09 >/dev/null &&
	crm-visit done "$v4" --as-of 2026-03-23 >/dev/null &&
	# Sales targets: alice 2000.00 (Q1) + 500.00 (Q2); bob 400.00 + 300.00, and
	# 200.00 on his customer Delta in Q2; the year target and the visits target
	# are not sales targets of a half year.
	mkdir targets &&
	printf "%s\n" period,owner,customer,measure,amount \
		2026-Q1,alice,,sales,2000.00 2026-Q2,alice,,sales,500.00 \
		2026-Q1,bob,,sales,400.00 2026-Q2,bob,,sales,300.00 \
		2026-Q2,,C000004,sales,200.00 2026,alice,,sales,6000.00 \
		2026-03,bob,,visits,10 >targets/2026.csv &&
	git add targets && git commit -q -m "targets 2026"
}
