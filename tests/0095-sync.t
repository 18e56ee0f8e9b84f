#!/bin/sh
# crm clone, sync, conflicts, resolve and the merge driver: clones that edit
# offline meet through a bare remote; an edit of one field on each side is no
# conflict, the same field two ways is one conflict, kept as ours and listed;
# ledgers merge as a union; balances (stock, open items) add up.
. "${0%/*}/lib.sh"

# same_state A B: two clones hold the same commit and the same records.
same_state() {
	test "$(git -C "$1" rev-parse HEAD^{tree})" = "$(git -C "$2" rev-parse HEAD^{tree})" || {
		git -C "$1" log --oneline -3 >&2; git -C "$2" log --oneline -3 >&2; return 1; }
}

test_expect_success 'setup: a store pushed to a bare remote by its first sync' '
	new_store home &&
	crm-customer add "Acme" phone=111 region=north >/dev/null &&
	crm-customer add "Nova" phone=222 region=south >/dev/null &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add W-12 Wrench price=10.00 >/dev/null &&
	crm-stock in W-12 100 --cost 5.00 --date 2026-11-01 >/dev/null &&
	crm-ar invoice C000001 1000.00 --terms n/30 --date 2026-11-01 >/dev/null &&
	git init -q --bare -b main ../srv.git &&
	git remote add origin ../srv.git &&
	crm sync >out &&
	grep_q "^synced: 0 commits in (nothing new), 7 out" out &&
	test "$(git -C ../srv.git rev-parse main)" = "$(git rev-parse HEAD)" &&
	test -f .gitattributes && grep_q "merge=crm" .gitattributes &&
	git config merge.crm.driver | grep -q "merge-driver %O %A %B %P"
'

test_expect_success 'crm clone: the same records, the merge driver registered, a node code on first mint' '
	crm clone srv.git bob >/dev/null &&
	same_state home bob &&
	git -C bob config merge.crm.driver | grep -q "merge-driver" &&
	(cd bob && crm-visit log C000001 "first from bob" --date 2026-11-02 >../vid) &&
	grep -q "^V202611-00001-[A-Z2-9]\{4\}$" vid
'

test_expect_success 'one field each side: merged without a conflict, both ways' '
	(cd bob && crm-customer set C000001 grade=B >/dev/null && crm sync >/dev/null) &&
	(cd home && crm-customer set C000001 phone=999 >/dev/null && crm sync >../out 2>../err) &&
	grep_q "^synced: 2 commits in (merged), 2 out" out &&
	! test -s err &&
	(cd home && crm-customer show C000001 -o csv >../show) &&
	grep_q "^C000001,Acme,999,north,,B," show &&
	test "$(git -C home log -1 --format=%p | wc -w)" = 2 &&
	(cd bob && crm sync >../out) &&
	grep_q "fast-forward" out &&
	same_state home bob &&
	(cd home && crm check >/dev/null && crm conflicts >../c) && ! test -s c
'

test_expect_success 'the same field two ways: ours kept, one conflict with base, ours and theirs' '
	(cd bob && crm-customer set C000002 grade=C >/dev/null && crm sync >/dev/null) &&
	(cd home && crm-customer set C000002 grade=A >/dev/null && crm sync >/dev/null 2>../err) &&
	grep_q "1 conflict kept as ours" err &&
	(cd home && crm-customer show C000002 -o csv >../show && crm conflicts -o csv >../c) &&
	grep_q "^C000002,Nova,222,south,,A," show &&
	test "$(wc -l <c)" = 2 &&
	grep_q "^customers/000/000000.csv:C000002:grade,customers/000/000000.csv,C000002,grade,,A,C," c &&
	git -C home show --stat HEAD | grep -q conflicts.csv &&
	git -C home log -1 --format=%s | grep -q "1 conflict"
'

test_expect_success 'until settled, crm check and every write warn; the other clone sees the conflict' '
	(cd home && crm check >/dev/null 2>../err) && grep_q "1 conflict from merging" err &&
	(cd home && crm-customer set C000001 region=east >/dev/null 2>../err) && grep_q "warning: 1 conflict" err &&
	(cd home && crm sync >/dev/null 2>&1 && cd ../bob && crm sync >/dev/null 2>&1 && crm conflicts -o csv >../c) &&
	grep_q ",C000002,grade,,A,C," c
'

test_expect_success 'crm resolve ID field=value: the value set, the conflict gone, in one commit' '
	cd bob &&
	before=$(commits) &&
	test_expect_code 65 crm resolve C000002 phone=1 2>../err &&
	grep_q "no conflict on C000002" ../err &&
	test_expect_code 1 crm resolve C000001 2>../err &&
	test_expect_code 65 crm resolve C000002 grade=Z 2>../err &&
	test "$(commits)" = $before &&
	crm resolve C000002 grade=B >/dev/null 2>../err &&
	! test -s ../err &&
	test "$(commits)" = $((before + 1)) &&
	! test -f conflicts.csv &&
	crm-customer show C000002 -o csv | grep -q "^C000002,Nova,222,south,,B," &&
	crm sync >/dev/null && cd ../home && crm sync >/dev/null &&
	crm conflicts >../c && ! test -s ../c &&
	crm-customer show C000002 -o csv | grep -q "^C000002,Nova,222,south,,B,"
