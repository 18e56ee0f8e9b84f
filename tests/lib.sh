# tests/lib.sh: TAP helpers for crm's shell tests, in the manner of git's test-lib.
# Each script: `. "${0%/*}/lib.sh"`, then test_expect_success ..., then test_done.
set -u
TEST_SRC=$(cd "${0%/*}/.." && pwd)
: "${CRM_BIN:=$TEST_SRC/bin}"
: "${CRM_UNIT:=$TEST_SRC/build/unit}"
PATH="$CRM_BIN:$PATH"
export PATH CRM_BIN CRM_UNIT

# A fixed world: time zone, locale, identity, no user config, no store from outside.
TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
GIT_AUTHOR_NAME="Alice Test" GIT_AUTHOR_EMAIL="alice@example.com"
GIT_COMMITTER_NAME="Alice Test" GIT_COMMITTER_EMAIL="alice@example.com"
GIT_CONFIG_NOSYSTEM=1 HOME=
CRM_LOCK_TIMEOUT=5
export TZ LC_ALL LANG GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_CONFIG_NOSYSTEM CRM_LOCK_TIMEOUT
unset CRM_DIR CRM_USER CRM_WATCHDOG GIT_DIR GIT_WORK_TREE

TRASH=$(mktemp -d "${TMPDIR:-/tmp}/crm-test.XXXXXX")
HOME=$TRASH/home
mkdir -p "$HOME"
export HOME
cd "$TRASH" || exit 1
trap 'cd /; rm -rf "$TRASH"' EXIT

test_count=0
test_failed=0

say() { printf '# %s\n' "$*"; }

# test_expect_success 'description' 'shell code'
test_expect_success() {
	test_count=$((test_count + 1))
	if (eval "$2") >"$TRASH/.out" 2>&1; then
		printf 'ok %d - %s\n' "$test_count" "$1"
	else
		test_failed=$((test_failed + 1))
		printf 'not ok %d - %s\n' "$test_count" "$1"
		sed 's/^/#   /' "$TRASH/.out"
	fi
}

# test_must_fail cmd...: fails unless cmd exits non-zero (and not by a signal).
test_must_fail() {
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "test_must_fail: '$*' succeeded" >&2
		return 1
	elif [ $rc -gt 128 ]; then
		echo "test_must_fail: '$*' died of signal $((rc - 128))" >&2
		return 1
	fi
	return 0
}

# test_expect_code N cmd...: the command exits with status N.
test_expect_code() {
	want=$1
	shift
	"$@"
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "test_expect_code: '$*' exited $rc, wanted $want" >&2
		return 1
	fi
	return 0
}

# test_cmp expected actual
test_cmp() {
	diff -u "$1" "$2"
}

# grep_q PATTERN FILE: quiet grep that shows the file when it fails.
grep_q() {
	if grep -q -- "$1" "$2"; then
		return 0
	fi
	echo "'$1' not found in $2:" >&2
	cat "$2" >&2
	return 1
}

# new_store DIR: a fresh store, and cd into it in the caller's subshell.
new_store() {
	crm init "${1:-store}" >/dev/null && cd "${1:-store}"
}

# store_clean: no uncommitted change to a tracked file, and no crm temp file
# (FILE.crm-new, FILE.crm-old, the journal) or stray file inside a table folder.
# Scratch files of the test at the top of the store (out, err) are allowed.
store_clean() {
	st=$(git status --porcelain --ignored --untracked-files=all |
		grep -v '^?? [^/]*$' ; ls .git/crm-journal 2>/dev/null)
	if [ -n "$st" ]; then
		echo "work tree not clean:" >&2
		echo "$st" >&2
		return 1
	fi
	return 0
}

# commits: the number of commits on HEAD.
commits() {
	git rev-list --count HEAD
}

test_done() {
	printf '1..%d\n' "$test_count"
	[ "$test_failed" -eq 0 ]
}
