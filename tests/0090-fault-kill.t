#!/bin/sh
# kill -9 and SIGTERM at any instant of a write: the store is at the old commit
# or the new one, never between; a reader in between sees one of them, the next
# write repairs the work tree, and nothing is lost.
. "${0%/*}/lib.sh"

# fsck_clean: git fsck finds nothing but dangling objects (left by a write
# killed before it moved HEAD, which is harmless).
fsck_clean() {
	git fsck --no-progress >../fsck.out 2>&1
	fsck_rc=$?
	if [ $fsck_rc != 0 ] || grep -v "^dangling" ../fsck.out | grep -q .; then
		echo "git fsck:" >&2
		cat ../fsck.out >&2
		return 1
	fi
}

# reader_sees_head: what a reader sees now is exactly HEAD's records, even
# while a killed write's files are still half swapped in.
reader_sees_head() {
	crm-customer list -o csv >../now.csv 2>../now.err
	[ $? -le 1 ] && test ! -s ../now.err || { echo "reader failed:" >&2; cat ../now.err >&2; return 1; }
	crm-customer list -o csv --at HEAD >../head.csv 2>&1
	if ! cmp -s ../head.csv ../now.csv; then
		echo "a reader saw records of no commit:" >&2
		diff ../head.csv ../now.csv | head -6 >&2
		return 1
	fi
}

# settled OLD WHAT: HEAD is OLD, or one new commit on it made by WHAT; a reader
# sees HEAD; fsck is clean; the next write works and leaves the tree clean.
settled() {
	head=$(git rev-parse HEAD)
	if [ "$head" != "$1" ]; then
		[ "$(git rev-parse HEAD~1)" = "$1" ] || { echo "HEAD $head is neither the old commit nor its child" >&2; return 1; }
		git log -1 --format=%s | grep -q "^crm-customer $2" || { echo "HEAD is not a $2:" >&2; git log -1 >&2; return 1; }
	fi
	reader_sees_head && fsck_clean || return 1
	crm-customer set C000001 note="after $head" >/dev/null 2>../next.err || { echo "next write failed:" >&2; cat ../next.err >&2; return 1; }
	store_clean && reader_sees_head && crm check --quiet
}

# rand_delay SEED MS: a pseudo-random time between 0 and MS milliseconds, in seconds.
rand_delay() {
	awk -v s="$1" -v ms="$2" 'BEGIN { srand(s); printf "%.3f\n", rand() * ms / 1000 }'
}

# ms: milliseconds since the epoch.
ms() {
	echo $(($(date +%s%N) / 1000000))
}

# upd N: an import file that changes the note of every customer (all 7 shards).
upd() {
	awk -F, -v n="$1" 'NR == 1 { print "id,note"; next } { print $1 ",gen " n }' ../all.csv >../upd.csv
}

test_expect_success 'setup: a store of 3001 customers in 7 shards' '
	new_store s &&
	crm-customer add Acme owner=bob >/dev/null &&
	awk "BEGIN { print \"name,owner,grade\"; for (i = 0; i < 3000; i++) printf \"Company %d,u%d,B\\n\", i, i % 50 }" >../big.csv &&
	crm-customer import ../big.csv 2>/dev/null &&
	crm-customer list -o csv >../all.csv &&
	test "$(wc -l <../all.csv)" = 3002 &&
	test "$(ls customers/000 | wc -l)" = 7
'

test_expect_success 'kill -9 at random instants of 20 imports: old or new commit, never between' '
	cd s &&
	upd 0 && t0=$(ms) && crm-customer import ../upd.csv 2>/dev/null && dur=$(( $(ms) - t0 + 20 )) &&
	i=1 landed=0 killed=0 &&
	while [ $i -le 20 ]; do
		old=$(git rev-parse HEAD)
		upd $i
		crm-customer import ../upd.csv >/dev/null 2>&1 & pid=$!
		sleep "$(rand_delay $i $dur)"
		kill -9 $pid 2>/dev/null
		wait $pid
		if [ "$(git rev-parse HEAD)" = "$old" ]; then killed=$((killed + 1)); else landed=$((landed + 1)); fi
		settled "$old" import || { echo "after kill $i (import takes ${dur} ms)"; exit 1; }
		i=$((i + 1))
	done &&
	echo "import ${dur} ms: $landed landed, $killed killed before the commit" &&
	test $killed -gt 0
