# bench/lib.sh: the measuring helpers of bench/run.sh and bench/stock.sh,
# sourced by both. They expect $tm (bench/tm, built) and $work (the scratch
# folder under build/bench/).

# t FILE CMD...: CMD's wall seconds and peak KiB appended to FILE; output to a
# scratch file, not /dev/null: GNU grep sees /dev/null and stops at the first
# match (as -q), which would time an anchor doing less than it is asked.
# Status 1 (nothing matched) is no failure; anything above is.
t() {
	f=$1
	shift
	rc=0
	"$tm" "$f" "$@" >"$work/out" 2>"$work/err" || rc=$?
	if [ $rc -gt 1 ]; then
		echo "bench: '$*' failed ($rc):" >&2
		cat "$work/err" >&2
		return 1
	fi
}
# Median of column C (default 1) of FILE.
med() { sort -g -k"${2:-1},${2:-1}" "$1" | awk -v c="${2:-1}" '{ a[NR] = $c } END { print a[int((NR + 1) / 2)] }'; }
sum2() { paste -d' ' "$1" "$2" | awk '{ printf "%.6f\n", $1 + $3 }' >"$3"; }
# Lowest and highest of the runs' own ratios (run i of FILE1 over run i of FILE2).
spread() { paste -d' ' "$1" "$2" | awk '$3 > 0 { r = $1 / $3; if (NR == 1 || r < lo) lo = r; if (NR == 1 || r > hi) hi = r }
	END { printf "%.2f–%.2f", lo, hi }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v r="$1" -v bar="$2" 'BEGIN { print (r <= bar ? "pass" : "**FAIL**") }'; }
s3() { awk -v s="$1" 'BEGIN { printf "%.4f", s }'; }
gitsize() { du -sb .git | cut -f1; }
