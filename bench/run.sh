#!/bin/sh
# make bench: the bars of DESIGN §8 as ratios against anchors measured in the
# same run, on generated stores; written to bench/RESULTS.md.
# BENCH_SIZES (default "1000 100000 1000000"), BENCH_VISITS (10), BENCH_RUNS (5).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_BIN:-$top/bin}
gen=${BENCH_GEN:-$top/build/gen}
PATH="$bin:$PATH"
: "${GIT_AUTHOR_NAME:=Bench}" "${GIT_AUTHOR_EMAIL:=bench@example.com}"
GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
export PATH GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
sizes=${BENCH_SIZES:-1000 100000 1000000}
visits=${BENCH_VISITS:-10}
runs=${BENCH_RUNS:-5}
work=$top/build/bench
out=$top/bench/RESULTS.md
regex='Acme.*Tech'
mkdir -p "$work"

now() { date +%s%N; }
# secs CMD...: wall seconds of one run, output discarded
secs() {
	s=$(now)
	rc=0
	"$@" >/dev/null 2>"$work/err" || rc=$?
	e=$(now)
	if [ $rc -gt 1 ]; then
		echo "bench: '$*' failed ($rc):" >&2
		cat "$work/err" >&2
		exit 1
	fi
	echo "$s $e" | awk '{ printf "%.4f\n", ($2 - $1) / 1e9 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v r="$1" -v bar="$2" 'BEGIN { print (r <= bar ? "pass" : "FAIL") }'; }
gitsize() { du -sb .git | cut -f1; }
peak() {
	/usr/bin/time -f %M -o "$work/mem" "$@" >/dev/null 2>&1 || true
	tail -1 "$work/mem"
}

git_commit_anchor() {
	echo "line $1" >>bench-note.txt
	git -c core.fsync=all add bench-note.txt && git -c core.fsync=all commit -q -m "anchor $1"
}

{
	echo "# crm benchmarks"
	echo
	echo "Run: $(date -u +%Y-%m-%d), $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB;"
	echo "medians of $runs runs; ratios are crm / anchor, measured in the same run on the same store."
	echo "Stores from bench/gen: N customers, $visits visits each over three years."
	echo
} >"$out.new"

for n in $sizes; do
	store=$work/s$n
	rm -rf "$store" "$work/c$n.csv"
	crm init "$store" >/dev/null
	gen_s=$(secs "$gen" -n "$n" -v "$visits" -s 42 -c "$work/c$n.csv" "$store")
	cd "$store"
	commit_s=$(secs sh -c 'git add -A && git commit -q -m generated')
	echo "bench: $n customers generated in ${gen_s}s, committed in ${commit_s}s" >&2
	echo "first" >bench-note.txt && git add bench-note.txt && git commit -q -m note

	# One-record writes, commit included, against git's own CLI.
	: >set.t; : >setg.t; : >git.t; : >gitg.t; : >log.t; : >logg.t
	i=1
	while [ $i -le "$runs" ]; do
		id=$(printf 'C%06d' $(( (i * 7919) % n + 1 )))
		b=$(gitsize); secs crm-customer set "$id" grade=B note="bench $i" >>set.t; echo $(( $(gitsize) - b )) >>setg.t
		b=$(gitsize); secs git_commit_anchor $i >>git.t; echo $(( $(gitsize) - b )) >>gitg.t
		b=$(gitsize); secs crm-visit log "$id" "bench visit $i" >>log.t; echo $(( $(gitsize) - b )) >>logg.t
		i=$((i + 1))
	done
	set_s=$(median <set.t); git_s=$(median <git.t); log_s=$(median <log.t)
	set_g=$(median <setg.t); git_g=$(median <gitg.t); log_g=$(median <logg.t)

	# Regex list over all customers, against grep -c on the same files.
	: >list.t; : >grep.t
	i=1
	while [ $i -le "$runs" ]; do
		secs crm-customer list "name~$regex" >>list.t
		secs sh -c "grep -c -E '$regex' customers/*/*.csv" >>grep.t
		i=$((i + 1))
	done
	list_s=$(median <list.t); grep_s=$(median <grep.t)
	list_kb=$(peak crm-customer list "name~$regex")
	due_s=$(secs crm-visit due --as-of 2026-11-22); due_kb=$(peak crm-visit due --as-of 2026-11-22)
	stats_s=$(secs crm-visit stats --from 2026-11-01 --to 2026-11-30)
	stats_kb=$(peak crm-visit stats --from 2026-11-01 --to 2026-11-30)

	# Bulk import into an empty store, against sqlite3 .import of the same file.
	: >imp.t; : >sql.t
	i=1
	k=$(( runs < 3 ? runs : 3 ))
	while [ $i -le $k ]; do
		rm -rf "$work/imp" "$work/imp.db"
		crm init "$work/imp" >/dev/null
		secs crm-customer -C "$work/imp" import "$work/c$n.csv" >>imp.t
		secs sqlite3 "$work/imp.db" ".mode csv" ".import $work/c$n.csv t" >>sql.t
		i=$((i + 1))
	done
	imp_s=$(median <imp.t); sql_s=$(median <sql.t)
	imp_commits=$(git -C "$work/imp" rev-list --count HEAD)
	cd "$top"

	r_set=$(ratio "$set_s" "$git_s"); r_log=$(ratio "$log_s" "$git_s")
	r_list=$(ratio "$list_s" "$grep_s"); r_imp=$(ratio "$imp_s" "$sql_s")
	{
		echo "## $n customers, $((n * visits)) visits"
		echo
		echo "Generated in ${gen_s} s; first commit of the generated files ${commit_s} s."
		echo
		echo "| bar | crm s | anchor s | ratio | bar | verdict |"
		echo "| --- | ---: | ---: | ---: | ---: | --- |"
		echo "| crm-customer set, commit included / git add+commit (core.fsync=all) | $set_s | $git_s | $r_set | ≤ 1.00 | $(verdict "$r_set" 1.0) |"
		echo "| crm-visit log, commit included / git add+commit | $log_s | $git_s | $r_log | ≤ 1.00 | $(verdict "$r_log" 1.0) |"
		echo "| crm-customer list name~$regex / grep -c | $list_s | $grep_s | $r_list | ≤ 2.00 | $(verdict "$r_list" 2.0) |"
		echo "| crm-customer import ($imp_commits commits in the store: init + 1) / sqlite3 .import | $imp_s | $sql_s | $r_imp | ≤ 2.00 | $(verdict "$r_imp" 2.0) |"
		echo
		echo "Repository growth per write (bytes, median): crm-customer set $set_g, crm-visit log $log_g, git CLI $git_g; bar ≤ 65536: $( [ "$set_g" -le 65536 ] && [ "$log_g" -le 65536 ] && echo pass || echo FAIL)."
		echo
		echo "Reports over all $((n * visits)) visits: crm-visit due ${due_s} s, peak ${due_kb} KB; crm-visit stats ${stats_s} s, peak ${stats_kb} KB; crm-customer list peak ${list_kb} KB."
		echo
	} >>"$out.new"
	echo "bench: $n done: set $r_set, log $r_log, list $r_list, import $r_imp" >&2
done
{
	echo "Not measured yet: crm-ar aging against sqlite3 (crm-ar is not built)."
} >>"$out.new"
mv "$out.new" "$out"
cat "$out"
