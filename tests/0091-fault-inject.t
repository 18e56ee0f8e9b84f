#!/bin/sh
# Injected I/O errors (strace -e inject) at every write, fsync, rename, link,
# unlink and syncfs of a write command: it fails with a message and leaves
# HEAD and the work tree as they were, or it succeeds and its commit stays.
. "${0%/*}/lib.sh"

if ! command -v strace >/dev/null; then
	echo "1..0 # skip strace is not installed (Debian package strace)"
	exit 0
fi

# note_of ID: the note of a customer in HEAD's tree.
note_of() {
	git show HEAD:customers/000/000000.csv | awk -F, -v id="$1" '$1 == id { print $NF }'
}

# inject_sweep CALL ERROR ID: `crm-customer set ID note=...` with the 1st, 2nd,
# ... CALL failing with ERROR, until a run has no CALL left to fail.
inject_sweep() {
	call=$1 err=$2 id=$3
	n=1
	while :; do
		old=$(git rev-parse HEAD)
		val="$call $err $n"
		strace -f -o ../trace -e trace=$call -e inject=$call:error=$err:when=$n \
			crm-customer set $id note="$val" >/dev/null 2>../err
		rc=$?
		grep -q INJECTED ../trace || break
		if [ $rc != 0 ]; then
			case $rc in 66|70|73|75) ;; *) echo "$call $n: exit $rc" >&2; return 1 ;; esac
			[ "$(git rev-parse HEAD)" = "$old" ] || { echo "$call $n: failed (exit $rc) but HEAD moved" >&2; return 1; }
			grep -q "^crm-customer: " ../err || { echo "$call $n: no message" >&2; return 1; }
			[ "$(note_of $id)" != "$val" ] || { echo "$call $n: failed, yet its value is in HEAD" >&2; return 1; }
			store_clean || { echo "$call $n: failed (exit $rc) and left the tree unclean" >&2; cat ../err >&2; return 1; }
		else
			[ "$(git rev-parse HEAD~1)" = "$old" ] || { echo "$call $n: exit 0 but no new commit" >&2; return 1; }
			[ "$(note_of $id)" = "$val" ] || { echo "$call $n: exit 0, but HEAD lacks the value" >&2; return 1; }
			# what is left undone, the journal lets the next write finish
			test -f .git/crm-journal || store_clean || { echo "$call $n: exit 0, unclean, and no journal" >&2; return 1; }
		fi
		# the next write, to the same file: it repairs, and never undoes a landed commit
		crm-customer set C000002 note="next $n" >/dev/null 2>../next.err ||
			{ echo "$call $n: next write failed:" >&2; cat ../next.err >&2; return 1; }
		store_clean || { echo "after $call $n" >&2; return 1; }
		if [ $rc = 0 ]; then
			[ "$(note_of $id)" = "$val" ] || { echo "$call $n: the next write undid this commit (the work tree was rolled back under it)" >&2; return 1; }
		else
			[ "$(note_of $id)" != "$val" ] || { echo "$call $n: failed, but the next write committed its value" >&2; return 1; }
		fi
		n=$((n + 1))
		[ $n -le 300 ] || { echo "$call: no end" >&2; return 1; }
	done
	[ $rc = 0 ] || { echo "$call: the run without a fault failed" >&2; cat ../err >&2; return 1; }
	echo "$call $err: $((n - 1)) faults"
}

test_expect_success 'setup: a store of 201 customers' '
	new_store s &&
	crm-customer add Acme owner=bob >/dev/null &&
	awk "BEGIN { print \"name,owner\"; for (i = 0; i < 200; i++) printf \"Company %d,u%d\\n\", i, i % 9 }" >../some.csv &&
	crm-customer import ../some.csv 2>/dev/null
'

test_expect_success 'ENOSPC at every write(2) of a set' '
	cd s && inject_sweep write ENOSPC C000001
'

test_expect_success 'EIO at every fsync(2) of a set' '
	cd s && inject_sweep fsync EIO C000001
'

test_expect_success 'EIO at every rename(2) and link(2) of a set' '
	cd s && inject_sweep rename EIO C000001 && inject_sweep link EIO C000001
'

test_expect_success 'EIO at every unlink(2) of a set' '
	cd s && inject_sweep unlink EIO C000001
'

test_expect_success 'ENOSPC at every file creation (openat) of a set' '
	cd s && inject_sweep openat ENOSPC C000001
'

test_expect_success 'the message names the failure' '
	cd s &&
	test_must_fail strace -f -o /dev/null -e inject=write:error=ENOSPC:when=2 \
		crm-customer set C000001 grade=A 2>../err &&
	grep_q "No space left on device" ../err &&
	test_must_fail strace -f -o /dev/null -e inject=fsync:error=EIO:when=1 \
		crm-customer set C000001 grade=A 2>../err &&
	grep_q "cannot sync .crm-journal.: Input/output error" ../err &&
	store_clean
'

# More than 64 paths to sync (write.c, durable.c): staged files, their folders
# and the objects are synced by one syncfs(2); the journal and the ref by fsync(2).
# Renames: the 20 shards, then the ref, then the index.
test_expect_success 'an import of 20 shards: EIO at the syncfs and every rename, ENOSPC at writes' '
	cd s &&
	awk "BEGIN { print \"name,owner\"; for (i = 0; i < 9800; i++) printf \"Bulk %d,u%d\\n\", i, i % 9 }" >../bulk.csv &&
	crm-customer import ../bulk.csv 2>/dev/null &&
	test "$(ls customers/000 | wc -l)" -gt 16 &&
	crm-customer list -o csv --fields id,note >../ids.csv &&
	for spec in syncfs:EIO:1 rename:EIO:1 rename:EIO:2 rename:EIO:12 \
		rename:EIO:20 rename:EIO:21 rename:EIO:22 write:ENOSPC:1 write:ENOSPC:10 write:ENOSPC:25 \
		write:ENOSPC:30 write:ENOSPC:40 write:ENOSPC:50 link:EIO:1 link:EIO:20 link:EIO:30 fsync:EIO:1; do
		call=${spec%%:*} rest=${spec#*:} err=${rest%%:*} n=${rest#*:}
		old=$(git rev-parse HEAD)
		sed "1!s/,.*/,$spec/" ../ids.csv >../upd.csv
		strace -f -o ../trace -e trace=$call -e inject=$call:error=$err:when=$n \
			crm-customer import ../upd.csv >/dev/null 2>../err
		rc=$?
		grep -q INJECTED ../trace || { echo "$spec: never reached"; exit 1; }
		if [ $rc = 0 ]; then
			[ "$(git rev-parse HEAD~1)" = "$old" ] || { echo "$spec: exit 0 without a commit"; exit 1; }
		else
			[ "$(git rev-parse HEAD)" = "$old" ] || { echo "$spec: failed and HEAD moved"; exit 1; }
			grep -q "^crm-customer: " ../err || { echo "$spec: no message"; exit 1; }
			store_clean || { echo "$spec: left the tree unclean"; exit 1; }
		fi
		test "$(crm-customer list -o csv --fields note | grep -cx "$spec")" = $([ $rc = 0 ] && echo 10001 || echo 0) ||
			{ echo "$spec: the store holds a part of the import"; exit 1; }
		crm-customer set C000003 note="after $spec" >/dev/null && store_clean || { echo "after $spec"; exit 1; }
	done &&
	git fsck --no-progress 2>&1 | grep -v "^dangling" >../fsck; test ! -s ../fsck
'

test_done
