#!/bin/sh
# crm clone and crm sync over ssh: a real sshd on 127.0.0.1 serving a bare
# remote, the client's key found in ~/.ssh (no agent). .ci/run installs
# openssh-server; the test needs /usr/sbin/sshd.
. "${0%/*}/lib.sh"

port=$((30000 + $$ % 20000))
sshd=/usr/sbin/sshd
me=$(id -un)

test_expect_success 'setup: an sshd on 127.0.0.1 with a key of our own, a store on a bare remote' '
	test -x $sshd &&
	mkdir -p ssh "$HOME/.ssh" &&
	ssh-keygen -q -t ed25519 -N "" -f ssh/host &&
	ssh-keygen -q -t ed25519 -N "" -f "$HOME/.ssh/id_ed25519" &&
	cp "$HOME/.ssh/id_ed25519.pub" ssh/authorized_keys &&
	{ [ "$(id -u)" != 0 ] || mkdir -p /run/sshd; } &&
	cat >ssh/config <<-EOF &&
	Port $port
	ListenAddress 127.0.0.1
	HostKey $TRASH/ssh/host
	AuthorizedKeysFile $TRASH/ssh/authorized_keys
	StrictModes no
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	UsePAM no
	PidFile $TRASH/ssh/pid
	SetEnv PATH=$PATH
	EOF
	$sshd -f "$TRASH/ssh/config" -E "$TRASH/ssh/log" &&
	i=0 && while ! test -s ssh/pid && test $i -lt 50; do sleep 0.1; i=$((i + 1)); done &&
	test -s ssh/pid &&
	ssh-keyscan -p $port -t ed25519 127.0.0.1 >>"$HOME/.ssh/known_hosts" 2>/dev/null &&
	grep -q ed25519 "$HOME/.ssh/known_hosts" &&
	new_store office &&
	crm-customer add "Acme" phone=111 >/dev/null &&
	git init -q --bare -b main ../srv.git &&
	git remote add origin "ssh://$me@127.0.0.1:$port$TRASH/srv.git" &&
	crm sync >../out 2>&1 || { cat ../out ../ssh/log; false; }
'

test_expect_success 'a server whose host key is not in known_hosts: refused, 75, nothing cloned' '
	mv "$HOME/.ssh/known_hosts" kh &&
	test_expect_code 75 crm clone "ssh://$me@127.0.0.1:$port$TRASH/srv.git" stranger 2>err &&
	grep_q "not in ~/.ssh/known_hosts" err &&
	mv kh "$HOME/.ssh/known_hosts"
'

test_expect_success 'crm clone over ssh, an edit on each side, crm sync merges both' '
	crm clone "ssh://$me@127.0.0.1:$port$TRASH/srv.git" bob >out 2>&1 || { cat out ssh/log; false; }
	(cd bob && crm-customer set C000001 grade=B >/dev/null && crm sync >/dev/null) &&
	(cd office && crm-customer set C000001 phone=999 >/dev/null && crm sync >../out) &&
	grep_q "merged" out &&
	(cd bob && crm sync >/dev/null) &&
	test "$(git -C office rev-parse HEAD)" = "$(git -C bob rev-parse HEAD)" &&
	(cd bob && crm-customer show C000001 -o csv) | grep -q "^C000001,Acme,999,,,B,"
'

test_expect_success 'the sshd gone: 75, nothing changed' '
	kill "$(cat ssh/pid)" && sleep 0.3 &&
	cd office &&
	crm-customer set C000001 note=offline >/dev/null &&
	head=$(git rev-parse HEAD) &&
	test_expect_code 75 crm sync 2>../err &&
	grep_q "cannot fetch from origin" ../err &&
	test "$(git rev-parse HEAD)" = "$head" && store_clean
'

kill "$(cat "$TRASH/ssh/pid" 2>/dev/null)" 2>/dev/null
test_done
