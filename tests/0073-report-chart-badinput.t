#!/bin/sh
# crm-report --chart and -o svg (DESIGN §5), and bad input (§7): --chart draws
# Unicode bars on a terminal and leaves a pipe's CSV alone; -o svg is
# well-formed XML that escapes < and & in labels; unknown measures, dimensions,
# periods and --of, --from after --to, category:0 are usage errors (2); a
# malformed targets file is 65 naming file:line: field; --at and --as-of are
# honoured; a report with nothing to show exits 1 (top, pivot, compare), risk 0
# and silent. The store is the one of tests/report-store.sh.
. "${0%/*}/lib.sh"
. "$TEST_SRC/tests/report-store.sh"

expect() {
	printf "%s\n" "$@" >expect
}

# on_tty CMD: runs CMD on a pseudo-terminal (script(1)).
on_tty() {
	script -qc "$1" /dev/null </dev/null | tr -d "\r"
}

# blocks N: N full block characters.
blocks() {
	i=0
	while [ $i -lt "$1" ]; do printf "\342\226\210"; i=$((i + 1)); done
}

# xml_ok FILE: FILE is well-formed XML (python3, else xmllint, else the root
# element opens and closes).
xml_ok() {
	if command -v python3 >/dev/null && python3 -c "import xml.dom.minidom" 2>/dev/null; then
		python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.stdin)" <"$1"
	elif command -v xmllint >/dev/null; then
		xmllint --noout "$1"
	else
		grep -q "<svg" "$1" && test "$(tail -n 1 "$1")" = "</svg>"
	fi
}

test_expect_success 'setup: the report store; a store with < and & in its names' '
	report_store && cd .. &&
	crm init m >/dev/null && cd m &&
	crm-customer add "Smith & <Sons>" "region=R&D <lab>" owner=alice >/dev/null &&
	crm-customer add Plain region=east owner=bob >/dev/null &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add X-1 "X <1> & co" "category=a&b/<c>" price=10.00 >/dev/null &&
	crm-stock in X-1 10 --cost 4.00 --date 2026-01-01 >/dev/null &&
	o=$(crm-order new C000001 X-1:3@10.00 --date 2026-01-05) && crm-order ship "$o" --date 2026-01-05 >/dev/null &&
	o=$(crm-order new C000002 X-1:1@10.00 --date 2026-01-05) && crm-order ship "$o" --date 2026-01-05 >/dev/null
'

# Bars are labelled by the customer's name; 40 columns for the largest value, in eighths of a column, rounded:
# Gamma 500/1900 x 320 = 84.2 eighths: 10 blocks and a half block; Beta
# 400/1900 x 320 = 67.4: 8 blocks and 3/8.
test_expect_success '--chart on a terminal: a title, a bar per row, then the table' '
	command -v script >/dev/null || { echo "script(1) is needed (Debian package bsdutils)"; exit 1; }
	cd s &&
	on_tty "crm-report top 3 sales --chart" >out &&
	{
		echo "top 3 customers by sales" &&
		echo "Acme   1900.00 $(blocks 40)" &&
		echo "Gamma   500.00 $(blocks 10)$(printf "\342\226\214")" &&
		echo "Beta    400.00 $(blocks 8)$(printf "\342\226\215")" &&
		echo
	} >expect &&
	head -n 5 out >chart &&
	test_cmp expect chart &&
	grep -q "^1 *C000001 *Acme *1900.00 *63.33 *$" out &&
	grep -q "^3 *C000002 *Beta *400.00 *13.33 *$" out
'

test_expect_success '--chart compare on a terminal: one bar per period' '
	cd s &&
	on_tty "crm-report compare sales --period year --chart" >out &&
	# 640/2360 x 320 = 86.8 eighths: 10 blocks and 7/8
	grep -qx "2025   640.00 $(blocks 10)$(printf "\342\226\211")" out &&
	grep -qx "2026  2360.00 $(blocks 40)" out
'

test_expect_success '--chart in a pipe: the CSV, untouched' '
	cd s &&
	crm-report top 3 sales >plain &&
	crm-report top 3 sales --chart >out &&
	test_cmp plain out &&
	! grep -q "$(printf "\342\226\210")" out
