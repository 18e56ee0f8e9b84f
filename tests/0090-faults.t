#!/bin/sh
# Faults: the store is at the old commit or the new one, never between, and
# the next command works: kill -9, injected I/O errors, full and read-only
# disks, stale locks, parallel writers, broken pipes.
. "${0%/*}/lib.sh"

# at_old_or_new OLD NEW: HEAD is one of them, and after one more crm command
# the work tree and index match HEAD and crm check passes.
settled() {
	head=$(git rev-parse HEAD)
	crm-customer list >/dev/null 2>&1
	case $head in "$1"|"$2") ;; *) echo "HEAD $head is neither" >&2; return 1 ;; esac
	crm-customer set C000001 note="after $head" >/dev/null || return 1
	store_clean && crm check --quiet
}

test_expect_success 'setup: a store and an import file of 3000 customers' '
	new_store s &&
	crm-customer add Acme owner=bob >/dev/null &&
	awk "BEGIN { print \"name,owner,grade\"; for (i = 0; i < 20000; i++) printf \"Company %d,u%d,B\\n\", i, i % 50 }" >../big.csv &&
	test "$(wc -l <../big.csv)" = 20001
'

test_expect_success 'kill -9 at random instants during imports: old or new commit, never between' '
	cd s &&
	i=0 landed=0 killed=0 &&
	while [ $i -lt 14 ]; do
		old=$(git rev-parse HEAD)
		crm-customer import ../big.csv 2>/dev/null & pid=$!
		sleep 0.0$(( (i * 37) % 9 ))$(( i % 10 ))
		kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		new=$(git rev-parse HEAD)
		if [ "$new" = "$old" ]; then killed=$((killed + 1)); else
			[ "$(git rev-parse HEAD~1)" = "$old" ] || exit 1; landed=$((landed + 1)); fi
		settled "$old" "$new" || exit 1
		i=$((i + 1))
	done &&
	echo "imports landed $landed, killed before the commit $killed" &&
	test $killed -gt 0
'

test_expect_success 'kill -9 and SIGTERM during single writes' '
	cd s &&
	i=0 &&
	while [ $i -lt 12 ]; do
		old=$(git rev-parse HEAD)
		crm-customer set C000001 grade=A note="kill $i" & pid=$!
		sleep 0.00$(( i % 9 + 1 ))
		if [ $((i % 2)) = 0 ]; then kill -9 $pid 2>/dev/null; else kill -TERM $pid 2>/dev/null; fi
		wait $pid 2>/dev/null
		settled "$old" "$(git rev-parse HEAD)" || exit 1
		i=$((i + 1))
	done &&
	git fsck --no-progress 2>&1 | grep -v "^dangling" >fsck; test ! -s fsck
'

test_expect_success 'injected write, fsync and rename errors: exit non-zero, HEAD and tree unchanged' '
	command -v strace >/dev/null || { echo "strace missing"; exit 1; }
	cd s &&
	for call in write fsync rename link; do
		n=1
		while [ $n -le 12 ]; do
			old=$(git rev-parse HEAD)
			strace -f -o /dev/null -e inject=$call:error=EIO:when=$n \
				crm-customer set C000001 note="inject $call $n" >/dev/null 2>err
			rc=$?
			if [ "$(git rev-parse HEAD)" = "$old" ]; then
				[ $rc != 0 ] || { echo "$call $n: no commit but exit 0"; exit 1; }
				test -s err || { echo "$call $n: failed silently"; exit 1; }
			fi
			settled "$old" "$(git rev-parse HEAD)" || { echo "after $call $n"; exit 1; }
			n=$((n + 1))
		done
	done
'

cat >"$TRASH/diskfull.sh" <<'SCRIPT'
# Runs in its own mount namespace: a 4 MiB tmpfs filled up.
mkdir -p mnt && mount -t tmpfs -o size=4m tmpfs mnt || exit 77
crm init mnt/d >/dev/null && cd mnt/d || exit 1
crm-customer add Acme owner=bob >/dev/null || exit 1
old=$(git rev-parse HEAD)
dd if=/dev/zero of=filler bs=4k 2>/dev/null
crm-customer import ../../big.csv >/dev/null 2>../../df.err && exit 1
grep -q "No space left" ../../df.err || { cat ../../df.err; exit 1; }
test "$(git rev-parse HEAD)" = "$old" || exit 1
rm filler
test -z "$(git status --porcelain --untracked-files=all)" || { git status --porcelain; exit 1; }
crm-customer set C000001 note=roomy >/dev/null && crm check --quiet
SCRIPT

