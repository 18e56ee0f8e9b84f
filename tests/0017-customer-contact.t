#!/bin/sh
# crm-customer contact add|list: the people at a customer.
. "${0%/*}/lib.sh"
CRM_USER=alice
export CRM_USER

test_expect_success 'setup' '
	new_store s &&
	crm-customer add "Acme Trading" >/dev/null &&
	crm-customer add 北京用友科技有限公司 >/dev/null
'

test_expect_success 'contact add prints the new id; one commit; the fields are kept' '
	cd s &&
	before=$(commits) &&
	crm-customer contact add C000001 "Li Lei" title=buyer phone=138-0000-0001 email=li@acme.example "note=prefers, calls" >out 2>err &&
	printf "P000001\n" >expect && test_cmp expect out && test ! -s err &&
	test "$(commits)" = $((before + 1)) &&
	grep_q "^P000001,C000001,Li Lei,buyer,138-0000-0001,li@acme.example,\"prefers, calls\"$" contacts/000/000000.csv &&
	git log -1 --format=%s | grep -q "contact add P000001 Li Lei for C000001" &&
	store_clean
'

test_expect_success 'contact ids follow on across customers' '
	cd s &&
	crm-customer contact add C000002 韩梅梅 title=财务 >out && test "$(cat out)" = P000002 &&
	crm-customer contact add C000001 "Wang Wu" >out && test "$(cat out)" = P000003
'

test_expect_success 'contact list CUSTOMER: that customer'"'"'s contacts, in id order' '
	cd s &&
	crm-customer contact list C000001 -o csv --fields id,name >out &&
	printf "id,name\nP000001,Li Lei\nP000003,Wang Wu\n" >expect && test_cmp expect out
'

test_expect_success 'contact list with filters, with or without a customer; formats' '
	cd s &&
	crm-customer contact list -o csv --fields id title=财务 >out &&
	printf "id\nP000002\n" >expect && test_cmp expect out &&
	crm-customer contact list C000001 "name~^W" -o json --fields id,name >out &&
	printf "{\"id\":\"P000003\",\"name\":\"Wang Wu\"}\n" >expect && test_cmp expect out &&
	crm-customer contact list -o csv >out &&
	head -1 out | grep -q "^id,customer,name,title,phone,email,note$" &&
	test "$(wc -l <out)" = 4 &&
	crm-customer contact list -o table C000002 >out &&
	grep_q "^P000002  C000002   韩梅梅  财务" out
'

test_expect_success 'show lists the customer'"'"'s contacts' '
	cd s &&
	crm-customer show -o table C000001 >out &&
	grep_q "^contacts:$" out &&
	grep_q "Li Lei" out && grep_q "Wang Wu" out && ! grep -q "韩梅梅" out
'

test_expect_success 'contact list: nothing found is 1; unknown field is 2' '
	cd s &&
	test_expect_code 1 crm-customer contact list C000099 >/dev/null &&
	test_expect_code 1 crm-customer contact list C000001 title=CEO >/dev/null &&
	test_expect_code 2 crm-customer contact list colour=red 2>err && grep_q "colour" err
'

# refused CODE 'message regex' contact-add-args...
refused() {
	code=$1 msg=$2
	shift 2
	before=$(commits) &&
	test_expect_code "$code" crm-customer contact add "$@" 2>err &&
	grep_q "$msg" err &&
	test "$(commits)" = $before && store_clean
}

test_expect_success 'contact add refusals: nothing written' '
	cd s &&
	refused 1 "^crm-customer: no customer .C000099.$" C000099 "No One" &&
	refused 65 "^crm-customer: argument: id: id may hold only" ../x "No One" &&
	refused 65 "^crm-customer: argument: colour: no such field in contacts$" C000001 "X Y" colour=red &&
	refused 65 "^crm-customer: argument: id: kept by crm" C000001 "X Y" id=P000009 &&
	refused 65 "^crm-customer: argument: name: invalid UTF-8" C000001 "$(printf "X\377")" &&
	refused 65 "^crm-customer: argument: title: invalid UTF-8" C000001 "X Y" "title=$(printf "\355\240\200")" &&
	refused 2 "contact add CUSTOMER NAME" C000001 &&
	refused 2 "cannot write" --at HEAD C000001 "X Y"
'

test_expect_success 'contact add: an archived customer takes no new contacts (65)' '
	cd s &&
	crm-customer archive C000002 &&
	refused 65 "^crm-customer: argument: customer: C000002 is archived$" C000002 "Late Contact"
'

test_expect_success 'contact without a subcommand, or an unknown one, is usage (2)' '
	cd s &&
	test_expect_code 2 crm-customer contact 2>err && grep_q "usage:" err &&
	test_expect_code 2 crm-customer contact remove P000001 2>err
'

test_expect_success 'contacts are checked by crm check after all this' '
	cd s &&
	crm check >out 2>err
'

test_done