'

test_expect_success 'ledgers merge as a union: visits from both sides, every id once' '
	(cd home && crm-visit log C000001 "home 1" --date 2026-11-05 >/dev/null && crm-visit log C000002 "home 2" --date 2026-11-05 >/dev/null) &&
	(cd bob && crm-visit log C000001 "bob 1" --date 2026-11-05 >/dev/null && crm sync >/dev/null) &&
	(cd home && crm sync >/dev/null && crm-visit list -o csv --fields id,summary >../v) &&
	(cd bob && crm sync >/dev/null) && same_state home bob &&
	test "$(grep -c "home 1\|home 2\|bob 1\|first from bob" v)" = 4 &&
	test -z "$(cut -d, -f1 v | sort | uniq -d)" &&
	(cd home && crm check >/dev/null)
'

test_expect_success 'archive on one side, an edit on the other: archived, with the edit' '
	(cd bob && crm-customer archive C000002 >/dev/null && crm sync >/dev/null) &&
	(cd home && crm-customer set C000002 phone=777 >/dev/null && crm sync >/dev/null 2>../err) &&
	! grep -q conflict err &&
	(cd home && crm-customer show C000002 -o csv >../show) &&
	grep_q "^C000002,Nova,777,.*,archived," show
'

test_expect_success 'balances add up: stock out on both sides, a payment on each side' '
	(cd bob && crm sync >/dev/null && crm-stock out W-12 10 --date 2026-11-06 >/dev/null &&
		crm-ar pay C000001 300.00 --date 2026-11-06 >/dev/null && crm sync >/dev/null) &&
	(cd home && crm-stock out W-12 20 --date 2026-11-06 >/dev/null &&
		crm-ar pay C000001 200.00 --date 2026-11-06 >/dev/null && crm sync >/dev/null 2>../err) &&
	! grep -q conflict err &&
	(cd home && crm-stock level -o csv sku=W-12 >../lv && crm-ar list -o csv >../ar && crm check >../chk 2>&1) &&
	grep_q "^W-12,Wrench,,MAIN,70,,5.00,350.00$" lv &&
	grep_q "3 files\|problems" chk && grep_q " 0 problems" chk &&
	cat home/open/*/*.csv | grep "I202611-00001" >open && grep_q ",1000.00,500.00," open
'

test_expect_success '撞单 across clones: the same company added by two owners apart is one conflict' '
	(cd bob && crm sync >/dev/null 2>&1; CRM_USER=bob crm-customer add "Hangzhou Dianzi Co., Ltd." phone=13800000000 >../bid && crm sync >/dev/null) &&
	cd home && crm-customer add "HANGZHOU DIANZI" phone=1 >../hid &&
	crm sync >/dev/null 2>../err &&
	crm conflicts -o csv >../c &&
	grep_q "^customers:$(cat ../bid):(duplicate),customers,$(cat ../bid),(duplicate),,$(cat ../hid) .HANGZHOU DIANZI. owned by alice,\"$(cat ../bid) .Hangzhou Dianzi Co., Ltd.. owned by bob\"," ../c &&
	crm resolve "$(cat ../bid)" >/dev/null 2>&1 &&
	crm conflicts >../c && ! test -s ../c && crm sync >/dev/null
'

test_expect_success 'git pull merges records through the driver; crm sync then commits its conflicts' '
	(cd bob && crm sync >/dev/null && crm-customer set C000001 grade=D >/dev/null && crm-customer set C000001 phone=555 >/dev/null && crm sync >/dev/null) &&
	cd home &&
	crm-customer set C000001 grade=C region=west >/dev/null &&
	git -c pull.rebase=false pull -q --no-edit origin main 2>../err &&
	grep_q "1 conflict kept as ours" ../err &&
	store_clean &&
	crm-customer show C000001 -o csv | grep -q "^C000001,Acme,555,west,,C," &&
	crm conflicts -o csv | grep -q ",C000001,grade,B,C,D," &&
	test -f .git/crm-conflicts && ! test -f conflicts.csv &&
	crm sync >/dev/null 2>&1 &&
	test -f conflicts.csv && ! test -f .git/crm-conflicts &&
	crm resolve C000001 --theirs >/dev/null &&
	crm-customer show C000001 -o csv | grep -q "^C000001,Acme,555,west,,D," &&
	crm sync >/dev/null
'

test_expect_success 'a commit there that changes no file still merges (and the push is not refused forever)' '
	(cd bob && crm sync >/dev/null 2>&1; git commit -q --allow-empty -m "nothing" && crm sync >/dev/null) &&
	cd home && crm-customer set C000001 note=something >/dev/null &&
	crm sync >../out 2>&1 &&
	grep_q "merged" ../out &&
	test "$(git rev-parse HEAD)" = "$(git -C ../srv.git rev-parse main)" &&
	test "$(git log -1 --format=%p | wc -w)" = 2
'

test_expect_success 'crm sync --status: ahead, behind, unsynced commits, conflicts' '
	cd home &&
	crm-customer set C000001 note=later >/dev/null &&
	crm sync --status >../st &&
	grep_q "^ahead: 1$" ../st && grep_q "^behind: 0$" ../st && grep_q "note=later" ../st &&
	grep_q "^conflicts: 0$" ../st &&
	crm sync >/dev/null && crm sync --status >../st && grep_q "^ahead: 0$" ../st
'

test_expect_success 'an unreachable remote: 75, the store untouched and usable' '
	cd home &&
	head=$(git rev-parse HEAD) &&
	git remote add gone ../nowhere.git &&
	test_expect_code 75 crm sync gone 2>../err &&
	grep_q "cannot fetch from gone" ../err &&
	test "$(git rev-parse HEAD)" = "$head" && store_clean &&
	crm-customer set C000001 note=still >/dev/null
'

test_expect_success 'a remote that is not a crm store, or another store: 65, nothing changed' '
	git init -q plain && (cd plain && echo x >f && git add f && git commit -qm x) &&
	cd home && head=$(git rev-parse HEAD) &&
	git remote add plain ../plain && test_expect_code 65 crm sync plain 2>../err &&
	grep_q "no history in common\|not a crm store" ../err &&
	cd .. && new_store other && git remote add home ../home && git fetch -q home &&
	test_expect_code 65 crm sync home 2>../err && grep_q "no history in common" ../err &&
	cd ../home && test "$(git rev-parse HEAD)" = "$head" && store_clean
'

test_expect_success 'the currency changed two ways: 65, nothing changed; changed on one side: taken' '
	crm clone srv.git carol >/dev/null &&
	(cd bob && crm sync >/dev/null 2>&1; git config -f crm.conf company.currency USD && git commit -qam "usd" && crm sync >/dev/null) &&
	cd carol && git config -f crm.conf company.currency EUR && git commit -qam eur &&
	head=$(git rev-parse HEAD) &&
	test_expect_code 65 crm sync 2>../err &&
	grep_q "company.currency: .EUR. here, .USD. on origin (was .CNY.)" ../err &&
	test "$(git rev-parse HEAD)" = "$head" && store_clean &&
	cd ../home && crm sync >/dev/null 2>&1 && test "$(git config -f crm.conf company.currency)" = USD
'

test_expect_success 'an uncommitted edit in a file the merge must write: 65, the edit kept' '
	crm clone srv.git dave >/dev/null && crm clone srv.git erin >/dev/null &&
	(cd erin && crm-customer set C000001 note=erin >/dev/null && crm sync >/dev/null) &&
	cd dave && crm-customer set C000001 region=x >/dev/null &&
	sed -i "s/^C000002,Nova/C000002,Nova Hand/" customers/000/000000.csv &&
	head=$(git rev-parse HEAD) &&
	test_expect_code 65 crm sync 2>../err &&
	grep_q "changes not committed" ../err &&
	test "$(git rev-parse HEAD)" = "$head" && grep -q "Nova Hand" customers/000/000000.csv
'

test_expect_success 'a conflicts file edited into nonsense: crm check names it, 65' '
	cd home && crm-customer set C000001 grade=A >/dev/null &&
	printf "key,path,record,field\nx,y,z\n" >conflicts.csv && git add conflicts.csv && git commit -qm "hand" &&
	test_expect_code 65 crm check >/dev/null 2>../err &&
	grep_q "conflicts.csv:2" ../err &&
	test_expect_code 65 crm conflicts 2>../err && grep_q "conflicts.csv:2" ../err
'

# The CA bundle is read only before the network is used (tlsdefer.c): an https
# server with a certificate no CA signed is refused, not trusted.
test_expect_success 'https: a self-signed server certificate is refused (75), nothing cloned' '
	openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -days 1 -subj "/CN=localhost" 2>/dev/null &&
	port=$((20000 + $$ % 20000)) &&
	{ openssl s_server -accept $port -cert c.pem -key k.pem -www >/dev/null 2>&1 & echo $! >srv.pid; } &&
	sleep 1 &&
	test_expect_code 75 crm clone https://localhost:$port/x tls >/dev/null 2>err;
	rc=$?; kill $(cat srv.pid) 2>/dev/null; test $rc = 0 &&
	grep_q "certificate" err && test ! -e tls
'

test_done
