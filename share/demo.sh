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
run crm log --max 5 -o table
run crm check
