#!/bin/sh
# make bench, after run.sh: the stock bars of DESIGN §8 as ratios against
# anchors measured in the same run on the same generated store, written to
# bench/RESULTS-stock.md (its own file: the two harnesses never overwrite
# each other).
#   BENCH_STOCK_SIZES    moves per store (default "10000 10000000")
#   BENCH_STOCK_PRODUCTS products per store (default 100000)
#   BENCH_RUNS           runs per figure; each figure is their median (default 5)
#   BENCH_BIN            the crm commands to measure (default bin/, built by make all)
# Stores, databases and scratch files live under build/bench/; nothing outside the tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_BIN:-$top/bin}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
sizes=${BENCH_STOCK_SIZES:-10000 10000000}
products=${BENCH_STOCK_PRODUCTS:-100000}
runs=${BENCH_RUNS:-5}
work=$top/build/bench
out=$top/bench/RESULTS-stock.md
seed=42
end=2026-11-21        # the generated history ends here; the measured write is dated so
asof=2099-12-31       # as-of a date past every move: the reports read every move
wh=MAIN               # the warehouse that stocks every generated product
base=1000000          # the ledger size that report memory is compared with

tm=$work/tm
res=$work/stock-results
. "$top/bench/lib.sh"
bench_env crm crm-stock
cc -O2 -o "$work/genstock" "$top/bench/genstock.c"

# sqlite3 gets the same moves and products, typed, with an index on the
# grouping columns (the anchor); a scan without it and a covering index are
# measured besides, to show how far the anchor moves with the plan.
schema="CREATE TABLE moves(id TEXT, date TEXT, sku TEXT, warehouse TEXT, qty INTEGER, value REAL,
	kind TEXT, ref TEXT, by TEXT, note TEXT);
CREATE TABLE products(sku TEXT PRIMARY KEY, name TEXT, category TEXT, unit TEXT, price REAL,
	price_a REAL, price_b REAL, price_c REAL, price_d REAL, floor REAL, alert_level INTEGER,
	reorder_qty INTEGER, status TEXT);"
index="CREATE INDEX moves_sku_wh ON moves(sku, warehouse); ANALYZE;"
cover="CREATE INDEX moves_cover ON moves(sku, warehouse, date, qty, value); ANALYZE;"
q_level() { echo "SELECT sku, warehouse, sum(qty), sum(value) FROM moves${1:+ $1} WHERE date <= '$asof' GROUP BY sku, warehouse;"; }
q_value() { echo "SELECT CASE WHEN instr(p.category, '/') THEN substr(p.category, 1, instr(p.category, '/') - 1)
	ELSE p.category END AS c, sum(m.qty), sum(m.value) FROM moves m${1:+ $1} JOIN products p ON p.sku = m.sku
	WHERE m.date <= '$asof' GROUP BY c ORDER BY c;"; }

# Total qty and value (in minor units) of columns QC and VC, lines whose first field is H left out.
sum_awk='function money(s,  neg, a, n, v) { neg = sub(/^-/, "", s); n = split(s, a, ".")
		v = a[1] * 100 + (n > 1 ? a[2] : 0); return neg ? -v : v }
	$1 == H { next }
	{ q += $QC; v += money($VC); n++ }
	END { printf "%d %d %.0f\n", n, q, v }'
# The same per SKU and warehouse, sorted: SKU TAB WAREHOUSE TAB QTY TAB VALUE.
pairs_awk='function money(s,  neg, a, n, v) { neg = sub(/^-/, "", s); n = split(s, a, ".")
		v = a[1] * 100 + (n > 1 ? a[2] : 0); return neg ? -v : v }
	$1 == H { next }
	{ k = $SC "\t" $WC; q[k] += $QC; v[k] += money($VC) }
	END { for (k in q) printf "%s\t%d\t%.0f\n", k, q[k], v[k] }'

# A random active product from run number $1 (an in of a discontinued one is refused).
pick_sku() {
	awk -F, -v s="$((seed * 1000 + $1))" 'BEGIN { srand(s) } NR > 1 && $NF == "active" { a[++n] = $1 }
		END { print a[int(rand() * n) + 1] }' "$2"
}

