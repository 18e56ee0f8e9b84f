#!/bin/sh
# The fast paths of a scan (raw-line prefilter, whole-file checks) give the
# same answers as reading every record; and ids minted in clones never collide.
. "${0%/*}/lib.sh"

test_expect_success 'setup: values with quotes, commas, backslashes and line breaks' '
	new_store s &&
	crm-customer add "x\"y trading" owner=bob >/dev/null &&
	crm-customer add "Acme, Inc" owner=bob >/dev/null &&
	crm-customer add "back\\slash" owner=bob >/dev/null &&
	crm-customer add "$(printf "two\nlines")" owner=bob >/dev/null &&
	crm-customer add "plain wq" owner=bob >/dev/null
'

test_expect_success 'a regex finds values whose lines are quoted or escaped' '
	cd s &&
	crm-customer list -o csv --fields id "name~x.y" >out &&
	printf "id\nC000001\n" >expect && test_cmp expect out &&
	crm-customer list -o csv --fields id "name~Acme, I" >out &&
	printf "id\nC000002\n" >expect && test_cmp expect out &&
	crm-customer list -o csv --fields id "name~k.s" >out &&
	printf "id\nC000003\n" >expect && test_cmp expect out &&
	crm-customer list -o csv --fields id "name~o\\nl" >out &&
	printf "id\nC000004\n" >expect && test_cmp expect out
'

test_expect_success 'anchored patterns are matched on the field, not the line' '
	cd s &&
	crm-customer list -o csv --fields id "name~^plain" >out &&
	printf "id\nC000005\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-customer list "name~^C0000" >out
'

test_expect_success 'field=value and a regex together' '
	cd s &&
	crm-customer list -o csv --fields id owner=bob "name~^p" >out &&
	printf "id\nC000005\n" >expect && test_cmp expect out &&
	test_expect_code 1 crm-customer list owner=carol "name~x"
'

test_expect_success 'invalid UTF-8 on a line the filter passes over is still refused when read' '
	cd s &&
	printf "C000006,\\377bad,,,,,bob,,active,,,,,,\n" >>customers/000/000000.csv &&
	test_expect_code 65 crm-customer list >out 2>err &&
	grep_q "customers/000/000000.csv:7: csv: invalid UTF-8" err &&
	git checkout -- customers
'

test_expect_success 'an empty grade is not less than C: ordering skips empty values' '
	cd s &&
	crm-customer set C000001 grade=B &&
	crm-customer list -o csv --fields id "grade<C" >out &&
	printf "id\nC000001\n" >expect && test_cmp expect out
'

test_expect_success 'a clone mints ids with its own node code; merged, none collide' '
	git clone -q s c1 && git clone -q s c2 &&
	(cd c1 && crm-customer add "Clone One" owner=bob >../id1) &&
	(cd c2 && crm-customer add "Clone Two" owner=bob >../id2) &&
	(cd s && crm-customer add "Home" owner=bob >../id0) &&
	grep -q "^C000006-[A-Z2-9]\{4\}$" id1 &&
	grep -q "^C000006-[A-Z2-9]\{4\}$" id2 &&
	test "$(cat id0)" = C000006 &&
	test "$(cat id1)" != "$(cat id2)" &&
	(cd c1 && git config crm.node >../node1) &&
	(cd c1 && crm-customer add "Clone Three" owner=bob >../id3) &&
	grep -q "^C000007-$(cat node1)$" id3
'

# A list printing every field as CSV passes a line through as read when each
# value stands in it as crm writes it, quoted or not, and splices in an empty
# value for each column an older shard lacks: the bytes crm would write.
test_expect_success 'setup: a shard without two columns, values quoted or not as they need' '
	new_store w &&
	crm-customer add Plain owner=bob >/dev/null &&
	d=2026-01-02,2026-01-02 &&
	{ echo id,name,phone,region,grade,owner,source,status,terms,credit_limit,created,updated,tags,note &&
	  echo "C000001,\"Acme, Inc\",010-1,北京,A,bob,web,active,n/30,100.00,$d,\"a,b\"," &&
	  echo "C000002,\"Nova\",,上海,,bob,,active,,,$d,,=======x" &&
	  echo "C000003,Plain,,,,bob,,active,,,$d,\"\"," ; } >customers/000/000000.csv &&
	{ echo id,name,phone,region,industry,grade,owner,source,status,terms,credit_limit,currency,created,updated,tags,note &&
	  echo "C000001,\"Acme, Inc\",010-1,北京,,A,bob,web,active,n/30,100.00,,$d,\"a,b\"," &&
	  echo "C000002,Nova,,上海,,,bob,,active,,,,$d,,\"=======x\"" &&
	  echo "C000003,Plain,,,,,bob,,active,,,,$d,," ; } >../want
