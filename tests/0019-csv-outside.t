#!/bin/sh
# CSV from the outside world (DESIGN §3): every import and `-` reads any RFC 4180
# file (quoted values across lines, CRLF, a byte order mark, no final newline,
# stray quotes) and stores line breaks escaped; --encoding converts with iconv;
# -o excel writes what a spreadsheet opens, -o csv stays the line dialect.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

F=id,name,phone,note

# The edge cases in one file, as a spreadsheet saves it: BOM, CRLF, no final newline.
edge_file() {
	printf '\357\273\277name,phone,note\r\n'
	printf '"Acme, Inc.",021-1,plain\r\n'
	printf '"Say ""hi""",,"two\nlines"\r\n'
	printf 'Stray,,37°36'"'"'37.8"N\r\n'
	printf '"CR LF",,"a\r\nb"\r\n'
	printf '北京科技,,"引号""里"\r\n'
	printf '\r\n'
	printf 'Formula,-5,=1+1\r\n'
	printf 'Path,,C:\\new'
}

test_expect_success 'import: the RFC 4180 edge cases are accepted, one commit, each record one line' '
	new_store s &&
	edge_file >edge.csv &&
	before=$(commits) &&
	crm-customer import edge.csv 2>err &&
	grep_q "^crm-customer: 7 added, 0 updated$" err &&
	test "$(commits)" = $((before + 1)) &&
	test "$(wc -l <customers/000/000000.csv)" = 8 &&
	grep -F "C000002,\"Say \"\"hi\"\"\",,,,,,,pool,,,,$(date +%F),$(date +%F),,two\\nlines" customers/000/000000.csv &&
	grep -F ",,a\\r\\nb" customers/000/000000.csv &&
	store_clean
'

test_expect_success '-o csv: the line dialect, byte for byte (escapes, minimal quotes, LF)' '
	cd s &&
	crm-customer list -o csv --fields $F >got &&
	{
		printf "%s\n" "$F" "C000001,\"Acme, Inc.\",021-1,plain" "C000002,\"Say \"\"hi\"\"\",,two\\nlines" &&
		printf "%s\n" "C000003,Stray,,\"37°36'"'"'37.8\"\"N\"" "C000004,CR LF,,a\\r\\nb" &&
		printf "%s\n" "C000005,北京科技,,\"引号\"\"里\"" "C000006,Formula,-5,=1+1" "C000007,Path,,C:\\\\new"
	} >want &&
	cmp want got
'

test_expect_success '-o excel: byte order mark, CRLF, real line breaks, formulas neutralised, backslash as is' '
	cd s &&
	crm-customer list -o excel --fields $F >got &&
	{
		printf "\357\273\277$F\r\n" &&
		printf "C000001,\"Acme, Inc.\",021-1,plain\r\n" &&
		printf "C000002,\"Say \"\"hi\"\"\",,\"two\nlines\"\r\n" &&
		printf "C000003,Stray,,\"37°36'"'"'37.8\"\"N\"\r\n" &&
		printf "C000004,CR LF,,\"a\r\nb\"\r\n" &&
		printf "C000005,北京科技,,\"引号\"\"里\"\r\n" &&
		printf "C000006,Formula,'"'"'-5,'"'"'=1+1\r\n" &&
		printf "C000007,Path,,C:\\\\new\r\n"
	} >want &&
	cmp want got &&
	crm-customer export -o excel --fields $F >exp &&
	cmp want exp &&
	crm-customer export --fields $F | od -c | grep -q "C   :" &&
	crm-customer export --fields $F | head -c 3 | od -An -c | grep -q "i   d   ,"
'

test_expect_success 'both ways: -o csv and -o excel read back by import as the same values' '
	cd s &&
	crm-customer list -o csv --fields id,name,note >before &&
	crm-customer list -o csv --fields id,name,note | crm-customer import - 2>err &&
	grep_q "0 added, 7 updated" err &&
	crm-customer list -o csv --fields id,name,note >after &&
	cmp before after &&
	crm-customer list -o excel --fields id,name,note | crm-customer import - 2>err &&
	grep_q "0 added, 7 updated" err &&
	crm-customer list -o csv --fields id,name,note >after2 &&
	sed "s/,=1+1$/,'"'"'=1+1/" before >want &&
	cmp want after2
'

test_expect_success 'set -: records whose values span lines, from a CRLF file' '
	cd s &&
	printf "id,note\r\nC000001,\"first\r\nsecond\"\r\nC000003,\"x\"\r\n" | crm-customer set - 2>err &&
	crm-customer list -o csv --fields id,note "id~^C00000[13]$" >got &&
	printf "%s\n" id,note "C000001,first\\r\\nsecond" C000003,x >want &&
	cmp want got
'

# refused WANT CMD...: exit 65, the message, and no change to the store.
refused() {
	msg=$1 && shift &&
	before=$(commits) &&
	crm-customer list -o csv >state.before &&
	test_expect_code 65 "$@" 2>err &&
	grep_q "$msg" err &&
	test "$(commits)" = $before &&
	crm-customer list -o csv >state.after &&
	cmp state.before state.after &&
	store_clean
}

test_expect_success 'errors name the physical line a record starts on, after values that span lines' '
	cd s &&
	printf "name,note,grade\n\"A\",\"1\n2\n3\",B\n\"Bad\",\"x\ny\",E\n" >bad.csv &&
	refused "^crm-customer: bad.csv:5: grade: not one of A,B,C,D .E.$" crm-customer import bad.csv
'

