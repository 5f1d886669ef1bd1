# odl-fetch resources: the resources odl-compare match lists from the
# catalog exports, fetched without one API call; the manifest is the one
# the API route gives (paths, checksums, failures), and a bad list is one
# clear line naming the file, line and field.
. tests/cli/lib.sh
demo_server
d=$ODL_TOP/testdata/demo
cd "$TMP" || exit 1

# the exports name the files on the demo server, whose port is chosen at start
run 0 "$BIN/odl-compare" match -t "$d/territories.csv" "$d/catalog/export-organization.csv" \
	"$d/catalog/export-resource.csv"
sed "s/{PORT}/$PORT/g" "$TMP/out" >"$TMP/resources.ndjson"

run 1 "$BIN/odl-fetch" -q --rate 0 --type main --cache c1 -o dl resources "$TMP/resources.ndjson"
LC_ALL=C sort "$TMP/out" >"$TMP/by-list"
slugs=$(python3 -c 'import json, sys; print(" ".join(o["slug"] for o in json.load(open(sys.argv[1]))["data"]))' \
	"$d/api/1/organizations/index.json")
run 1 "$BIN/odl-fetch" -q --rate 0 --type main --cache c2 -o dl2 --api "http://127.0.0.1:$PORT/api/1" org $slugs
sed 's#"dl2/#"dl/#' "$TMP/out" | LC_ALL=C sort >"$TMP/by-api"
# the exports carry no dataset last_update and only the resource's date
# the API gives as last_modified: everything else is the same
strip='import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    d["dataset"].pop("last_update", None)
    d["resource"].pop("last_modified", None)
    print(json.dumps(d, sort_keys=True))'
python3 -c "$strip" "$TMP/by-list" >"$TMP/a"
python3 -c "$strip" "$TMP/by-api" >"$TMP/b"
same "$TMP/a" "$TMP/b"
[ "$(wc -l <"$TMP/a")" -eq 19 ] || fail "19 main resources expected, got $(wc -l <"$TMP/a")"
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["status"] == "failed":
        print(d["url"].rsplit("/", 1)[1], d["error"]["class"])
    assert d["resource"]["last_modified"], d["url"]
' "$TMP/by-list" >"$TMP/failed"
same_text "$TMP/failed" "ruelle-deliberations-2024.csv checksum
saint-yrieix-subventions-2024.csv http-4xx"

# from standard input, filtered by schema (object or "name@version" string)
grep -F '"scdl/budget"' "$TMP/resources.ndjson" >"$TMP/budget.ndjson"
printf '{"url":"http://127.0.0.1:%s/files/brie-subventions-2024.csv","schema":"scdl/subventions@2.1.1"}\n' \
	"$PORT" >>"$TMP/budget.ndjson"
# a resource listed twice is fetched once
head -1 "$TMP/budget.ndjson" >>"$TMP/budget.ndjson"
run 0 "$BIN/odl-fetch" -q --rate 0 --cache c1 -o dl3 --schema scdl/budget resources - <"$TMP/budget.ndjson"
[ "$(wc -l <"$TMP/out")" -eq "$(grep -c scdl/budget "$d/catalog/export-resource.csv")" ] ||
	fail "$(wc -l <"$TMP/out") manifest lines for $(grep -c scdl/budget "$d/catalog/export-resource.csv") budget resources"
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(d["status"], d["schema"]["name"], d["path"].split("/")[0])
' "$TMP/out" | sort -u >"$TMP/got"
same_text "$TMP/got" "ok scdl/budget dl3"
run 0 "$BIN/odl-fetch" -q --rate 0 --cache c1 -o dl3 --schema scdl/subventions --schema-version 2.1.1 \
	resources - <"$TMP/budget.ndjson"
python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).readline())
print(d["path"], d["schema"]["name"], d["schema"]["version"])
' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "dl3/brie-subventions-2024.csv scdl/subventions 2.1.1"

# a bad list stops before any transfer
printf '{"url":"http://127.0.0.1:%s/files/a.csv"}\n\n{"resource":{"id":"x"}}\n' "$PORT" >"$TMP/nourl.ndjson"
run 2 "$BIN/odl-fetch" -q --cache c1 -o dl4 resources "$TMP/nourl.ndjson"
same_text "$TMP/err" "odl-fetch: '$TMP/nourl.ndjson' line 3, field 'url': a resource line needs its URL as a string"
[ ! -e dl4 ] || fail "a bad list still downloaded something"
printf '{"url": 12}\n' | run 2 "$BIN/odl-fetch" -q --cache c1 -o dl4 resources -
same_text "$TMP/err" "odl-fetch: '-' line 1, field 'url': a resource line needs its URL as a string"
printf '{"url": "http://x/a.csv"\n' >"$TMP/broken.ndjson"
run 2 "$BIN/odl-fetch" -q --cache c1 -o dl4 resources "$TMP/broken.ndjson"
case $(cat "$TMP/err") in
"odl-fetch: '$TMP/broken.ndjson' line 1"*invalid\ JSON*) ;;
*) fail "unexpected message: $(cat "$TMP/err")" ;;
esac
run 2 "$BIN/odl-fetch" -q resources "$TMP/missing.ndjson"
case $(cat "$TMP/err") in
"odl-fetch: '$TMP/missing.ndjson'"*) ;;
*) fail "unexpected message: $(cat "$TMP/err")" ;;
esac
run 2 "$BIN/odl-fetch" -q resources
same_text "$TMP/err" "odl-fetch: 'resources' needs at least one operand
Try 'odl-fetch --help' for more information."
done_testing