'

test_expect_success 'list: each line as crm writes it, whether passed through, spliced or rewritten' '
	cd w &&
	crm-customer list -o csv >out && test_cmp ../want out &&
	crm-customer list -o csv "name~." >out && test_cmp ../want out &&
	sed -n "1p;3p" ../want >want2 &&
	crm-customer list -o csv "name~^No" >out && test_cmp want2 out &&
	cp ../want customers/000/000000.csv &&
	sed -i "3s/\"=======x\"/=======x/" customers/000/000000.csv &&
	crm-customer list -o csv >out && test_cmp ../want out
'

test_expect_success 'list: a stray quote is still refused, named by its column' '
	cd w &&
	d=2026-01-02,2026-01-02 &&
	printf "C000004,Pl\"ain,,,,,bob,,active,,,,$d,,\n" >>customers/000/000000.csv &&
	test_expect_code 65 crm-customer list "name~a" 2>err &&
	grep_q "customers/000/000000.csv:5: csv: quote inside an unquoted field (column 11)" err &&
	sed -i "\$d" customers/000/000000.csv &&
	printf "C000004,\"Pl\"ain,,,,,bob,,active,,,,$d,,\n" >>customers/000/000000.csv &&
	test_expect_code 65 crm-customer list "name~a" 2>err &&
	grep_q "customers/000/000000.csv:5: csv: quote inside an unquoted field (column 13)" err
'

# Reports read a ledger's files on several threads (CRM_THREADS): the same
# figures with one thread or four, and a broken file named as a scan file by
# file would name it: the first in path order.
test_expect_success 'setup: invoices and receipts over six months, some values quoted' '
	new_store p &&
	crm-customer add "Acme, Inc" owner=bob terms=n/30 >/dev/null &&
	crm-customer add "Nova" owner=carol terms=2/10,n/30 >/dev/null &&
	for m in 06 07 08 09 10 11; do
		crm-ar invoice C000001 100$m.00 --date 2026-$m-03 --note "say \"hi\", \\\\ back" >/dev/null &&
		crm-ar invoice C000002 20$m.50 --date 2026-$m-05 >/dev/null &&
		crm-ar pay C000002 10.00 --date 2026-$m-20 >/dev/null || return 1
	done
'

test_expect_success 'aging and remind: the same with one thread and four' '
	cd p &&
	CRM_THREADS=1 crm-ar aging --as-of 2026-11-30 -o csv >one &&
	CRM_THREADS=4 crm-ar aging --as-of 2026-11-30 -o csv >four &&
	test_cmp one four &&
	grep -q "^C000001,\"Acme, Inc\",CNY," four &&
	CRM_THREADS=1 crm-ar aging --by owner --as-of 2026-11-30 -o csv >one &&
	CRM_THREADS=4 crm-ar aging --by owner --as-of 2026-11-30 -o csv >four &&
	test_cmp one four &&
	CRM_THREADS=1 crm-ar remind --within 40 -o csv >one &&
	CRM_THREADS=4 crm-ar remind --within 40 -o csv >four &&
	test_cmp one four
'

test_expect_success 'a bad line in two months: the earlier file is named, whatever the threads' '
	cd p &&
	sed -i "2s/,CNY,/,CNY,x/" invoices/2026-07/0001.csv &&
	sed -i "2s/,CNY,/,CNY,y/" invoices/2026-10/0001.csv &&
	for n in 1 2 4; do
		CRM_THREADS=$n test_expect_code 65 crm-ar aging --as-of 2026-06-30 >out 2>err &&
		grep_q "invoices/2026-07/0001.csv:2:" err || return 1
	done &&
	git checkout -- invoices
'

