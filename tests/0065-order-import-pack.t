#!/bin/sh
# A write of many files (here crm-order import of 300 customers' orders: some
# 280 open/ shards and the ledgers) keeps its commit's objects in one pack
# instead of one loose file each (crm-store(5)); git reads it as its own.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

loose() { git count-objects -v | sed -n 's/^count: //p'; }
packs() { ls .git/objects/pack/*.idx 2>/dev/null | wc -l; }

test_expect_success 'setup: 300 customers, a product' '
	new_store s &&
	{
		echo name,owner
		i=1
		while [ $i -le 300 ]; do echo "Customer $i,bob"; i=$((i + 1)); done
	} >cust.csv &&
	crm-customer import cust.csv 2>/dev/null &&
	crm-stock product add P-1 Pump price=10.00 >/dev/null
'

test_expect_success 'import of 300 orders: one commit, its objects in one pack, no loose object added' '
	cd s &&
	{
		echo ref,date,customer,sku,qty,price,discount,owner,terms,status,ship_date
		i=1
		while [ $i -le 300 ]; do
			printf "SO-%d,2026-0%d-01,C%06d,P-1,%d,10.00,,,,,2026-0%d-05\n" $i $((i % 9 + 1)) $i $i $((i % 9 + 1))
			i=$((i + 1))
		done
	} >orders.csv &&
	before=$(commits) l0=$(loose) p0=$(packs) &&
	crm-order import orders.csv 2>err &&
	grep_q "^crm-order: 300 orders, 300 lines, 300 shipped$" err &&
	test "$(commits)" = $((before + 1)) &&
	test "$(packs)" = $((p0 + 1)) &&
	test "$(loose)" = "$l0" &&
	test "$(git diff-tree --no-commit-id -r --name-only HEAD | wc -l)" -ge 256
'

test_expect_success 'git reads the pack: fsck, a clean status, the files of HEAD are the work tree' '
	cd s &&
	git fsck --full --strict 2>err && ! grep_q . err &&
	git verify-pack .git/objects/pack/pack-*.idx &&
	store_clean &&
	rm -rf ../x && mkdir ../x && git archive HEAD | tar -x -C ../x &&
	diff -r -x .git -x cust.csv -x orders.csv -x err . ../x
'

test_expect_success 'crm reads it: crm check finds nothing, the next write commits on top' '
	cd s &&
	crm check >out 2>&1 &&
	grep_q " 0 problems" out &&
	crm-order show "$(crm-order list -o csv | awk -F, "NR == 2 { print \$1 }")" >/dev/null &&
	crm-customer set C000001 grade=A 2>/dev/null &&
	test "$(loose)" -gt 0 &&
	git fsck --full 2>err && ! grep_q . err
'

test_expect_success 'thousands of files swapped in two halves at once: one that cannot be put back undoes both' '
	crm init w >/dev/null && cd w &&
	awk "BEGIN { print \"name,owner\"; for (i = 1; i <= 10000; i++) print \"Firm \" i \",bob\" }" >cust.csv &&
	crm-customer import cust.csv 2>/dev/null &&
	crm-stock product add P-1 Pump price=10.00 >/dev/null &&
	for r in V W; do
		awk -v r=$r "BEGIN { print \"ref,date,customer,sku,qty,price,discount,owner,terms,status,ship_date\"
			for (i = 1; i <= 10000; i++) printf \"%s-%d,2026-03-01,C%06d,P-1,1,10.00,,,,,2026-03-02\\n\", r, i, i }" >$r.csv ||
		return 1
	done &&
	crm-order import V.csv 2>/dev/null &&
	# one open/ shard, swapped well into its half, has a folder where its old copy would be kept
	f=$(ls open/*/*.csv | sed -n 1800p) && mkdir "$f.crm-old" && : >"$f.crm-old/x" &&
	before=$(commits) head=$(git rev-parse HEAD) &&
	test_expect_code 73 crm-order import W.csv 2>err &&
	grep_q "^crm-order: cannot keep the old .open/[0-9a-f]*/[0-9a-f]*\.csv.: Is a directory" err &&
	test "$(commits)" = "$before" && test "$(git rev-parse HEAD)" = "$head" &&
	test -z "$(git status --porcelain --untracked-files=all | grep -v "^?? [^/]*$" | grep -v "^?? open/.*\.crm-old/x$")" &&
	test -z "$(find . -path ./.git -prune -o -name "*.crm-new" -print)" &&
	! grep_q "could not all be put back" err &&
	# the journal stays for the FILE.crm-old it could not remove (ours): the next write ends it
	rm -r "$f.crm-old" &&
	crm-order import W.csv 2>err &&
	grep_q "^crm-order: 10000 orders, 10000 lines, 10000 shipped$" err &&
	test "$(git diff-tree --no-commit-id -r --name-only HEAD | wc -l)" -ge 2048 &&
	store_clean &&
	crm check >/dev/null
'

test_done
