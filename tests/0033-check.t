#!/bin/sh
# crm check: every file against its schema, ids, references and git objects.
. "${0%/*}/lib.sh"

test_expect_success 'setup' '
	new_store s &&
	crm-customer add Acme owner=bob >/dev/null &&
	crm-customer contact add C000001 "Li Lei" >/dev/null
'

test_expect_success 'a good store checks clean' '
	cd s &&
	crm check >out &&
	grep_q "2 files, 2 records, 0 problems" out
'

test_expect_success 'hand-broken files: every problem named as file:line: field: message, exit 65' '
	cd s &&
	cp customers/000/000000.csv c.bak && cp contacts/000/000000.csv k.bak &&
	printf "\nC000002,Beta,,,,E,bob,,active,,,,2026-02-30,,,\nC000003,x\n" >>customers/000/000000.csv &&
	printf "P000002,C000077,Bob,,,,\nP000001,C000001,Dup,,,,\n" >>contacts/000/000000.csv &&
	test_expect_code 65 crm check 2>err >out &&
	grep_q "^crm: customers/000/000000.csv:4: grade: not one of A,B,C,D" err &&
	grep_q "^crm: customers/000/000000.csv:5: csv: 2 fields where the header has 16" err &&
	grep_q "^crm: contacts/000/000000.csv:3: customer: no customer .C000077." err &&
	grep_q "^crm: contacts/000/000000.csv:4: id: duplicate id .P000001." err &&
	grep_q "4 problems" out &&
	cp c.bak customers/000/000000.csv && cp k.bak contacts/000/000000.csv && rm c.bak k.bak
'

test_expect_success 'conflict markers, a zero-byte table and a misplaced record are found' '
	cd s &&
	printf "<<<<<<< HEAD\n" >>customers/000/000000.csv &&
	: >contacts/000/000000.csv &&
	mkdir -p customers/001 &&
	printf "id,name,status\nC000007,Seven,active\n" >customers/001/100000.csv &&
	test_expect_code 65 crm check 2>err &&
	grep_q "customers/000/000000.csv:3: csv: merge conflict marker" err &&
	grep_q "contacts/000/000000.csv: file: empty" err &&
	grep_q "customers/001/100000.csv:2: id: .C000007. belongs in customers/000/000000.csv" err &&
	git checkout -- . && rm -r customers/001
'

test_expect_success 'a corrupt object is reported, not hung on' '
	cd s &&
	obj=$(git rev-parse HEAD:customers/000/000000.csv) &&
	f=.git/objects/$(echo $obj | cut -c1-2)/$(echo $obj | cut -c3-) &&
	chmod u+w $f && head -c 20 $f >t && cp t $f && rm t &&
	test_expect_code 65 timeout 60 crm check 2>err &&
	grep_q "object $obj" err
'

test_expect_success '--quiet prints only problems; --install-hook writes a pre-commit hook' '
	new_store q &&
	crm check --quiet >out && test ! -s out &&
	crm check --install-hook >out &&
	test -x .git/hooks/pre-commit &&
	grep_q "crm check --quiet" .git/hooks/pre-commit &&
	test_expect_code 73 crm check --install-hook 2>err
'

test_done
