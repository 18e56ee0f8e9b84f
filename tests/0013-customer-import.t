#!/bin/sh
# crm-customer import: upsert by id, new ids minted, all or nothing, one commit.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER
today=$(date +%F)

test_expect_success 'import of new records: ids minted in order, one commit, a count on stderr' '
	new_store s &&
	before=$(commits) &&
	printf "%s\n" "name,phone,grade,owner,credit_limit" "Acme,021-1,A,bob,100" "Beta,,B,,2.5" "Gamma,,,carol," >in.csv &&
	crm-customer import in.csv >out 2>err &&
	test ! -s out &&
	printf "crm-customer: 3 added, 0 updated\n" >expect && test_cmp expect err &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id,name,owner,status,credit_limit,created >out &&
	printf "%s\n" id,name,owner,status,credit_limit,created "C000001,Acme,bob,active,100.00,$today" \
		"C000002,Beta,,pool,2.50,$today" "C000003,Gamma,carol,active,,$today" >expect &&
	test_cmp expect out &&
	git log -1 --format=%s | grep -q "import 3 added, 0 updated" &&
	git log -1 --format=%b | grep -q "^\\$ crm-customer import in.csv" &&
	store_clean
'

test_expect_success 'upsert: rows with an id update, rows without one are added; absent columns kept' '
	cd s &&
	before=$(commits) &&
	printf "%s\n" "grade,id,name" "D,C000001,Acme Corp" ",,Delta" "C,C000003,Gamma" >up.csv &&
	crm-customer import up.csv 2>err &&
	grep_q "^crm-customer: 1 added, 2 updated$" err &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id,name,grade,owner,phone,credit_limit >out &&
	printf "%s\n" id,name,grade,owner,phone,credit_limit "C000001,Acme Corp,D,bob,021-1,100.00" \
		"C000002,Beta,B,,,2.50" "C000003,Gamma,C,carol,," "C000004,Delta,,,," >expect &&
	test_cmp expect out
'

test_expect_success 'an id the store does not have yet is created with that id; minting goes past it' '
	cd s &&
	printf "id,name\nC000100,Hundred\n" | crm-customer import - 2>err &&
	grep_q "1 added, 0 updated" err &&
	crm-customer show -o csv --fields id,name C000100 | grep -q "^C000100,Hundred$" &&
	crm-customer add Next >id && test "$(cat id)" = C000101
'

test_expect_success 'an update keeps created; the whole list round-trips through import' '
	cd s &&
	crm-customer list -o csv >all &&
	crm-customer list -o csv | crm-customer import - 2>err &&
	grep_q "0 added, 6 updated" err &&
	crm-customer list -o csv >again &&
	test_cmp all again
'

test_expect_success 'a big import spills into the next shard, still one commit' '
	cd s &&
	before=$(commits) &&
	{ echo name,grade; i=1; while [ $i -le 450 ]; do echo "Bulk $i,B"; i=$((i + 1)); done; } >bulk.csv &&
	crm-customer import bulk.csv 2>err &&
	grep_q "450 added, 0 updated" err &&
	test "$(commits)" = $((before + 1)) &&
	test -f customers/000/000500.csv &&
	head -1 customers/000/000500.csv | grep -q "^id,name," &&
	grep -q "^C000499,Bulk 398," customers/000/000000.csv &&
	grep -q "^C000500,Bulk 399," customers/000/000500.csv &&
	test "$(crm-customer list -o csv grade=B | wc -l)" = 452 &&
	git show --format= --name-only HEAD >files &&
	printf "customers/000/000000.csv\ncustomers/000/000500.csv\n" >expect && test_cmp expect files &&
	store_clean
'

# refused 'message regex' file: 65, nothing committed, nothing changed, tree clean.
refused() {
	before=$(commits) &&
	crm-customer list -o csv >state.before &&
	test_expect_code 65 crm-customer import "$2" 2>err &&
	grep_q "$1" err &&
	test "$(commits)" = $before &&
	crm-customer list -o csv >state.after &&
	test_cmp state.before state.after &&
	store_clean
}

