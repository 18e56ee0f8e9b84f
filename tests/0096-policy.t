#!/bin/sh
# crm policy as a bare repository's pre-receive hook: a push is refused when
# its commits rewrite history, fail crm check, override a discount, write off
# or sell under a floor without the role (roles from the server's crm.conf,
# never the pushed one), or add a customer another owner has (撞单); each
# refusal names the commit, the record and the rule. Pushed with git's CLI to
# a path, and with crm sync through a real git daemon on 127.0.0.1.
. "${0%/*}/lib.sh"

# as WHO EMAIL cmd...: runs a crm command as that user and author.
as() {
	who=$1 mail=$2
	shift 2
	CRM_USER=$who GIT_AUTHOR_NAME=$who GIT_AUTHOR_EMAIL=$mail GIT_COMMITTER_NAME=$who GIT_COMMITTER_EMAIL=$mail "$@"
}

# refused_by_push PATTERN: git push is declined and the reason matches; the server did not move.
refused_by_push() {
	srv=$(git -C ../srv.git rev-parse main) &&
	test_must_fail git push -q origin main 2>../push.err &&
	grep_q "$1" ../push.err &&
	grep_q "pre-receive hook declined" ../push.err &&
	test "$(git -C ../srv.git rev-parse main)" = "$srv"
}

# drop_last: takes the refused commit back out of this clone (it was never shared).
drop_last() {
	git reset -q --hard origin/main
}

test_expect_success 'setup: a store with roles and a floor, on a bare remote with the hook' '
	new_store home &&
	git config -f crm.conf --add role.finance.member fin@example.com &&
	git config -f crm.conf --add role.director.member boss@example.com &&
	git commit -qam "roles" &&
	crm-customer add "Acme Ltd" phone=111 owner=alice >/dev/null &&
	crm-stock warehouse add MAIN Main >/dev/null &&
	crm-stock product add W-12 Wrench price=10.00 floor=8.00 >/dev/null &&
	crm-stock in W-12 100 --cost 5.00 --date 2026-11-01 >/dev/null &&
	crm-ar invoice C000001 1000.00 --terms 2/10,n/30 --date 2026-11-01 >/dev/null &&
	git init -q --bare -b main ../srv.git &&
	crm policy --install ../srv.git >out &&
	grep_q "pre-receive" out && test -x ../srv.git/hooks/pre-receive &&
	git remote add origin ../srv.git &&
	git push -q origin main 2>../push.err &&
	test "$(git -C ../srv.git rev-parse main)" = "$(git rev-parse HEAD)"
'

test_expect_success 'a clean push passes' '
	cd home &&
	crm-visit log C000001 "hello" --date 2026-11-02 >/dev/null &&
	git push -q origin main &&
	test "$(git -C ../srv.git rev-parse main)" = "$(git rev-parse HEAD)"
'

test_expect_success '撞单: a customer another owner has is refused, naming commit, record and owner' '
	cd home &&
	as bob bob@example.com crm-customer add "ACME Ltd." phone=999 --force >/dev/null &&
	c=$(git rev-parse --short=11 HEAD) &&
	refused_by_push "refused $c: C000002: 撞单.*C000001 .Acme Ltd. owned by alice" &&
	drop_last
'

test_expect_success 'a director may force a colliding customer in' '
	cd home &&
	as boss boss@example.com crm-customer add "ACME Ltd." phone=999 owner=boss --force >/dev/null &&
	git push -q origin main
'

test_expect_success 'a discount override by a non-member (a hand edit) is refused; by finance it passes' '
	cd home &&
	sed -i "s/^\(I202611-00001,.*\),,\$/\1,3.00,/" invoices/2026-11/0001.csv &&
	grep -q ",3.00,\$" invoices/2026-11/0001.csv &&
	git commit -qam "hand override" &&
	refused_by_push "I202611-00001: discount override 3.00% by alice@example.com needs the finance or director role" &&
	drop_last &&
	as fin fin@example.com crm-ar override I202611-00001 3 --reason "good customer" >/dev/null &&
	git push -q origin main
'

test_expect_success 'roles come from the server: a member only in the pushed crm.conf is refused' '
	cd home &&
	git config -f crm.conf --add role.finance.member alice@example.com && git commit -qam "me too" &&
	crm-ar writeoff I202611-00001 --reason "gone" >/dev/null &&
	refused_by_push "write-off of I202611-00001 by alice@example.com needs the finance role" &&
	drop_last
'

test_expect_success 'a line under its floor without the director role is refused' '
	cd home &&
	git config -f crm.conf --add role.director.member alice@example.com && git commit -qam "me director" &&
	crm-order new C000001 W-12:5@7.00 --reason "clearance" >/dev/null &&
	refused_by_push "W-12 under its price floor by alice@example.com needs the director role" &&
	drop_last
'

test_expect_success 'a tree that fails crm check is refused, with the problem named' '
	cd home &&
	sed -i "s/^C000001,Acme Ltd,111,\([^,]*\),\([^,]*\),[^,]*,/C000001,Acme Ltd,111,\1,\2,Z,/" customers/000/000000.csv &&
	git commit -qam "hand: grade Z" &&
	refused_by_push "customers/000/000000.csv:2: grade" &&
	drop_last
'

test_expect_success 'a push that rewrites history is refused' '
	cd home &&
	git reset -q --hard HEAD~1 &&
	crm-visit log C000001 "another past" --date 2026-11-03 >/dev/null &&
	test_must_fail git push -q -f origin main 2>../push.err &&
	grep_q "rewrites history" ../push.err &&
	drop_last
'

test_expect_success 'through a git daemon: crm sync pushes, and relays a refusal (65), commits kept here' '
	port=$((20000 + $$ % 20000)) &&
	git daemon --export-all --enable=receive-pack --base-path="$TRASH" --listen=127.0.0.1 --port=$port \
		--reuseaddr --pid-file="$TRASH/daemon.pid" --detach &&
	i=0 && while ! test -s "$TRASH/daemon.pid" && test $i -lt 50; do sleep 0.1; i=$((i + 1)); done &&
	sleep 0.3 &&
	crm clone git://127.0.0.1:$port/srv.git carol >/dev/null &&
	cd carol &&
	crm-visit log C000001 "over the daemon" --date 2026-11-04 >/dev/null &&
	crm sync >../out 2>&1 &&
	test "$(git -C ../srv.git rev-parse main)" = "$(git rev-parse HEAD)" &&
	as dan dan@example.com crm-customer add "Acme Ltd" phone=5 --force >/dev/null &&
	head=$(git rev-parse HEAD) &&
	test_expect_code 65 crm sync 2>../err &&
	grep_q "^remote: crm policy: refused" ../err && grep_q "撞单" ../err &&
	grep_q "refused the push" ../err &&
	test "$(git rev-parse HEAD)" = "$head" &&
	kill "$(cat "$TRASH/daemon.pid")" &&
	test_expect_code 75 crm sync 2>../err && grep_q "cannot fetch" ../err
'

kill "$(cat "$TRASH/daemon.pid" 2>/dev/null)" 2>/dev/null
test_done
