#!/bin/sh
# crm-customer add: the new id on stdout, one commit, the anti-collision check (撞单).
. "${0%/*}/lib.sh"
today=$(date +%F)

test_expect_success 'add prints the new id and makes exactly one commit' '
	new_store s &&
	before=$(commits) &&
	crm-customer add "Acme Trading" phone=021-5555-0101 region=上海 grade=B >out 2>err &&
	printf "C000001\n" >expect && test_cmp expect out &&
	test ! -s err &&
	test "$(commits)" = $((before + 1)) &&
	store_clean
'

test_expect_success 'the record: owner from the git identity, terms from crm.conf, dates today' '
	cd s &&
	crm-customer show -o csv C000001 >out &&
	printf "%s\n" "id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,currency,created,updated,tags,note" \
		"C000001,Acme Trading,021-5555-0101,上海,,B,alice,,active,n/30,,,$today,$today,," >expect &&
	test_cmp expect out &&
	grep_q "^C000001,Acme Trading," customers/000/000000.csv
'

test_expect_success 'the commit: author, subject with id and name, the command line' '
	cd s &&
	git log -1 --format=%an%n%ae >out &&
	printf "Alice Test\nalice@example.com\n" >expect && test_cmp expect out &&
	git log -1 --format=%s >out &&
	grep_q "add C000001 Acme Trading" out &&
	git log -1 --format=%b >out &&
	grep_q "^\\$ crm-customer add .*grade=B" out &&
	git show --stat --format= HEAD >out &&
	grep_q "customers/000/000000.csv" out
'

test_expect_success 'CRM_USER is the owner; every field given is kept; ids follow on' '
	cd s &&
	CRM_USER=bob crm-customer add "Beta Tools" industry=tools source=fair credit_limit=1234.5 tags=vip,new "note=a, \"quoted\" note" >out &&
	test "$(cat out)" = C000002 &&
	crm-customer show -o csv C000002 >out &&
	grep_q "^C000002,Beta Tools,,,tools,,bob,fair,active,n/30,1234.50,,$today,$today,\"vip,new\",\"a, \"\"quoted\"\" note\"$" out
'

test_expect_success 'owner= leaves the customer in the pool; owner=x makes it x'"'"'s' '
	cd s &&
	crm-customer add "Gamma Foods" owner= >out && test "$(cat out)" = C000003 &&
	crm-customer show -o csv --fields owner,status C000003 >out &&
	printf "owner,status\n,pool\n" >expect && test_cmp expect out &&
	crm-customer add "Delta Ltd" owner=carol grade=D >out && test "$(cat out)" = C000004 &&
	crm-customer show -o csv --fields owner,status,grade C000004 >out &&
	printf "owner,status,grade\ncarol,active,D\n" >expect && test_cmp expect out
'

test_expect_success 'a name with a line break, a tab and a backslash stays one line in the file' '
	cd s &&
	crm-customer add "$(printf "Two\nLines\tand \\\\ one")" >id &&
	test "$(cat id)" = C000005 &&
	grep_q "^C000005,Two\\\\nLines	and \\\\\\\\ one," customers/000/000000.csv &&
	test "$(wc -l <customers/000/000000.csv)" = 6 &&
	crm-customer list -o json --fields name id=C000005 >out &&
	printf "%s\n" "{\"name\":\"Two\\nLines\\tand \\\\ one\"}" >expect && test_cmp expect out
'

test_expect_success 'add refusals: no name is usage (2), nothing committed' '
	cd s &&
	before=$(commits) &&
	test_expect_code 2 crm-customer add 2>err && grep_q "^crm-customer: add: a name is needed" err &&
	test_expect_code 2 crm-customer add "" 2>err && grep_q "a name is needed" err &&
	test_expect_code 2 crm-customer add --at HEAD X 2>err && grep_q "cannot write" err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success 'add refusals: bad fields are 65 as argument: FIELD: message' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-customer add X colour=red 2>err &&
	grep_q "^crm-customer: argument: colour: no such field in customers$" err &&
	test_expect_code 65 crm-customer add X id=C000100 2>err &&
	grep_q "^crm-customer: argument: id: kept by crm; cannot be set$" err &&
	test_expect_code 65 crm-customer add X created=2026-01-01 2>err &&
	grep_q "^crm-customer: argument: created: kept by crm" err &&
	test_expect_code 65 crm-customer add X grade=E 2>err &&
	grep_q "^crm-customer: argument: grade: not one of A,B,C,D .E.$" err &&
	test_expect_code 65 crm-customer add X status=gone 2>err &&
	grep_q "^crm-customer: argument: status: not one of active,pool,archived .gone.$" err &&
	test_expect_code 65 crm-customer add X credit_limit=12.345 2>err &&
	grep_q "^crm-customer: argument: credit_limit: too many decimal places" err &&
	test_expect_code 65 crm-customer add X name= 2>err &&
	grep_q "^crm-customer: argument: name: must not be empty" err &&
	test_expect_code 65 crm-customer add "$(printf "Bad\377Name")" 2>err &&
	grep_q "^crm-customer: argument: name: invalid UTF-8" err &&
	test_expect_code 65 crm-customer add X "note=$(printf "\300\200")" 2>err &&
	grep_q "^crm-customer: argument: note: invalid UTF-8" err &&
	test "$(commits)" = $before && store_clean &&
	crm-customer list -o csv >/dev/null
