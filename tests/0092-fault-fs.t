#!/bin/sh
# The file system fails under the store: read-only, full, stale locks, a broken
# object, a closed or full standard output. Each is an error that names the
# problem, the store stays as it was, and the next command works.
. "${0%/*}/lib.sh"

# can_mount: root in a mount namespace of our own (unshare -m, mount).
can_mount() {
	unshare -m sh -c 'mkdir -p "$1" && mount -t tmpfs -o size=1m tmpfs "$1"' sh "$TRASH/.probe" 2>/dev/null
}

# as_nobody CMD...: runs CMD as an unprivileged user, whom chmod stops.
as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

# fsck_clean: git fsck finds nothing but dangling objects.
fsck_clean() {
	git fsck --no-progress >../fsck.out 2>&1 && ! grep -v "^dangling" ../fsck.out | grep -q . ||
		{ cat ../fsck.out >&2; return 1; }
}

test_expect_success 'setup: a store of 3001 customers' '
	new_store s &&
	crm-customer add Acme owner=bob >/dev/null &&
	awk "BEGIN { print \"name,owner\"; for (i = 0; i < 3000; i++) printf \"Company %d,u%d\\n\", i, i % 50 }" >../big.csv &&
	crm-customer import ../big.csv 2>/dev/null &&
	crm-customer list -o csv >../all.csv
'

if can_mount; then
	test_expect_success 'a read-only mount: reads work, writes fail with a message, nothing changes' '
		cd s &&
		old=$(git rev-parse HEAD) &&
		unshare -m sh -c "
			mount --bind . . && mount -o remount,ro,bind . || exit 1
			crm-customer list -o csv >../ro-list.csv || exit 1
			crm-customer show C000001 >/dev/null || exit 1
			crm-customer list -o csv --at HEAD~1 >/dev/null || exit 1
			crm log C000001 >/dev/null || exit 1
			crm check --quiet || exit 1
			crm-customer set C000001 grade=C 2>../ro.err; echo \$? >../ro.rc
			crm-customer add Newco 2>>../ro.err; echo \$? >>../ro.rc
		" &&
		cmp ../all.csv ../ro-list.csv &&
		test "$(cat ../ro.rc)" = "$(printf "73\n73")" &&
		grep_q "Read-only file system" ../ro.err &&
		test "$(git rev-parse HEAD)" = "$old" &&
		store_clean
	'

	test_expect_success 'a read-only mount after a crash: readers see HEAD, not the half-swapped files' '
		command -v strace >/dev/null || { echo "strace is needed (Debian package strace)"; exit 1; }
		cd s &&
		sed "1s/.*/id,note/;1!s/,.*/,crashed/" ../all.csv | cut -d, -f1,2 >../crash.csv &&
		strace -f -o /dev/null -e inject=rename:signal=KILL:when=4 crm-customer import ../crash.csv 2>/dev/null
		test -f .git/crm-journal && grep -q crashed customers/000/000000.csv &&
		unshare -m sh -c "
			mount --bind . . && mount -o remount,ro,bind . || exit 1
			crm-customer list -o csv >../ro-list.csv
		" &&
		cmp ../all.csv ../ro-list.csv &&
		crm-customer set C000002 note=repaired >/dev/null && store_clean &&
		test "$(crm-customer list -o csv | grep -c crashed)" = 0
	'

	# A disk with K blocks free for K = 0, 1, 2, 4, ...: the write runs out at
	# a different step each time (staged file, journal, objects, ref, index).
	cat >"$TRASH/diskfull.sh" <<-'EOF'
	# $1: a scratch folder outside the small disk
	mkdir -p mnt && mount -t tmpfs -o size=8m tmpfs mnt || exit 1
	crm init mnt/d >/dev/null && cd mnt/d || exit 1
	crm-customer import "$1/big.csv" 2>/dev/null || exit 1
	crm-customer list -o csv --fields id >"$1/ids.csv"
	for k in 0 1 2 3 4 6 8 12 16 24 32 64 128 256; do
		rm -f filler
		dd if=/dev/zero of=filler bs=4k 2>/dev/null
		truncate -s -$((k * 4))k filler
		old=$(git rev-parse HEAD)
		sed "1s/.*/id,note/;1!s/\$/,free $k/" "$1/ids.csv" >"$1/upd.csv"
		crm-customer import "$1/upd.csv" >/dev/null 2>"$1/err"
		rc=$?
		if [ $rc = 0 ]; then
			[ "$(git rev-parse HEAD~1)" = "$old" ] || { echo "$k: exit 0 without its commit"; exit 1; }
		else
			[ "$(git rev-parse HEAD)" = "$old" ] || { echo "$k: failed and HEAD moved"; exit 1; }
			grep -q "No space left on device" "$1/err" || { echo "$k: exit $rc, message:"; cat "$1/err"; exit 1; }
			[ -z "$(git status --porcelain --untracked-files=all | grep -v " filler$")" ] ||
				{ echo "$k: unclean"; git status --porcelain; exit 1; }
			test ! -f .git/crm-journal || { echo "$k: journal left"; exit 1; }
		fi
		echo "$k blocks free: exit $rc"
	done
	rm -f filler
	crm-customer set C000001 note=roomy >/dev/null || exit 1
	test -z "$(git status --porcelain --untracked-files=all)" || exit 1
	crm check --quiet && git fsck --no-progress 2>&1 | grep -v "^dangling" | grep . && exit 1
	exit 0
	EOF

	test_expect_success 'disk full at every step (tmpfs filled to 0..256 blocks free): clean failure' '
		unshare -m sh "$TRASH/diskfull.sh" "$TRASH" >../df.out 2>&1 || { cat ../df.out; exit 1; }
		cat ../df.out &&
		grep -q "exit 0" ../df.out && grep -q "exit 73\|exit 70" ../df.out
	'