'

test_expect_success '-o svg: well-formed, bars scaled to the largest value' '
	cd s &&
	crm-report top 3 sales -o svg >out.svg 2>err &&
	test ! -s err &&
	xml_ok out.svg &&
	head -n 1 out.svg | grep -q "^<?xml" &&
	grep -q ">top 3 customers by sales</text>" out.svg &&
	grep -q ">Gamma</text>" out.svg &&
	grep -q ">500.00</text>" out.svg &&
	# 480 px for 1900.00; 500/1900 x 480 = 126.3; 400/1900 x 480 = 101.05
	grep "<rect x=" out.svg | sed "s/.* width=\"\([0-9]*\)\".*/\1/" >widths &&
	expect 480 126 101 && test_cmp expect widths
'

test_expect_success '-o svg escapes < and & in labels' '
	cd m &&
	crm-report top 5 sales --of regions -o svg >out.svg &&
	xml_ok out.svg &&
	grep -q ">R&amp;D &lt;lab&gt;</text>" out.svg &&
	! grep -q "R&D" out.svg &&
	crm-report top 5 sales --of categories -o svg >out.svg &&
	xml_ok out.svg &&
	grep -q ">a&amp;b/&lt;c&gt;</text>" out.svg
'

test_expect_success '-o svg for compare, abc and funnel: well-formed' '
	cd s &&
	crm-report compare sales --period quarter -o svg >c.svg && xml_ok c.svg &&
	grep -q ">2025-Q3</text>" c.svg &&
	crm-report abc -o svg >a.svg && xml_ok a.svg &&
	crm-report funnel -o svg >f.svg && xml_ok f.svg &&
	grep -q ">negotiation</text>" f.svg
'

# A pivot cannot be drawn as one bar per row when it has columns; it must say
# so, or draw the one-dimensional case, never print CSV under -o svg.
test_expect_success 'pivot -o svg: a chart or a usage error, not CSV' '
	cd s &&
	crm-report pivot region -o svg >out 2>err
	rc=$?
	if [ $rc = 0 ]; then
		xml_ok out && grep -q "<svg" out
	else
		test $rc = 2 && test ! -s out && grep -q "svg" err
	fi
'

test_expect_success 'a full disk is an error, not a silent truncation' '
	cd s &&
	test_must_fail crm-report top 3 sales >/dev/full 2>err &&
	grep_q "^crm-report: " err &&
	test_must_fail crm-report top 3 sales -o svg >/dev/full 2>err &&
	grep_q "^crm-report: " err
'

test_expect_success 'unknown measure, dimension, --of: usage, 2' '
	cd s &&
	test_expect_code 2 crm-report top 3 turnover >out 2>err &&
	test ! -s out &&
	grep_q "^crm-report: unknown measure: sales booked margin qty orders receipts balance visits new_customers quotes pipeline$" err &&
	grep_q "^usage: crm-report" err &&
	test_expect_code 2 crm-report pivot region --sum turnover 2>err &&
	grep_q "^crm-report: unknown measure" err &&
	test_expect_code 2 crm-report pivot planet >out 2>err &&
	test ! -s out &&
	grep_q "^crm-report: .planet. is not a dimension" err &&
	test_expect_code 2 crm-report pivot region planet 2>err &&
	grep_q "^crm-report: .planet. is not a dimension" err &&
	test_expect_code 2 crm-report top 3 sales --of planets 2>err &&
	grep_q "^crm-report: --of customers, products, owners, regions or categories$" err &&
	test_expect_code 2 crm-report top 3 sales colour=red 2>err &&
	grep_q "^crm-report: .colour=red.: no such field of customers or products$" err &&
	test_expect_code 2 crm-report top 0 sales 2>err &&
	grep_q "^crm-report: top N MEASURE$" err &&
	test_expect_code 2 crm-report forecast 2>err &&
	grep_q "^crm-report: unknown command" err
'

test_expect_success 'unknown period: usage, 2, naming --period' '
	cd s &&
	test_expect_code 2 crm-report compare sales --period week >out 2>err &&
	test ! -s out &&
	grep_q "^crm-report: --period month, quarter or year$" err &&
	test_expect_code 2 crm-report compare sales --period decade >out 2>err &&
	test ! -s out &&
	grep_q "^crm-report: --period month, quarter or year$" err
