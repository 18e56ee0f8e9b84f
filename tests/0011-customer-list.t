#!/bin/sh
# crm-customer list and show: typed filters joined by AND, output formats, --fields.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup: four customers by import' '
	new_store s &&
	printf "%s\n" "name,phone,region,grade,owner,credit_limit,created,tags" \
		"北京用友科技有限公司,010-62345678,北京,A,alice,1000,2026-01-15,vip" \
		"Acme Trading,021-555,上海,B,bob,900,2025-12-31," \
		"beta tools,,广东,C,bob,10000.5,2026-03-01,\"a,b\"" \
		"Zeta,,,,,,2026-02-01," >in.csv &&
	crm-customer import in.csv 2>err &&
	grep_q "4 added, 0 updated" err
'

# ids FILTER...: the ids list prints for the filters, one per line.
ids() {
	crm-customer list -o csv --fields id "$@" | tail -n +2 | tr "\n" " "
}

test_expect_success 'in a pipe: CSV with a header and every field, in id order' '
	cd s &&
	crm-customer list >out &&
	head -1 out >hdr &&
	echo "id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,currency,created,updated,tags,note" >expect &&
	test_cmp expect hdr &&
	test "$(wc -l <out)" = 5 &&
	cut -d, -f1 out | tail -n +2 | tr "\n" " " >got &&
	test "$(cat got)" = "C000001 C000002 C000003 C000004 " &&
	grep_q "^C000003,beta tools,,广东,,C,bob,,active,,10000.50,,2026-03-01,.*,\"a,b\",$" out
'

test_expect_success 'field=value and field!=value are exact (case counts)' '
	cd s &&
	test "$(ids owner=bob)" = "C000002 C000003 " &&
	test "$(ids owner!=bob)" = "C000001 C000004 " &&
	test "$(ids region=北京)" = "C000001 " &&
	test "$(ids "name=Acme Trading")" = "C000002 " &&
	test_expect_code 1 crm-customer list "name=acme trading" >out &&
	test "$(ids grade=)" = "C000004 " &&
	test "$(ids grade!=)" = "C000001 C000002 C000003 "
'

test_expect_success 'field~REGEX: PCRE2 over UTF-8, anchors and (?i)' '
	cd s &&
	test "$(ids "name~科技")" = "C000001 " &&
	test "$(ids "name~^北京.{4}有限")" = "C000001 " &&
	test "$(ids "name~(?i)^ACME")" = "C000002 " &&
	test "$(ids "name~^[a-z]")" = "C000003 " &&
	test "$(ids "phone~^0[12]")" = "C000001 C000002 " &&
	test "$(ids "tags~,")" = "C000003 "
'

test_expect_success 'money compares as money, not as text' '
	cd s &&
	test "$(ids "credit_limit>900")" = "C000001 C000003 " &&
	test "$(ids "credit_limit>=900")" = "C000001 C000002 C000003 " &&
	test "$(ids "credit_limit<9999")" = "C000001 C000002 " &&
	test "$(ids "credit_limit<=1000.00")" = "C000001 C000002 " &&
	test "$(ids "credit_limit=10000.50")" = "C000003 " &&
	test "$(ids "credit_limit=1000")" = "C000001 "
'

test_expect_success 'dates compare as dates; an empty value never compares' '
	cd s &&
	test "$(ids "created<2026-01-01")" = "C000002 " &&
	test "$(ids "created>=2026-01-15" "created<=2026-02-01")" = "C000001 C000004 " &&
	test "$(ids "created>2026-02-28")" = "C000003 "
'

test_expect_success 'enums and text compare in order; terms are joined by AND' '
	cd s &&
	test "$(ids "grade>=B")" = "C000002 C000003 " &&
	test "$(ids "name<Z")" = "C000002 " &&
	test "$(ids owner=bob "grade>A" "credit_limit>1000")" = "C000003 " &&
	test_expect_code 1 crm-customer list owner=bob region=北京 >out &&
	printf "id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,currency,created,updated,tags,note\n" >expect &&
	test_cmp expect out
'