# Aging adds up open/ (what is open now) and takes back out the rows dated
# after --as-of: as of each month's end it must equal the aging the store
# gave at that month's last commit, when nothing after it had been written.
test_expect_success 'aging as of a past day: what the store said that day' '
	new_store q &&
	crm-customer add "Acme" owner=bob terms=n/30 >/dev/null &&
	crm-customer add "Nova" owner=carol terms=2/10,n/30 >/dev/null &&
	for m in 06 07 08 09 10 11; do
		crm-ar invoice C000001 100$m.00 --date 2026-$m-03 >/dev/null &&
		crm-ar invoice C000002 20$m.50 --date 2026-$m-05 >/dev/null &&
		crm-ar pay C000002 1000.00 --date 2026-$m-12 >/dev/null &&
		crm-ar pay C000001 5000.00 --date 2026-$m-20 >/dev/null || return 1
		case $m in
		08) crm-ar credit C000001 50.00 --reason returned --date 2026-08-25 >/dev/null ;;
		09) crm-ar pay C000002 9000.00 --date 2026-09-26 >/dev/null ;;
		esac || return 1
		git rev-parse HEAD >rev.$m || return 1
	done &&
	for m in 06 07 08 09 10 11; do
		for b in due invoice; do
			crm-ar aging --basis $b --as-of 2026-$m-28 --at "$(cat rev.$m)" -o csv >then &&
			crm-ar aging --basis $b --as-of 2026-$m-28 -o csv >now &&
			test_cmp then now || return 1
		done
	done &&
	crm-ar aging --as-of 2026-08-28 -o csv >aug &&
	grep -q "^C000001,Acme,CNY," aug &&
	test_expect_code 1 crm-ar aging --as-of 2026-05-31 -o csv >may &&
	! grep -q "^C0" may
'

# Aging buckets each invoice by what open/ says is open of it: crm check holds
# open/ to the ledgers document by document, not only per customer.
test_expect_success 'crm check: an amount moved between two open invoices of one customer is named' '
	cd q &&
	f=$(grep -l "^C000001@I202610-00001," open/*/*.csv) &&
	g=$(grep -l "^C000001@I202611-00001," open/*/*.csv) &&
	sed -i "s/^\(C000001@I202610-00001,.*\),10010.00,\$/\1,10009.00,/" "$f" &&
	sed -i "s/^\(C000001@I202611-00001,.*\),10011.00,\$/\1,10012.00,/" "$g" &&
	! git diff --quiet &&
	test_expect_code 65 crm check >out 2>&1 &&
	grep_q "open: I202610-00001: 10009.00 where the ledgers leave 10010.00" out &&
	grep_q "open: I202611-00001: 10012.00 where the ledgers leave 10011.00" out &&
	git checkout -- open &&
	grep -v "^C000001@I202609-00001," "$(grep -l "^C000001@I202609-00001," open/*/*.csv)" >o.tmp &&
	mv o.tmp "$(grep -l "^C000001@I202609-00001," open/*/*.csv)" &&
	test_expect_code 65 crm check >out 2>&1 &&
	grep_q "C000001@I202609-00001: the ledgers leave 9980.00 open, open/ has no line for it" out &&
	git checkout -- open && crm check >/dev/null
'

# A list over many files reads them on several threads and prints each
# file's rows in order: the same bytes as one thread, the same first error.
test_expect_success 'setup: 4,600 customers in ten files' '
	new_store big &&
	awk "BEGIN { print \"name,phone,region,grade,owner\"
		for (i = 1; i <= 4600; i++)
			printf \"\\\"Co %d, Ltd\\\",0%09d,%s,%s,u%d\\n\", i, i * 7, (i % 3 ? \"北京\" : \"上海\"), substr(\"ABC\", i % 3 + 1, 1), i % 5 }" >in.csv &&
	crm-customer import in.csv >/dev/null &&
	test "$(ls customers/*/*.csv | wc -l)" -ge 8
'

test_expect_success 'list: one thread and four print the same bytes, in order' '
	cd big &&
	for f in "name~^Co [0-9]*5," "region=北京" "phone~7\$" "grade=A"; do
		for o in csv tsv json; do
			CRM_THREADS=1 crm-customer list -o $o "$f" >one &&
			CRM_THREADS=4 crm-customer list -o $o "$f" >four &&
			test_cmp one four || return 1
		done
	done &&
	CRM_THREADS=4 crm-customer list -o csv --fields id region=上海 >four &&
	tail -n +2 four | sort -c &&
	test "$(wc -l <four)" = 1534
'

test_expect_success 'list: a bad record in two files, the first named with any threads' '
	cd big &&
	f1=$(ls customers/*/*.csv | sed -n 3p) && f2=$(ls customers/*/*.csv | sed -n 8p) &&
	sed -i "4s/,active,/,bogus,/" "$f1" && sed -i "6s/,active,/,bogus,/" "$f2" &&
	for n in 1 2 4; do
		CRM_THREADS=$n test_expect_code 65 crm-customer list "name~Co" >out 2>err &&
		grep_q "$f1:4: status" err || return 1
	done &&
	git checkout -- customers
'

test_done