'

# kill_sweep CALL WHAT CMD...: kill -9 the command at its 1st, 2nd, ... CALL
# (on entry, before it acts), until a run ends without being killed.
kill_sweep() {
	call=$1 what=$2
	shift 2
	n=1
	while :; do
		old=$(git rev-parse HEAD)
		strace -f -o /dev/null -e inject=$call:signal=KILL:when=$n "$@" >/dev/null 2>../kill.err
		krc=$?
		settled "$old" "$what" || { echo "killed at $call $n (exit $krc)"; return 1; }
		[ $krc = 137 ] || break
		n=$((n + 1))
		[ $n -le 200 ] || { echo "$call: no end"; return 1; }
	done
	[ $krc = 0 ] || { echo "$call: the run without a kill failed ($krc):"; cat ../kill.err; return 1; }
	echo "$call: $((n - 1)) kill points"
}

test_expect_success 'kill -9 at every rename and link of an import (7 files swapped in)' '
	command -v strace >/dev/null || { echo "strace is needed (Debian package strace)"; exit 1; }
	cd s &&
	upd 100 && kill_sweep rename import crm-customer import ../upd.csv &&
	upd 101 && kill_sweep link import crm-customer import ../upd.csv
'

test_expect_success 'kill -9 at every fsync, rename, link and unlink of a single set' '
	cd s &&
	for call in fsync rename link unlink; do
		kill_sweep $call set crm-customer set C000002 note="swept $call" || exit 1
	done
'

test_expect_success 'kill -9 at random instants of 8 single sets' '
	cd s &&
	t0=$(ms) && crm-customer set C000003 grade=A && dur=$(( $(ms) - t0 + 10 )) &&
	i=1 &&
	while [ $i -le 8 ]; do
		old=$(git rev-parse HEAD)
		crm-customer set C000003 note="kill $i" >/dev/null 2>&1 & pid=$!
		sleep "$(rand_delay $((i + 50)) $dur)"
		kill -9 $pid 2>/dev/null
		wait $pid
		settled "$old" set || { echo "after kill $i"; exit 1; }
		i=$((i + 1))
	done
'

# The exit status tells the truth: 143 means nothing landed, 0 that the commit did.
test_expect_success 'SIGTERM at random instants of imports and sets: exit 0 if and only if it landed' '
	cd s &&
	i=1 &&
	while [ $i -le 10 ]; do
		old=$(git rev-parse HEAD)
		if [ $((i % 2)) = 0 ]; then
			what=set; crm-customer set C000004 note="term $i" >/dev/null 2>../term.err & pid=$!
			sleep "$(rand_delay $((i + 100)) 40)"
		else
			what=import; upd $((i + 200)); crm-customer import ../upd.csv >/dev/null 2>../term.err & pid=$!
			sleep "$(rand_delay $((i + 100)) 150)"
		fi
		kill -TERM $pid 2>/dev/null
		wait $pid
		rc=$?
		new=$(git rev-parse HEAD)
		case $rc in
		0) [ "$new" != "$old" ] || { echo "$i: exit 0 but no commit"; exit 1; } ;;
		143) [ "$new" = "$old" ] || { echo "$i: killed by SIGTERM (143) after its commit landed"; exit 1; } ;;
		*) echo "$i: exit $rc"; cat ../term.err; exit 1 ;;
		esac
		settled "$old" $what || { echo "after SIGTERM $i (exit $rc)"; exit 1; }
		i=$((i + 1))
	done
'

test_expect_success 'SIGTERM in the middle of the renames: the commit is finished and reported' '
	cd s &&
	old=$(git rev-parse HEAD) &&
	upd 300 &&
	strace -f -o /dev/null -e inject=rename:signal=TERM:when=3 \
		crm-customer import ../upd.csv >/dev/null 2>../term.err &&
	test "$(git rev-parse HEAD~1)" = "$old" &&
	store_clean &&
	crm-customer list -o csv --fields note id=C000002 >../out &&
	grep_q "gen 300" ../out
'

test_done
