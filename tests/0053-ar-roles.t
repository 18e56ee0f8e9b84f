#!/bin/sh
# crm-ar override and writeoff are guarded by roles (DESIGN §5 "Roles"):
# 77 and nothing changed for anyone else; the commit names member, role and reason.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

# apps DOC: its applications as date,kind,source,invoice,rate,settled,discount.
apps() {
	crm-ar show -o csv "$1" | sed '1,/^applications:$/d' | cut -d, -f2-
}

open_of() {
	cat open/*/*.csv | awk -F, -v d="$1" '$3 == d { print $(NF - 1) }'
}

# the override rate open/ keeps for a document
disc_of() {
	cat open/*/*.csv | awk -F, -v d="$1" '$3 == d { print $NF }'
}

test_expect_success 'setup: roles in crm.conf, invoices to override and write off' '
	new_store s &&
	git config -f crm.conf --add role.finance.member fiona &&
	git config -f crm.conf --add role.finance.member frank@example.com &&
	git config -f crm.conf --add role.director.member dan &&
	git commit -qm "roles" crm.conf &&
	crm-customer add Acme terms=2/0,1/10,n/30 >/dev/null &&
	crm-ar invoice C000001 1000.00 --date 2026-11-02 >/dev/null &&   # I202611-00001
	crm-ar invoice C000001 300.00 --date 2026-11-02 >/dev/null &&    # I202611-00002
	crm-ar invoice C000001 500.00 --date 2026-11-03 >/dev/null &&    # I202611-00003
	crm-ar invoice C000001 200.00 --date 2026-11-04 >/dev/null       # I202611-00004
'

# refused WHO 'expected message' crm-ar arguments...: 77, the message, nothing changed.
refused() {
	who=$1 msg=$2
	shift 2
	before=$(commits)
	CRM_USER=$who test_expect_code 77 crm-ar "$@" 2>err &&
	grep_q "^crm-ar: $msg" err &&
	test "$(commits)" = $before &&
	test -z "$(disc_of I202611-00001)" &&
	test "$(open_of I202611-00002)" = 300.00 &&
	store_clean
}

test_expect_success 'override by a non-member: 77, no commit, clean tree' '
	cd s &&
	refused alice "a discount override needs the finance or director role; alice is not a member" \
		override I202611-00001 3 --reason "big client" &&
	refused alice "a discount override needs the finance or director role" \
		-n override I202611-00001 3 --reason "big client"
'

test_expect_success 'writeoff by a non-member, and by a director (finance only): 77' '
	cd s &&
	refused alice "a write-off needs the finance role; alice is not a member" \
		writeoff I202611-00002 --reason "bankrupt" &&
	refused dan "a write-off needs the finance role; dan is not a member" \
		writeoff I202611-00002 --reason "bankrupt"
'

test_expect_success 'an address that is only similar is not a member' '
	cd s &&
	refused fion "a discount override needs" override I202611-00001 3 --reason x &&
	GIT_AUTHOR_EMAIL=frank@example.org refused frank "a discount override needs" override I202611-00001 3 --reason x
'

test_expect_success 'a member must give --reason (usage, 2), and nothing changes' '
	cd s &&
	before=$(commits) &&
	CRM_USER=fiona test_expect_code 2 crm-ar override I202611-00001 3 2>err &&
	grep_q "reason is needed" err &&
	CRM_USER=fiona test_expect_code 2 crm-ar writeoff I202611-00002 2>err &&
	grep_q "reason is needed" err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success 'override by a finance member: one commit naming member, role and reason' '
	cd s &&
	before=$(commits) &&
	CRM_USER=fiona crm-ar override I202611-00001 3 --reason "big client" &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	grep_q "^crm-ar override I202611-00001 3% by fiona (finance): big client$" msg &&
	test "$(disc_of I202611-00001)" = 3.00 &&
	crm-ar list -o csv --fields id,discount id=I202611-00001 >out &&
	printf "id,discount\nI202611-00001,3.00\n" >expect && test_cmp expect out &&
	crm check >/dev/null && store_clean
'

test_expect_success 'an override applies to a later payment whatever its date' '
	cd s &&
	# 2027-03-01 is long past due (2026-12-02), no tier holds; the override does:
	# 1000.00 x 3 % = 30.00, F = 970.00
	crm-ar pay C000001 970.00 --date 2027-03-01 --invoice I202611-00001 >id &&
	apps $(cat id) >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n2027-03-01,receipt,$(cat id),I202611-00001,3,1000.00,30.00\n" >expect &&
	test_cmp expect out &&
	test -z "$(open_of I202611-00001)" &&
	crm check >/dev/null && store_clean
'

