#!/bin/sh
# crm init: a store is a git repository with crm.conf, tables and one commit.
. "${0%/*}/lib.sh"

test_expect_success 'init makes a store with one commit' '
	crm init s1 >out &&
	grep_q "initialised" out &&
	test -f s1/crm.conf &&
	test -f s1/customers/000/000000.csv &&
	(cd s1 && test "$(commits)" = 1 && store_clean)
'

test_expect_success 'init refuses an existing store (73)' '
	test_expect_code 73 crm init s1 2>err &&
	grep_q "crm store already" err
'

test_expect_success 'commands find the store upward, by -C and by CRM_DIR' '
	mkdir -p s1/deep/er &&
	(cd s1/deep/er && crm-customer list >/dev/null; test $? = 1) &&
	(crm-customer -C s1 list >/dev/null; test $? = 1) &&
	(CRM_DIR=s1 crm-customer list >/dev/null; test $? = 1)
'

test_expect_success 'outside a store: 66 and a clear message' '
	mkdir nowhere && cd nowhere &&
	test_expect_code 66 crm-customer list 2>err &&
	grep_q "not in a crm store" err
'

test_expect_success 'usage errors exit 2; --help and --version exit 0' '
	test_expect_code 2 crm-customer 2>err &&
	grep_q "usage:" err &&
	test_expect_code 2 crm-customer frobnicate 2>err &&
	test_expect_code 2 crm-customer list --bogus 2>err &&
	crm-customer --help >out && grep_q "usage: crm-customer" out &&
	crm-customer --version >out && grep_q "crm" out
'

test_done
