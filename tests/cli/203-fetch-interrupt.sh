# An interrupted odl-fetch (SIGINT, SIGTERM, SIGKILL mid-transfer) leaves
# no file under its final name; the next run resumes it and completes it.
# SIGINT and SIGTERM give the transfer in flight an "interrupted" line.
. tests/cli/lib.sh
. tests/cli/fetch.sh

# wait_part: until a part with bytes in it exists in the cache (5 s at most)
wait_part() {
	i=0
	while [ $i -lt 100 ]; do
		[ -n "$(find cache -name '*.part' -size +0 2>/dev/null)" ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	fail "no part file appeared"
}

interrupt() { # SIGNAL EXPECTED_STATUS FILE SHA256
	$FETCH -q url "$BASE/fault/stall/$3" >"$TMP/first" 2>"$TMP/first.err" &
	pid=$!
	wait_part
	# meanwhile, a second run on the same cache leaves that part alone
	run 1 $BIN/odl-fetch --cache cache -o dl2 -q --rate 0 url "$BASE/fault/stall/$3"
	same_manifest "{\"url\":\"http://127.0.0.1:PORT/fault/stall/$3\",\"path\":null,\"status\":\"failed\",\"error\":{\"class\":\"write\",\"message\":\"being downloaded by another process\"},\"http_status\":null,\"bytes\":null,\"sha256\":null,\"sha1\":null,\"content_type\":null,\"etag\":null,\"last_modified\":null,\"from_cache\":false,\"dataset\":null,\"resource\":null,\"organization\":null,\"schema\":null}"
	kill -"$1" $pid
	wait $pid
	got=$?
	[ "$got" = "$2" ] || fail "$1: exit $got, wanted $2"
	absent "dl/$3"
	no_partial dl
	if [ "$1" = KILL ]; then
		empty "$TMP/first"
	else
		# the transfer in flight says so in the manifest before the program ends
		cp "$TMP/first" "$TMP/out"
		same_manifest "{\"url\":\"http://127.0.0.1:PORT/fault/stall/$3\",\"path\":null,\"status\":\"interrupted\",\"error\":{\"class\":\"interrupted\",\"message\":\"interrupted by SIG$1: the part is kept for the next run\"},\"http_status\":200,\"bytes\":null,\"sha256\":null,\"sha1\":null,\"content_type\":null,\"etag\":null,\"last_modified\":null,\"from_cache\":false,\"dataset\":null,\"resource\":null,\"organization\":null,\"schema\":null}"
		empty "$TMP/first.err"
	fi
	run 0 $FETCH -q url "$BASE/fault/stall/$3"
	file_is "dl/$3" "$4"
	awk -v p="/fault/stall/$3" '$3 == p { print $4 }' "$TMP/server.log" | sed 's/=[0-9][0-9]*-$/=N-/' >"$TMP/ranges"
	printf 'range=-\nrange=bytes=N-\n' >"$TMP/want"
	same "$TMP/ranges" "$TMP/want"
	no_partial cache
}

interrupt INT 130 big.bin 30e83447470e7f5ae7f3af0b52d01afdb56f7edfc24f426112789358f95ee316
rm -rf dl cache
: >"$TMP/server.log"
interrupt TERM 143 huge1.bin "$(python3 -c 'import hashlib; s = hashlib.sha256(b"huge1.bin").digest(); print(hashlib.sha256(s * 2048 * 32).hexdigest())')"
rm -rf dl cache
interrupt KILL 137 huge0.bin "$(python3 -c 'import hashlib; s = hashlib.sha256(b"huge0.bin").digest(); print(hashlib.sha256(s * 2048 * 32).hexdigest())')"

done_testing
