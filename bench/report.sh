#!/bin/sh
# make bench, after ar.sh: the bars of DESIGN §8 for crm-report, as ratios
# against anchors measured in the same run on the same generated store,
# written to bench/RESULTS-report.md.
#   BENCH_REPORT_SIZES customers per store (default "1000 100000")
#   BENCH_RUNS         runs per figure; each figure is their median (default 5)
#   BENCH_BIN          the crm commands to measure (default bin/, built by make all)
#   BENCH_REPORT_PREPARE  only make the stores and databases (for a later run)
# A store and database already made from the same generators and arguments
# (their stamp) are used again: a million customers take a quarter of an hour
# to generate and import. crm-report's column cache (.git/crm-cache) is removed
# before the first run, which is timed apart as the cold run.
# Stores, databases and scratch files live under build/bench/; nothing outside the tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_BIN:-$top/bin}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
sizes=${BENCH_REPORT_SIZES:-1000 100000}
runs=${BENCH_RUNS:-5}
work=$top/build/bench
out=$top/bench/RESULTS-report.md
seed=42
visits=10
orders=5              # per customer, 3 lines each
end=2026-11-21

tm=$work/tm
res=$work/report-results
. "$top/bench/lib.sh"
bench_env crm crm-report
cc -O2 -o "$work/gen" "$top/bench/gen.c"
cc -O2 -o "$work/genar" "$top/bench/genar.c"

# sqlite3 holds the same customers, shipments, visits and receipts, money in minor units, indexed.
custcols=id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,created,updated,tags,note
schema="CREATE TABLE customers(id TEXT PRIMARY KEY, name TEXT, phone TEXT, region TEXT, industry TEXT,
	grade TEXT, owner TEXT, source TEXT, status TEXT, terms TEXT, credit_limit REAL, created TEXT,
	updated TEXT, tags TEXT, note TEXT);
CREATE TABLE shipments(id TEXT, date TEXT, \"order\" TEXT, customer TEXT, owner TEXT, sku TEXT, qty INTEGER,
	sales INTEGER, cost INTEGER, currency TEXT);
CREATE TABLE visits(id TEXT, date TEXT, customer TEXT, \"by\" TEXT, kind TEXT, summary TEXT, next_date TEXT,
	next_action TEXT, done TEXT);
CREATE TABLE receipts(id TEXT PRIMARY KEY, date TEXT, customer TEXT, amount INTEGER, currency TEXT,
	method TEXT, ref TEXT);"
