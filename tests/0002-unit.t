#!/bin/sh
# The C unit tests (tests/unit/*.c), built by make into $CRM_UNIT.
. "${0%/*}/lib.sh"

for u in money date csv filter norm text; do
	test_expect_success "unit: $u" "\"\$CRM_UNIT/$u\""
done

test_done
