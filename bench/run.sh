#!/bin/sh
# make bench: the bars of DESIGN §8 as ratios against anchors measured in the
# same run on the same generated store, written to bench/RESULTS.md.
#   BENCH_SIZES  customers per store (default "1000 100000 1000000")
#   BENCH_VISITS visits per customer (default 10)
#   BENCH_RUNS   runs per figure; each figure is their median (default 5)
#   BENCH_BIN    the crm commands to measure (default bin/, built by make all)
# Stores and scratch files live under build/bench/; nothing outside the tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_BIN:-$top/bin}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
sizes=${BENCH_SIZES:-1000 100000 1000000}
visits=${BENCH_VISITS:-10}
runs=${BENCH_RUNS:-5}
work=$top/build/bench
out=$top/bench/RESULTS.md
seed=42
end=2026-11-21        # the generated history ends here; due and stats are as of it
# The same patterns for crm (PCRE2) and grep (BRE), so no special syntax: a rare
# CJK one and a Latin one that matches one customer in twenty; both are held to the bar.
regexes='杭州.*电子 International'
# crm-visit due in SQL: each customer's latest visit (by date, then id) with an
# open next_date on or before the day, archived customers left out.
dueq="SELECT l.next_date, c.id, c.name, l.next_action, l.by, l.id
 FROM (SELECT customer, id, by, next_date, next_action, done,
        row_number() OVER (PARTITION BY customer ORDER BY date DESC, id DESC) AS rn FROM visits) l
 JOIN customers c ON c.id = l.customer
 WHERE l.rn = 1 AND l.next_date <> '' AND l.done = '' AND l.next_date <= '$end' AND c.status <> 'archived'
 ORDER BY l.next_date, c.id;"

tm=$work/tm
res=$work/results

. "$top/bench/lib.sh"
bench_env crm crm-customer crm-visit
cc -O2 -o "$work/gen" "$top/bench/gen.c"
# A random existing customer, not archived (a visit to one is refused), from run number $1.
pick_id() {
	k=$1
	while :; do
		sq=$(awk -v n="$n" -v s="$((seed * 1000 + k))" 'BEGIN { srand(s); print int(rand() * n) + 1 }')
		id=$(printf 'C%06d' "$sq")
		shard=$(printf 'customers/%03d/%06d.csv' $((sq / 500 * 500 / 100000)) $((sq / 500 * 500)))
		grep -q "^$id,.*,archived," "$shard" || break
		k=$((k + 1000))
	done
	echo "$id"
}

