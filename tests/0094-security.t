#!/bin/sh
# Hostile input: ids never become paths outside the store, values never run or
# inject, control characters never reach a terminal raw, symlinks are refused.
. "${0%/*}/lib.sh"

ESC=$(printf "\033")

# outside_snapshot FILE: every path under the scratch folder but the store.
outside_snapshot() {
	(cd "$TRASH" && find . -path ./s -prune -o -path ./snap.\* -prune -o -print | sort) >"$1"
}

test_expect_success 'setup' '
	new_store s &&
	crm-customer add Acme owner=bob >/dev/null &&
	crm-customer add Beta owner=bob >/dev/null
'

test_expect_success 'ids with ../, /, .git, control characters or 41+ characters: 65 or 1, nothing made outside' '
	cd s &&
	outside_snapshot ../snap.before &&
	old=$(git rev-parse HEAD) &&
	for id in ../../evil ../../../tmp/evil /tmp/evil .git/config .git C000001/../../evil "a b" \
		"$(printf "C1\033[2J")" "$(printf "C1\nC2")" "$(printf "C1\tx")" "$(printf "%041d" 1)" "C1;touch evil" "C1\$(touch evil)"; do
		for cmd in "crm-customer show" "crm-customer set" "crm log" "crm-customer archive" "crm-customer claim"; do
			case $cmd in *set) set -- "$id" grade=A ;; *) set -- "$id" ;; esac
			$cmd "$@" >/dev/null 2>err; rc=$?
			case $rc in 1|65) ;; *) echo "$cmd <$id>: exit $rc"; cat err; exit 1 ;; esac
			! grep -q "$ESC" err || { echo "$cmd: raw escape in the message"; exit 1; }
		done
		printf "id,name\n%s,x\n" "$id" | crm-customer import - >/dev/null 2>err
		[ $? = 65 ] || { echo "import <$id>"; cat err; exit 1; }
		printf "id,note\n%s,x\n" "$id" | crm-customer set - >/dev/null 2>err
		case $? in 1|65) ;; *) echo "set - <$id>"; cat err; exit 1 ;; esac
		crm-visit log "$id" "hello" >/dev/null 2>err
		case $? in 1|65) ;; *) echo "visit log <$id>"; cat err; exit 1 ;; esac
	done &&
	outside_snapshot ../snap.after &&
	test_cmp ../snap.before ../snap.after &&
	test ! -e /tmp/evil && test ! -e /tmp/evil.csv && test ! -e evil &&
	test "$(git rev-parse HEAD)" = "$old" &&
	store_clean
'

test_expect_success 'shell metacharacters in values are data: never run, kept as typed' '
	cd s &&
	v="\$(touch pwned1) \`touch pwned2\`; touch pwned3 | touch pwned4 && x > pwned5" &&
	id=$(crm-customer add "$v" owner=bob) &&
	crm-customer set $id note="$v" >/dev/null &&
	crm-customer list -o json id=$id >/dev/null && crm log $id >/dev/null &&
	crm-customer show $id >out &&
	grep -F -q "$v" out &&
	for f in pwned1 pwned2 pwned3 pwned4 pwned5; do test ! -e $f && test ! -e ../$f || exit 1; done
'

# on_tty CMD: runs CMD on a pseudo-terminal (script(1)), where output is a table.
on_tty() {
	script -qc "$1" /dev/null </dev/null | tr -d "\r"
}

test_expect_success 'terminal escapes and newlines: escaped on a terminal, one line per record in files' '
	command -v script >/dev/null || { echo "script(1) is needed (Debian package bsdutils)"; exit 1; }
	cd s &&
	id=$(crm-customer add "$(printf "Evil\033[31mRed\nSecond: line")" owner=bob) &&
	crm-customer set $id note="$(printf "a\033]0;title\007b\rc")" >/dev/null &&
	for cmd in "crm-customer list id=$id" "crm-customer show $id" "crm log $id" "crm-customer list -o table id=$id"; do
		on_tty "$cmd" >out
		grep -q "^id \|^commit " out || { echo "$cmd: no table"; cat out; exit 1; }
		! grep -q "$ESC\|$(printf "\a")" out || { echo "$cmd: raw control characters"; exit 1; }
		! grep -q "^Second" out || { echo "$cmd: a value began a line"; exit 1; }
		grep -F -q "Evil\x1b[31mRed\nSecond: line" out || grep -F -q "a\x1b]0;title\x07b\rc" out ||
			{ echo "$cmd: not escaped"; cat out; exit 1; }
	done &&
	crm-customer list -o table id=$id >out &&
	! grep -q "$ESC" out &&
	test "$(cat customers/000/000000.csv | wc -l)" = "$(($(crm-customer list -o csv | wc -l)))"
