# tests/cli/fetch.sh - sourced by the 2NN-fetch-*.sh tests after lib.sh:
# starts tests/fetch_server.py on 127.0.0.1 (it stops by itself after a
# minute; the EXIT trap stops it sooner) and runs odl-fetch from $TMP so
# the manifest's paths are relative ("dl/...").  FETCH_ROOT serves other
# fixtures than testdata/fetch (api/ and files/ under it).
need_cmd python3
python3 "$ODL_TOP/tests/fetch_server.py" --root "${FETCH_ROOT:-$ODL_TOP/testdata/fetch}" --lifetime "${FETCH_LIFETIME:-90}" \
	--log "$TMP/server.log" --huge-mb 2 >"$TMP/port" 2>"$TMP/server.err" &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(head -1 "$TMP/port")
[ -n "$PORT" ] || { echo "FAIL: the test server did not start"; cat "$TMP/server.err"; exit 1; }
BASE=http://127.0.0.1:$PORT
cd "$TMP" || exit 1
: >"$TMP/server.log"
# odl-fetch with a private cache, no rate limit and short retry waits
FETCH="$BIN/odl-fetch --cache cache -o dl --rate 0 --retry-delay 0.05 --api $BASE/api/1"

# norm FILE: the manifest with the server's port replaced by PORT, lines sorted
norm() {
	sed "s/127\.0\.0\.1:$PORT/127.0.0.1:PORT/g" "$1" | LC_ALL=C sort
}

# same_manifest 'line'... : $TMP/out, normalized, is exactly these lines (sorted)
same_manifest() {
	norm "$TMP/out" >"$TMP/got.ndjson"
	printf '%s\n' "$@" | LC_ALL=C sort >"$TMP/want.ndjson"
	same "$TMP/got.ndjson" "$TMP/want.ndjson"
}

# requests PATH: how many requests the server saw for PATH
requests() {
	awk -v p="$1" '$3 == p' "$TMP/server.log" | wc -l | tr -d ' '
}

# no_partial DIR: nothing but complete files under DIR (no .part, no .tmp.*)
no_partial() {
	found=$(find "$1" -name '*.part' -o -name '*.tmp.*' 2>/dev/null)
	[ -z "$found" ] || fail "partial files left: $found"
}

# absent FILE
absent() {
	[ ! -e "$1" ] || fail "'$1' exists"
}

# file_is FILE SHA256
file_is() {
	if [ ! -f "$1" ]; then fail "'$1' missing"; return; fi
	got=$(sha256sum "$1" | cut -d' ' -f1)
	[ "$got" = "$2" ] || fail "'$1' has sha256 $got, wanted $2"
}

# empty FILE
empty() {
	[ ! -s "$1" ] || { fail "'$1' is not empty"; sed 's/^/  | /' "$1" | head -5; }
}