test_expect_success 'an override also replaces a richer tier: 0.5 % on the invoice date instead of 2 %' '
	cd s &&
	GIT_AUTHOR_EMAIL=dan@example.com CRM_USER=dan crm-ar override I202611-00003 0.5 --reason "late dispute" &&
	git log -1 --format=%s >msg &&
	grep_q "^crm-ar override I202611-00003 0.5% by dan (director): late dispute$" msg &&
	# partial on day 0: round(199.00 / 0.995) = round(200.0000..) = 200.00, discount 1.00; 300.00 open
	crm-ar pay C000001 199.00 --date 2026-11-03 --invoice I202611-00003 >id &&
	apps $(cat id) >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n2026-11-03,receipt,$(cat id),I202611-00003,0.5,200.00,1.00\n" >expect &&
	test_cmp expect out &&
	test "$(open_of I202611-00003)" = 300.00 &&
	crm check >/dev/null
'

test_expect_success 'a member is matched by email; the user defaults to its local part' '
	cd s &&
	before=$(commits) &&
	(unset CRM_USER; GIT_AUTHOR_EMAIL=frank@example.com crm-ar override I202611-00004 0 --reason "no discount for this one") &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	grep_q "^crm-ar override I202611-00004 0% by frank (finance): no discount for this one$" msg &&
	# 0 % overrides the 2 % of day 0: 196.00 settles 196.00 only
	crm-ar pay C000001 196.00 --date 2026-11-04 --invoice I202611-00004 >id &&
	apps $(cat id) >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n2026-11-04,receipt,$(cat id),I202611-00004,,196.00,0.00\n" >expect &&
	test_cmp expect out &&
	test "$(open_of I202611-00004)" = 4.00
'

test_expect_success 'writeoff by a finance member: the rest is settled as bad debt, one commit' '
	cd s &&
	before=$(commits) &&
	CRM_USER=fiona crm-ar writeoff I202611-00002 --reason "bankrupt" --date 2026-12-31 &&
	test "$(commits)" = $((before + 1)) &&
	git log -1 --format=%s >msg &&
	grep_q "^crm-ar writeoff I202611-00002 by fiona (finance): bankrupt$" msg &&
	apps I202611-00002 >out &&
	printf "date,kind,source,invoice,rate,settled,discount\n2026-12-31,writeoff,,I202611-00002,,300.00,0.00\n" >expect &&
	test_cmp expect out &&
	grep_q ",writeoff,,I202611-00002,C000001,.*,300.00,0.00,bankrupt$" applications/2026-12/0001.csv &&
	test -z "$(open_of I202611-00002)" &&
	crm check >/dev/null && store_clean
'

test_expect_success 'a write-off leaves aging and shows on the statement' '
	cd s &&
	crm-ar --as-of 2026-12-31 aging -o csv >out &&
	# open on 12-31 (the 970.00 is dated 2027-03-01): I202611-00001 1000.00 (due 12-02, 29 days),
	# I202611-00003 300.00 (due 12-03, 28 days), I202611-00004 4.00 (due 12-04, 27 days): 1304.00
	grep_q "^C000001,Acme,CNY,0.00,1304.00,0.00,0.00,0.00,0.00,1304.00$" out &&
	crm-ar --as-of 2026-12-30 aging -o csv >out &&
	# the day before the write-off: 300.00 more, due 12-02, 28 days: 1604.00
	grep_q "^C000001,Acme,CNY,0.00,1604.00,0.00,0.00,0.00,0.00,1604.00$" out &&
	crm-ar statement C000001 --from 2026-12-01 --to 2026-12-31 -o csv >out &&
	# opening: 1000 + 300 + 500 + 200 = 2000.00, less 199.00 + 1.00 and 196.00 in November: 1604.00
	grep_q "^2026-12-01,,opening balance,,1604.00$" out &&
	grep_q "^2026-12-31,I202611-00002,written off,-300.00,1304.00$" out
'

test_expect_success 'override or write off what is not open: 65, nothing changed' '
	cd s &&
	before=$(commits) &&
	CRM_USER=fiona test_expect_code 65 crm-ar writeoff I202611-00002 --reason again 2>err &&
	grep_q "^crm-ar: argument: invoice: .I202611-00002. is not open" err &&
	CRM_USER=fiona test_expect_code 65 crm-ar override I202611-00001 2 --reason late 2>err &&
	grep_q "^crm-ar: argument: invoice: .I202611-00001. is not open" err &&
	CRM_USER=fiona test_expect_code 65 crm-ar override I202611-00003 100 --reason x 2>err &&
	grep_q "^crm-ar: argument: discount: a percent from 0 to under 100 .100." err &&
	CRM_USER=fiona test_expect_code 65 crm-ar override I202611-00003 1.234 --reason x 2>err &&
	grep_q "^crm-ar: argument: discount:" err &&
	CRM_USER=fiona test_expect_code 65 crm-ar override I202611-00099 1 --reason x 2>err &&
	grep_q "^crm-ar: argument: invoice: no invoice .I202611-00099." err &&
	test "$(commits)" = $before && store_clean
'

test_expect_success 'override -n by a member shows the change and commits nothing' '
	cd s &&
	before=$(commits) &&
	CRM_USER=fiona crm-ar -n override I202611-00003 1 --reason dry >out &&
	grep_q "would commit: override I202611-00003 1% by fiona (finance): dry" out &&
	test "$(commits)" = $before &&
	test "$(disc_of I202611-00003)" = 0.50 &&
	store_clean
'

test_done
