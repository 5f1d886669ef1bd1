# odl-fetch resumes a broken download with a range request, and starts over
# when the server ignores ranges; the file appears only once complete.
. tests/cli/lib.sh
. tests/cli/fetch.sh

H=30e83447470e7f5ae7f3af0b52d01afdb56f7edfc24f426112789358f95ee316
S1=1d2ea0d5b0b34985a890c644e429c41a791cfb89
LM='Tue, 14 Nov 2023 22:13:20 GMT'
line() { # URLPATH FILE HTTP_STATUS
	printf '{"url":"http://127.0.0.1:PORT%s","path":"dl/%s","status":"ok","error":null,"http_status":%s,"bytes":1036000,"sha256":"%s","sha1":"%s","content_type":"text/csv; charset=utf-8","etag":"\\"%s\\"","last_modified":"%s","from_cache":false,"dataset":null,"resource":null,"organization":null,"schema":null}' \
		"$1" "$2" "$3" "$H" "$S1" "$S1" "$LM"
}

run 0 $FETCH -q url "$BASE/fault/disconnect/big.bin"
same_manifest "$(line /fault/disconnect/big.bin big.bin 206)"
file_is dl/big.bin $H
awk '$3 == "/fault/disconnect/big.bin" { print $4 }' "$TMP/server.log" >"$TMP/ranges"
printf 'range=-\nrange=bytes=518000-\n' >"$TMP/want"
same "$TMP/ranges" "$TMP/want"
no_partial dl
no_partial cache

rm -rf dl cache
run 0 $FETCH -q url "$BASE/fault/norange/big.bin"
same_manifest "$(line /fault/norange/big.bin big.bin 200)"
file_is dl/big.bin $H
awk '$3 == "/fault/norange/big.bin" { print $4 }' "$TMP/server.log" >"$TMP/ranges"
printf 'range=-\nrange=bytes=518000-\nrange=-\n' >"$TMP/want"
same "$TMP/ranges" "$TMP/want"
no_partial cache

done_testing
