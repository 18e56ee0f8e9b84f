#!/bin/sh
# make bench, after the others: history at scale (DESIGN §8) as ratios against
# git's own CLI on the same repository, written to bench/RESULTS-history.md.
# A store of N commits (each a one-line customer edit, bench/genhist.awk through
# git fast-import) is measured twice: loose, as libgit2 leaves a store it writes
# (the fast-import pack exploded with git unpack-objects), then after crm gc.
#   BENCH_HIST_COMMITS  commits (default 100000)
#   BENCH_HIST_LOOSE    runs on the loose store (default 1: a run there reads
#                       half a million files and takes minutes; 0 skips it)
#   BENCH_RUNS          runs per figure after gc; each figure is their median (default 5)
#   BENCH_BIN           the crm commands to measure (default bin/, built by make all)
#   BENCH_HIST_REUSE    1: measure build/bench/hist as an earlier run left it (no
#                       generation, no unpacking; loose figures only if it is loose)
# The store and scratch files live under build/bench/; nothing outside the tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_BIN:-$top/bin}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
n=${BENCH_HIST_COMMITS:-100000}
loose_runs=${BENCH_HIST_LOOSE:-1}
runs=${BENCH_RUNS:-5}
work=$top/build/bench
out=$top/bench/RESULTS-history.md
cust=1000 target=500 seed=42
t0=1735689600          # 2025-01-01 00:00 UTC; commits are 300 s apart
id=$(printf 'C%06d' $((target * 25)))
path=customers/000/$(printf '%06d' $((target * 25 / 500 * 500))).csv
# --at a day in the middle of the history: half the commits are newer.
at=$(date -u -d "@$((t0 + n / 2 * 300))" +%Y-%m-%d)

res=$work/hist-results
. "$top/bench/lib.sh"
bench_env crm crm-customer

# The figures of one state (loose or packed) into $res/$1, $2 runs each.
measure() {
	d=$res/$1
	mkdir -p "$d"
	for i in $(seq 1 "$2"); do
		t "$d/log" crm log "$id"
		cp "$work/out" "$d/log.out"
		t "$d/glog" git log --format=%H -- "$path"
		cp "$work/out" "$d/glog.out"
		t "$d/at" crm-customer show "$id" --at "$at"
		t "$d/gat" git log --format=%H -1 --before="$at 23:59:59"
		cp "$work/out" "$d/gat.out"
		t "$d/check" crm check
		t "$d/fsck" git fsck --no-dangling
	done
	# The same answers: crm's --at commit is git's, crm log lists a change at each
	# commit git lists where the record (not only its shard) changed.
	crm log --at "$at" --max 1 -o csv | awk -F, 'NR == 2 { print $1 }' >"$d/at.commit"
	cut -c1-7 "$d/gat.out" | cmp -s - "$d/at.commit" && echo same >"$d/at.agree" || echo "**differ**" >"$d/at.agree"
	awk -F, 'NR > 1 { print $1 }' "$d/log.out" | sort -u | wc -l >"$d/log.commits"
	wc -l <"$d/glog.out" >"$d/glog.commits"
	echo "$(git count-objects -v | awk '/^count:/ { c = $2 } /^packs:/ { p = $2 } END { print c, p }') $(gitsize)" >"$d/objects"
}

if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
rm -rf "$res"
mkdir -p "$res"
cut -d' ' -f1-3 /proc/loadavg >"$res/load"
date -u +%Y-%m-%d >"$res/date"
store=$work/hist
if [ -n "${BENCH_HIST_REUSE:-}" ] && [ -d "$store/.git" ]; then
	cd "$store"
	echo "reused" >"$res/gen"
	[ "$(git count-objects -v | awk '/^count:/ { print $2 }')" -gt 0 ] || loose_runs=0
	echo "bench: measuring the store an earlier run left" >&2
