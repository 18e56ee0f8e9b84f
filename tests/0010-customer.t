#!/bin/sh
# crm-customer add, show, list, set, import, export: one commit per command.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'add prints the new id; owner defaults to the acting user' '
	new_store s &&
	crm-customer add 北京用友科技有限公司 phone=010-62345678 region=北京 grade=A >id &&
	test "$(cat id)" = C000001 &&
	crm-customer show -o csv C000001 >out &&
	grep_q "^C000001,北京用友科技有限公司,010-62345678,北京,,A,alice,,active,n/30,," out &&
	git log -1 --format=%an%n%s%n%b >msg &&
	grep_q "^Alice Test$" msg && grep_q "crm-customer add C000001" msg &&
	grep_q "^\\$ crm-customer add" msg &&
	store_clean
'

test_expect_success 'ids follow one another and are never reused' '
	cd s &&
	crm-customer add "Acme Trading" owner=bob grade=C >id && test "$(cat id)" = C000002 &&
	crm-customer add "Beta Tools" owner= >id && test "$(cat id)" = C000003 &&
	crm-customer show -o csv C000003 | grep -q ",pool,"
'

test_expect_success 'list: CSV in a pipe with every field, a table with -o table' '
	cd s &&
	crm-customer list >out &&
	head -1 out | grep -q "^id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,currency,created,updated,tags,note$" &&
	test "$(wc -l <out)" = 4 &&
	crm-customer list -o table >out &&
	head -1 out | grep -q "^id  *name  *phone  *region  *grade  *owner  *status$" &&
	grep -q "^C000001  北京用友科技有限公司  010-62345678  北京    A      alice  active$" out
'

test_expect_success 'list filters: = != ~ < > <= >= and json, tsv, --fields' '
	cd s &&
	crm-customer list -o csv --fields id region=北京 "name~科技" >out &&
	printf "id\nC000001\n" >expect && test_cmp expect out &&
	crm-customer list -o csv --fields id "grade!=A" >out &&
	printf "id\nC000002\nC000003\n" >expect && test_cmp expect out &&
	crm-customer list -o csv --fields id "grade>B" >out &&
	printf "id\nC000002\n" >expect && test_cmp expect out &&
	crm-customer list -o json --fields id,name owner=bob >out &&
	printf "{\"id\":\"C000002\",\"name\":\"Acme Trading\"}\n" >expect && test_cmp expect out &&
	crm-customer list -o tsv --fields id,owner owner=bob >out &&
	printf "id\towner\nC000002\tbob\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-customer list owner=nobody >out &&
	test_expect_code 2 crm-customer list colour=red 2>err && grep_q "no such field" err &&
	test_expect_code 2 crm-customer list --fields colour 2>err
'

test_expect_success 'set: several ids and fields, one commit' '
	cd s &&
	before=$(commits) &&
	crm-customer set C000002 C000003 grade=B credit_limit=5000 &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id,grade,credit_limit "grade=B" >out &&
	printf "id,grade,credit_limit\nC000002,B,5000.00\nC000003,B,5000.00\n" >expect && test_cmp expect out &&
	git log -1 --format=%s | grep -q "set grade=B (and 1 more) on 2 customers"
'

test_expect_success 'set -: ids on stdin, or the records list prints (the pipeline), one commit' '
	cd s &&
	before=$(commits) &&
	crm-customer list grade=B -o csv | crm-customer set - grade=C &&
	test "$(commits)" = $((before + 1)) &&
	test "$(crm-customer list grade=C -o csv | wc -l)" = 3 &&
	printf "C000001\n\nC000002\n" | crm-customer set - tags=vip &&
	test "$(crm-customer list tags=vip -o csv | wc -l)" = 3 &&
	printf "id,note\nC000001,from a file\n" | crm-customer set - &&
	crm-customer show -o csv C000001 | grep -q ",from a file$"
'