test_expect_success 'invalid UTF-8 inside a value is named on its own physical line and column' '
	cd s &&
	printf "name,note\nA,\"ok\nab\377\"\n" >bad.csv &&
	refused "^crm-customer: bad.csv:3: csv: invalid UTF-8 at column 3$" crm-customer import bad.csv
'

test_expect_success 'an unterminated quote at the end of the file names the line it opened on' '
	cd s &&
	printf "name,note\nA,x\nB,\"open\nmore\nstill open" >bad.csv &&
	refused "^crm-customer: bad.csv:3: csv: unterminated quote" crm-customer import bad.csv &&
	printf "id,note\nC000001,\"open\n" >bad.csv &&
	refused "^crm-customer: -:2: csv: unterminated quote" crm-customer set - <bad.csv
'

test_expect_success 'GB18030 from Excel: refused with a hint, then read with --encoding gb18030' '
	cd s &&
	printf "name,region,note\n广州贸易有限公司,广东,\"第一行\n第二行\"\n" >utf8.csv &&
	iconv -f utf-8 -t gb18030 utf8.csv >gbk.csv &&
	! cmp -s utf8.csv gbk.csv &&
	refused "^crm-customer: -:2: csv: invalid UTF-8 at column 1 (the file looks like GB18030: try --encoding gb18030)$" \
		crm-customer import - <gbk.csv &&
	crm-customer import --encoding gb18030 - <gbk.csv 2>err &&
	grep_q "1 added" err &&
	crm-customer list -o csv --fields name,region,note region=广东 >got &&
	printf "%s\n" name,region,note "广州贸易有限公司,广东,第一行\\n第二行" >want &&
	cmp want got
'

test_expect_success '--encoding: an unknown name is a usage error; bytes it cannot read are 65 with line and column' '
	cd s &&
	test_expect_code 2 crm-customer import --encoding no-such-code utf8.csv 2>err &&
	grep_q "^crm-customer: --encoding: .no-such-code. is not an encoding iconv knows" err &&
	printf "name\nok\nab\377\n" >bad.csv &&
	refused "^crm-customer: bad.csv:3: csv: not valid gb18030 at column 3$" crm-customer import --encoding gb18030 bad.csv &&
	refused "^crm-customer: bad.csv:3: csv: invalid UTF-8 at column 3$" crm-customer import bad.csv
'

test_expect_success 'the other readers take the same files: products, moves, orders, receivables, visits' '
	cd s &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	printf "\357\273\277sku,name,price\r\nP-1,\"Pump, large\",10.00\r\nP-2,\"Pipe 3\"\"\",2.00" >prod.csv &&
	crm-stock product import prod.csv 2>err &&
	crm-stock product list -o csv --fields sku,name >got &&
	printf "%s\n" sku,name "P-1,\"Pump, large\"" "P-2,\"Pipe 3\"\"\"" >want && cmp want got &&
	printf "date,sku,warehouse,qty,kind,cost,note\r\n2026-11-02,P-1,MAIN,10,in,4.00,\"opening\r\nstock\"\r\n" >mv.csv &&
	crm-stock import mv.csv 2>err &&
	grep -F "opening\\r\\nstock" moves/2026-11/0001.csv &&
	printf "ref,date,customer,sku,qty,price,terms\r\nSO-9,2026-11-03,C000001,P-1,1,10.00,\"1/10,n/30\"" >ord.csv &&
	crm-order import ord.csv 2>err &&
	grep_q "1 orders" err &&
	printf "type,date,customer,amount,note\ninvoice,2026-11-04,C000002,5.00,\"old\nbalance\"\n" >ar.csv &&
	crm-ar import ar.csv 2>err &&
	grep -F "old\\nbalance" invoices/2026-11/0001.csv &&
	printf "customer,summary,date\r\nC000001,\"called;\r\nasked for a quote\",2026-11-05\r\n" | crm-visit log - 2>err &&
	grep -F "called;\\r\\nasked for a quote" visits/2026-11/0001.csv &&
	store_clean
'

test_expect_success '-o excel on any list or report: BOM first, CRLF after every record' '
	cd s &&
	crm-stock level -o excel >lv &&
	head -c 3 lv | od -An -tx1 | grep -q "ef bb bf" &&
	test "$(tr -cd "\n" <lv | wc -c)" = "$(tr -cd "\r" <lv | wc -c)" &&
	test "$(wc -l <lv)" = 2
'

test_expect_success 'a file of over 1 MB (mapped, not read) imports as the same rows on standard input do' '
	awk "BEGIN { print \"name,phone,note\"; for (i = 1; i <= 16000; i++)
		printf \"Firm %d,+86 21 5555 %04d,\\\"a note, with a comma, for firm %d\\\"\\n\", i, i % 10000, i }" >big.csv &&
	test $(wc -c <big.csv) -gt 1048576 &&
	for b in big1 big2 big3; do crm init $b >/dev/null || return 1; done &&
	(cd big1 && crm-customer import ../big.csv 2>/dev/null) &&
	(cd big2 && crm-customer import - <../big.csv 2>/dev/null) &&
	(cd big3 && crm-customer import --encoding gb18030 ../big.csv 2>/dev/null) &&
	t1=$(git -C big1 rev-parse HEAD^{tree}) &&
	test "$t1" = "$(git -C big2 rev-parse HEAD^{tree})" &&
	test "$t1" = "$(git -C big3 rev-parse HEAD^{tree})" &&
	test "$(cat big1/customers/*/*.csv | grep -c "^C0")" = 16000
'

test_done