'

test_expect_success 'category:0 and a depth on another dimension: usage, 2' '
	cd s &&
	test_expect_code 2 crm-report pivot category:0 >out 2>err &&
	test ! -s out &&
	grep_q "^crm-report: .category:0.: only category takes a depth, a whole number from 1$" err &&
	test_expect_code 2 crm-report pivot region:2 2>err &&
	grep_q "^crm-report: .region:2.: only category takes a depth" err
'

test_expect_success '--from after --to: usage, 2; an impossible date: 65' '
	cd s &&
	test_expect_code 2 crm-report top 3 sales --from 2026-05-01 --to 2026-04-01 >out 2>err &&
	test ! -s out &&
	grep_q "^crm-report: --from is after --to$" err &&
	test_expect_code 2 crm-report compare sales --from 2026-05-01 --to 2026-04-30 2>err &&
	grep_q "^crm-report: --from is after --to$" err &&
	test_expect_code 65 crm-report top 3 sales --from 2026-02-30 >out 2>err &&
	test ! -s out &&
	grep_q "^crm-report: argument: from: impossible date .2026-02-30.$" err
'

# The targets file has a header and 7 rows: an appended row is line 9.
test_expect_success 'a malformed targets file: 65, file:line: field, nothing printed' '
	cd s &&
	cp targets/2026.csv ../targets.good &&
	echo "2026-13,bob,,sales,1.00" >>targets/2026.csv &&
	test_expect_code 65 crm-report kpi --from 2026-01-01 --to 2026-06-30 >out 2>err &&
	test ! -s out &&
	grep_q "^crm-report: targets/2026.csv:9: period: " err &&
	cp ../targets.good targets/2026.csv &&
	echo "2026-Q3,bob,,turnover,1.00" >>targets/2026.csv &&
	test_expect_code 65 crm-report kpi --from 2026-01-01 --to 2026-06-30 >out 2>err &&
	grep_q "^crm-report: targets/2026.csv:9: measure: " err &&
	cp ../targets.good targets/2026.csv &&
	echo "2026-Q3,bob,,sales,lots" >>targets/2026.csv &&
	test_expect_code 65 crm-report kpi --from 2026-01-01 --to 2026-06-30 >out 2>err &&
	grep_q "^crm-report: targets/2026.csv:9: amount: " err &&
	# --at reads the file as committed, the work tree aside
	crm-report kpi --from 2026-01-01 --to 2026-06-30 --at HEAD >out &&
	grep -qx "bob,2,0.02,1.00,1,0.00,100.00,0,352.50,82.50,900.00,39.17" out &&
	cp ../targets.good targets/2026.csv
'

test_expect_success '--at and --as-of are honoured' '
	cd s &&
	crm-report top 1 sales --at "$(cat ../rev-2025)" >out &&
	expect rank,customers,name,value,share_pct 1,C000003,Gamma,240.00,37.50 &&
	test_cmp expect out &&
	test_expect_code 1 crm-report top 1 sales --at nosuchrev >out 2>err &&
	grep_q "^crm-report: unknown revision .nosuchrev.$" err &&
	# balance as of 14 Feb 2026, the day Acme paid 1000.00 of its 200 + 1500
	crm-report pivot customer --sum balance --as-of 2026-02-14 >out &&
	grep -qx "C000001,700.00" out &&
	crm-report pivot customer --sum balance --as-of 2026-02-13 >out &&
	grep -qx "C000001,1700.00" out
'

test_expect_success 'nothing to show: top, pivot, compare exit 1; risk 0; all silent' '
	cd s &&
	for r in "top 3 sales" "pivot region" "compare sales" "abc"; do
		test_expect_code 1 crm-report $r region=west >out 2>err &&
		test ! -s out && test ! -s err || exit 1
	done &&
	crm-report risk --as-of 2026-04-30 >out 2>err &&
	test ! -s out && test ! -s err &&
	on_tty "crm-report risk --as-of 2026-04-30 --chart; echo rc=\$?" >out &&
	test "$(cat out)" = rc=0
'

test_done
