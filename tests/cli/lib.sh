# tests/cli/lib.sh - helpers for the end-to-end tests, sourced by each
# tests/cli/NNN-name.sh.  A test runs the real programs from $ODL_BUILD/bin,
# compares whole outputs with expected files and checks exact exit codes.
# Exit 0 = pass, 77 = skipped (say why on the last line), else fail.
set -u
: "${ODL_BUILD:?run through tests/run}"
: "${ODL_TOP:?run through tests/run}"
BIN=$ODL_BUILD/bin
TESTDATA=$ODL_TOP/testdata
EXPECTED=$ODL_TOP/tests/cli/expected
SHARED=$(cd "$ODL_TOP/.." && pwd)/shared/reference
export ODL_DATA_DIR="$ODL_TOP/data"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# run EXPECTED_STATUS CMD... : run CMD with stdout to $TMP/out, stderr to
# $TMP/err; a status other than the expected one is a failure.
run() {
	want=$1; shift
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "exit $got (wanted $want): $*"
		sed 's/^/  stderr: /' "$TMP/err" | head -20
	fi
	return 0
}

# demo_server [ARG]... : start scripts/demo-server (testdata/demo, or the
# --root given) on 127.0.0.1; PORT is its port, SERVER_PID its process,
# stopped on exit.
demo_server() {
	need_cmd python3
	python3 "$ODL_TOP/scripts/demo-server" --timeout 60 "$@" >"$TMP/port" 2>"$TMP/server.err" &
	SERVER_PID=$!
	trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null; rm -rf "$TMP"' EXIT
	i=0
	while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	PORT=$(head -1 "$TMP/port")
	[ -n "$PORT" ] || { echo "FAIL: the demo server did not start"; cat "$TMP/server.err"; exit 1; }
}

# same FILE EXPECTED_FILE : whole-file comparison with a diff on mismatch.
# ODL_BLESS=1 rewrites an expected file under tests/cli/expected instead
# (then review the change with git diff before committing it).
same() {
	if [ "${ODL_BLESS:-}" = 1 ] && [ "${2#"$EXPECTED"/}" != "$2" ] && ! cmp -s "$1" "$2"; then
		cp "$1" "$2"
		echo "blessed $2"
		return 0
	fi
	if ! cmp -s "$1" "$2"; then
		fail "$1 differs from $2"
		diff -u "$2" "$1" | head -40
	fi
}

# same_text FILE 'text' : the file holds exactly that text (plus newline).
same_text() {
	printf '%s\n' "$2" >"$TMP/want"
	same "$1" "$TMP/want"
}

need_shared() {
	if [ ! -d "$SHARED" ]; then
		echo "skipped: ../shared/reference is not beside this clone"
		exit 77
	fi
}

need_cmd() {
	command -v "$1" >/dev/null 2>&1 || { echo "skipped: '$1' is not installed"; exit 77; }
}

done_testing() {
	[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
	exit 0
}