test_expect_success 'all or nothing: one bad row in the middle, no row of the file is taken' '
	cd s &&
	printf "%s\n" "id,name,grade" "C000001,Changed,A" ",Brand New,B" "C000002,Beta,E" ",Later,C" >bad.csv &&
	refused "^crm-customer: bad.csv:4: grade: not one of A,B,C,D .E.$" bad.csv &&
	test_expect_code 1 crm-customer list "name=Brand New" >/dev/null
'

test_expect_success 'all or nothing: a bad row in the second shard keeps the first shard too' '
	cd s &&
	{ echo id,name,grade; echo "C000001,Changed,A"; echo "C000600,Far,Q"; } >bad2.csv &&
	refused "^crm-customer: bad2.csv:3: grade: not one of" bad2.csv
'

test_expect_success 'refused: the same id twice in one file, naming both lines' '
	cd s &&
	printf "id,name\nC000001,One\n\nC000001,Two\n" >twice.csv &&
	refused "^crm-customer: twice.csv:4: id: .C000001. given twice (first on line 2)$" twice.csv
'

test_expect_success 'refused: a new row without a name; a header without name is fine for updates' '
	cd s &&
	printf "id,grade\nC000002,A\n,C\n" >noname.csv &&
	refused "^crm-customer: noname.csv:3: name: must not be empty$" noname.csv &&
	printf "id,grade\nC000002,A\n" | crm-customer import - 2>err &&
	grep_q "0 added, 1 updated" err
'

test_expect_success 'kept fields of an existing record are not overwritten by import' '
	cd s &&
	printf "id,created,updated\nC000002,1999-01-01,1999-01-02\n" | crm-customer import - 2>/dev/null &&
	crm-customer show -o csv --fields created,updated C000002 >out &&
	printf "created,updated\n$today,$today\n" >expect && test_cmp expect out
'

test_expect_success 'missing input file: 66; too many operands: 2; --at: 2' '
	cd s &&
	before=$(commits) &&
	test_expect_code 66 crm-customer import nosuch.csv 2>err &&
	grep_q "^crm-customer: cannot open .nosuch.csv.: No such file or directory$" err &&
	test_expect_code 2 crm-customer import a.csv b.csv 2>err &&
	grep_q "one file" err &&
	test_expect_code 2 crm-customer import --at HEAD in.csv 2>err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success '-n: import says what would change and commits nothing' '
	cd s &&
	before=$(commits) &&
	printf "name\nDry Run Co\n" | crm-customer -n import - >out 2>err &&
	grep_q "would" out &&
	test "$(commits)" = $before && store_clean &&
	test_expect_code 1 crm-customer list "name=Dry Run Co" >/dev/null
'

# The progress line is for a person at a terminal: CRM_PROGRESS_AFTER=0 shows
# it from the first row instead of after a second, so a small import shows it.
test_expect_success 'import: no progress line when stderr is not a terminal' '
	cd s &&
	awk "BEGIN { print \"name,owner\"; for (i = 0; i < 3000; i++) printf \"Progress %d,bob\\n\", i }" >../many.csv &&
	CRM_PROGRESS_AFTER=0 crm-customer import ../many.csv 2>err &&
	printf "crm-customer: 3000 added, 0 updated\n" >expect && test_cmp expect err &&
	! grep -q "$(printf "\r")" err && store_clean
'

test_expect_success 'import: a progress line on a terminal, cleared at the end' '
	command -v script >/dev/null || { echo "script(1) is needed (Debian package util-linux)"; exit 1; }
	cd s &&
	sed "s/^Progress/Tty/" ../many.csv >../tty.csv &&
	CRM_PROGRESS_AFTER=0 script -qec "crm-customer import ../tty.csv" /dev/null >out </dev/null &&
	grep -q "imported 1,024 of 3,000" out &&
	grep -q "$(printf "\r\033\\[K")crm-customer: 3000 added, 0 updated" out &&
	test "$(crm-customer list "name~^Tty " | tail -n +2 | wc -l)" = 3000 && store_clean
'

test_done
