#!/bin/sh
# Parallel writers on one clone are serialised or refused with 75, and no
# update is ever lost; readers during writes see one commit's state.
. "${0%/*}/lib.sh"

fsck_clean() {
	git fsck --no-progress >../fsck.out 2>&1 && ! grep -v "^dangling" ../fsck.out | grep -q . ||
		{ cat ../fsck.out >&2; return 1; }
}

# writers N EACH TIMEOUT: N parallel writers, each adding EACH customers named
# "Writer w nI tTIMEOUT"; files ../ids.w (printed ids), ../rcs.w (exit statuses).
writers() {
	rm -f ../ids.* ../rcs.* ../errs.*
	w=1
	while [ $w -le $1 ]; do
		( i=1; while [ $i -le $2 ]; do
			CRM_LOCK_TIMEOUT=$3 crm-customer add "Writer $w n$i t$3" owner=w$w >>../ids.$w 2>>../errs.$w
			echo "$? Writer $w n$i t$3" >>../rcs.$w
			i=$((i + 1))
		done ) &
		w=$((w + 1))
	done
	wait
}

# every_write_accounted BEFORE_COMMITS BEFORE_CUSTOMERS: each 0 has its commit
# and its record, each 75 has neither, ids are unique.
every_write_accounted() {
	cat ../rcs.* >../rcs
	bad=$(grep -v "^0 \|^75 " ../rcs) && { echo "unexpected exit: $bad" >&2; return 1; }
	ok=$(grep -c "^0 " ../rcs)
	busy=$(grep -c "^75 " ../rcs)
	test "$(cat ../ids.* | wc -l)" = "$ok" || { echo "$ok successes but $(cat ../ids.* | wc -l) ids" >&2; return 1; }
	test -z "$(cat ../ids.* | sort | uniq -d)" || { echo "an id printed twice" >&2; return 1; }
	test "$(commits)" = $(($1 + ok)) || { echo "$ok successes, $(($(commits) - $1)) commits" >&2; return 1; }
	crm-customer list -o csv --fields id,name >../now.csv || return 1
	test "$(($(wc -l <../now.csv) - 1))" = $(($2 + ok)) || { echo "$ok successes, $(($(wc -l <../now.csv) - 1 - $2)) new customers" >&2; return 1; }
	git log --format=%s >../subjects
	for id in $(cat ../ids.*); do
		grep -q "^crm-customer add $id " ../subjects || { echo "$id: no commit" >&2; return 1; }
		grep -q "^$id,Writer " ../now.csv || { echo "$id: not in the store" >&2; return 1; }
	done
	grep "^75 " ../rcs | cut -d" " -f2- | while read -r name; do
		! grep -q ",$name\$" ../now.csv || { echo "'$name' was refused with 75 but is in the store" >&2; exit 1; }
	done || return 1
	grep -h . ../errs.* | grep -v "store busy" && { echo "unexpected messages" >&2; return 1; }
	echo "$ok landed, $busy refused (75)"
	fsck_clean && store_clean
}

test_expect_success 'setup' '
	new_store s &&
	crm-customer add Acme owner=bob >/dev/null
'

test_expect_success '4 writers x 25 adds: every one lands, ids unique, nothing lost' '
	cd s &&
	c0=$(commits) && n0=1 &&
	writers 4 25 10 &&
	every_write_accounted $c0 $n0 &&
	test "$(grep -c "^0 " ../rcs)" = 100
'

test_expect_success '4 writers that give up at once: each exit is 0 (committed) or 75 (nothing)' '
	cd s &&
	c0=$(commits) && n0=$(($(crm-customer list -o csv | wc -l) - 1)) &&
	writers 4 15 0 &&
	every_write_accounted $c0 $n0
'

test_expect_success 'parallel sets of different customers in one shard: no update lost' '
	cd s &&
	crm-customer list -o csv --fields id | sed -n "2,9p" >../ids &&
	r=1 &&
	while [ $r -le 5 ]; do
		for id in $(cat ../ids); do CRM_LOCK_TIMEOUT=20 crm-customer set $id note="round $r" >/dev/null & done
		wait
		r=$((r + 1))
	done &&
	crm-customer list -o csv --fields id,note >../notes &&
	for id in $(cat ../ids); do grep -q "^$id,round 5\$" ../notes || { echo "$id lost its update"; cat ../notes; exit 1; }; done &&
	store_clean
'

# Each import sets one generation on 3000 customers in 7 files: a reader that
# sees two generations at once saw a torn store.
test_expect_success 'readers during multi-file imports see one generation, never an error' '
	cd s &&
	awk "BEGIN { print \"name,owner\"; for (i = 0; i < 3000; i++) printf \"Bulk %d,u%d\\n\", i, i % 7 }" >../bulk.csv &&
	crm-customer import ../bulk.csv 2>/dev/null &&
	crm-customer list -o csv --fields id name~^Bulk >../bulkids &&
	test "$(ls customers/000 | wc -l)" -ge 7 &&
	rm -f ../rerr ../gens &&
	for r in 1 2; do
		( i=0; while [ $i -lt 25 ]; do
			crm-customer list -o csv --fields note name~^Bulk >../r$r.csv 2>>../rerr || echo "reader exit $?" >>../rerr
			tail -n +2 ../r$r.csv | sort -u | wc -l >>../gens
			i=$((i + 1))
		done ) &
	done
	g=1 &&
	while [ $g -le 8 ]; do
		sed "1s/.*/id,note/;1!s/\$/,gen $g/" ../bulkids >../gen.csv &&
		crm-customer import ../gen.csv 2>/dev/null || exit 1
		g=$((g + 1))
	done &&
	wait &&
	test ! -s ../rerr &&
	test "$(sort -u ../gens)" = 1 &&
	store_clean && fsck_clean
'

test_expect_success 'a writer waits for a reader only as long as the reader reads' '
	cd s || exit 1
	( exec 8<.git/crm-read.lock && flock -s 8 && exec sleep 2 ) & holder=$!
	sleep 0.3 &&
	start=$(date +%s) &&
	crm-customer set C000001 note=waited >/dev/null &&
	test $(( $(date +%s) - start )) -ge 1 &&
	wait $holder || exit 1
	( exec 8<.git/crm-read.lock && flock -s 8 && exec sleep 4 ) & holder=$!
	sleep 0.3 &&
	old=$(git rev-parse HEAD) &&
	CRM_LOCK_TIMEOUT=1 test_expect_code 75 crm-customer set C000001 note=gave-up 2>../err &&
	grep_q "store busy" ../err &&
	test "$(git rev-parse HEAD)" = "$old" &&
	wait $holder &&
	store_clean
'

test_done