'

test_expect_success 'dry run: -n says what it would do and commits nothing' '
	cd s &&
	before=$(commits) &&
	crm-customer -n add "Epsilon Co" >out 2>err &&
	grep_q "customers/000/000000.csv" out &&
	test "$(commits)" = $before && store_clean &&
	test_expect_code 1 crm-customer list "name=Epsilon Co"
'

test_expect_success '-m adds a line to the commit message' '
	cd s &&
	crm-customer -m "met at the Canton fair" add "Zeta Works" >/dev/null &&
	git log -1 --format=%B >msg &&
	grep_q "met at the Canton fair" msg && grep_q "add C00000. Zeta Works" msg
'

# Anti-collision: bob owns Acme-like names and a phone; alice is the one adding.
test_expect_success 'collision setup: bob owns a Chinese company and a Latin one' '
	new_store c &&
	CRM_USER=bob crm-customer add 北京用友科技有限公司 phone=010-62345678 >/dev/null &&
	CRM_USER=bob crm-customer add "Pacific Trading Co., Ltd." phone=13800138000 >/dev/null &&
	test "$(commits)" = 3
'

# collides NAME [field=value...]: refused with 65, naming C000001 or C000002 and bob.
collides() {
	before=$(commits) &&
	test_expect_code 65 crm-customer add "$@" 2>err &&
	grep_q "^crm-customer: .* is already a customer: C00000[12] .*. owned by bob (same [a-z]*); --force adds it anyway$" err &&
	test "$(commits)" = $before &&
	store_clean
}

test_expect_success 'refused: the same name, told by name and owner' '
	cd c && CRM_USER=alice && export CRM_USER &&
	collides 北京用友科技有限公司 &&
	grep_q "C000001 .北京用友科技有限公司. owned by bob (same name)" err
'

test_expect_success 'refused: folded case, full width, spaces and punctuation' '
	cd c && CRM_USER=alice && export CRM_USER &&
	collides "PACIFIC TRADING" && grep_q "C000002 .Pacific Trading Co., Ltd.. owned by bob (same name)" err &&
	collides "pacific-trading" &&
	collides "Ｐａｃｉｆｉｃ　Ｔｒａｄｉｎｇ" &&
	collides "  Pacific   Trading. " &&
	collides "北京 用友·科技"
'

test_expect_success 'refused: company suffixes folded (有限公司, Co., Ltd., Ltd, Inc.)' '
	cd c && CRM_USER=alice && export CRM_USER &&
	collides 北京用友科技 && grep_q "(same name)" err &&
	collides "北京用友科技股份有限公司" &&
	collides "Pacific Trading Ltd" &&
	collides "Pacific Trading Co.,Ltd" &&
	collides "Pacific Trading Inc."
'

test_expect_success 'refused: the same phone digits, however written' '
	cd c && CRM_USER=alice && export CRM_USER &&
	collides "Some Other Name" phone="+86 10 6234 5678" &&
	grep_q "C000001 .北京用友科技有限公司. owned by bob (same phone)" err &&
	collides "Yet Another" phone=138-0013-8000 &&
	grep_q "C000002 .* owned by bob (same phone)" err &&
	collides "Third" phone="(138) 0013 8000"
'

test_expect_success 'not refused: a different name, or a word that only starts the same' '
	cd c && CRM_USER=alice && export CRM_USER &&
	crm-customer add "Pacific Tradingpost" >out 2>err && test "$(cat out)" = C000003 && test ! -s err &&
	crm-customer add 北京用友软件 >out && test "$(cat out)" = C000004
'

test_expect_success '--force adds it anyway; the commit says the check was overridden' '
	cd c && CRM_USER=alice && export CRM_USER &&
	before=$(commits) &&
	crm-customer add --force "PACIFIC TRADING" >out &&
	test "$(cat out)" = C000005 &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	grep_q "add C000005 PACIFIC TRADING (--force: anti-collision check overridden)" msg &&
	git log -1 --format=%b >msg && grep_q "\\$ crm-customer --force add .PACIFIC TRADING.$" msg &&
	store_clean
'

test_expect_success 'the same owner may add a look-alike: added, with a note on stderr' '
	cd c &&
	CRM_USER=bob crm-customer add "北京用友科技" >out 2>err &&
	test "$(cat out)" = C000006 &&
	grep_q "^crm-customer: note: 1 customer(s) of the same owner" err
'

test_expect_success 'archived and unowned customers do not block an add' '
	cd c &&
	CRM_USER=carol crm-customer add "Harbour Freight" phone=020-1111-2222 >/dev/null &&
	crm-customer archive C000007 &&
	CRM_USER=alice crm-customer add "HARBOUR FREIGHT" phone=02011112222 >out 2>err &&
	test "$(cat out)" = C000008 &&
	CRM_USER=carol crm-customer add "Pool Thing" owner= >/dev/null &&
	CRM_USER=alice crm-customer add "pool thing" >out 2>err &&
	test "$(cat out)" = C000010 &&
	store_clean
'

test_done