else
	echo "ok 2 # skip no mount namespace here (unshare -m and mount need root): read-only mount untested"
	echo "ok 3 # skip no mount namespace here: read-only mount after a crash untested"
	echo "ok 4 # skip no mount namespace here: disk full on a tmpfs untested"
	test_count=$((test_count + 3))
fi

# nobody must reach the commands: a build below a private folder (root's home) is copied out.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && ! as_nobody test -x "$CRM_BIN/crm-customer"; then
	mkdir -p "$TRASH/nobody-bin" && cp "$CRM_BIN"/crm* "$TRASH/nobody-bin/" &&
		chmod 755 "$TRASH" "$TRASH/nobody-bin" && PATH="$TRASH/nobody-bin:$PATH" && CRM_BIN=$TRASH/nobody-bin
fi
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && as_nobody test -x "$CRM_BIN/crm-customer"; then
	test_expect_success 'a store made read-only by chmod, for a user other than root' '
		chmod 755 "$TRASH" &&
		crm init ro >/dev/null && (cd ro && crm-customer add Acme >/dev/null) &&
		mkdir -p nh && printf "[safe]\n\tdirectory = %s\n" "$TRASH/ro" >nh/.gitconfig &&
		chmod -R a-w ro && cd ro &&
		old=$(git rev-parse HEAD) &&
		test_expect_code 77 as_nobody crm-customer list 2>../err &&
		grep_q "belongs to another user.*safe.directory" ../err &&
		chown -R 65534 . && chmod -R a-w . &&
		HOME=$TRASH/nh && export HOME &&
		as_nobody crm-customer list -o csv >../out &&
		grep_q "C000001,Acme" ../out &&
		as_nobody crm log >/dev/null &&
		test_expect_code 73 as_nobody crm-customer set C000001 grade=A 2>../err &&
		grep_q "Permission denied" ../err &&
		test "$(git -c safe.directory="*" rev-parse HEAD)" = "$old" &&
		test -z "$(git -c safe.directory="*" status --porcelain --untracked-files=all)"
	'
