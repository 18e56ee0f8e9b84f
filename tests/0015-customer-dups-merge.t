#!/bin/sh
# crm-customer dups (probable duplicates) and merge KEEP DUP... (repoint references, archive the dup).
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup: look-alikes by name, by phone, one edit apart, and a loner' '
	new_store s &&
	crm-customer add "Pacific Trading Co., Ltd." owner=bob phone=010-6234-5678 >/dev/null &&
	crm-customer add --force "PACIFIC TRADING" owner=carol grade=B region=华北 >/dev/null &&
	crm-customer add "Harbour Freight" owner=dave phone=13800138000 >/dev/null &&
	crm-customer add --force "Other Name" owner=erin phone="+86 138 0013 8000" >/dev/null &&
	crm-customer add "Sunrise Bakery" >/dev/null &&
	crm-customer add "Sunrise Bakey" owner=frank >/dev/null &&
	crm-customer add "Lonely Ltd" >/dev/null &&
	test "$(crm-customer list -o csv | wc -l)" = 8
'

test_expect_success 'dups: groups with a reason; the loner is not listed' '
	cd s &&
	crm-customer dups -o csv >out 2>err &&
	test ! -s err &&
	head -1 out | grep -q "^group,reason,id,name,phone,owner$" &&
	grep_q "^[0-9]*,same name,C000001,\"Pacific Trading Co., Ltd.\",010-6234-5678,bob$" out &&
	grep_q "^[0-9]*,same name,C000002,PACIFIC TRADING,,carol$" out &&
	grep_q "^[0-9]*,same phone,C000003,Harbour Freight,13800138000,dave$" out &&
	grep_q "^[0-9]*,same phone,C000004,Other Name,+86 138 0013 8000,erin$" out &&
	grep_q "^[0-9]*,similar name,C000005,Sunrise Bakery,,alice$" out &&
	grep_q "^[0-9]*,similar name,C000006,Sunrise Bakey,,frank$" out &&
	! grep -q "C000007" out &&
	test "$(wc -l <out)" = 7
'

test_expect_success 'dups: the members of a group share its number' '
	cd s &&
	crm-customer dups -o csv >out &&
	g1=$(grep ",C000001," out | cut -d, -f1) && g2=$(grep ",C000002," out | cut -d, -f1) &&
	test "$g1" = "$g2" &&
	g3=$(grep ",C000003," out | cut -d, -f1) && g4=$(grep ",C000004," out | cut -d, -f1) &&
	test "$g3" = "$g4" && test "$g1" != "$g3"
'

test_expect_success 'merge setup: contacts and visits on the duplicate' '
	cd s &&
	crm-customer contact add C000002 "Li Lei" title=buyer >/dev/null &&
	crm-customer contact add C000001 "Han Meimei" >/dev/null &&
	crm-visit log --date 2026-10-01 C000002 "first visit" >/dev/null &&
	crm-visit log --date 2026-10-02 C000002 "second visit" >/dev/null
'

test_expect_success 'merge KEEP DUP: one commit; contacts and visits repointed; the dup archived with a note' '
	cd s &&
	before=$(commits) &&
	crm-customer merge C000001 C000002 >out 2>err &&
	test ! -s out && test ! -s err &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer contact list -o csv --fields id,customer,name >out &&
	printf "id,customer,name\nP000001,C000001,Li Lei\nP000002,C000001,Han Meimei\n" >expect && test_cmp expect out &&
	crm-visit list -o csv customer=C000001 >out &&
	test "$(grep -c "visit" out)" = 2 &&
	test_expect_code 1 crm-visit list customer=C000002 >/dev/null &&
	crm-customer show -o csv --fields id,status,note C000002 >out &&
	printf "id,status,note\nC000002,archived,merged into C000001\n" >expect && test_cmp expect out &&
	git log -1 --format=%s | grep -q "merge 1 duplicate(s) into C000001, 3 reference(s) repointed" &&
	git log -1 --format=%b | grep -q "^\\$ crm-customer merge C000001 C000002$" &&
	crm check >/dev/null && store_clean
'

