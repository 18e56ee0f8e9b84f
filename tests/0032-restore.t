#!/bin/sh
# crm restore and --at: read or put back any past state, always as a new commit.
. "${0%/*}/lib.sh"

if ! command -v faketime >/dev/null; then
	echo "1..0 # skip faketime is not installed (apt-get install faketime)"
	exit 0
fi

at() { faketime "$1" "$@"; }

test_expect_success 'setup: changes on three different days' '
	new_store s &&
	faketime "2026-09-01 10:00:00" crm-customer add Acme owner=bob grade=A >/dev/null &&
	faketime "2026-09-01 11:00:00" crm-customer add Beta owner=bob grade=A >/dev/null &&
	faketime "2026-10-15 10:00:00" crm-customer set C000001 grade=C owner=carol &&
	faketime "2026-11-20 10:00:00" crm-customer set C000002 grade=D
'

test_expect_success '--at DATE reads the store as it was at the end of that day' '
	cd s &&
	crm-customer list --at 2026-09-30 grade=A -o csv >out &&
	test "$(wc -l <out)" = 3 &&
	crm-customer list --at 2026-10-15 grade=A -o csv >out &&
	test "$(wc -l <out)" = 2 &&
	crm-customer show --at 2026-09-01 -o csv C000001 >out &&
	grep_q ",A,bob," out &&
	store_clean
'

test_expect_success '--at REV works on show, list and log' '
	cd s &&
	crm-customer show --at HEAD~1 -o csv C000002 >out && grep_q ",A,bob," out &&
	crm log --at HEAD~1 >out && ! grep -q "grade=D" out
'

test_expect_success '--at a date before the store existed: exit 1, clear message' '
	cd s &&
	test_expect_code 1 crm-customer list --at 2020-01-01 2>err &&
	grep_q "no commit on or before 2020-01-01" err
'

test_expect_success 'restore records as at a date, as a new commit' '
	cd s &&
	before=$(commits) &&
	crm restore --at 2026-09-30 C000001 C000002 &&
	test "$(commits)" = $((before + 1)) &&
	test "$(crm-customer list grade=A -o csv | wc -l)" = 3 &&
	crm log C000001 >out && grep_q "C000001,owner,carol,bob" out &&
	store_clean
'

test_expect_success 'restore -n shows the field changes and commits nothing' '
	cd s &&
	crm-customer set C000002 grade=B &&
	before=$(commits) &&
	crm restore -n --at HEAD~1 >out &&
	grep_q "^C000002,grade,B,A$" out &&
	test "$(commits)" = $before
'

test_expect_success 'restore the whole store as at a revision' '
	cd s &&
	first=$(git rev-list --max-parents=0 HEAD) &&
	crm-customer add Gamma owner=bob >/dev/null &&
	crm restore --at HEAD~1 &&
	test_expect_code 1 crm-customer show C000003 2>/dev/null &&
	git log --oneline | grep -q "restore the store" &&
	store_clean
'

test_expect_success 'restore an id that did not exist then: exit 1, no commit' '
	cd s &&
	before=$(commits) &&
	test_expect_code 1 crm restore --at 2026-09-01 C000077 2>err &&
	grep_q "did not exist then" err &&
	test "$(commits)" = $before
'

test_expect_success 'restore without --at is a usage error' '
	cd s &&
	test_expect_code 2 crm restore C000001 2>err &&
	grep_q "usage" err
'

test_done
