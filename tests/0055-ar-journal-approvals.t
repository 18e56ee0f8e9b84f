#!/bin/sh
# crm-ar journal (double-entry postings that balance, receivable = aging) and
# approvals: --request, crm approvals, approve, reject.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup: two customers, invoices, a discounted receipt, a credit note, a write-off' '
	new_store s &&
	git config -f crm.conf --add role.finance.member alice@example.com &&
	git commit -qam "finance: alice" &&
	crm-customer add Acme >/dev/null &&
	crm-customer add Beta owner=bob >/dev/null &&
	crm-ar invoice C000001 1000.00 --terms 2/10,n/30 --date 2026-10-01 >/dev/null &&
	crm-ar invoice C000001 500.00 --terms n/30 --date 2026-10-05 >/dev/null &&
	crm-ar invoice C000002 300.00 --terms n/30 --date 2026-10-02 >/dev/null &&
	# day 10 of I202610-00001: 2 % holds, F = 1000.00 - 20.00 = 980.00
	crm-ar pay C000001 980.00 --date 2026-10-11 --invoice I202610-00001 >/dev/null &&
	crm-ar credit C000001 50.00 --reason damaged --date 2026-10-20 >/dev/null &&
	crm-ar writeoff I202610-00003 --reason bankrupt --date 2026-11-30 >/dev/null
'

test_expect_success 'journal: every entry balances and the books balance to zero' '
	cd s &&
	crm-ar journal --format csv >j.csv &&
	head -1 j.csv | grep -q "^date,doc,what,customer,account,amount,currency$" &&
	# sum of all amounts, in cents: must be 0
	tail -n +2 j.csv | awk -F, "{ s += \$6 * 100 } END { exit (s < 0 ? -s : s) > 0.5 }"
'

test_expect_success 'journal in hledger: balance 0, receivable per customer equals aging' '
	cd s &&
	crm-ar journal >books.journal &&
	hledger -f books.journal balance -N >bal &&
	# Acme: 1000 + 500 - 980 - 20 (discount) - 50 (credit note) = 450.00; Beta: 300 - 300 written off = 0
	grep_q "450.00 CNY  *Assets:Receivable:C000001" bal &&
	grep_q "20.00 CNY  *Expenses:CashDiscounts" bal &&
	grep_q "300.00 CNY  *Expenses:BadDebts" bal &&
	! grep -q "C000002" bal &&
	hledger -f books.journal balance >all &&
	tail -1 all | grep -q "^ *0 *$" &&
	crm-ar aging --as-of 2026-12-31 -o csv >aging &&
	grep_q "^C000001,Acme,CNY,.*,450.00$" aging
'

test_expect_success 'journal --from/--to and beancount' '
	cd s &&
	crm-ar journal --from 2026-10-11 --to 2026-10-11 >j &&
	grep_q "^2026-10-11 receipt R202610-00001 C000001$" j &&
	grep_q "^2026-10-11 cash discount I202610-00001 C000001$" j &&
	! grep -q "^2026-10-01" j &&
	crm-ar journal --format beancount --to 2026-10-01 >b &&
	grep_q "^2026-10-01 \\* \"C000001\" \"invoice I202610-00001\"$" b &&
	grep_q "Income:Sales  *-1000.00 CNY" b
'

test_expect_success 'journal takes account names from crm.conf' '
	cd s &&
	git config -f crm.conf accounts.bank Assets:Cash:ICBC &&
	crm-ar journal --from 2026-10-11 --to 2026-10-11 >j &&
	grep_q "Assets:Cash:ICBC  *980.00 CNY" j &&
	git checkout -q crm.conf
'

test_expect_success 'journal refuses an unknown format' '
	cd s &&
	test_expect_code 2 crm-ar journal --format xml 2>err &&
	grep_q "ledger, beancount or csv" err
'

test_expect_success 'a salesperson is refused an override (77) and asks instead with --request' '
	cd s &&
	before=$(commits) &&
	test_expect_code 77 env CRM_USER=bob GIT_AUTHOR_EMAIL=bob@example.com \
		crm-ar override I202610-00002 1 --reason "late shipment" 2>err &&
	grep_q "finance or director" err &&
	test "$(commits)" = "$before" &&
	# a request is dated today and numbered in its month: a fixed today
	env CRM_USER=bob GIT_AUTHOR_EMAIL=bob@example.com faketime "2026-12-02 10:00:00" \
		crm-ar override I202610-00002 1 --reason "late shipment" --request >id &&
	test "$(cat id)" = Q202612-00001 &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s | grep -q "request Q202612-00001: override I202610-00002 1: late shipment" &&
	store_clean
'

test_expect_success 'approvals: silent for a non-member, listed for a member' '
	cd s &&
	env CRM_USER=bob GIT_AUTHOR_EMAIL=bob@example.com crm approvals >out &&
	test ! -s out &&
	crm approvals -o csv >out &&
	grep_q "^Q202612-00001,2026-12-02,bob,override,I202610-00002,1,late shipment,pending,,,$" out
'

test_expect_success 'approve by a non-member is 77; by finance applies exactly what was asked' '
	cd s &&
	before=$(commits) &&
	test_expect_code 77 env CRM_USER=bob GIT_AUTHOR_EMAIL=bob@example.com crm approve Q202612-00001 2>err &&
	grep_q "needs the finance or director role" err &&
	test "$(commits)" = "$before" &&
	crm approve Q202612-00001 &&
	git log -1 --format=%s | grep -q "approve Q202612-00001 (override I202610-00002 1, asked by bob: late shipment) by alice (finance)" &&
	grep_q "^I202610-00002,.*,1.00,$" invoices/2026-10/0001.csv &&
	# 450.00 open (the credit note took 50.00); the override holds whatever the date:
	# F = 450.00 - round(450.00 x 1 %) = 450.00 - 4.50 = 445.50 settles it
	crm-ar pay C000001 445.50 --date 2026-12-20 --invoice I202610-00002 >/dev/null &&
	crm-ar show I202610-00002 -o csv >show &&
	grep_q ",receipt,R202612-00001,I202610-00002,1,450.00,4.50$" show &&
	crm approvals >out && test ! -s out &&
	crm check >/dev/null && store_clean
'

test_expect_success 'a decided request is not decided again; reject needs a reason' '
	cd s &&
	test_expect_code 65 crm approve Q202612-00001 2>err &&
	grep_q "approved already (by alice)" err &&
	env CRM_USER=bob GIT_AUTHOR_EMAIL=bob@example.com faketime "2026-12-02 10:00:00" \
		crm-ar writeoff I202610-00001 --reason "no" --request >/dev/null 2>err ;
	test_expect_code 2 crm reject Q202612-00002 2>err &&
	grep_q "reject: --reason is needed" err &&
	crm reject Q202612-00002 --reason "it is paid" &&
	git log -1 --format=%s | grep -q "reject Q202612-00002 (writeoff I202610-00001, asked by bob: no) by alice (finance): it is paid" &&
	test_expect_code 1 crm approve Q202699-00001 2>err &&
	grep_q "no request" err &&
	store_clean
'

test_expect_success '--request without --reason is a usage error, nothing filed' '
	cd s &&
	before=$(commits) &&
	test_expect_code 2 crm-ar override I202610-00002 1 --request 2>err &&
	grep_q "needs --reason" err &&
	test "$(commits)" = "$before" && store_clean
'

test_done
