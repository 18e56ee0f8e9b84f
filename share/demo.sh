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
run crm log --max 5 -o table
run crm check