test_expect_success 'set refuses unknown ids (1), kept and unknown fields, bad values (65); nothing written' '
	cd s &&
	before=$(commits) &&
	test_expect_code 1 crm-customer set C000001 C000099 grade=A 2>err && grep_q "no customer .C000099." err &&
	test_expect_code 65 crm-customer set C000001 id=C9 2>err && grep_q "argument: id: kept by crm" err &&
	test_expect_code 65 crm-customer set C000001 colour=red 2>err && grep_q "argument: colour: no such field" err &&
	test_expect_code 65 crm-customer set C000001 grade=E 2>err && grep_q "argument: grade: not one of A,B,C,D .E." err &&
	test_expect_code 65 crm-customer set C000001 credit_limit=12.345 2>err && grep_q "argument: credit_limit: too many decimal places" err &&
	test_expect_code 65 crm-customer set C000001 credit_limit=1e3 2>err &&
	test_expect_code 65 crm-customer set C000001 credit_limit=1,234.50 2>err &&
	test_expect_code 65 crm-customer set C000001 credit_limit=nan 2>err &&
	test_expect_code 65 crm-customer set C000001 credit_limit=99999999999999999999 2>err && grep_q "too large" err &&
	test_expect_code 65 crm-customer set ../x grade=A 2>err && grep_q "argument: id:" err &&
	test_expect_code 65 crm-customer set a/b grade=A 2>err &&
	test_expect_code 2 crm-customer set C000001 2>err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success 'import: upsert by id, new ids minted, one commit' '
	cd s &&
	before=$(commits) &&
	printf "id,name,grade,phone\nC000001,北京用友科技有限公司,B,010-62345678\n,Gamma Foods,D,13900000001\n,Delta Ltd,C,\n" >in.csv &&
	crm-customer import in.csv 2>err &&
	grep_q "2 added, 1 updated" err &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer show -o csv C000005 | grep -q "^C000005,Delta Ltd," &&
	crm-customer show -o csv C000001 | grep -q ",B,alice," &&
	crm-customer list -o csv | crm-customer import - 2>err && grep_q "0 added, 5 updated" err
'

test_expect_success 'import is all or nothing; errors name the file and physical line' '
	cd s &&
	before=$(commits) &&
	printf "name,grade\nGood One,A\r\n\r\nBad One,E\n" >bad.csv &&
	test_expect_code 65 crm-customer import bad.csv 2>err &&
	grep_q "^crm-customer: bad.csv:4: grade: not one of A,B,C,D .E.$" err &&
	test_expect_code 1 crm-customer list name="Good One" &&
	test "$(commits)" = $before && store_clean &&
	test_expect_code 66 crm-customer import missing.csv 2>err && grep_q "cannot open .missing.csv." err
'

test_expect_success 'export neutralises cells a spreadsheet would run' '
	cd s &&
	crm-customer set C000004 note="=HYPERLINK(\"x\")" tags=@x &&
	crm-customer export -o csv --fields id,note,tags id=C000004 >out &&
	grep_q "^C000004,\"'"'"'=HYPERLINK(\"\"x\"\")\",'"'"'@x$" out &&
	crm-customer list -o csv --fields id,note id=C000004 >out &&
	grep_q "^C000004,\"=HYPERLINK" out
'

test_expect_success 'dry run: -n prints what would change and commits nothing' '
	cd s &&
	before=$(commits) &&
	crm-customer -n set C000001 grade=D >out &&
	grep_q "would commit: set grade=D on C000001" out &&
	grep_q "would change customers/000/000000.csv" out &&
	crm-customer -n add Zeta >out && grep_q "would create\|would change" out &&
	test "$(commits)" = $before && store_clean
'

test_expect_success '-m adds to the commit message; --at refuses to write' '
	cd s &&
	crm-customer -m "customer asked by phone" set C000001 grade=A &&
	git log -1 --format=%b | grep -q "customer asked by phone" &&
	test_expect_code 2 crm-customer set --at HEAD~1 C000001 grade=B 2>err
'

test_done
