#!/bin/sh
# crm-ar refuses bad input: `argument: FIELD: message`, exit 65 (2 for usage),
# no commit, a clean tree (DESIGN §2.5, §7).
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup: a live customer, an archived one, an invoice, a customer in USD' '
	new_store s &&
	crm-customer add Acme >/dev/null &&
	crm-customer add Gone >/dev/null &&
	crm-customer archive C000002 >/dev/null &&
	crm-customer add Third >/dev/null &&
	crm-ar invoice C000001 100.00 --date 2026-11-02 >id &&
	test "$(cat id)" = I202611-00001
'

# refuse CODE NAME 'expected message after "crm-ar: "' crm-ar arguments...
refuse() {
	code=$1 name=$2 msg=$3
	shift 3
	args=
	for a; do
		args="$args '$(printf %s "$a" | sed "s/'/'\\\\''/g")'"
	done
	test_expect_success "refused ($code): $name" '
		cd s &&
		before=$(commits) &&
		{ eval "test_expect_code $code crm-ar $args" >out 2>err || { cat err >&2; false; }; } &&
		grep_q "^crm-ar: $msg" err &&
		test ! -s out &&
		test "$(commits)" = $before &&
		test "$(crm-ar list -o csv | wc -l)" = 2 &&
		store_clean
	'
}

# malformed terms on invoice --terms
refuse 65 'terms with a bad day count' "argument: terms: tier 1: days is not a whole number '2/x,n/30'\$" \
	invoice C000001 10 --terms 2/x,n/30
refuse 65 'tier rates rising' "argument: terms: tier 2: rate must fall (2 after 1) '1/10,2/20,n/30'\$" \
	invoice C000001 10 --terms 1/10,2/20,n/30
refuse 65 'tier days falling' "argument: terms: tier 2: days must grow (10 after 20) '2/20,1/10,n/30'\$" \
	invoice C000001 10 --terms 2/20,1/10,n/30
refuse 65 'a rate of 100' "argument: terms: tier 1: rate must be under 100 '100/10,n/30'\$" \
	invoice C000001 10 --terms 100/10,n/30
refuse 65 'a rate over 100' "argument: terms: tier 1: rate must be under 100 '150/10,n/30'\$" \
	invoice C000001 10 --terms 150/10,n/30
refuse 65 'a rate of 0' "argument: terms: tier 1: rate must be above 0" \
	invoice C000001 10 --terms 0/10,n/30
refuse 65 'a rate with 3 decimals' "argument: terms: tier 1: more than 2 decimals" \
	invoice C000001 10 --terms 1.234/10,n/30
refuse 65 'no net' "argument: terms: missing n/NET '2/0'\$" \
	invoice C000001 10 --terms 2/0
refuse 65 'a bad net' "argument: terms: net: days is not a whole number" \
	invoice C000001 10 --terms 2/0,n/x
refuse 65 'net before the last tier' "argument: terms: net 30 days is under the last tier's 40" \
	invoice C000001 10 --terms 1/40,n/30
refuse 65 'spaces in terms' "argument: terms: spaces in terms" \
	invoice C000001 10 --terms "2/0, n/30"

# plans
refuse 65 'a plan adding to 90' "argument: plan: percentages add to 90, not 100 '30@0,60@60'\$" \
	invoice C000001 10 --plan 30@0,60@60
refuse 65 'a plan adding to 110' "argument: plan: percentages add to 110, not 100" \
	invoice C000001 10 --plan 30@0,80@60
refuse 65 'a plan going back in time' "argument: plan: part 2: days must not fall (0 after 60)" \
	invoice C000001 10 --plan 70@60,30@0
refuse 65 'a plan with bad days' "argument: plan: part 2: days is not a whole number" \
	invoice C000001 10 --plan 30@0,70@x

