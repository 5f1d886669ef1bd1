# odl-fetch on the demo data (testdata/demo through scripts/demo-server):
# every organization's resources, the two fetch failures EXPECTED.md lists.
. tests/cli/lib.sh
demo_server
cd "$TMP" || exit 1
slugs=$(python3 -c 'import json, sys; print(" ".join(o["slug"] for o in json.load(open(sys.argv[1]))["data"]))' \
	"$ODL_TOP/testdata/demo/api/1/organizations/index.json")
run 1 "$BIN/odl-fetch" -q --rate 0 --cache cache -o dl --api "http://127.0.0.1:$PORT/api/1" org $slugs
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    name = d["url"].rsplit("/", 1)[1]
    print(name, d["status"], (d["error"] or {}).get("class", "-"), d["path"] is not None)
' "$TMP/out" | LC_ALL=C sort >"$TMP/got"
grep -c ' ok - True$' "$TMP/got" >"$TMP/n"
same_text "$TMP/n" 18
grep -v ' ok - True$' "$TMP/got" >"$TMP/failed"
same_text "$TMP/failed" "ruelle-deliberations-2024.csv failed checksum False
saint-yrieix-subventions-2024.csv failed http-4xx False"
# neither failure left a file, complete or partial
find dl cache -name 'ruelle-deliberations-2024.csv*' -o -name 'saint-yrieix-subventions-2024.csv*' -o -name '*.part' >"$TMP/left"
[ ! -s "$TMP/left" ] || fail "files left: $(cat "$TMP/left")"

done_testing
