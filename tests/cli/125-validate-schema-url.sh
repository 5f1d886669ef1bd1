# --schema URL: downloaded into the cache, revalidated, and used from the
# cache once the server is gone.
. tests/cli/lib.sh
export XDG_CACHE_HOME=$TMP/cache
mkdir -p "$TMP/root/files" "$TMP/root/api"
cp data/schemas/scdl/subventions/2.1.1.json "$TMP/root/files/subventions.json"
demo_server --root "$TMP/root"
url=http://127.0.0.1:$PORT/files/subventions.json
F=testdata/demo/files/soyaux-subventions-2024.csv

run 1 "$BIN/odl-validate" -f ndjson -s "$url" $F
sed 's/.*"schema":{"name":"\([^"]*\)","version":"\([^"]*\)".*"error_counts":\({[^}]*}\).*/\1 \2 \3/' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" 'subventions 2.1.1 {"french-siret-value":1,"type-error":3,"constraint-error":1}'
cp "$TMP/got" "$TMP/first"
ls "$XDG_CACHE_HOME"/odl/data/*/* | grep -q '\.json$' || fail "no cache metadata written"

kill $SERVER_PID
wait $SERVER_PID 2>/dev/null
run 1 "$BIN/odl-validate" -f ndjson -s "$url" $F
sed 's/.*"schema":{"name":"\([^"]*\)","version":"\([^"]*\)".*"error_counts":\({[^}]*}\).*/\1 \2 \3/' "$TMP/out" >"$TMP/got"
same "$TMP/got" "$TMP/first"
done_testing
