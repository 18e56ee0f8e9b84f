#!/bin/sh
# make bench: crm sync against git's own pull and push of the same commits,
# written to bench/RESULTS-sync.md (DESIGN §8; issue: 100 new records each
# way at 1M customers). Two clones of one generated store meet through a bare
# remote; each run, clone B changes 100 customers of one half of the store and
# pushes, clone A changes 100 of the other half and then syncs: fetch, merge,
# one merge commit, push. The anchor does exactly that with git's CLI on its
# own pair of clones and its own remote: git pull --no-edit && git push.
#   BENCH_SYNC_SIZES customers per store (default "1000 100000 1000000")
#   BENCH_RUNS       runs per figure; each figure is their median (default 5)
#   BENCH_BIN        the crm commands to measure (default bin/, built by make all)
# Stores live under build/bench/; nothing outside the tree.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_BIN:-$top/bin}
case $bin in /*) ;; *) bin=$top/$bin ;; esac
sizes=${BENCH_SYNC_SIZES:-1000 100000 1000000}
runs=${BENCH_RUNS:-5}
work=$top/build/bench
out=$top/bench/RESULTS-sync.md
seed=42
end=2026-11-21

res=$work/sync-results
. "$top/bench/lib.sh"
bench_env crm crm-customer
cc -O2 -o "$work/gen" "$top/bench/gen.c"

# ids HALF RUN: 100 distinct customer ids of one half of the store (0: first, 1: second).
ids() {
	awk -v n="$n" -v h="$1" -v s="$((seed * 100 + $2 * 2 + $1))" 'BEGIN {
		srand(s); half = int(n / 2); k = 0
		while (k < 100) { i = h * half + int(rand() * half) + 1; if (!(i in got)) { got[i] = 1; k++; printf "C%06d\n", i } } }'
}

# edit CLONE HALF RUN: one commit changing the note of 100 customers, as crm-customer set does it.
edit() {
	(cd "$1" && crm-customer set $(ids "$2" "$3") note="run $3 half $2" >/dev/null)
}

# clone_pair NAME: a bare remote and two clones of the base store, each its own node.
clone_pair() {
	rm -rf "$work/$1.git" "$work/$1-a" "$work/$1-b"
	git clone -q --bare "$base" "$work/$1.git"
	for side in a b; do
		git clone -q "$work/$1.git" "$work/$1-$side"
		git -C "$work/$1-$side" config crm.node "$(echo "$1$side" | tr a-z A-Z | cut -c1-4)"
	done
}

if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
rm -rf "$res"
mkdir -p "$res"
cut -d' ' -f1-3 /proc/loadavg >"$res/load"
date -u +%Y-%m-%d >"$res/date"
echo "$runs" >"$res/runs"
for n in $sizes; do
	d=$res/$n
	mkdir -p "$d"
	base=$work/sync-base$n
	rm -rf "$base"
	crm init "$base" >/dev/null
	"$work/gen" -n "$n" -v 1 -s $seed -e $end "$base"
	(cd "$base" && git add -A && git commit -q -m "bench: generated store")
	clone_pair crm
	clone_pair git
	# crm registers its driver on the crm pair at the first sync; the anchor stays plain git
	(cd "$work/crm-a" && crm sync --quiet) && (cd "$work/crm-b" && crm sync --quiet)
	r=1
	while [ $r -le "$runs" ]; do
		edit "$work/crm-b" 1 $r && (cd "$work/crm-b" && crm sync --quiet)
		edit "$work/git-b" 1 $r && (cd "$work/git-b" && git push -q)
		edit "$work/crm-a" 0 $r
		edit "$work/git-a" 0 $r
		(cd "$work/crm-a" && t "$d/sync" crm sync --quiet)
		(cd "$work/git-a" && t "$d/git" sh -c 'git -c pull.rebase=false pull -q --no-edit && git push -q')
		# the merges reach B before the next run, untimed
		(cd "$work/crm-b" && crm sync --quiet) && (cd "$work/git-b" && git -c pull.rebase=false pull -q --no-edit)
		r=$((r + 1))
	done
	# both pairs hold the same records: the merges agree
	a=$(cd "$work/crm-a" && crm-customer list -o csv | md5sum) b=$(cd "$work/git-a" && crm-customer list -o csv | md5sum)
	[ "$a" = "$b" ] || { echo "bench: crm sync and git pull disagree at $n" >&2; exit 1; }
	files=$(git -C "$base" ls-files | wc -l)
	echo "$files" >"$d/files"
	echo "bench: sync at $n customers: crm $(med "$d/sync") s, git $(med "$d/git") s" >&2
	rm -rf "$base" "$work/crm.git" "$work/crm-a" "$work/crm-b" "$work/git.git" "$work/git-a" "$work/git-b"
done
fi

{
	echo "# crm sync against git pull && git push"
	echo
	echo "Measured $(cat "$res/date") on this machine (load before: $(cat "$res/load")); medians of $(cat "$res/runs" 2>/dev/null || echo "$runs") runs."
	echo "Each run: clone B changes the note of 100 customers in one half of the store and pushes;"
	echo "clone A changes 100 in the other half (one commit), then the timed step brings B's commit in,"
	echo "merges and pushes. Anchor: the same edits on a second pair of clones, timed"
	echo "\`git pull --no-edit && git push\`. Stores: bench/gen -n N -v 1."
	echo
	echo "| customers | files | crm sync s | git pull && push s | ratio | runs' ratios | crm sync peak KiB | memory vs smallest |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
	first=
	for n in $sizes; do
		d=$res/$n
		[ -f "$d/sync" ] || continue
		s=$(med "$d/sync") g=$(med "$d/git") k=$(med "$d/sync" 2)
		[ -n "$first" ] || first=$k
		echo "| $n | $(cat "$d/files") | $(s3 "$s") | $(s3 "$g") | $(ratio "$s" "$g") | $(spread "$d/sync" "$d/git") | $k | $(ratio "$k" "$first") |"
	done
} >"$out"
cat "$out"
