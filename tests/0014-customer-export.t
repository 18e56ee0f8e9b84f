#!/bin/sh
# crm-customer export: CSV for spreadsheets; cells a spreadsheet would run are neutralised.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup: values that start with = + - @, TAB and CR' '
	new_store s &&
	crm-customer add "=HYPERLINK(\"http://evil\",\"x\")" phone="+86 10 1234" >/dev/null &&
	crm-customer add "Plain Co" tags=-2+3 "note=@SUM(A1:A9)" industry=tools >/dev/null &&
	crm-customer add "$(printf "\tTabbed")" "note=$(printf "\rcmd")" credit_limit=-100 >/dev/null &&
	crm-customer add "Safe, Ltd" "note=a = b" "tags=x@y" >/dev/null
'

test_expect_success 'export: CSV with a header; leading = + - @ TAB CR get a quote mark' '
	cd s &&
	crm-customer export --fields id,name,phone,tags,note,credit_limit >out 2>err &&
	test ! -s err &&
	printf "%s\n" "id,name,phone,tags,note,credit_limit" \
		"C000001,\"'"'"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",'"'"'+86 10 1234,,," \
		"C000002,Plain Co,,'"'"'-2+3,'"'"'@SUM(A1:A9)," \
		"C000003,'"'"'	Tabbed,,,'"'"'\\rcmd,'"'"'-100.00" \
		"C000004,\"Safe, Ltd\",,x@y,a = b," >expect &&
	test_cmp expect out
'

test_expect_success 'only the first character counts; safe cells are left alone' '
	cd s &&
	crm-customer export --fields id,name,tags,note id=C000004 >out &&
	printf "id,name,tags,note\nC000004,\"Safe, Ltd\",x@y,a = b\n" >expect && test_cmp expect out &&
	crm-customer export --fields industry id=C000002 >out &&
	printf "industry\ntools\n" >expect && test_cmp expect out
'

test_expect_success 'list is not export: it prints values as they are (a pipe back into set must round-trip)' '
	cd s &&
	crm-customer list -o csv --fields id,tags,note id=C000002 >out &&
	printf "id,tags,note\nC000002,-2+3,@SUM(A1:A9)\n" >expect && test_cmp expect out &&
	crm-customer list -o json --fields name id=C000001 >out &&
	printf "%s\n" "{\"name\":\"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\"}" >expect && test_cmp expect out
'

test_expect_success 'the store keeps the values as typed (neutralising is only on export)' '
	cd s &&
	grep_q "^C000002,Plain Co,,,tools,,alice,,active,n/30,,.*,-2+3,@SUM(A1:A9)$" customers/000/000000.csv
'

test_expect_success 'export takes filters like list; nothing matched is 1' '
	cd s &&
	crm-customer export --fields id "note~^@" >out &&
	printf "id\nC000002\n" >expect && test_cmp expect out &&
	crm-customer export --fields id "credit_limit<0" >out &&
	printf "id\nC000003\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-customer export grade=A >out &&
	test "$(wc -l <out)" = 1 &&
	test_expect_code 2 crm-customer export colour=red 2>err &&
	grep_q "colour" err
'

test_expect_success 'export every field; it reads, never writes' '
	cd s &&
	before=$(commits) &&
	crm-customer export >out &&
	head -1 out | grep -q "^id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,currency,created,updated,tags,note$" &&
	test "$(wc -l <out)" = 5 &&
	test "$(commits)" = $before && store_clean
'

test_done
