#!/bin/sh
# Bad input never costs data: file:line: field: message, 65, no commit, clean tree.
. "${0%/*}/lib.sh"

test_expect_success 'setup' '
	new_store s &&
	crm-customer add Acme owner=bob >/dev/null
'

# refuse NAME 'printf-format input' 'expected message'
refuse() {
	test_expect_success "import refuses: $1" "
		cd s &&
		before=\$(commits) &&
		printf '$2' >in.csv &&
		test_expect_code 65 crm-customer import in.csv 2>err &&
		grep_q '^crm-customer: $3' err &&
		test \"\$(commits)\" = \$before &&
		store_clean
	"
}

refuse 'unterminated quote' 'name,grade\nok,A\n"open,B\nmore,C\n' 'in.csv:3: csv: unterminated quote'
refuse 'unterminated quote, no final newline' 'name,grade\nok,A\n\n"open,B\nmore,C' 'in.csv:4: csv: unterminated quote'
refuse 'ragged row' 'name,grade\nAcme2\n' 'in.csv:2: csv: 1 fields where the header has 2'
refuse 'NUL byte' 'name,grade\nab\000c,A\n' 'in.csv:2: csv: NUL byte'
refuse 'invalid UTF-8' 'name,grade\nab\377,A\n' 'in.csv:2: csv: invalid UTF-8 at column 3'
refuse 'unknown column' 'name,colour\nx,red\n' 'in.csv:1: colour: unknown column in customers header'
refuse 'column named twice' 'name,name\nx,y\n' 'in.csv:1: name: column named twice'
refuse 'bad enum' 'name,grade\nx,E\n' 'in.csv:2: grade: not one of A,B,C,D .E.'
refuse 'impossible date' 'name,created\nx,2026-02-30\n' 'in.csv:2: created: impossible date .2026-02-30.'
refuse 'money with three decimals' 'name,credit_limit\nx,12.345\n' 'in.csv:2: credit_limit: too many decimal places'
refuse 'money in exponent form' 'name,credit_limit\nx,1e3\n' 'in.csv:2: credit_limit: not an amount'
refuse 'money with a thousands comma' 'name,credit_limit\nx,"1,234.50"\n' 'in.csv:2: credit_limit: not an amount'
refuse 'money overflow' 'name,credit_limit\nx,99999999999999999999\n' 'in.csv:2: credit_limit: amount too large'
refuse 'id with path characters' 'id,name\n../../etc,x\n' 'in.csv:2: id: id may hold only'
refuse 'id with a slash' 'id,name\na/b,x\n' 'in.csv:2: id: id may hold only'
refuse 'an empty name' 'name,grade\n,A\n' 'in.csv:2: name: must not be empty'
refuse 'physical lines with CRLF and blank lines' 'name,grade\r\n\r\nx,A\r\n\r\ny,Q\r\n' 'in.csv:5: grade: not one of'
refuse 'a conflict marker' 'name\n<<<<<<< HEAD\n' 'in.csv:2: csv: merge conflict marker'

test_expect_success 'a zero-byte input is refused, not taken as no records' '
	cd s &&
	: >empty.csv &&
	test_expect_code 65 crm-customer import empty.csv 2>err &&
	grep_q "empty.csv: csv: empty file" err
'

test_expect_success 'stdin is named -' '
	cd s &&
	printf "name,grade\nx,Z\n" | test_expect_code 65 crm-customer import - 2>err &&
	grep_q "^crm-customer: -:2: grade:" err
'

test_expect_success 'a byte order mark and reordered columns are accepted' '
	cd s &&
	printf "\357\273\277grade,name\nB,Bom Ltd\n" | crm-customer import - 2>/dev/null &&
	crm-customer list -o csv --fields name,grade name="Bom Ltd" | grep -q "^Bom Ltd,B$"
'

test_expect_success 'a huge field with no newline is bounded, refused, not swallowed' '
	cd s &&
	{ printf "name\n"; head -c 2000000 /dev/zero | tr "\\0" x; } >huge.csv &&
	test_expect_code 65 crm-customer import huge.csv 2>err &&
	grep_q "huge.csv:2: csv: line longer than" err
'

test_expect_success 'regex that does not compile: 65 naming the argument' '
	cd s &&
	test_expect_code 65 crm-customer list "name~(" 2>err &&
	grep_q "argument: name: bad regular expression" err
'

test_expect_success 'regex that hits the match limit is an error naming file and line, never no-match' '
	cd s &&
	crm-customer add "$(printf "%060d" 0 | tr 0 a)b" owner=bob >/dev/null &&
	test_expect_code 65 crm-customer list "name~^(a+)+$" >/dev/null 2>err &&
	grep_q "customers/000/000000.csv:[0-9]*: name: regular expression .*limit" err
'

test_expect_success 'a hand-broken store file is named by file and line on any read' '
	cd s &&
	printf "C000099,x,,,,Q,,,active,,,,,,,\n" >>customers/000/000000.csv &&
	test_expect_code 65 crm-customer list 2>err >/dev/null &&
	grep_q "customers/000/000000.csv:[0-9]*: grade: not one of" err &&
	test_expect_code 65 crm-customer add Other 2>err &&
	git checkout -- customers && store_clean
'

test_done