# amounts
refuse 65 'too many decimals' "argument: amount: too many decimal places '100.001'\$" invoice C000001 100.001
refuse 65 'zero' "argument: amount: must be more than 0 '0'\$" invoice C000001 0
refuse 65 'zero with decimals' "argument: amount: must be more than 0 '0.00'\$" invoice C000001 0.00
refuse 65 'negative (after --)' "argument: amount: must be more than 0 '-5'\$" invoice C000001 -- -5
refuse 65 'twenty digits' "argument: amount: amount too large '99999999999999999999'\$" invoice C000001 99999999999999999999
refuse 65 'one cent past int64' "argument: amount: amount too large '92233720368547758.08'\$" invoice C000001 92233720368547758.08
refuse 65 'an exponent' "argument: amount: not an amount '1e5'\$" invoice C000001 1e5
refuse 65 'thousands separators' "argument: amount: not an amount '1,000.00'\$" invoice C000001 1,000.00
refuse 65 'empty amount' "argument: amount: empty amount" invoice C000001 ""
refuse 65 'pay: too many decimals' "argument: amount: too many decimal places '1.234'\$" pay C000001 1.234
refuse 65 'pay: zero' "argument: amount: must be more than 0 '0'\$" pay C000001 0
refuse 65 'pay: negative' "argument: amount: must be more than 0 '-10'\$" pay C000001 -- -10
refuse 65 'pay: overflowing' "argument: amount: amount too large" pay C000001 92233720368547758.08
refuse 65 'credit: zero' "argument: amount: must be more than 0" credit --reason x C000001 0.00
refuse 65 'credit: overflowing' "argument: amount: amount too large" credit --reason x C000001 99999999999999999999

# customers and invoices
refuse 65 'invoice: unknown customer' "argument: customer: no customer 'C000009'\$" invoice C000009 10
refuse 65 'invoice: archived customer' "argument: customer: C000002 'Gone' is archived\$" invoice C000002 10
refuse 65 'credit: unknown customer' "argument: customer: no customer 'C000009'\$" credit --reason x C000009 10
refuse 65 'credit: archived customer' "argument: customer: C000002 'Gone' is archived\$" credit --reason x C000002 10
refuse 65 'pay: unknown customer' "argument: customer: no customer 'C000009'\$" pay C000009 10
refuse 65 'pay: archived customer' "argument: customer: C000002 'Gone' is archived\$" pay C000002 10
refuse 65 'pay: unknown invoice' "argument: invoice: no invoice 'I202611-00099'" \
	pay C000001 10 --invoice I202611-00099 --date 2026-11-05
refuse 65 'pay: an id that is not an invoice' "argument: invoice: no invoice 'C000001'" \
	pay C000001 10 --invoice C000001 --date 2026-11-05
refuse 65 'pay: another customer'\''s invoice' "argument: invoice: 'I202611-00001' is C000001's, not C000003's\$" \
	pay C000003 10 --invoice I202611-00001 --date 2026-11-05
refuse 65 'pay: an invoice dated after the payment' "argument: date: 2026-11-01 is before the invoice's date 2026-11-02\$" \
	pay C000001 10 --invoice I202611-00001 --date 2026-11-01
refuse 65 'pay: a receipt in another currency than its invoice' "argument: currency: 'I202611-00001' is in CNY, the receipt in USD\$" \
	pay C000001 10 --invoice I202611-00001 --date 2026-11-05 --currency USD
refuse 65 'a currency in lower case' "argument: currency: a currency is 3 capital letters like CNY or USD 'usd'\$" \
	invoice C000001 10 --currency usd
refuse 65 'statement: unknown customer' "argument: customer: no customer 'C000009'" \
	statement C000009 --to 2026-12-01

# dates
refuse 65 'invoice: impossible date' "argument: date: impossible date '2026-02-30'\$" invoice C000001 10 --date 2026-02-30
refuse 65 'invoice: month 13' "argument: date: impossible date '2026-13-01'\$" invoice C000001 10 --date 2026-13-01
refuse 65 'invoice: not ISO' "argument: date: not a date" invoice C000001 10 --date 22.11.2026
refuse 65 'invoice: empty date' "argument: date: empty date" invoice C000001 10 --date ""
refuse 65 'pay: impossible date' "argument: date: impossible date '2026-02-30'\$" pay C000001 10 --date 2026-02-30
refuse 65 'credit: impossible date' "argument: date: impossible date '2026-04-31'\$" credit C000001 10 --reason x --date 2026-04-31
refuse 65 'statement: impossible --from' "argument: from: impossible date '2026-02-30'\$" statement C000001 --from 2026-02-30
refuse 65 'statement: impossible --to' "argument: to: impossible date '2026-02-29'\$" statement C000001 --to 2026-02-29
refuse 65 'terms-taken: bad --from' "argument: from: not a date" terms-taken --from yesterday
refuse 65 'invalid UTF-8 in a note' "argument: note: invalid UTF-8" invoice C000001 10 --note "$(printf 'bad\377')"

