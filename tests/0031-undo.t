#!/bin/sh
# crm undo: reverse a change record by record, as a new commit.
. "${0%/*}/lib.sh"

test_expect_success 'setup' '
	new_store s &&
	for n in Acme Beta Gamma Delta; do crm-customer add $n owner=bob grade=C >/dev/null || exit 1; done
'

test_expect_success 'a bulk edit undone in one commit' '
	cd s &&
	crm-customer list grade=C -o csv | crm-customer set - grade=D &&
	test "$(crm-customer list grade=D -o csv | wc -l)" = 5 &&
	before=$(commits) &&
	crm undo &&
	test "$(commits)" = $((before + 1)) &&
	test "$(crm-customer list grade=C -o csv | wc -l)" = 5 &&
	git log -1 --format=%s >msg && grep_q "^crm undo [0-9a-f]* (crm-customer set grade=D" msg &&
	store_clean
'

test_expect_success 'undo an older commit while later ones changed other records of the same shard' '
	cd s &&
	crm-customer set C000001 grade=A &&
	old=$(git rev-parse HEAD) &&
	crm-customer set C000002 grade=B &&
	crm-customer set C000001 owner=carol &&
	crm undo $old &&
	crm-customer show -o csv C000001 >out &&
	grep_q "^C000001,Acme,.*,C,carol," out &&
	crm-customer show -o csv C000002 >out &&
	grep_q ",B,bob," out
'

test_expect_success 'undo refuses when a later commit changed the same field, naming it' '
	cd s &&
	crm-customer set C000003 grade=A &&
	old=$(git rev-parse HEAD) &&
	crm-customer set C000003 grade=B &&
	before=$(commits) &&
	test_expect_code 65 crm undo $old 2>err &&
	grep_q "C000003: grade changed by a later commit" err &&
	test "$(commits)" = $before &&
	store_clean
'

test_expect_success 'undo of an add removes the record' '
	cd s &&
	crm-customer add Epsilon owner=bob >/dev/null &&
	crm undo &&
	test_expect_code 1 crm-customer show C000005 2>err
'

test_expect_success 'undo -n shows what would change and commits nothing' '
	cd s &&
	crm-customer set C000004 grade=A &&
	before=$(commits) &&
	crm undo -n >out &&
	grep_q "^C000004,grade,A,C$" out &&
	grep_q "would commit" out &&
	test "$(commits)" = $before &&
	store_clean
'

test_expect_success 'undo of the first commit, or of an unknown revision: exit 1' '
	cd s &&
	test_expect_code 1 crm undo $(git rev-list --max-parents=0 HEAD) 2>err &&
	grep_q "first commit" err &&
	test_expect_code 1 crm undo deadbeef 2>err &&
	grep_q "unknown revision" err
'

test_done
