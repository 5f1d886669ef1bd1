# odl-fetch against injected faults: 500 then success, 429 + Retry-After,
# slow body, truncated body, redirect loop, too large, gzip.
. tests/cli/lib.sh
. tests/cli/fetch.sh

H=9c36c246c83eeb7b32ed1acb287885e9209120326e41c16f72a932828de53c91
S1=d5dfbe77a4898af81580a81729ed2f9c036e7df2
LM='Tue, 14 Nov 2023 22:13:20 GMT'
ok_line() { # URLPATH FILE
	printf '{"url":"http://127.0.0.1:PORT%s","path":"dl/%s","status":"ok","error":null,"http_status":200,"bytes":39,"sha256":"%s","sha1":"%s","content_type":"text/csv; charset=utf-8","etag":"\\"%s\\"","last_modified":"%s","from_cache":false,"dataset":null,"resource":null,"organization":null,"schema":null}' \
		"$1" "$2" "$H" "$S1" "$S1" "$LM"
}
failed_line() { # URLPATH CLASS MESSAGE HTTP_STATUS
	printf '{"url":"http://127.0.0.1:PORT%s","path":null,"status":"failed","error":{"class":"%s","message":"%s"},"http_status":%s,"bytes":null,"sha256":null,"sha1":null,"content_type":null,"etag":null,"last_modified":null,"from_cache":false,"dataset":null,"resource":null,"organization":null,"schema":null}' \
		"$1" "$2" "$3" "$4"
}

# 500 then success; 429 with Retry-After: 1 then success
run 0 $FETCH -q -j 2 url "$BASE/fault/500/hello.csv" "$BASE/fault/429/hello.csv"
same_manifest "$(ok_line /fault/500/hello.csv hello.csv)" "$(ok_line /fault/429/hello.csv hello-2.csv)"
[ "$(requests /fault/500/hello.csv)" = 2 ] || fail "500: $(requests /fault/500/hello.csv) requests, wanted 2"
[ "$(requests /fault/429/hello.csv)" = 2 ] || fail "429: $(requests /fault/429/hello.csv) requests, wanted 2"
# the retry after 429 waited for Retry-After (1 s), not for --retry-delay
wait=$(awk '$3 == "/fault/429/hello.csv" { t[n++] = $1 } END { print (t[1] - t[0] >= 0.95) ? "ok" : t[1] - t[0] }' "$TMP/server.log")
[ "$wait" = ok ] || fail "429 retried after $wait s"
file_is dl/hello.csv $H
file_is dl/hello-2.csv $H

# no retries left: the 500 is the answer
rm -rf dl
run 1 $FETCH -q --retries 0 url "$BASE/fault/500/notice.txt"
same_manifest "$(failed_line /fault/500/notice.txt http-5xx 'http status 500' 500)"
absent dl/notice.txt

# slow body past the timeout, truncated body, redirect loop
run 1 $FETCH -q --timeout 0.5 --retries 1 -j 3 url "$BASE/fault/slow/hello.csv" "$BASE/fault/truncated/big.bin" "$BASE/fault/loop/0"
same_manifest "$(failed_line /fault/slow/hello.csv timeout 'timed out' 200)" \
	"$(failed_line /fault/truncated/big.bin network 'transfer failed: Transferred a partial file' 200)" \
	"$(failed_line /fault/loop/0 redirect 'too many redirects' 302)"
# 3 requests: the retry asks for a range, the server ignores it (200), so
# the part is dropped and the file asked for again from its first byte
[ "$(requests /fault/slow/hello.csv)" = 3 ] || fail "slow: $(requests /fault/slow/hello.csv) requests, wanted 3"
[ "$(requests /fault/loop/0)" = 1 ] || fail "a redirect loop is not retried"
absent dl
no_partial dl

# broken transfers keep their part in the cache for a later resume
find cache -name '*.part' | wc -l >"$TMP/parts"
same_text "$TMP/parts" 2

# over --max-size: announced (Content-Length) or found while streaming (chunked)
rm -rf cache
run 1 $FETCH -q --max-size 100k url "$BASE/files/big.bin" "$BASE/fault/chunked/big.bin"
same_manifest "$(failed_line /files/big.bin too-large 'body larger than the size limit' 200)" \
	"$(failed_line /fault/chunked/big.bin too-large 'body larger than the size limit' 200)"
absent dl
find cache -name '*.part' >"$TMP/parts"
empty "$TMP/parts"

# --rate 4: five requests start at least 0.25 s apart, even with -j 5
: >"$TMP/server.log"
rm -rf dl cache
run 0 $FETCH -q -j 5 --rate 4 url "$BASE/files/n1.csv" "$BASE/files/n2.csv" "$BASE/files/n3.csv" "$BASE/files/n4.csv" "$BASE/files/n5.csv"
span=$(awk 'NR == 1 { a = $1 } { b = $1 } END { print (b - a >= 0.95 && NR == 5) ? "ok" : NR " requests in " b - a " s" }' "$TMP/server.log")
[ "$span" = ok ] || fail "rate: $span"
# -j 5 without a rate: the five run at once
: >"$TMP/server.log"
rm -rf dl cache
run 0 $FETCH -q -j 5 url "$BASE/files/n1.csv" "$BASE/files/n2.csv" "$BASE/files/n3.csv" "$BASE/files/n4.csv" "$BASE/files/n5.csv"
span=$(awk 'NR == 1 { a = $1 } { b = $1 } END { print (b - a < 0.9 && NR == 5) ? "ok" : NR " requests in " b - a " s" }' "$TMP/server.log")
[ "$span" = ok ] || fail "no rate: $span"

# gzip content encoding: the file is stored decoded
run 0 $FETCH -q url "$BASE/fault/gzip/hello.csv"
same_manifest "{\"url\":\"http://127.0.0.1:PORT/fault/gzip/hello.csv\",\"path\":\"dl/hello.csv\",\"status\":\"ok\",\"error\":null,\"http_status\":200,\"bytes\":39,\"sha256\":\"$H\",\"sha1\":\"$S1\",\"content_type\":\"text/csv\",\"etag\":null,\"last_modified\":null,\"from_cache\":false,\"dataset\":null,\"resource\":null,\"organization\":null,\"schema\":null}"
file_is dl/hello.csv $H
grep -q 'fault/gzip/hello.csv .* ae=gzip, deflate ' "$TMP/server.log" || fail "gzip not asked for"

done_testing
