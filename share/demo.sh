#!/bin/sh
# make demo: a demo store under build/demo, made from share/, and a few of the
# commands a salesperson and a manager run every day.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PATH="$top/bin:$PATH"
: "${GIT_AUTHOR_NAME:=Demo User}" "${GIT_AUTHOR_EMAIL:=demo@example.com}"
export PATH GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
demo="$top/build/demo"
rm -rf "$demo"
mkdir -p "$top/build"
run() {
	printf '\n$ %s\n' "$*"
	"$@"
}
run crm init "$demo"
cd "$demo"
run crm-customer import "$top/share/demo-customers.csv"
run crm-customer list -o table region=上海
run crm-customer list -o table 'name~科技|软件'
echo
echo '$ crm-customer list grade=C -o csv | crm-customer set - grade=B'
crm-customer list grade=C -o csv | crm-customer set - grade=B
run crm-customer list -o table grade=B
run crm-customer dups -o table
run crm-customer pool -o table
# The stock of a hardware distributor: two warehouses, the catalogue, the
# opening stock, then a month of moves at the moving-average cost.
run crm-stock warehouse add SH "上海总仓 Shanghai"
run crm-stock warehouse add GZ "广州仓 Guangzhou"
run crm-stock product import "$top/share/demo-products.csv"
run crm-stock import "$top/share/demo-stock.csv"
run crm-stock in HT-W1213 100 --cost 11.80 --wh SH --ref PO-261105 --date 2026-11-05
run crm-stock out HT-W1213 65 --wh SH --ref SO-261108 --date 2026-11-08
run crm-stock move HT-W1213 30 --from SH --to GZ --date 2026-11-10
run crm-stock out PT-AG100 5 --wh SH --ref SO-261112 --date 2026-11-12
run crm-stock out SF-GG01 25 --wh SH --ref SO-261118 --date 2026-11-18
run crm-stock count HT-W1213 124 --wh SH --date 2026-11-30
run crm-stock count EL-BV25 5 --wh GZ --date 2026-11-30
run crm-stock level -o table
run crm-stock value --depth 2 -o table
run crm-stock alert -o table
run crm-stock card HT-W1213 -o table
# What to order, as a purchase CSV for the supplier:
purchase='crm-stock alert -o csv | awk -F, '\''BEGIN { print "sku,qty" } NR > 1 { print $1 "," $6 }'\'
printf '\n$ %s\n' "$purchase"
eval "$purchase"
# Quote to cash: two customers on payment terms with a credit limit, a quote
# won and shipped, an order on installments, a receipt inside its discount
# window, then the salespeople's reminders and the aging.
run crm-customer set C000001 terms=2/10,n/30 credit_limit=20000.00
run crm-customer set C000002 terms=1/10,n/60 credit_limit=10000.00
capture() {
	printf '\n$ %s\n' "$*" >&2
	"$@" | tee /dev/stderr | head -n 1
}
q=$(capture crm-order quote C000001 HT-W1213:40 HT-HK09:10 --date 2026-11-20 --close 2026-12-15)
run crm-order stage "$q" proposal
run crm-order win "$q"
run crm-order ship "$q" --wh SH --date 2026-11-24
run crm-ar schedule C000001 --as-of 2026-11-24 -o table
o=$(capture crm-order new C000002 HT-W1719:20 --plan 30@0,70@60 --date 2026-11-25)
run crm-order ship "$o" --wh SH --date 2026-11-26
# 902.00 less 2 % paid on day 7 of 2/10,n/30 settles the invoice in full.
run crm-ar pay C000001 883.96 --date 2026-12-01 --method transfer
run crm-order show "$q" -o table
run crm-ar list -o table
run crm-ar remind --as-of 2026-12-03 -o table
run crm-ar aging -o table
run crm log --max 5 -o table
# The month in reports: two more orders shipped, a quote in negotiation and
# one lost; then the five best customers as bars (drawn on a terminal, before
# the table) and the funnel.
o3=$(capture crm-order new C000003 FS-HB0830:40 SF-GL05:100 --date 2026-11-27)
run crm-order ship "$o3" --wh SH --date 2026-11-28
o4=$(capture crm-order new C000005 EL-SW86:200 --date 2026-11-27)
run crm-order ship "$o4" --wh SH --date 2026-11-29
run crm-order quote C000007 PT-DR13:5 --stage negotiation --probability 70 --date 2026-11-27
lost=$(capture crm-order quote C000004 SF-GG01:20 --stage proposal --date 2026-11-28)
run crm-order lose "$lost" --reason "bought elsewhere"
run crm-report top 5 sales --chart -o table
run crm-report funnel -o table
run crm check
# Working as a team: the store on a bare remote, a salesperson's clone, an
# edit of a different field on each side (merged), then the same field two
# ways (one conflict, listed, settled).
rm -rf "$top/build/demo-remote.git" "$top/build/demo-bob"
git init -q --bare -b main "$top/build/demo-remote.git"
git remote add origin "$top/build/demo-remote.git"
run crm sync
run crm clone "$top/build/demo-remote.git" "$top/build/demo-bob"
(cd "$top/build/demo-bob" && CRM_USER=bob run crm-customer set C000003 note="visited: wants a quote" && run crm sync)
run crm-customer set C000003 phone=0755-86009999
run crm-customer set C000004 note="call back Monday"
(cd "$top/build/demo-bob" && CRM_USER=bob run crm-customer set C000004 note="samples sent" && run crm sync)
run crm sync
run crm conflicts -o table
run crm resolve C000004 note="samples sent; call back Monday"
run crm sync
run crm-customer show C000003 -o table
