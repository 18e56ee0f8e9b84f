# bench/lib.sh: the measuring helpers of the bench/*.sh harnesses, sourced by
# each. They expect $top, $bin, $tm (bench/tm, built by bench_env) and $work
# (the scratch folder under build/bench/).

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

# segcat LEDGER...: every segment of the ledgers, in their month folders and in
# the sub-folders of a month of more than 32 (crm-store(5)), which a glob of one
# level (moves/*/*.csv) misses; in no particular order. The floors time the same
# find ... -exec cat {} + inside their sh -c.
segcat() { find "$@" -name '*.csv' -exec cat {} +; }

# by_name DIR COLS OUT: the records of every DIR/*/*.csv as headerless CSV
# in the column order COLS (comma-separated names), for sqlite3 to .import:
# each file's own header says where a column is. A shard crm has rewritten
# carries the optional columns the schema has gained since (customers'
# currency), where bench/gen writes none; a fixed position would shift.
by_name() {
	rm -f "$work/byname.db"
	: >"$3"
	k=0
	awk 'FNR == 1' "$1"/*/*.csv | sort -u >"$work/byname.hdr"
	while IFS= read -r h; do
		k=$((k + 1))
		awk -v h="$h" 'FNR == 1 { keep = $0 == h; if (keep && !n++) print; next } keep' "$1"/*/*.csv >"$work/byname.csv"
		sqlite3 "$work/byname.db" ".import --csv $work/byname.csv t$k" ".mode csv" '.separator "," "\n"' \
			"SELECT $2 FROM t$k" >>"$3"
	done <"$work/byname.hdr"
	rm -f "$work/byname.db" "$work/byname.csv" "$work/byname.hdr"
}

# bench_env CMD...: bench/tm built into $work, each crm CMD present in $bin, and
# the fixed world every harness measures in (PATH, locale, zone, git identity).
bench_env() {
	mkdir -p "$work"
	cc -O2 -o "$work/tm" "$top/bench/tm.c"
	for c in "$@"; do
		[ -x "$bin/$c" ] || { echo "bench: no $bin/$c (run make all, or set BENCH_BIN)" >&2; exit 1; }
	done
	PATH=$bin:$PATH
	LC_ALL=C.UTF-8 TZ=UTC
	GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
	GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
	# No automatic gc after the generating commit: detached, it packed a
	# million-customer store for minutes beside the figures that followed;
	# crm (libgit2) never packs by itself either.
	GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=gc.auto GIT_CONFIG_VALUE_0=0
	export PATH LC_ALL TZ GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
	export GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0
	tm=$work/tm
}