cents="UPDATE shipments SET sales = CAST(round(sales * 100) AS INTEGER), cost = CAST(round(cost * 100) AS INTEGER);
UPDATE receipts SET amount = CAST(round(amount * 100) AS INTEGER);"
index="CREATE INDEX ship_customer ON shipments(customer); CREATE INDEX ship_date ON shipments(date);
CREATE INDEX visit_by ON visits(\"by\"); CREATE INDEX rec_customer ON receipts(customer); ANALYZE;"
q_top="SELECT customer, sum(sales) AS v FROM shipments GROUP BY customer ORDER BY v DESC, customer LIMIT 10;"
q_pivot="SELECT c.region, substr(s.date, 1, 7), sum(s.sales) FROM shipments s JOIN customers c ON c.id = s.customer
	GROUP BY c.region, substr(s.date, 1, 7) ORDER BY 1, 2;"
# kpi --by owner over the whole store: visits, sales and margin, receipts, new customers per owner.
q_kpi="SELECT \"by\", count(*) FROM visits GROUP BY \"by\";
SELECT owner, sum(sales), sum(sales - cost), count(*) FROM shipments GROUP BY owner;
SELECT c.owner, sum(r.amount) FROM receipts r JOIN customers c ON c.id = r.customer GROUP BY c.owner;
SELECT owner, count(*) FROM customers GROUP BY owner;"

stamp() { # N VISITS K
	echo "$1 $2 $3 $seed $end $(cat "$top/bench/gen.c" "$top/bench/genar.c" "$top/bench/report.sh" | sed -n '/^schema=/,/^index=/p;/^#include/,$p' | cksum)"
}
store() { # N VISITS K DIR
	if [ -f "$4/.git/bench-stamp" ] && [ "$(cat "$4/.git/bench-stamp")" = "$(stamp "$1" "$2" "$3")" ]; then
		echo "bench: using the store an earlier run made in $4" >&2
		return 0
	fi
	rm -rf "$4"
	crm init "$4" >/dev/null
	"$work/gen" -n "$1" -v "$2" -s $seed -e $end "$4"
	"$work/genar" -k "$3" -s $seed -e $end "$4"
	(cd "$4" && git add -A && git commit -q -m "bench: generated store")
	stamp "$1" "$2" "$3" >"$4/.git/bench-stamp"
}

if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
rm -rf "$res"
mkdir -p "$res"
cut -d' ' -f1-3 /proc/loadavg >"$res/load"
date -u +%Y-%m-%d >"$res/date"
git -C "$top" describe --always --dirty >"$res/rev"
for n in $sizes; do
	size_t0=$(date +%s)
	s=$work/rp$n
	d=$res/$n
	db=$work/rp$n.db
	mkdir -p "$d"
	store "$n" $visits $orders "$s"
	cd "$s"
	if ! [ -f "$db" ] || [ "$(cat "$db.stamp" 2>/dev/null)" != "$(stamp "$n" $visits $orders)" ]; then
		rm -f "$db" "$db.stamp"
		by_name customers "$custcols" "$work/rp.customers.csv"
		for tb in shipments visits receipts; do
			segcat $tb | grep -v '^id,' >"$work/rp.$tb.csv"
		done
		sqlite3 "$db" "$schema" ".import --csv $work/rp.customers.csv customers" \
			".import --csv $work/rp.shipments.csv shipments" ".import --csv $work/rp.visits.csv visits" \
			".import --csv $work/rp.receipts.csv receipts" "$cents" "$index"
		rm -f "$work"/rp.*.csv
		stamp "$n" $visits $orders >"$db.stamp"
	fi
	one=$work/rp$n-1
	if [ -n "${BENCH_REPORT_PREPARE:-}" ]; then
		store "$n" $visits 1 "$one"
		cd "$top"
		continue
	fi
	nship=$(segcat shipments | grep -vc '^id,')
	# Is crm right? top and the pivot's grand total against sqlite3, first
	# read from the files (the cache empty), then again from the cache.
	rm -rf .git/crm-cache
	{
		# tsv: a customer's name may hold a comma
		crm-report top 10 sales -o tsv | awk -F'\t' 'NR > 1 { split($4, a, "."); print $2 "|" a[1] * 100 + a[2] }' >"$work/top.crm"
		sqlite3 "$db" "$q_top" >"$work/top.sql"
		echo "top: $(cmp -s "$work/top.crm" "$work/top.sql" && echo identical || echo DIFFERENT)"
		crm-report pivot region month -o tsv | awk -F'\t' '$1 == "total" { print "pivot total: " $NF }'
		echo "sqlite total: $(sqlite3 "$db" 'SELECT sum(sales) FROM shipments')"
	} >"$d/verify"
	sed 's/^/bench:   /' "$d/verify" >&2
	# Cold: the first run over the store, which fills the column cache.
	rm -rf .git/crm-cache
	t "$d/topcold" crm-report top 10 sales --of customers
	t "$d/pivotcold" crm-report pivot region month --sum sales
	t "$d/kpicold" crm-report kpi --by owner --from 2000-01-01 --to $end
	du -sm .git/crm-cache | cut -f1 >"$d/cache"
	for i in $(seq 0 "$runs"); do
		[ "$i" = 0 ] && sfx=.warm || sfx=
		t "$d/top$sfx" crm-report top 10 sales --of customers
		t "$d/sqltop$sfx" sqlite3 "$db" "$q_top"
		t "$d/pivot$sfx" crm-report pivot region month --sum sales
		t "$d/sqlpivot$sfx" sqlite3 "$db" "$q_pivot"
		t "$d/kpi$sfx" crm-report kpi --by owner --from 2000-01-01 --to $end
		t "$d/sqlkpi$sfx" sqlite3 "$db" "$q_kpi"
		t "$d/floor$sfx" sh -c 'find shipments -name "*.csv" -exec cat {} + | wc -l'
	done
	{
		crm-report top 10 sales -o tsv | awk -F'\t' 'NR > 1 { split($4, a, "."); print $2 "|" a[1] * 100 + a[2] }' >"$work/top.crm"
		echo "top from the cache: $(cmp -s "$work/top.crm" "$work/top.sql" && echo identical || echo DIFFERENT)"
		crm-report pivot region month -o tsv | awk -F'\t' '$1 == "total" { print "pivot total from the cache: " $NF }'
	} >>"$d/verify"
	cd "$top"
	# Memory: the same customers with one order each (the cache filled by a first run).
	store "$n" $visits 1 "$one"
	(cd "$one" && rm -rf .git/crm-cache && crm-report top 10 sales >/dev/null && crm-report pivot region month >/dev/null &&
		for i in 1 2 3; do t "$d/top1" crm-report top 10 sales; t "$d/pivot1" crm-report pivot region month; done)
	[ "$n" -le 1000 ] || rm -rf "$one/.git/crm-cache"
	echo "$nship $(($(date +%s) - size_t0))" >"$d/facts"
	[ "$n" -le 1000 ] || rm -rf "$s/.git/crm-cache"
	echo "bench: $n customers done in $(($(date +%s) - size_t0)) s" >&2
done
# Only the stores and databases were asked for: no figures, RESULTS-report.md left as it is.
[ -z "${BENCH_REPORT_PREPARE:-}" ] || exit 0
fi
load=$(cat "$res/load")

row() { # N crmfile anchorfile bar
	d=$res/$1
	a=$(med "$d/$3")
	c=$(med "$d/$2")
	r=$(ratio "$c" "$a")
	echo "| $1 | $(med "$d/facts") | $(s3 "$a") | $(s3 "$c") | $r | $(spread "$d/$2" "$d/$3") | ≤ $4 | $(verdict "$r" "$4") | $(med "$d/$2" 2) |"
}
{
	echo "# crm-report benchmarks"
	echo
	echo "Written by \`make bench\` (bench/report.sh) on $(cat "$res/date"), crm at $(cat "$res/rev"):"
	echo "$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)),"
	echo "$(free -m | awk '/Mem:/ { printf "%.1f GiB", $2 / 1024 }') memory, sqlite3 $(sqlite3 --version | cut -d' ' -f1),"
	echo "LC_ALL=$LC_ALL; load average $load when it began (the cores are shared)."
	echo "Every figure is the median of $runs runs after one warm-up run; ratios are crm / anchor"
	echo "medians measured in the same run on the same store; times are wall seconds from fork to"
	echo "exit (bench/tm), memory the child's peak RSS in KiB."
	echo "Stores: \`bench/gen -n N -v $visits\` and \`bench/genar -k $orders\` (N customers, $orders orders of 3"
	echo "lines each, shipped: one shipments/ fact per line). sqlite3 holds the same customers,"
	echo "shipments, visits and receipts, imported and indexed (not timed)."
	echo
	echo "## Is crm right?"
	echo
	for n in $sizes; do echo "- $n customers: $(tr '\n' ';' <"$res/$n/verify")"; done
	echo
	echo "## crm-report top 10 sales --of customers against sqlite3's GROUP BY (bar ≤ 0.25×)"
	echo
	echo "| customers | shipments | sqlite3 s | crm s | ratio | runs' ratios | bar | verdict | crm peak KiB |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | ---: |"
	for n in $sizes; do row "$n" top sqltop 0.25; done
	echo
	echo "## crm-report pivot region month --sum sales against sqlite3's join and GROUP BY (bar ≤ 0.25×)"
	echo
	echo "| customers | shipments | sqlite3 s | crm s | ratio | runs' ratios | bar | verdict | crm peak KiB |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | ---: |"
	for n in $sizes; do row "$n" pivot sqlpivot 0.25; done
	echo
	echo "## The same against the floor, find shipments -name '*.csv' -exec cat {} + | wc -l (bar ≤ 5×)"
	echo
	echo "| customers | shipments | floor s | crm s | ratio | runs' ratios | bar | verdict | crm peak KiB |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | ---: |"
	for n in $sizes; do row "$n" top floor 5; row "$n" pivot floor 5; done
	echo
	echo "## crm-report kpi --by owner over the whole store against four sqlite3 GROUP BY queries (bar ≤ 0.25×)"
	echo
	echo "| customers | shipments | sqlite3 s | crm s | ratio | runs' ratios | bar | verdict | crm peak KiB |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | ---: |"
	for n in $sizes; do row "$n" kpi sqlkpi 0.25; done
	echo
	echo "## The first run over a store, its column cache empty (no bar: what a report costs once)"
	echo
	echo "crm-report keeps the columns it reads in .git/crm-cache (crm-report(1), \"The column cache\"); the"
	echo "figures above are of runs that find it made. Here each report runs once after the cache is removed,"
	echo "against the same sqlite3 medians."
	echo
	echo "| customers | report | sqlite3 s | crm s (cold) | ratio | crm s (cached) | crm peak KiB (cold) | cache MiB |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in $sizes; do
		d=$res/$n
		for r in top pivot kpi; do
			a=$(med "$d/sql$r") c=$(med "$d/${r}cold")
			echo "| $n | $r | $(s3 "$a") | $(s3 "$c") | $(ratio "$c" "$a") | $(s3 "$(med "$d/$r")") | $(med "$d/${r}cold" 2) | $(cat "$d/cache") |"
		done
	done
	echo
	echo "## Peak memory: 5 orders per customer against 1 (bar ≤ 1.25×)"
	echo
	echo "| customers | top KiB at 5 | at 1 | ratio | verdict | pivot KiB at 5 | at 1 | ratio | verdict |"
	echo "| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |"
	for n in $sizes; do
		d=$res/$n
		a=$(med "$d/top" 2) b=$(med "$d/top1" 2) c=$(med "$d/pivot" 2) e=$(med "$d/pivot1" 2)
		echo "| $n | $a | $b | $(ratio "$a" "$b") | $(verdict "$(ratio "$a" "$b")" 1.25) | $c | $e | $(ratio "$c" "$e") | $(verdict "$(ratio "$c" "$e")" 1.25) |"
	done
} >"$out"
echo "bench: wrote $out" >&2