else
	test_expect_success 'a store made read-only by chmod (as this user)' '
		crm init ro >/dev/null && cd ro && crm-customer add Acme >/dev/null &&
		chmod -R a-w . &&
		crm-customer list -o csv >/dev/null &&
		test_must_fail crm-customer set C000001 grade=A 2>../err &&
		grep_q "Permission denied" ../err
	'
fi

test_expect_success 'stale crm.lock of a killed process: flock dies with it' '
	cd s || exit 1
	( exec 9>.git/crm.lock && flock 9 && exec sleep 60 ) & holder=$!
	sleep 0.3 &&
	kill -9 $holder && wait $holder
	test -f .git/crm.lock &&
	crm-customer set C000001 grade=B >/dev/null && store_clean
'

test_expect_success 'a live crm.lock: 75 after CRM_LOCK_TIMEOUT, with a message' '
	cd s || exit 1
	( exec 9>.git/crm.lock && flock 9 && exec sleep 3 ) & holder=$!
	sleep 0.3 &&
	start=$(date +%s) &&
	CRM_LOCK_TIMEOUT=1 test_expect_code 75 crm-customer set C000001 grade=D 2>../err &&
	test $(( $(date +%s) - start )) -le 2 &&
	grep_q "store busy" ../err &&
	wait $holder && store_clean
'

test_expect_success 'stale git locks (index, HEAD, branch): 75 naming the file, nothing moved' '
	cd s &&
	for lock in index.lock HEAD.lock refs/heads/main.lock; do
		old=$(git rev-parse HEAD)
		: >.git/$lock
		test_expect_code 75 crm-customer set C000001 grade=C 2>../err || exit 1
		grep -q "store busy: .git/$lock exists" ../err || { cat ../err; exit 1; }
		test "$(git rev-parse HEAD)" = "$old" && store_clean || exit 1
		rm .git/$lock
	done &&
	crm-customer set C000001 grade=C >/dev/null && store_clean
'

test_expect_success 'git locks left by a crm killed inside its commit are its own: cleared' '
	command -v strace >/dev/null || { echo "strace is needed (Debian package strace)"; exit 1; }
	cd s &&
	# renames: the staged file, then the ref (main.lock), then the index (index.lock)
	for n in 2 3; do
		strace -f -o /dev/null -e inject=rename:signal=KILL:when=$n crm-customer set C000001 note="k$n" 2>/dev/null
		ls .git/refs/heads/main.lock .git/index.lock 2>/dev/null | grep -q . || { echo "no lock left at rename $n"; exit 1; }
		crm-customer set C000002 note="after k$n" >/dev/null && store_clean || exit 1
	done
'

test_expect_success 'leftovers of a writer killed while staging are removed by the next write' '
	cd s &&
	echo "customers/000/000000.csv" >.git/crm-staged &&
	echo junk >customers/000/000000.csv.crm-new &&
	echo junk >.git/crm-journal.new &&
	crm-customer set C000001 grade=A >/dev/null &&
	store_clean && test ! -e customers/000/000000.csv.crm-new
'

test_expect_success 'a journal cut short (no end line) moved nothing: removed, nothing undone' '
	cd s &&
	crm-customer set C000001 note=kept >/dev/null &&
	cp customers/000/000000.csv ../kept.csv &&
	printf "crm-journal 2\nparent %s\ncustomers/000/000000.csv\t1\n" "$(git rev-parse HEAD~1)" >.git/crm-journal &&
	echo junk >customers/000/000000.csv.crm-old &&
	crm-customer set C000002 grade=A >/dev/null &&
	store_clean && test ! -e .git/crm-journal &&
	grep -q "^C000001,.*,kept\$" customers/000/000000.csv
'

