# odl-fetch url: download, revalidate (304), offline, refused schemes, file: URLs.
. tests/cli/lib.sh
. tests/cli/fetch.sh

H=9c36c246c83eeb7b32ed1acb287885e9209120326e41c16f72a932828de53c91
S1=d5dfbe77a4898af81580a81729ed2f9c036e7df2
LM='Tue, 14 Nov 2023 22:13:20 GMT'
run 0 $FETCH -q url "$BASE/files/hello.csv"
same_manifest "{\"url\":\"http://127.0.0.1:PORT/files/hello.csv\",\"path\":\"dl/hello.csv\",\"status\":\"ok\",\"error\":null,\"http_status\":200,\"bytes\":39,\"sha256\":\"$H\",\"sha1\":\"$S1\",\"content_type\":\"text/csv; charset=utf-8\",\"etag\":\"\\\"$S1\\\"\",\"last_modified\":\"$LM\",\"from_cache\":false,\"dataset\":null,\"resource\":null,\"organization\":null,\"schema\":null}"
file_is dl/hello.csv $H
empty "$TMP/err"
grep -q "ua=odl/0.1.0" "$TMP/server.log" || fail "no odl/<version> user agent"

# second run: conditional request, 304, the file is still there
: >"$TMP/server.log"
rm dl/hello.csv
run 0 $FETCH url "$BASE/files/hello.csv"
same_manifest "{\"url\":\"http://127.0.0.1:PORT/files/hello.csv\",\"path\":\"dl/hello.csv\",\"status\":\"not-modified\",\"error\":null,\"http_status\":304,\"bytes\":39,\"sha256\":\"$H\",\"sha1\":\"$S1\",\"content_type\":\"text/csv; charset=utf-8\",\"etag\":\"\\\"$S1\\\"\",\"last_modified\":\"$LM\",\"from_cache\":true,\"dataset\":null,\"resource\":null,\"organization\":null,\"schema\":null}"
same_text "$TMP/err" "odl-fetch: 1 resource: 0 ok, 1 not modified, 0 cached, 0 failed, 39 B"
file_is dl/hello.csv $H
grep -q "inm=\"$S1\" ims=$LM" "$TMP/server.log" || fail "no If-None-Match / If-Modified-Since sent"

# offline: from the cache without a request; a URL never fetched fails
: >"$TMP/server.log"
run 1 $FETCH -q --offline --schema scdl/defibrillateurs url "$BASE/files/hello.csv" "$BASE/files/notice.txt"
same_manifest "{\"url\":\"http://127.0.0.1:PORT/files/hello.csv\",\"path\":\"dl/hello.csv\",\"status\":\"cached\",\"error\":null,\"http_status\":null,\"bytes\":39,\"sha256\":\"$H\",\"sha1\":\"$S1\",\"content_type\":\"text/csv; charset=utf-8\",\"etag\":\"\\\"$S1\\\"\",\"last_modified\":\"$LM\",\"from_cache\":true,\"dataset\":null,\"resource\":null,\"organization\":null,\"schema\":{\"name\":\"scdl/defibrillateurs\",\"version\":null}}" \
	'{"url":"http://127.0.0.1:PORT/files/notice.txt","path":null,"status":"failed","error":{"class":"offline","message":"not in the cache"},"http_status":null,"bytes":null,"sha256":null,"sha1":null,"content_type":null,"etag":null,"last_modified":null,"from_cache":false,"dataset":null,"resource":null,"organization":null,"schema":{"name":"scdl/defibrillateurs","version":null}}'
empty "$TMP/server.log"
absent dl/notice.txt

# refused schemes, a missing file: URL, a 404, a redirect followed
printf 'a;b\n1;2\n' >local.csv
run 1 $FETCH -q url "ftp://example.org/x.csv" "file://$TMP/local.csv" "file://$TMP/missing.csv" "$BASE/files/nope.csv" "$BASE/redirect/hello.csv"
norm "$TMP/out" | sed "s|$TMP|TMP|g" >"$TMP/got"
cat >"$TMP/want" <<'WANT'
{"url":"file://TMP/local.csv","path":"dl/local.csv","status":"ok","error":null,"http_status":null,"bytes":8,"sha256":"403bea5152c251c5bc7ef420d824d191605723f99392e83a0549ad58c6d46291","sha1":"8ed8c0adb521e1b006b5acd8c2c0802f93fd9cd7","content_type":null,"etag":null,"last_modified":"LM","from_cache":false,"dataset":null,"resource":null,"organization":null,"schema":null}
{"url":"file://TMP/missing.csv","path":null,"status":"failed","error":{"class":"http-4xx","message":"cannot read file"},"http_status":null,"bytes":null,"sha256":null,"sha1":null,"content_type":null,"etag":null,"last_modified":null,"from_cache":false,"dataset":null,"resource":null,"organization":null,"schema":null}
{"url":"ftp://example.org/x.csv","path":null,"status":"failed","error":{"class":"unsupported","message":"unsupported url scheme (http, https or file only)"},"http_status":null,"bytes":null,"sha256":null,"sha1":null,"content_type":null,"etag":null,"last_modified":null,"from_cache":false,"dataset":null,"resource":null,"organization":null,"schema":null}
{"url":"http://127.0.0.1:PORT/files/nope.csv","path":null,"status":"failed","error":{"class":"http-4xx","message":"http status 404"},"http_status":404,"bytes":null,"sha256":null,"sha1":null,"content_type":null,"etag":null,"last_modified":null,"from_cache":false,"dataset":null,"resource":null,"organization":null,"schema":null}
{"url":"http://127.0.0.1:PORT/redirect/hello.csv","path":"dl/hello.csv","status":"ok","error":null,"http_status":200,"bytes":39,"sha256":"9c36c246c83eeb7b32ed1acb287885e9209120326e41c16f72a932828de53c91","sha1":"d5dfbe77a4898af81580a81729ed2f9c036e7df2","content_type":"text/csv; charset=utf-8","etag":"\"d5dfbe77a4898af81580a81729ed2f9c036e7df2\"","last_modified":"Tue, 14 Nov 2023 22:13:20 GMT","from_cache":false,"dataset":null,"resource":null,"organization":null,"schema":null}
WANT
sed -i 's/"last_modified":"[A-Z][a-z][a-z], [^"]*GMT","from_cache":false,"dataset":null,"resource":null,"organization":null,"schema":null}$/&/; /file:\/\/TMP\/local.csv/s/"last_modified":"[^"]*"/"last_modified":"LM"/' "$TMP/got"
same "$TMP/got" "$TMP/want"
absent dl/missing.csv
absent dl/nope.csv
no_partial dl
no_partial cache

done_testing