# BENCH_REPORT_ONLY=1 writes the report again from the last run's figures.
if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
rm -rf "$res"
mkdir -p "$res"
cut -d' ' -f1-3 /proc/loadavg >"$res/load"
date -u +%Y-%m-%d >"$res/date"
for n in $sizes; do
	size_t0=$(date +%s)
	store=$work/s$n
	csv=$work/c$n.csv
	d=$res/$n
	mkdir -p "$d"
	rm -rf "$store" "$csv"
	crm init "$store" >/dev/null
	t "$d/gen" "$work/gen" -n "$n" -v "$visits" -s $seed -e $end -c "$csv" "$store"
	cd "$store"
	t "$d/commit" sh -c 'git add -A && git commit -q -m "bench: generated store"'
	files=$(git ls-files | wc -l)
	mb=$(du -sm --exclude=.git . | cut -f1)
	echo "bench: $n customers: generated in $(med "$d/gen") s, committed in $(med "$d/commit") s" >&2
	seq 1 20 | sed 's/^/note line /' >bench-note.txt
	git add bench-note.txt && git commit -q -m "bench: anchor file"

	# One-record writes, commit included, interleaved with the anchor: git's
	# own CLI adding and committing a one-line change with core.fsync=all.
	log_ok=1
	for i in $(seq 0 "$runs"); do
		id=$(pick_id "$i")
		# run 0 warms the cache and is not counted
		echo "run $i" >>bench-note.txt
		b=$(gitsize)
		t "$d/gadd.all" git -c core.fsync=all add bench-note.txt
		t "$d/gcommit.all" git -c core.fsync=all commit -q -m "bench: anchor $i"
		[ "$i" = 0 ] || { tail -1 "$d/gadd.all" >>"$d/gadd"; tail -1 "$d/gcommit.all" >>"$d/gcommit"; echo $(($(gitsize) - b)) >>"$d/git.grow"; }
		b=$(gitsize)
		t "$d/set.all" crm-customer set "$id" grade=B note="bench run $i"
		[ "$i" = 0 ] || { tail -1 "$d/set.all" >>"$d/set"; echo $(($(gitsize) - b)) >>"$d/set.grow"; }
		if [ $log_ok = 1 ]; then
			b=$(gitsize)
			if t "$d/log.all" crm-visit log --date $end "$id" "bench visit $i"; then
				[ "$i" = 0 ] || { tail -1 "$d/log.all" >>"$d/log"; echo $(($(gitsize) - b)) >>"$d/log.grow"; }
			else
				log_ok=0
				echo "bench: crm-visit log does not work; not measured" >&2
				sed 's/^/    /' "$work/err" >"$d/log.error"
			fi
		fi
	done
	sum2 "$d/gadd" "$d/gcommit" "$d/git"

	# Regex list over all customers against grep -c over the same files.
	k=0
	for regex in $regexes; do
		k=$((k + 1))
		for i in $(seq 0 "$runs"); do
			[ "$i" = 0 ] && sfx=.warm || sfx=
			t "$d/list$k$sfx" crm-customer list "name~$regex"
			t "$d/grep$k$sfx" grep -c "$regex" customers/*/*.csv
		done
		crm-customer list "name~$regex" | tail -n +2 | wc -l >"$d/matches$k"
	done

	# Reports over the whole ledger: time and peak memory.
	rr=$(( runs < 3 ? runs : 3 ))
	for i in $(seq 1 $rr); do
		t "$d/due" crm-visit due --as-of $end || { rm -f "$d/due"; break; }
	done
	# due against sqlite3 asked the same (customers and visits imported, visits
	# indexed by customer, date, id; not timed) and the floor of reading the
	# same files, interleaved.
	if [ -s "$d/due" ]; then
		rm -f "$work/due.db"
		# by column name: the shards crm-customer set rewrote above carry a currency column gen's lack
		custcols=id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,created,updated,tags,note
		by_name customers "$custcols" "$work/due-c.rows"
		{ echo "$custcols"; cat "$work/due-c.rows"; } >"$work/due-c.csv"
		rm -f "$work/due-c.rows"
		{ find visits -name '*.csv' | head -1 | xargs head -1; find visits -name '*.csv' -exec tail -q -n +2 {} +; } >"$work/due-v.csv"
		sqlite3 "$work/due.db" ".mode csv" ".import $work/due-c.csv customers" ".import $work/due-v.csv visits" \
			"create index vc on visits(customer, date, id)" "create unique index ci on customers(id)"
		rm -f "$work/due-c.csv" "$work/due-v.csv"
		for i in $(seq 1 $rr); do
			t "$d/duecrm" crm-visit due --as-of $end
			t "$d/duesql" sqlite3 "$work/due.db" "$dueq"
			t "$d/duecat" sh -c "find customers visits -name '*.csv' -exec cat {} + | wc -l"
		done
		echo "$(crm-visit due --as-of $end -o csv | tail -n +2 | wc -l) $(sqlite3 "$work/due.db" "$dueq" | wc -l)" >"$d/duerows"
		rm -f "$work/due.db"
	fi
	for i in $(seq 1 $rr); do
		t "$d/stats" crm-visit stats --from 2000-01-01 --to $end || { rm -f "$d/stats"; break; }
	done
	cd "$top"

	# The same customers with one visit each: does report memory follow the ledger?
	one=$work/s$n-v1
	rm -rf "$one"
	crm init "$one" >/dev/null
	"$work/gen" -n "$n" -v 1 -s $seed -e $end "$one"
	(cd "$one" && git add -A && git commit -q -m "bench: generated store" &&
		t "$d/due1" crm-visit due --as-of $end &&
		t "$d/stats1" crm-visit stats --from 2000-01-01 --to $end) || rm -f "$d/due1" "$d/stats1"
	rm -rf "$one"

	# Bulk import into an empty store against sqlite3 .import of the same file.
	for i in $(seq 1 "$runs"); do
		rm -rf "$work/imp" "$work/imp.db"
		crm init "$work/imp" >/dev/null
		t "$d/imp" crm-customer -C "$work/imp" import "$csv"
		t "$d/sql" sqlite3 "$work/imp.db" ".mode csv" ".import $csv t"
	done
	imp_commits=$(git -C "$work/imp" rev-list --count HEAD)
	imp_rows=$(cat "$work"/imp/customers/*/*.csv | grep -c '^C')
	sql_rows=$(sqlite3 "$work/imp.db" 'select count(*) from t')
	rm -rf "$work/imp" "$work/imp.db"
	echo "$files $mb $imp_commits $imp_rows $sql_rows $(($(date +%s) - size_t0))" >"$d/facts"
	echo "bench: $n customers done in $(($(date +%s) - size_t0)) s" >&2
done
fi
load=$(cat "$res/load")