test_expect_success 'a journal of an older crm (no header, no end line) is still undone' '
	cd s &&
	cp customers/000/000000.csv ../before.csv &&
	ln customers/000/000000.csv customers/000/000000.csv.crm-old &&
	sed "s/,kept\$/,half-written/" ../before.csv >customers/000/000000.csv.tmp &&
	mv customers/000/000000.csv.tmp customers/000/000000.csv &&
	printf "parent %s\ncustomers/000/000000.csv\t1\n" "$(git rev-parse HEAD)" >.git/crm-journal &&
	crm-customer set C000002 grade=B >/dev/null &&
	store_clean && test ! -e .git/crm-journal &&
	grep -q "^C000001,.*,kept\$" customers/000/000000.csv
'

# truncate_object REV: cuts the loose object of REV to 30 bytes (saved in ../saved).
truncate_object() {
	obj=$(git rev-parse "$1") &&
	f=.git/objects/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-) &&
	test -f $f && cp $f ../saved && echo $f >../saved.path &&
	chmod u+w $f && head -c 30 ../saved >$f
}

restore_object() {
	cp ../saved "$(cat ../saved.path)"
}

# quick_fail CMD...: fails with a message within 20 s (CRM_WATCHDOG=5), not by a signal.
quick_fail() {
	start=$(date +%s)
	CRM_WATCHDOG=5 timeout -s KILL 60 "$@" >/dev/null 2>../err
	rc=$?
	took=$(( $(date +%s) - start ))
	[ $rc != 0 ] && [ $rc -lt 128 ] && [ $took -le 20 ] && grep -q . ../err ||
		{ echo "'$*': exit $rc after $took s" >&2; cat ../err >&2; return 1; }
}

test_expect_success 'a truncated blob: --at, log and show fail within seconds' '
	cd s &&
	crm-customer set C000001 note=soon-broken >/dev/null &&
	truncate_object HEAD:customers/000/000000.csv &&
	quick_fail crm-customer list --at HEAD &&
	quick_fail crm log C000001 &&
	quick_fail crm check &&
	restore_object && crm check --quiet && store_clean
'

test_expect_success 'a truncated tree: a write fails within seconds and leaves the tree as it was' '
	cd s &&
	old=$(git rev-parse HEAD) &&
	truncate_object "HEAD^{tree}" &&
	quick_fail crm-customer set C000001 note=never &&
	quick_fail crm-customer list --at HEAD &&
	restore_object &&
	test "$(git rev-parse HEAD)" = "$old" &&
	crm-customer list -o csv >/dev/null &&
	crm-customer set C000001 note=fine >/dev/null && store_clean && fsck_clean
'

test_expect_success 'a truncated commit: log and a write fail within seconds' '
	cd s &&
	old=$(git rev-parse HEAD) &&
	truncate_object HEAD &&
	quick_fail crm log &&
	quick_fail crm-customer set C000001 note=never &&
	restore_object &&
	test "$(git rev-parse HEAD)" = "$old" &&
	crm-customer set C000001 note=again >/dev/null && store_clean && fsck_clean
'

# 3001 customers are more than a pipe holds, so the reader closes it mid-write.
test_expect_success 'SIGPIPE is quiet: list | head -1 in csv, tsv and json' '
	cd s &&
	for fmt in csv tsv json; do
		{ crm-customer list -o $fmt 2>../err; echo $? >../rc; } | head -1 >../out
		test ! -s ../err && test -s ../out || { echo "$fmt:"; cat ../err; exit 1; }
		case $(cat ../rc) in 0|141) ;; *) echo "$fmt: exit $(cat ../rc)"; exit 1 ;; esac
	done
'

test_expect_success 'a full standard output is an error with a message' '
	cd s &&
	test_must_fail crm-customer list -o csv >/dev/full 2>../err &&
	grep_q "No space left on device" ../err &&
	test_must_fail crm-customer show C000001 >/dev/full 2>../err &&
	grep_q "No space left on device" ../err &&
	test_must_fail crm log >/dev/full 2>../err &&
	grep_q "No space left on device" ../err
'

test_done