'

test_expect_success 'control characters in operands are escaped in error messages' '
	cd s &&
	test_must_fail crm-customer set C000001 grade="$(printf "Z\033[31m")" 2>err &&
	grep -q . err && ! grep -q "$ESC" err &&
	test_must_fail crm-customer set C000001 "$(printf "fi\033[2Jeld")=x" 2>err &&
	grep -q . err && ! grep -q "$ESC" err &&
	test_must_fail crm-customer list "$(printf "na\033me")=x" 2>err &&
	grep -q . err && ! grep -q "$ESC" err &&
	test "$(wc -l <err)" -le 3 &&
	printf "id,grade\nC000001,\033[31mQ\n" | test_must_fail crm-customer import - 2>err &&
	grep -q . err && ! grep -q "$ESC" err
'

test_expect_success 'a value or -m cannot add lines (trailers, authors) to the commit message' '
	cd s &&
	crm-customer set C000001 note="$(printf "ok\nSigned-off-by: Mallory <m@x>\n\nCo-authored-by: M <m@x>")" >/dev/null &&
	git log -1 --format=%B >msg &&
	! grep -q "^Signed-off-by\|^Co-authored-by" msg &&
	test -z "$(git log -1 "--format=%(trailers)")" &&
	crm-customer -m "$(printf "why\nSigned-off-by: Mallory <m@x>")" set C000001 grade=B >/dev/null &&
	git log -1 --format=%B >msg &&
	! grep -q "^Signed-off-by" msg && ! grep -q "$ESC" msg &&
	test -z "$(git log -1 "--format=%(trailers)")" &&
	id=$(crm-customer add "$(printf "X\n\nSigned-off-by: M <m@x>")" owner=bob) &&
	test -z "$(git log -1 "--format=%(trailers)")" &&
	test "$(git log -1 --format=%an)" = "Alice Test"
'

test_expect_success 'a symlinked table file is refused; its target is not touched' '
	cd s &&
	cp customers/000/000000.csv ../target.csv && cp ../target.csv ../target.orig &&
	mv customers/000/000000.csv ../saved.csv &&
	ln -s ../../../target.csv customers/000/000000.csv &&
	test_expect_code 65 crm-customer list 2>err >/dev/null &&
	grep_q "symbolic links are refused" err &&
	test_expect_code 65 crm-customer show C000001 2>err >/dev/null &&
	test_expect_code 65 crm-customer set C000001 note=through-the-link 2>err &&
	grep_q "symbolic links are refused" err &&
	test_cmp ../target.orig ../target.csv &&
	rm customers/000/000000.csv && mv ../saved.csv customers/000/000000.csv &&
	store_clean
'

test_expect_success 'a symlinked folder is refused; nothing is read or written through it' '
	cd s &&
	mkdir ../outside && cp customers/000/* ../outside/ && cp -r ../outside ../outside.orig &&
	mv customers/000 ../saved000 &&
	ln -s ../../outside customers/000 &&
	old=$(git rev-parse HEAD) &&
	test_expect_code 65 crm-customer set C000001 note=through-the-folder 2>err &&
	grep_q "customers/000: symbolic links are refused" err &&
	test_expect_code 65 crm-customer show C000001 2>err >/dev/null &&
	test_expect_code 65 crm-customer add Gamma owner=bob 2>err >/dev/null &&
	test_expect_code 65 crm-customer list 2>err >/dev/null &&
	diff -r ../outside.orig ../outside &&
	test "$(git rev-parse HEAD)" = "$old" &&
	rm customers/000 && mv ../saved000 customers/000 &&
	store_clean
'

test_expect_success 'a symlinked table folder is refused too' '
	cd s &&
	mv customers ../savedcust && ln -s ../savedcust customers &&
	test_expect_code 65 crm-customer set C000001 note=x 2>err &&
	grep_q "customers: symbolic links are refused" err &&
	rm customers && mv ../savedcust customers && store_clean
'

test_expect_success 'no shell is ever invoked: no system(), popen() or exec*() in the sources' '
	test -d "$TEST_SRC/src" &&
	test "$(find "$TEST_SRC/src" -name "*.c" | wc -l)" -gt 5 &&
	! grep -rnE "(^|[^_a-z])(system|popen|execl|execlp|execle|execv|execvp|execvpe|posix_spawnp?)[[:space:]]*\(" "$TEST_SRC/src"
'

test_done