else
	rm -rf "$store"
	crm init "$store" >/dev/null
	cd "$store"
	from=$(git rev-parse HEAD)
	s0=$(date +%s)
	LC_ALL=C awk -v n="$n" -v cust=$cust -v target=$target -v seed=$seed -v t0=$t0 -v from="$from" \
		-f "$top/bench/genhist.awk" | git fast-import --quiet
	git reset -q --hard
	echo "$(($(date +%s) - s0)) s" >"$res/gen"
	echo "bench: $n commits generated in $(cat "$res/gen")" >&2
	if [ "$loose_runs" -gt 0 ]; then
		s0=$(date +%s)
		rm -rf "$work/hist-pack"
		mkdir -p "$work/hist-pack"
		mv .git/objects/pack/pack-* "$work/hist-pack/"
		for p in "$work"/hist-pack/pack-*.pack; do git unpack-objects -q <"$p"; done
		rm -rf "$work/hist-pack"
		echo "$(($(date +%s) - s0)) s" >"$res/unpack"
		echo "bench: unpacked to loose objects in $(cat "$res/unpack")" >&2
	fi
fi
if [ "$loose_runs" -gt 0 ]; then
	measure loose "$loose_runs"
	echo "bench: loose store measured" >&2
fi
t "$res/gc" crm gc
cp "$work/out" "$res/gc.out"
measure packed "$runs"
cd "$top"
fi
load=$(cat "$res/load")

row() { # state label crm-file git-file bar
	d=$res/$1
	[ -s "$d/$3" ] || return 0
	a=$(med "$d/$4")
	c=$(med "$d/$3")
	r=$(ratio "$c" "$a")
	if [ "$5" = - ]; then b="no bar" v=—; else b="≤ $5" v=$(verdict "$r" "$5"); fi
	echo "| $1 | $2 | $(s3 "$a") | $(s3 "$c") | $r | $(spread "$d/$3" "$d/$4") | $b | $v | $(med "$d/$3" 2) |"
}
{
	echo "# crm history benchmarks"
	echo
	echo "Written by \`make bench\` (bench/history.sh) on $(cat "$res/date"):"
	echo "$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)),"
	echo "$(free -m | awk '/Mem:/ { printf "%.1f GiB", $2 / 1024 }') memory, $(git --version); load average $load when it began"
	echo "(the cores are shared). Times are wall seconds from fork to exit (bench/tm), medians"
	echo "of the runs; \"runs' ratios\" the lowest and highest of each run's own crm / git."
	echo
	echo "Store: crm init, then $n commits by bench/genhist.awk through \`git fast-import\`"
	echo "($(cat "$res/gen")), each a one-line edit of one of $cust customers in 50 shards"
	echo "of 20, five minutes apart from 2025-01-01; every 100th commit edits $id."
	echo "**loose**: the pack exploded into loose objects (\`git unpack-objects\`,"
	echo "$(cat "$res/unpack" 2>/dev/null || echo "not timed here")), the state libgit2 leaves a store it writes, $loose_runs run(s) each;"
	echo "**packed**: after \`crm gc\` ($(s3 "$(med "$res/gc")") s: $(cat "$res/gc.out")), $runs runs each."
	echo
	echo "| state | loose objects | packs | .git bytes | crm log commits / git log -- PATH commits | --at commit crm vs git |"
	echo "| --- | ---: | ---: | ---: | --- | --- |"
	for st in loose packed; do
		[ -s "$res/$st/objects" ] || continue
		read -r lo pk by <"$res/$st/objects"
		echo "| $st | $lo | $pk | $by | $(cat "$res/$st/log.commits") / $(cat "$res/$st/glog.commits") | $(cat "$res/$st/at.agree") |"
	done
	echo
	echo "git log -- PATH lists every commit that changed $id's shard; crm log lists those"
	echo "where $id itself changed (the other 19 customers' edits are read and left out)."
	echo
	echo "## Bars (DESIGN §8): within 2× of git"
	echo
	echo "- \`crm log $id\` against \`git log --format=%H -- $path\`"
	echo "- \`crm-customer show $id --at $at\` against \`git log --format=%H -1 --before='$at 23:59:59'\`"
	echo "- \`crm check\` (every file, then every object read and hashed) against \`git fsck --no-dangling\`, for scale (no bar)"
	echo
	echo "| state | what | git s | crm s | ratio | runs' ratios | bar | verdict | crm peak KiB |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | ---: |"
	for st in loose packed; do
		row $st "crm log ID" log glog 2.00
		row $st "--at DATE" at gat 2.00
		row $st "crm check / git fsck" check fsck "-"
	done
} >"$out.new"
mv "$out.new" "$out"
cat "$out"
