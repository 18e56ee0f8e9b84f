#!/bin/sh
# crm gc: packs the history without rewriting it; log and --at read the same
# before and after; crm log ID through merge commits made with git.
. "${0%/*}/lib.sh"

loose() { git count-objects -v | awk '/^count:/ { print $2 }'; }
# The loose objects that some ref reaches (gc leaves none of them).
reached_loose() {
	git rev-list --objects --all | cut -d" " -f1 | sort >reached &&
	find .git/objects -path "*/objects/??/*" -type f | sed "s,.*objects/\(..\)/,\1," | sort >lo &&
	comm -12 reached lo | wc -l
}
packs() { git count-objects -v | awk '/^packs:/ { print $2 }'; }

test_expect_success 'setup: three customers, edited on two branches and merged with git' '
	new_store s &&
	crm-customer add Acme grade=C >/dev/null &&
	crm-customer add Beta grade=C >/dev/null &&
	crm-customer add Gamma grade=C >/dev/null &&
	git branch side &&
	crm-customer set C000001 grade=A >/dev/null &&
	git checkout -q side &&
	GIT_AUTHOR_NAME="Bob Test" GIT_AUTHOR_EMAIL=bob@example.com \
		crm-customer set C000003 phone=555-0100 >/dev/null &&
	git checkout -q main &&
	git merge -q --no-edit side &&
	test "$(git rev-list --merges --count HEAD)" = 1 &&
	crm check >/dev/null
'

test_expect_success 'log ID shows what either side of a merge brought, at its own commit' '
	cd s &&
	crm log C000003 >out3 &&
	grep_q ",Bob Test,C000003,phone,,555-0100$" out3 &&
	test "$(grep -c ",phone," out3)" = 1 &&
	crm log C000001 >out1 &&
	grep_q ",Alice Test,C000001,grade,C,A$" out1 &&
	test "$(grep -c ",grade," out1)" = 1 &&
	merge=$(git rev-parse --short=7 HEAD) &&
	! grep -q "^$merge" out1 out3
'

test_expect_success 'a merge that changes the record itself (a resolution by hand) is shown' '
	cd s &&
	git checkout -q -b left HEAD &&
	crm-customer set C000002 grade=B >/dev/null &&
	git checkout -q -b right main &&
	crm-customer set C000002 grade=D >/dev/null &&
	test_must_fail git -c merge.crm.driver=false merge -q --no-edit left >/dev/null 2>&1 &&
	git checkout -q --theirs customers/000/000000.csv &&
	sed "s/^\(C000002,[^,]*,[^,]*,[^,]*,[^,]*\),B,/\1,A,/" customers/000/000000.csv >f &&
	mv f customers/000/000000.csv &&
	git add customers/000/000000.csv && git commit -q --no-edit &&
	crm log C000002 >out &&
	merge=$(git rev-parse --short=7 HEAD) &&
	grep_q "^$merge,.*,C000002,grade,D,A$" out &&
	git checkout -q main && git branch -q -D left right
'

test_expect_success 'crm -n gc counts the loose objects and changes nothing' '
	cd s &&
	n=$(loose) && test "$n" -gt 0 &&
	crm -n gc >out &&
	grep_q "^$n loose objects to pack$" out &&
	test "$(loose)" = "$n" && test "$(packs)" = 0
'

test_expect_success 'gc packs every object; history, log and --at read the same' '
	cd s &&
	head=$(git rev-parse HEAD) &&
	crm log >log.before && crm log C000001 >id1.before && crm log C000003 >id3.before &&
	crm-customer list --at HEAD~2 >at.before &&
	crm-customer list --at "$(date +%Y-%m-%d)" >day.before &&
	git hash-object -w --stdin </dev/null >stray &&
	crm gc >out &&
	grep_q "^packed [0-9]* objects into pack-[0-9a-f]*; removed [0-9]* loose objects and 0 older packs$" out &&
	test "$(packs)" = 1 &&
	test "$(git rev-parse HEAD)" = "$head" &&
	crm log >log.after && test_cmp log.before log.after &&
	crm log C000001 >id1.after && test_cmp id1.before id1.after &&
	crm log C000003 >id3.after && test_cmp id3.before id3.after &&
	crm-customer list --at HEAD~2 >at.after && test_cmp at.before at.after &&
	crm-customer list --at "$(date +%Y-%m-%d)" >day.after && test_cmp day.before day.after &&
	crm check >/dev/null &&
	git fsck --no-dangling 2>&1 | { ! grep -q . ; }
'

test_expect_success 'gc keeps loose objects no ref reaches (it only drops what the pack holds)' '
	cd s &&
	test "$(reached_loose)" = 0 &&
	loose >kept && test "$(cat kept)" -ge 1 &&
	git cat-file -e "$(cat stray)"
'

test_expect_success 'a write after gc works; the next gc leaves one pack (and no temporary file of a gc cut short)' '
	cd s &&
	crm-customer set C000001 grade=B >/dev/null &&
	: >.git/objects/pack/pack_git2_0123456789abcdef &&
	crm log C000001 >out && grep_q ",C000001,grade,A,B$" out &&
	test "$(loose)" -gt 1 &&
	crm gc >out &&
	grep_q "and 1 older pack$" out &&
	test "$(packs)" = 1 && test "$(loose)" = "$(cat kept)" && test "$(reached_loose)" = 0 &&
	test ! -e .git/objects/pack/pack_git2_0123456789abcdef &&
	crm check >/dev/null && store_clean
'

test_expect_success 'gc with nothing loose to pack says so' '
	cd s &&
	test "$(loose)" -ge 1 &&
	crm gc >out &&
	grep_q "^nothing to pack$" out &&
	crm gc --quiet >out && test ! -s out
'

test_expect_success 'gc waits for the write lock: busy store, 75, nothing changed' '
	cd s &&
	crm-customer set C000002 grade=C >/dev/null &&
	n=$(loose) || exit 1
	( exec 8>.git/crm.lock && flock 8 && exec sleep 4 ) &
	holder=$!
	sleep 1 &&
	CRM_LOCK_TIMEOUT=1 test_expect_code 75 crm gc 2>err &&
	wait $holder &&
	grep_q "store busy" err &&
	test "$(loose)" = "$n"
'

test_expect_success 'gc takes no operands and no --at: usage, 2' '
	cd s &&
	test_expect_code 2 crm gc now 2>err && grep_q "gc takes no operands" err &&
	test_expect_code 2 crm --at HEAD gc 2>err && grep_q "gc: --at" err
'

test_done