# usage
refuse 2 'invoice without an amount' "invoice CUSTOMER AMOUNT" invoice C000001
refuse 2 'a negative amount without --' "unknown option" invoice C000001 -5
refuse 2 'credit without --reason' "credit: --reason is needed" credit C000001 10
refuse 2 'credit with terms' "credit: a credit note has no terms or plan" credit C000001 10 --reason x --terms n/30
refuse 2 'a write with --at' "--at reads the past; it cannot write" --at HEAD invoice C000001 10
refuse 2 'an unknown command' "unknown command" frob
refuse 2 'an impossible --as-of' "--as-of: impossible date '2026-02-30'" --as-of 2026-02-30 aging
refuse 2 'remind --within -1' "--within takes a whole number of days" remind --within -1

test_expect_success 'crm-customer refuses malformed terms: 65, the field named, nothing written' '
	cd s &&
	before=$(commits) &&
	test_expect_code 65 crm-customer add X terms=2/x 2>err &&
	grep_q "^crm-customer: argument: terms: tier 1: days is not a whole number .2/x.$" err &&
	test_expect_code 65 crm-customer add Y terms=100/1,n/30 2>err &&
	grep_q "^crm-customer: argument: terms: tier 1: rate must be under 100" err &&
	test_expect_code 65 crm-customer add Z terms=1/10,2/20,n/30 2>err &&
	grep_q "^crm-customer: argument: terms: tier 2: rate must fall" err &&
	test_expect_code 65 crm-customer set C000001 terms=2/20,1/10,n/30 2>err &&
	grep_q "^crm-customer: argument: terms: tier 2: days must grow" err &&
	test "$(commits)" = $before &&
	test_expect_code 1 crm-customer list name=X >/dev/null &&
	store_clean
'

test_expect_success 'a malformed terms.default in crm.conf: 65 for a customer without terms, and crm check names it' '
	cd s &&
	crm-customer add Bare terms= >/dev/null &&
	git config -f crm.conf terms.default 2/x,n/30 &&
	git commit -qm "a bad default" crm.conf &&
	before=$(commits) &&
	test_expect_code 65 crm-ar invoice C000004 10 --date 2026-11-05 2>err &&
	grep_q "crm.conf: terms.default: tier 1: days is not a whole number" err &&
	test "$(commits)" = $before && store_clean &&
	test_expect_code 65 crm check >out 2>&1 &&
	grep_q "terms.default" out &&
	git config -f crm.conf terms.default n/30 &&
	git commit -qm "fixed" crm.conf
'

# wrapped FILE: a figure wrapped past int64 (a huge negative balance) shows in FILE.
wrapped() {
	grep -q -- "-922337" "$1"
}

test_expect_success 'an open balance that would pass int64 is an error, never a wrap' '
	new_store big &&
	crm-customer add Whale >/dev/null &&
	crm-ar invoice C000001 92233720368547758.07 --date 2026-11-02 >/dev/null &&
	before=$(commits) &&
	# 92233720368547758.07 + 0.01 passes INT64_MAX minor units: either this invoice
	# is refused (65), or every report that adds them up fails instead of wrapping
	if crm-ar invoice C000001 0.01 --date 2026-11-02 >/dev/null 2>err; then
		crm-ar --as-of 2026-11-02 aging -o csv >out 2>err
		arc=$?
		if wrapped out || [ $arc = 0 ] || [ $arc = 1 ]; then
			echo "aging exited $arc:"; cat out err; exit 1
		fi
		crm-ar --as-of 2026-11-02 statement C000001 -o csv >out 2>err
		src=$?
		if wrapped out || [ $src = 0 ]; then
			echo "statement exited $src:"; cat out err; exit 1
		fi
	else
		test $? = 65 && grep_q "amount" err &&
		test "$(commits)" = $before && store_clean
	fi
'

test_expect_success 'a refused payment writes no receipt; the invoice stays open as it was' '
	cd s &&
	crm-ar show -o csv I202611-00001 | sed "1,/^applications:$/d" >out &&
	test "$(wc -l <out)" = 1 &&
	test_expect_code 1 crm-ar list -o csv kind=credit >/dev/null &&
	! ls receipts >/dev/null 2>&1
'

test_done