test_expect_success 'merge: the kept record takes what it lacked from the dup, keeps what it had' '
	cd s &&
	crm-customer show -o csv --fields name,owner,grade,region,phone C000001 >out &&
	printf "name,owner,grade,region,phone\n\"Pacific Trading Co., Ltd.\",bob,B,华北,010-6234-5678\n" >expect &&
	test_cmp expect out
'

test_expect_success 'dups no longer lists an archived duplicate' '
	cd s &&
	crm-customer dups -o csv >out &&
	! grep -q ",C000002," out && ! grep -q ",C000001," out
'

test_expect_success 'merge of several duplicates is still one commit' '
	cd s &&
	crm-customer contact add C000004 "Wang" >/dev/null &&
	crm-customer contact add C000006 "Zhao" >/dev/null &&
	before=$(commits) &&
	crm-customer merge C000003 C000004 C000006 &&
	test "$(commits)" = $((before + 1)) &&
	crm-customer list -o csv --fields id,status "note~merged into C000003" >out &&
	printf "id,status\nC000004,archived\nC000006,archived\n" >expect && test_cmp expect out &&
	crm-customer contact list -o csv --fields name C000003 >out &&
	printf "name\nWang\nZhao\n" >expect && test_cmp expect out &&
	git log -1 --format=%s | grep -q "merge 2 duplicate(s) into C000003, 2 reference(s) repointed"
'

# refused CODE 'message regex' merge-args...
refused() {
	code=$1 msg=$2
	shift 2
	before=$(commits) &&
	test_expect_code "$code" crm-customer merge "$@" 2>err &&
	grep_q "$msg" err &&
	test "$(commits)" = $before && store_clean
}

test_expect_success 'merge refusals: nothing written' '
	cd s &&
	refused 1 "^crm-customer: no customer .C000099.$" C000001 C000099 &&
	refused 1 "^crm-customer: no customer .C000099.$" C000099 C000001 &&
	refused 2 "cannot be merged into itself" C000001 C000001 &&
	refused 2 "C000005 given twice" C000001 C000005 C000005 &&
	refused 2 "KEEP and at least one DUP" C000001 &&
	refused 65 "^crm-customer: argument: id: C000002 is archived" C000002 C000005 &&
	refused 65 "^crm-customer: argument: id: id may hold only" C000001 ../x &&
	refused 2 "cannot write" --at HEAD C000001 C000005 &&
	crm-customer show -o csv --fields status C000005 | grep -q "^active$"
'

test_expect_success 'merge -n: says what would change, commits nothing' '
	cd s &&
	before=$(commits) &&
	crm-customer -n merge C000001 C000005 >out &&
	grep_q "would" out &&
	test "$(commits)" = $before && store_clean &&
	crm-customer show -o csv --fields status C000005 | grep -q "^active$"
'

test_expect_success 'dups with nothing alike: 1 and only a header' '
	new_store t &&
	crm-customer add "Alpha Works" >/dev/null && crm-customer add "Zulu Foods" >/dev/null &&
	test_expect_code 1 crm-customer dups -o csv >out &&
	printf "group,reason,id,name,phone,owner\n" >expect && test_cmp expect out
'

test_expect_success 'dups: a pair alike by name and by phone is one group with both reasons' '
	new_store d2 &&
	crm-customer add "Blue Lantern" owner=bob phone=021-5555-0101 >/dev/null &&
	crm-customer add --force "BLUE LANTERN" owner=carol phone="021 5555 0101" >/dev/null &&
	crm-customer add "Green Door" owner=bob phone=021-5555-0202 >/dev/null &&
	crm-customer add --force "Red Door" owner=dave phone=02155550202 >/dev/null &&
	crm-customer dups -o csv >out &&
	test "$(wc -l <out)" = 5 &&
	grep_q "^1,\"same name, same phone\",C000001,Blue Lantern," out &&
	grep_q "^1,\"same name, same phone\",C000002,BLUE LANTERN," out &&
	grep_q "^2,same phone,C000003,Green Door," out &&
	grep_q "^2,same phone,C000004,Red Door," out
'

test_done
