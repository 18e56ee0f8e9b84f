#!/bin/sh
# The C unit tests (tests/unit/*.c), built by make into $CRM_UNIT: one test
# each, passing when the binary exits 0 and its TAP ends with a plan that
# counts every test it printed (a crash midway shows as a short count).
. "${0%/*}/lib.sh"

unit_ok() {
	"$CRM_UNIT/$1" >"$1.tap"
	rc=$?
	cat "$1.tap"
	[ $rc -eq 0 ] || { echo "$1 exited $rc"; return 1; }
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$1.tap")
	ran=$(grep -c '^ok ' "$1.tap")
	[ -n "$plan" ] && [ "$plan" -gt 0 ] && [ "$plan" -eq "$ran" ] ||
		{ echo "$1: plan '$plan', $ran passed"; return 1; }
}

for u in money date csv csvin filter norm text terms merge; do
	test_expect_success "unit: $u" "unit_ok $u"
done

test_done
