#!/bin/sh
# Hostile input: ids never become paths outside the store, values never run or
# inject, control characters never reach a terminal raw.
. "${0%/*}/lib.sh"

test_expect_success 'setup' '
	new_store s &&
	crm-customer add Acme owner=bob >/dev/null
'

test_expect_success 'ids with ../, /, .git, control characters or 41+ characters are refused' '
	cd s &&
	for id in ../../etc/passwd /etc/passwd .git/config "a b" "$(printf "C1\033[2J")" \
		"$(printf "%041d" 1)" "C1;rm" "C1\$(id)"; do
		test_must_fail crm-customer show "$id" 2>err || exit 1
		test_must_fail crm-customer set "$id" grade=A 2>err || exit 1
		test_must_fail crm log "$id" 2>err || exit 1
	done &&
	printf "id,name\n../../../tmp/evil,x\n" | test_expect_code 65 crm-customer import - 2>err &&
	test ! -e ../../../tmp/evil && test ! -e /tmp/evil.csv &&
	store_clean
'

test_expect_success 'shell metacharacters in values are data, never run' '
	cd s &&
	crm-customer add "\$(touch pwned) \`touch pwned2\`; touch pwned3" owner=bob >/dev/null &&
	crm-customer list -o csv >/dev/null && crm log >/dev/null &&
	test ! -e pwned && test ! -e pwned2 && test ! -e pwned3 &&
	test ! -e ../pwned
'

test_expect_success 'terminal escapes and newlines are escaped in tables, messages and commit messages' '
	cd s &&
	crm-customer add "$(printf "Evil\033[31mRed\nSecond: line")" owner=bob >id &&
	id=$(cat id) &&
	crm-customer list -o table id=$id >out &&
	! grep -q "$(printf "\033")" out &&
	grep_q "Evil\\\\x1b\[31mRed\\\\nSecond: line" out &&
	git log -1 --format=%B >msg &&
	! grep -q "$(printf "\033")" msg &&
	test "$(grep -c "^Second: line" msg)" = 0 &&
	test_must_fail crm-customer show "$(printf "x\033[2Jy")" 2>err &&
	! grep -q "$(printf "\033")" err
'

test_expect_success 'a value cannot add lines (trailers, fake authors) to the commit message' '
	cd s &&
	crm-customer set C000001 note="$(printf "ok\nSigned-off-by: Mallory <m@x>")" &&
	git log -1 --format=%B >msg &&
	! grep -q "^Signed-off-by" msg &&
	test -z "$(git log -1 "--format=%(trailers)")"
'

test_expect_success 'symlinks in the store are refused' '
	cd s &&
	echo "id,name,status" >../elsewhere.csv &&
	mkdir -p contacts/001 && ln -s ../../../elsewhere.csv contacts/001/100000.csv &&
	test_expect_code 65 crm-customer contact list 2>err &&
	grep_q "symbolic links are refused" err &&
	rm contacts/001/100000.csv && rmdir contacts/001
'

test_expect_success 'no shell is ever invoked: no system() or popen() in the sources' '
	! grep -rnE "\b(system|popen|execl|execv|execvp)\s*\(" "$TEST_SRC/src"
'

test_done
