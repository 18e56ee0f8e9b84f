#!/bin/sh
# make bench, after run.sh: the regex bar of DESIGN §8 over a spread of
# patterns, each crm-customer list FIELD~REGEX against grep -cP with the
# field-pinned equivalent regex over the same files, in the same run, written
# to bench/RESULTS-regex.md (its own file).
#   BENCH_SIZES  customers per store (default "1000 100000"; 1000000 if time allows)
#   BENCH_RUNS   runs per figure; each figure is their median (default 5)
#   BENCH_BIN    the crm commands to measure (default bin/, built by make all)
# Stores and scratch files live under build/bench/; nothing outside the tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_BIN:-$top/bin}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
sizes=${BENCH_SIZES:-1000 100000}
runs=${BENCH_RUNS:-5}
work=$top/build/bench
out=$top/bench/RESULTS-regex.md
seed=42
end=2026-11-21

tm=$work/tm
res=$work/regex-results
. "$top/bench/lib.sh"
bench_env crm crm-customer
cc -O2 -o "$work/gen" "$top/bench/gen.c"

# One pattern a line: what it stands for, the crm filter, then grep -P's
# field-pinned equivalent, tab-separated. name is the second column and the id
# before it is never quoted; phone is the third, after a name that may be
# quoted and hold commas. A quoted value's quotes are optional in grep's form.
N='^[^,]*,"?'
P='^[^,]*,(?:"[^"]*"|[^,]*),'
patterns=$(cat <<EOF
literal	name~International	${N}[^",]*International
anchored end	name~科技有限公司\$	${N}[^",]*科技有限公司"?,
alternation, as in the issue	name~^(Acme|Nova) [A-Za-z]+	${N}(Acme|Nova) [A-Za-z]+
alternation that matches	name~^(Sun|Blue)[a-z]+ [A-Za-z]+	${N}(Sun|Blue)[a-z]+ [A-Za-z]+
case-insensitive	name~(?i)international	(?i)${N}[^",]*international
class	name~^[A-C]	${N}[A-C]
no literal	name~^.{8}\$	${N}[^",]{8}"?,
no literal, no match	name~^.{3}\$	${N}[^",]{3}"?,
back-reference	name~(.)\\1	${N}[^",]*([^",])\\1
lookahead (no search)	name~^(?:(?!有限).)*\$	${N}(?:(?!有限)[^",])*"?,
other field	phone~^0[12]	${P}0[12]
other field, end	region~^北京\$	${P}[^,]*,北京,
EOF
)

if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
rm -rf "$res"
mkdir -p "$res"
cut -d' ' -f1-3 /proc/loadavg >"$res/load"
date -u +%Y-%m-%d >"$res/date"
for n in $sizes; do
	store=$work/regex-s$n
	d=$res/$n
	mkdir -p "$d"
	rm -rf "$store"
	crm init "$store" >/dev/null
	# Customers only: visits are not read by a customer list.
	"$work/gen" -n "$n" -v 0 -s $seed -e $end "$store"
	cd "$store"
	git add -A && git commit -q -m "bench: generated store"
	k=0
	printf "%s\n" "$patterns" | while IFS='	' read -r what filter pinned; do
		k=$((k + 1))
		# run 0 warms the cache and is not counted; crm and grep take turns
		for i in $(seq 0 "$runs"); do
			[ "$i" = 0 ] && sfx=.warm || sfx=
			t "$d/list$k$sfx" crm-customer list "$filter"
			t "$d/grep$k$sfx" grep -cP "$pinned" customers/*/*.csv
		done
		m=$(crm-customer list -o csv "$filter" | tail -n +2 | wc -l)
		g=$(cat customers/*/*.csv | grep -cP "$pinned" || true)
		printf '%s\t%s\t%s\t%s\t%s\n' "$what" "$filter" "$pinned" "$m" "$g" >"$d/pattern$k"
	done
	cd "$top"
	rm -rf "$store"
	echo "bench: regex at $n customers done" >&2
done
fi

{
	echo "# crm benchmarks: FIELD~REGEX over a spread of patterns"
	echo
	echo "Written by \`make bench\` (bench/regex.sh) on $(cat "$res/date"):"
	echo "$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)),"
	echo "$(grep --version | head -1), LC_ALL=$LC_ALL; load average $(cat "$res/load") when it began"
	echo "(the cores are shared). Every figure is the median of $runs runs after one warm-up run,"
	echo "crm and grep taking turns; ratios are crm / grep medians of the same run on the same"
	echo "store, \"runs' ratios\" the lowest and highest of each run's own ratio. Wall seconds from"
	echo "fork to exit (bench/tm), output to a file. Stores: bench/gen -n N -v 0 -s $seed."
	echo
	echo "\`crm-customer list FILTER\` prints each matching customer in full; the anchor"
	echo "\`grep -cP PINNED customers/*/*.csv\` counts lines where the field-pinned equivalent"
	echo "matches (a quoted value's quotes optional, so its count may differ by a few lines)."
	echo "Bar (DESIGN §8): ratio ≤ 2.00 for any pattern."
	echo
	echo "| customers | pattern | FILTER | grep -cP PINNED | matches crm / grep | grep s | crm s | ratio | runs' ratios | verdict | crm peak KiB |"
	echo "| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
	# A | inside a table cell would split it.
	cell() { printf '%s' "$1" | sed 's/|/\\|/g'; }
	for n in $sizes; do
		k=1
		while [ -s "$res/$n/pattern$k" ]; do
			IFS='	' read -r what filter pinned m g <"$res/$n/pattern$k"
			a=$(med "$res/$n/grep$k")
			c=$(med "$res/$n/list$k")
			r=$(ratio "$c" "$a")
			# printf, not echo: dash's echo would read the \1 of a pattern as a byte
			printf '%s\n' "| $n | $what | \`$(cell "$filter")\` | \`$(cell "$pinned")\` | $m / $g | $(s3 "$a") | $(s3 "$c") | $r | $(spread "$res/$n/list$k" "$res/$n/grep$k") | $(verdict "$r" 2.0) | $(med "$res/$n/list$k" 2) |"
			k=$((k + 1))
		done
	done
} >"$out.new"
mv "$out.new" "$out"
cat "$out"