test_expect_success '-o json: one object per line, the fields asked for, escapes' '
	cd s &&
	crm-customer list -o json --fields id,name,tags owner=bob >out &&
	printf "%s\n" "{\"id\":\"C000002\",\"name\":\"Acme Trading\",\"tags\":\"\"}" \
		"{\"id\":\"C000003\",\"name\":\"beta tools\",\"tags\":\"a,b\"}" >expect &&
	test_cmp expect out &&
	test_expect_code 1 crm-customer list -o json owner=nobody >out &&
	test ! -s out
'

test_expect_success '-o tsv and -o csv quote only what needs it' '
	cd s &&
	crm-customer list -o tsv --fields id,tags,region owner=bob >out &&
	printf "id\ttags\tregion\nC000002\t\t上海\nC000003\ta,b\t广东\n" >expect && test_cmp expect out &&
	crm-customer list -o csv --fields tags,id owner=bob >out &&
	printf "tags,id\n,C000002\n\"a,b\",C000003\n" >expect && test_cmp expect out
'

test_expect_success '-o table: brief columns aligned, CJK counted two columns wide' '
	cd s &&
	crm-customer list -o table >out &&
	printf "%s\n" \
		"id       name                  phone         region  grade  owner  status" \
		"C000001  北京用友科技有限公司  010-62345678  北京    A      alice  active" \
		"C000002  Acme Trading          021-555       上海    B      bob    active" \
		"C000003  beta tools                          广东    C      bob    active" \
		"C000004  Zeta                                                      pool" >expect &&
	test_cmp expect out
'

test_expect_success '--fields picks and orders columns in every format' '
	cd s &&
	crm-customer list -o csv --fields owner,id "grade=A" >out &&
	printf "owner,id\nalice,C000001\n" >expect && test_cmp expect out &&
	crm-customer list -o table --fields id,credit_limit "grade=A" >out &&
	printf "id       credit_limit\nC000001  1000.00\n" >expect && test_cmp expect out
'

test_expect_success 'show ID: one record, csv or table; 1 when unknown' '
	cd s &&
	crm-customer show -o csv --fields id,name,owner C000002 >out &&
	printf "id,name,owner\nC000002,Acme Trading,bob\n" >expect && test_cmp expect out &&
	crm-customer show -o table C000001 >out &&
	grep_q "^name  *北京用友科技有限公司$" out &&
	grep_q "^credit_limit  *1000.00$" out &&
	grep_q "^contacts:$" out &&
	test_expect_code 1 crm-customer show C000099 2>err &&
	grep_q "^crm-customer: no customer .C000099.$" err &&
	test_expect_code 2 crm-customer show 2>err &&
	test_expect_code 2 crm-customer show C000001 C000002 2>err
'

test_expect_success 'refusals: unknown field is usage (2); a value not of the type is 65' '
	cd s &&
	test_expect_code 2 crm-customer list colour=red 2>err &&
	grep_q "colour" err && grep_q "no such field" err &&
	test_expect_code 2 crm-customer list --fields id,colour 2>err &&
	grep_q "^crm-customer: --fields: .colour.: no such field in customers$" err &&
	test_expect_code 65 crm-customer list "credit_limit>abc" 2>err &&
	grep_q "^crm-customer: argument: credit_limit: .abc. is not a value" err &&
	test_expect_code 65 crm-customer list "credit_limit<1e3" 2>err &&
	grep_q "^crm-customer: argument: credit_limit:" err &&
	test_expect_code 65 crm-customer list "created<2026-02-30" 2>err &&
	grep_q "^crm-customer: argument: created: .2026-02-30." err &&
	test_expect_code 65 crm-customer list "name~[" 2>err &&
	grep_q "^crm-customer: argument: name: bad regular expression" err &&
	test_expect_code 2 crm-customer list -o yaml 2>err &&
	grep_q "table, csv, excel, tsv or json" err &&
	store_clean
'

test_expect_success 'a reader never changes the store' '
	cd s &&
	before=$(commits) &&
	crm-customer list >/dev/null && crm-customer list -o json owner=bob >/dev/null &&
	crm-customer show C000001 >/dev/null &&
	test "$(commits)" = $before && store_clean
'

test_done