test_expect_success 'disk full on a small tmpfs: the write fails cleanly, the next one works' '
	unshare -m sh "$TRASH/diskfull.sh"
'

test_expect_success 'a read-only store: reads work, writes fail with a message, nothing changes' '
	unshare -m sh -c "
		mount --bind s s && mount -o remount,ro,bind s || exit 77
		cd s
		crm-customer list -o csv >/dev/null || exit 1
		crm log --max 1 >/dev/null || exit 1
		crm-customer set C000001 grade=C 2>../ro.err && exit 1
		grep -q \"Read-only\\|cannot\" ../ro.err || { cat ../ro.err; exit 1; }
	" &&
	cd s && store_clean
'

test_expect_success 'stale lock files: ours dies with its process; a stale index.lock is a clear error' '
	cd s &&
	touch .git/crm.lock &&
	crm-customer set C000001 grade=B &&
	touch .git/index.lock &&
	old=$(git rev-parse HEAD) &&
	test_expect_code 75 crm-customer set C000001 grade=C 2>err &&
	grep_q "index.lock exists" err &&
	test "$(git rev-parse HEAD)" = "$old" &&
	rm .git/index.lock && store_clean &&
	crm-customer set C000001 grade=C
'

test_expect_success 'a busy store: a writer waiting past CRM_LOCK_TIMEOUT exits 75' '
	cd s || exit 1
	( exec 9>.git/crm.lock && flock 9 && sleep 3 ) & holder=$!

	sleep 0.5 &&
	CRM_LOCK_TIMEOUT=1 test_expect_code 75 crm-customer set C000001 grade=D 2>err &&
	grep_q "store busy" err &&
	wait $holder
'

test_expect_success 'parallel writers: every write lands or is refused with 75; ids unique' '
	cd s &&
	before=$(commits) &&
	for w in 1 2 3 4; do
		( i=0; while [ $i -lt 15 ]; do
			CRM_LOCK_TIMEOUT=30 crm-customer add "Writer $w number $i" owner=w$w >>ids.$w 2>>errs.$w
			echo $? >>rcs.$w; i=$((i + 1)); done ) &
	done; wait &&
	cat rcs.* | sort | uniq -c >counts &&
	! grep -v " 0$\| 75$" counts &&
	ok=$(cat rcs.* | grep -c "^0$") &&
	test "$(commits)" = $((before + ok)) &&
	test "$(cat ids.* | sort | uniq -d | wc -l)" = 0 &&
	test "$(cat ids.* | wc -l)" = $ok &&
	rm -f ids.* errs.* rcs.* counts &&
	store_clean && crm check --quiet
'

test_expect_success 'readers during writes never see a torn store' '
	cd s || exit 1
	( i=0; while [ $i -lt 20 ]; do crm-customer list -o csv >/dev/null 2>>rerr || echo fail >>rerr; i=$((i+1)); done ) & r=$!

	i=0; while [ $i -lt 10 ]; do crm-customer set C000001 note="r$i" || exit 1; i=$((i+1)); done &&
	wait $r && test ! -s rerr
'

test_expect_success 'a corrupt object read through --at: an error within seconds, no hang' '
	cd s &&
	crm-customer set C000001 note=soon-broken &&
	obj=$(git rev-parse HEAD:customers/000/000000.csv) &&
	f=.git/objects/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-) &&
	cp $f saved && chmod u+w $f && head -c 30 saved >$f &&
	start=$(date +%s) &&
	CRM_WATCHDOG=5 test_must_fail timeout 60 crm-customer list --at HEAD 2>err >/dev/null &&
	test $(( $(date +%s) - start )) -lt 30 &&
	test -s err &&
	cp saved $f && rm saved
'

test_expect_success 'SIGPIPE is quiet; a full disk on stdout is an error' '
	cd s &&
	crm-customer list -o csv 2>err | head -1 >/dev/null &&
	test ! -s err &&
	test_must_fail crm-customer list -o csv >/dev/full 2>err &&
	grep_q "write error" err &&
	test_must_fail crm log >/dev/full 2>err
'

test_done
