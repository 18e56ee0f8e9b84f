#!/bin/sh
# crm log: the store's changes one line each; a record's history field by field.
. "${0%/*}/lib.sh"

test_expect_success 'setup: a store with a few changes by two people' '
	new_store s &&
	crm-customer add Acme owner=bob grade=C >/dev/null &&
	crm-customer add Beta owner=bob grade=C >/dev/null &&
	GIT_AUTHOR_NAME="Bob Test" GIT_AUTHOR_EMAIL=bob@example.com \
		crm-customer set C000001 owner=carol grade=A >/dev/null
'

test_expect_success 'log lists every commit, newest first, with author and summary' '
	cd s &&
	crm log >out &&
	test "$(wc -l <out)" = 5 &&
	head -1 out | grep_q "^commit,date,author,change$" out &&
	sed -n 2p out >first &&
	grep_q "Bob Test,crm-customer set" first &&
	tail -1 out >last &&
	grep_q "crm init" last
'

test_expect_success 'log --max limits the lines' '
	cd s &&
	crm log --max 1 >out &&
	test "$(wc -l <out)" = 2
'

test_expect_success 'log ID shows who changed which field from what to what' '
	cd s &&
	crm log C000001 >out &&
	grep_q ",Bob Test,C000001,owner,bob,carol$" out &&
	grep_q ",Bob Test,C000001,grade,C,A$" out &&
	grep_q ",Alice Test,C000001,(created),,Acme$" out &&
	! grep -q "C000002" out
'

test_expect_success 'log ID of a record that never existed: exit 1' '
	cd s &&
	test_expect_code 1 crm log C000099 2>err &&
	grep_q "no record .C000099." err
'

test_expect_success 'log with a path-like id: refused, 65' '
	cd s &&
	test_expect_code 65 crm log ../etc 2>err &&
	grep_q "argument: id:" err
'

test_expect_success 'log -o json is one object per line' '
	cd s &&
	crm log -o json C000001 >out &&
	test "$(grep -c "^{\"commit\":" out)" = "$(wc -l <out)"
'

test_done