# gen N DIR RESULTS: a store of N moves, committed, and its sqlite3 database.
gen() {
	n=$1 store=$2 d=$3
	rm -rf "$store" "$store.moves.csv" "$store.products.csv" "$store.db"
	crm init "$store" >/dev/null
	t "$d/gen" "$work/genstock" -p "$products" -m "$n" -s $seed -e $end \
		-c "$store.moves.csv" -r "$store.products.csv" "$store"
	(cd "$store" && t "$d/commit" sh -c 'git add -A && git commit -q -m "bench: generated store"')
	t "$d/sqlimport" sqlite3 "$store.db" "$schema" ".import --csv --skip 1 $store.moves.csv moves" \
		".import --csv --skip 1 $store.products.csv products" "$index"
}

# BENCH_REPORT_ONLY=1 writes the report again from the last run's figures.
if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
rm -rf "$res"
mkdir -p "$res"
cut -d' ' -f1-3 /proc/loadavg >"$res/load"
date -u +%Y-%m-%d >"$res/date"
git -C "$top" describe --always --dirty >"$res/rev"
for n in $sizes; do
	size_t0=$(date +%s)
	store=$work/st$n
	d=$res/$n
	mkdir -p "$d"
	gen "$n" "$store" "$d"
	cd "$store"
	files=$(git ls-files | wc -l)
	mb=$(du -sm --exclude=.git . | cut -f1)
	balances=$(cat stock/*/*.csv | grep -vc '^key,')
	echo "bench: $n moves: generated in $(med "$d/gen") s, committed in $(med "$d/commit") s" >&2

	# Is crm-stock right? Its totals and its per-SKU-and-warehouse sums against
	# awk over the moves; crm check on the stores it reads in seconds.
	{
		m=$(segcat moves | awk -F, -v H=id -v QC=5 -v VC=6 "$sum_awk")
		l=$(crm-stock level -o tsv | awk -F'\t' -v H=sku -v QC=5 -v VC=8 "$sum_awk")
		a=$(crm-stock level --all --as-of $asof -o tsv | awk -F'\t' -v H=sku -v QC=5 -v VC=8 "$sum_awk")
		v=$(crm-stock value --as-of $asof -o tsv | awk -F'\t' '$1 == "total" { print $2, $3 }')
		segcat moves | awk -F, -v H=id -v SC=3 -v WC=4 -v QC=5 -v VC=6 "$pairs_awk" | sort >"$work/pairs.moves"
		crm-stock level --all --as-of $asof -o tsv |
			awk -F'\t' -v H=sku -v SC=1 -v WC=4 -v QC=5 -v VC=8 "$pairs_awk" | sort >"$work/pairs.crm"
		echo "moves (rows qty value/100): $m"
		echo "level (rows qty value/100): $l"
		echo "level --all --as-of: $a"
		echo "value --as-of total: $v"
		mq=${m#* } av=$(echo "$v" | awk '{ split($2, x, "."); printf "%d %.0f", $1, x[1] * 100 + x[2] }')
		ok=yes
		[ "${l#* }" = "$mq" ] || ok=no
		[ "${a#* }" = "$mq" ] || ok=no
		[ "$av" = "$mq" ] || ok=no
		cmp -s "$work/pairs.moves" "$work/pairs.crm" || ok=no
		echo "per SKU and warehouse: $(wc -l <"$work/pairs.moves") pairs, $(cmp -s "$work/pairs.moves" "$work/pairs.crm" && echo identical || echo DIFFERENT)"
		echo "agree: $ok"
		if [ "$n" -le "$base" ]; then
			ck=$(crm check 2>&1) && st=0 || st=$?
			echo "crm check: $(echo "$ck" | tail -1) (status $st)"
		fi
	} >"$d/verify"
	rm -f "$work/pairs.moves" "$work/pairs.crm"
	sed 's/^/bench:   /' "$d/verify" >&2

	# Reports over every move against sqlite3's GROUP BY and the floor of
	# reading the files; run 0 warms the cache and is not counted.
	for i in $(seq 0 "$runs"); do
		[ "$i" = 0 ] && sfx=.warm || sfx=
		t "$d/sqllevel$sfx" sqlite3 "$store.db" "$(q_level)"
		t "$d/levelall$sfx" crm-stock level --all --as-of $asof
		t "$d/sqlvalue$sfx" sqlite3 "$store.db" "$(q_value)"
		t "$d/value$sfx" crm-stock value --as-of $asof
		t "$d/level$sfx" crm-stock level
		t "$d/floor$sfx" sh -c 'find moves -name "*.csv" -exec cat {} + | wc -l'
	done
	# The same queries with other plans, for context: no index, a covering one.
	rr=$(( runs < 3 ? runs : 3 ))
	for i in $(seq 1 $rr); do
		t "$d/sqllevel.scan" sqlite3 "$store.db" "$(q_level "NOT INDEXED")"
		t "$d/sqlvalue.scan" sqlite3 "$store.db" "$(q_value "NOT INDEXED")"
	done
	sqlite3 "$store.db" "$cover"
	for i in $(seq 1 $rr); do
		t "$d/sqllevel.cover" sqlite3 "$store.db" "$(q_level)"
		t "$d/sqlvalue.cover" sqlite3 "$store.db" "$(q_value)"
	done
	sqlite3 "$store.db" "EXPLAIN QUERY PLAN $(q_level)" | grep -q moves_cover || echo "bench: the covering index is not used" >&2

	# One-record writes, commit included, interleaved with the anchor: git's
	# own CLI adding and committing a one-line change with core.fsync=all.
	seq 1 20 | sed 's/^/note line /' >bench-note.txt
	git add bench-note.txt && git commit -q -m "bench: anchor file"
	in_ok=1
	for i in $(seq 0 "$runs"); do
		sku=$(pick_sku "$i" "$store.products.csv")
		echo "run $i" >>bench-note.txt
		b=$(gitsize)
		t "$d/gadd.all" git -c core.fsync=all add bench-note.txt
		t "$d/gcommit.all" git -c core.fsync=all commit -q -m "bench: anchor $i"
		[ "$i" = 0 ] || { tail -1 "$d/gadd.all" >>"$d/gadd"; tail -1 "$d/gcommit.all" >>"$d/gcommit"; echo $(($(gitsize) - b)) >>"$d/git.grow"; }
		[ $in_ok = 1 ] || continue
		b=$(gitsize)
		if t "$d/in.all" crm-stock in "$sku" 10 --cost 9.50 --wh $wh --date $end; then
			[ "$i" = 0 ] || { tail -1 "$d/in.all" >>"$d/in"; echo $(($(gitsize) - b)) >>"$d/in.grow"; }
		else
			in_ok=0
			echo "bench: crm-stock in does not work; not measured" >&2
			sed 's/^/    /' "$work/err" >"$d/in.error"
		fi
	done
	sum2 "$d/gadd" "$d/gcommit" "$d/git"
	cd "$top"
	echo "$files $mb $balances $(($(date +%s) - size_t0))" >"$d/facts"
	echo "bench: $n moves done in $(($(date +%s) - size_t0)) s" >&2
done

# Report memory at the baseline ledger size, the same products and balances.
mkdir -p "$res/mem"
if [ -d "$res/$base" ]; then
	cp "$res/$base/levelall" "$res/$base/value" "$res/mem/"
else
	for n in $sizes; do
		[ "$n" -gt $base ] || continue
		store=$work/st$base
		gen $base "$store" "$res/mem"
		(cd "$store" && for i in 1 2 3; do
			t "$res/mem/levelall" crm-stock level --all --as-of $asof
			t "$res/mem/value" crm-stock value --as-of $asof
		done)
		rm -rf "$store" "$store.moves.csv" "$store.products.csv" "$store.db"
		break
	done
fi
fi
load=$(cat "$res/load")

# The report: one table per bar, a row per size.
{
	echo "# crm-stock benchmarks"
	echo
	echo "Written by \`make bench\` (bench/stock.sh) on $(cat "$res/date"), crm at $(cat "$res/rev" 2>/dev/null || echo "an unrecorded commit"):"
	echo "$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)),"
	echo "$(free -m | awk '/Mem:/ { printf "%.1f GiB", $2 / 1024 }') memory, $(git --version), sqlite3 $(sqlite3 --version | cut -d' ' -f1),"
	echo "LC_ALL=$LC_ALL; load average $load when it began (the cores are shared)."
	echo "Every figure is the median of $runs runs after one warm-up run; ratios are crm /"
	echo "anchor medians, both measured in the same run on the same store, and \"runs' ratios\""
	echo "the lowest and highest of each run's own crm / anchor, to show the noise of shared"
	echo "cores. Times are wall seconds from fork to exit (bench/tm); peak memory is the"
	echo "child's maxrss, the figure /usr/bin/time reports as %M."
	echo "Stores: bench/genstock -p $products -m M -s $seed -e $end ($products products in"
	echo "categories three levels deep, 3 warehouses, M moves over the three years to $end:"
	echo "opening stock, then deliveries, issues, shipments, transfers, stocktakes and returns"
	echo "at the exact moving average), committed with \`git add -A && git commit\`."
	echo
	echo "## Generating the stores, and whether crm-stock agrees with them"
	echo
	echo "\"agree\": the totals of \`crm-stock level\`, \`level --all --as-of $asof\` and"
	echo "\`value --as-of $asof\` equal an awk sum over the moves, and the per SKU and warehouse"
	echo "sums of \`level --all\` equal awk's; \`crm check\` runs on stores up to $base moves."
	echo "The sqlite3 database (import and index, not counted in any figure below) holds"
	echo "the same moves and products."
	echo
	echo "| moves | products | balances | files | MB | genstock s | git add -A && git commit s | sqlite3 import + index s | agree | crm check | whole size s |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |"
	for n in $sizes; do
		read -r files mb balances secs <"$res/$n/facts"
		ag=$(sed -n 's/^agree: //p' "$res/$n/verify")
		[ "$ag" = yes ] || ag="**no**"
		ck=$(sed -n 's/^crm check: //p' "$res/$n/verify")
		echo "| $n | $products | $balances | $files | $mb | $(s3 "$(med "$res/$n/gen")") | $(s3 "$(med "$res/$n/commit")") | $(s3 "$(med "$res/$n/sqlimport")") | $ag | ${ck:-not run} | $secs |"
	done
	for n in $sizes; do
		grep -q '^agree: yes' "$res/$n/verify" || { echo; echo "At $n moves:"; echo; sed 's/^/    /' "$res/$n/verify"; }
	done
	echo
	echo "## One-record write, commit included: crm-stock in"
	echo
	echo "\`crm-stock in SKU 10 --cost 9.50 --wh $wh --date $end\` of a random active product"
	echo "(appends to the last segment of that month) against"
	echo "\`git -c core.fsync=all add F && git -c core.fsync=all commit -q\` of a one-line"
	echo "change to a 20-line file in the same repository (the two commands' times added)."
	echo "Growth is \`du -sb .git\` after minus before, bytes. Bars: ratio ≤ 1.00, growth ≤ 65536."
	echo
	echo "| moves | git s | crm s | ratio | runs' ratios | bar | verdict | git growth | crm growth | growth ≤ 64 KiB |"
	echo "| ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | --- |"
	for n in $sizes; do
		d=$res/$n
		a=$(med "$d/git")
		if [ ! -s "$d/in" ]; then
			echo "| $n | $(s3 "$a") | not measured | | | ≤ 1.00 | **FAIL** | $(med "$d/git.grow") | | |"
			continue
		fi
		c=$(med "$d/in")
		r=$(ratio "$c" "$a")
		g=$(med "$d/in.grow")
		gv=$([ "$g" -le 65536 ] && echo pass || echo "**FAIL**")
		echo "| $n | $(s3 "$a") | $(s3 "$c") | $r | $(spread "$d/in" "$d/git") | ≤ 1.00 | $(verdict "$r" 1.0) | $(med "$d/git.grow") | $g | $gv |"
	done
	for n in $sizes; do
		[ -s "$res/$n/in.error" ] && { echo; echo "crm-stock in failed at $n moves:"; echo; cat "$res/$n/in.error"; }
	done
	echo
	echo "## Reports over every move against sqlite3 and the floor"
	echo
	echo "\`crm-stock level --all --as-of $asof\` (the as-of date makes it sum every move),"
	echo "\`crm-stock value --as-of $asof\` and plain \`crm-stock level\` (which reads the"
	echo "balances in stock/), output to a file. Anchors: sqlite3 on the same moves, indexed"
	echo "on (sku, warehouse) and analysed, running"
	echo "\`$(q_level)\`"
	echo "for level, and for value the same sums per top-level category, moves joined to"
	echo "products by sku; the floor is \`find moves -name '*.csv' -exec cat {} + | wc -l\`."
	echo "Bars: crm ≤ 0.25 × sqlite3 and ≤ 5 × the floor."
	echo
	echo "| moves | command | sqlite3 s | crm s | ratio | runs' ratios | bar | verdict | floor s | × floor | runs' × floor | bar | verdict | crm peak KiB |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- | --- | ---: |"
	for n in $sizes; do
		d=$res/$n
		fl=$(med "$d/floor")
		for cmd in "levelall level --all --as-of" "value value --as-of" "level level"; do
			set -- $cmd
			f=$1
			shift
			sq=sqllevel
			[ "$f" = value ] && sq=sqlvalue
			a=$(med "$d/$sq")
			c=$(med "$d/$f")
			r=$(ratio "$c" "$a")
			rf=$(ratio "$c" "$fl")
			echo "| $n | \`$*\` | $(s3 "$a") | $(s3 "$c") | $r | $(spread "$d/$f" "$d/$sq") | ≤ 0.25 | $(verdict "$r" 0.25) | $(s3 "$fl") | $rf | $(spread "$d/$f" "$d/floor") | ≤ 5.00 | $(verdict "$rf" 5.0) | $(med "$d/$f" 2) |"
		done
	done
	echo
	echo "The sqlite3 anchor with other plans (medians of up to 3 runs): without the index"
	echo "(\`FROM moves NOT INDEXED\`, a scan and a temporary B-tree), and with a covering"
	echo "index on (sku, warehouse, date, qty, value) added. crm-stock level --all and value"
	echo "over each, for comparison (no bar)."
	echo
	echo "| moves | query | indexed (anchor) s | no index s | covering index s | crm s | crm / no index | crm / covering |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in $sizes; do
		d=$res/$n
		for q in "level levelall" "value value"; do
			set -- $q
			c=$(med "$d/$2")
			echo "| $n | $1 | $(s3 "$(med "$d/sql$1")") | $(s3 "$(med "$d/sql$1.scan")") | $(s3 "$(med "$d/sql$1.cover")") | $(s3 "$c") | $(ratio "$c" "$(med "$d/sql$1.scan")") | $(ratio "$c" "$(med "$d/sql$1.cover")") |"
		done
	done
	echo
	echo "## Report memory: ledger rows against products"
	echo
	echo "Peak memory of \`crm-stock level --all --as-of $asof\` and \`value --as-of $asof\`"
	echo "against the same reports on a store of $base moves with the same $products products"
	echo "(and, since every size from twice the balances on opens them all on the first day,"
	echo "the same balances). Bar (DESIGN §8): ≤ 1.25 × the memory at $base moves."
	echo
	echo "| moves | level --all peak KiB | at $base | ratio | bar | verdict | value peak KiB | at $base | ratio | bar | verdict |"
	echo "| ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- | --- |"
	for n in $sizes; do
		[ "$n" -ge $base ] && [ -s "$res/mem/levelall" ] || continue
		d=$res/$n
		la=$(med "$d/levelall" 2) lb=$(med "$res/mem/levelall" 2) va=$(med "$d/value" 2) vb=$(med "$res/mem/value" 2)
		lr=$(ratio "$la" "$lb") vr=$(ratio "$va" "$vb")
		if [ "$n" = $base ]; then
			echo "| $n | $la | $lb | baseline | | | $va | $vb | baseline | | |"
			continue
		fi
		echo "| $n | $la | $lb | $lr | ≤ 1.25 | $(verdict "$lr" 1.25) | $va | $vb | $vr | ≤ 1.25 | $(verdict "$vr" 1.25) |"
	done
} >"$out.new"
mv "$out.new" "$out"
cat "$out"