# The report: one table per bar, a row per size.
row_write() { # FILE-of-crm-times growth-file name
	n=$1
	d=$res/$n
	if [ ! -s "$d/$2" ]; then
		echo "| $n | $(s3 "$(med "$d/git")") | not measured | | | ≤ 1.00 | not measured | $(med "$d/git.grow") | | |"
		return
	fi
	a=$(med "$d/git")
	c=$(med "$d/$2")
	r=$(ratio "$c" "$a")
	g=$(med "$d/$2.grow")
	gv=$([ "$g" -le 65536 ] && echo pass || echo "**FAIL**")
	echo "| $n | $(s3 "$a") | $(s3 "$c") | $r | $(spread "$d/$2" "$d/git") | ≤ 1.00 | $(verdict "$r" 1.0) | $(med "$d/git.grow") | $g | $gv |"
}
{
	echo "# crm benchmarks"
	echo
	echo "Written by \`make bench\` (bench/run.sh) on $(cat "$res/date"):"
	echo "$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)),"
	echo "$(free -m | awk '/Mem:/ { printf "%.1f GiB", $2 / 1024 }') memory, $(git --version), sqlite3 $(sqlite3 --version | cut -d' ' -f1),"
	echo "$(grep --version | head -1), LC_ALL=$LC_ALL; load average $load when it began (the"
	echo "cores are shared). Every figure is the median of $runs runs"
	echo "(the writes and lists after one warm-up run); ratios are crm / anchor medians, both"
	echo "measured in the same run on the same store, and \"runs' ratios\" the lowest and highest"
	echo "of each run's own crm / anchor, to show the noise of shared cores. Times are wall seconds from fork to exit (bench/tm);"
	echo "peak memory is the child's maxrss, the figure /usr/bin/time reports as %M."
	echo "Stores: bench/gen -n N -v $visits -s $seed -e $end (N customers, $visits visits each"
	echo "over the three years to $end), committed with \`git add -A && git commit\`."
	echo
	echo "## Generating the stores"
	echo
	echo "| customers | visits | files | MB | bench/gen s | git add -A && git commit s | whole size s |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in $sizes; do
		read -r files mb ic ir sr secs <"$res/$n/facts"
		echo "| $n | $((n * visits)) | $files | $mb | $(s3 "$(med "$res/$n/gen")") | $(s3 "$(med "$res/$n/commit")") | $secs |"
	done
	echo
	echo "## One-record write, commit included: crm-customer set"
	echo
	echo "\`crm-customer set ID grade=B note=...\` on a random existing customer against"
	echo "\`git -c core.fsync=all add F && git -c core.fsync=all commit -q\` of a one-line"
	echo "change to a 20-line file in the same repository (the two commands' times added)."
	echo "Growth is \`du -sb .git\` after minus before, bytes (a new objects/xx folder counts"
	echo "4096, which is most of git's growth in a small store). Bars: ratio ≤ 1.00, growth ≤ 65536."
	echo
	echo "| customers | git s | crm s | ratio | runs' ratios | bar | verdict | git growth | crm growth | growth ≤ 64 KiB |"
	echo "| ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | --- |"
	for n in $sizes; do row_write "$n" set; done
	echo
	echo "## One-record write, commit included: crm-visit log"
	echo
	echo "\`crm-visit log --date $end ID SUMMARY\` (appends to that month's last segment), same anchor."
	echo
	echo "| customers | git s | crm s | ratio | runs' ratios | bar | verdict | git growth | crm growth | growth ≤ 64 KiB |"
	echo "| ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | --- |"
	for n in $sizes; do row_write "$n" log; done
	for n in $sizes; do
		[ -s "$res/$n/log.error" ] && { echo; echo "crm-visit log failed at $n customers:"; echo; cat "$res/$n/log.error"; }
	done
	echo
	echo "## crm-customer list name~REGEX against grep -c"
	echo
	echo "Over all customers, output to /dev/null; anchor \`grep -c REGEX customers/*/*.csv\`"
	echo "with the same pattern. Bar: ratio ≤ 2.00."
	echo
	echo "| customers | REGEX | matches | grep -c s | crm s | ratio | runs' ratios | bar | verdict | crm peak KiB |"
	echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |"
	for n in $sizes; do
		k=0
		for regex in $regexes; do
			k=$((k + 1))
			a=$(med "$res/$n/grep$k")
			c=$(med "$res/$n/list$k")
			r=$(ratio "$c" "$a")
			echo "| $n | \`$regex\` | $(cat "$res/$n/matches$k") | $(s3 "$a") | $(s3 "$c") | $r | $(spread "$res/$n/list$k" "$res/$n/grep$k") | ≤ 2.00 | $(verdict "$r" 2.0) | $(med "$res/$n/list$k" 2) |"
		done
	done
	echo
	echo "## Bulk crm-customer import against sqlite3 .import"
	echo
	echo "The N customers from one CSV (bench/gen -c) into an empty store, one commit; anchor"
	echo "\`sqlite3 db '.mode csv' '.import FILE t'\` into a new database. Bar: ratio ≤ 2.00."
	echo
	echo "| customers | sqlite3 s | crm s | ratio | runs' ratios | bar | verdict | commits after (init + import) | rows crm / sqlite3 | crm peak KiB |"
	echo "| ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | --- | ---: |"
	for n in $sizes; do
		read -r files mb ic ir sr secs <"$res/$n/facts"
		a=$(med "$res/$n/sql")
		c=$(med "$res/$n/imp")
		r=$(ratio "$c" "$a")
		echo "| $n | $(s3 "$a") | $(s3 "$c") | $r | $(spread "$res/$n/imp" "$res/$n/sql") | ≤ 2.00 | $(verdict "$r" 2.0) | $ic | $ir / $sr | $(med "$res/$n/imp" 2) |"
	done
	echo
	echo "## Reports over the whole ledger: time and peak memory"
	echo
	echo "\`crm-visit due --as-of $end\` and \`crm-visit stats --from 2000-01-01 --to $end\`"
	echo "(all visits), medians of up to 3 runs, then once more on a store of the same customers"
	echo "with 1 visit each. Bar (DESIGN §8): memory grows with customers, not with ledger rows;"
	echo "the verdict passes when $visits times the ledger costs at most 25 % more peak memory."
	echo
	echo "| customers | visits | due s | due peak KiB | stats s | stats peak KiB | due / stats KiB at 1 visit each | growth | verdict |"
	echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
	for n in $sizes; do
		d=$res/$n
		ds=n/a dk=n/a ss=n/a sk=n/a d1=n/a s1=n/a g=n/a v=n/a
		[ -s "$d/due" ] && ds=$(s3 "$(med "$d/due")") dk=$(med "$d/due" 2)
		[ -s "$d/stats" ] && ss=$(s3 "$(med "$d/stats")") sk=$(med "$d/stats" 2)
		[ -s "$d/due1" ] && d1=$(med "$d/due1" 2)
		[ -s "$d/stats1" ] && s1=$(med "$d/stats1" 2)
		if [ -s "$d/due" ] && [ -s "$d/due1" ] && [ -s "$d/stats" ] && [ -s "$d/stats1" ]; then
			g=$(awk -v a="$dk" -v b="$d1" -v c="$sk" -v e="$s1" 'BEGIN { x = a / b; y = c / e; printf "%.2f", (x > y ? x : y) }')
			v=$(verdict "$g" 1.25)
		fi
		echo "| $n | $((n * visits)) | $ds | $dk | $ss | $sk | $d1 / $s1 | $g | $v |"
	done
	echo
	echo "## crm-visit due against sqlite3 with an index and against reading the files"
	echo
	echo "\`crm-visit due --as-of $end\` against sqlite3 answering the same (each customer's latest"
	echo "visit by date and id, an open next_date on or before the day, archived customers left"
	echo "out; customers and visits imported and visits indexed on (customer, date, id) beforehand,"
	echo "not timed), and against the floor of reading the same files: every customers and visits"
	echo "file through \`cat\` into \`wc -l\`; medians of up to 3 interleaved runs. For reference the bars"
	echo "DESIGN §8 sets the other whole-ledger reports: ≤ 0.25× sqlite3, ≤ 5× the floor."
	echo
	echo "| customers | visits | rows crm / sqlite3 | sqlite3 s | floor s | crm s | / sqlite3 | runs' ratios | / floor | runs' ratios |"
	echo "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for n in $sizes; do
		d=$res/$n
		if [ ! -s "$d/duesql" ]; then
			echo "| $n | $((n * visits)) | not measured | | | | | | | |"
			continue
		fi
		read -r rc rs <"$d/duerows"
		c=$(med "$d/duecrm")
		echo "| $n | $((n * visits)) | $rc / $rs | $(s3 "$(med "$d/duesql")") | $(s3 "$(med "$d/duecat")") | $(s3 "$c") | $(ratio "$c" "$(med "$d/duesql")") | $(spread "$d/duecrm" "$d/duesql") | $(ratio "$c" "$(med "$d/duecat")") | $(spread "$d/duecrm" "$d/duecat") |"
	done
	echo
	echo "Not measured: \`crm-ar aging\` against sqlite3 (no crm-ar yet), and orders,"
	echo "invoices and receipts, which bench/gen does not generate until those tables exist."
} >"$out.new"
mv "$out.new" "$out"
cat "$out"
