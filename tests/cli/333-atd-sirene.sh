# scripts/odl-atd-check --sirene: the perimeter gets its headcount bands
# (territories-sirene.csv) before compliance, whose rows then carry their
# evidence; the local demo server plays data.gouv.fr.  Roullet-Saint-Estèphe
# (4,422 inhabitants, no agents cell) was unknown-agents without it and is
# obligated by proxy with it; the agents cells keep deciding the others.
. tests/cli/lib.sh
need_cmd python3
D=$ODL_TOP/testdata/demo
scripts/demo-server --timeout 120 >"$TMP/port" 2>"$TMP/server.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port=$(head -1 "$TMP/port")
API=http://127.0.0.1:$port/api/1

run 0 scripts/odl-atd-check --bin "$BIN" -w "$TMP/atd" -t "$D/territories.csv" --api "$API" \
	--today 2026-11-23 --sirene "$ODL_TOP/testdata/sirene/StockUniteLegale-demo.csv"
[ -s "$TMP/atd/territories-sirene.csv" ] || fail "no territories-sirene.csv"
python3 - "$TMP/atd/compliance.ndjson" >"$TMP/got" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    print(r['code'], r['obligated'], r['evidence'], r['agents_band'], r['agents_range'], r['agents_year'])
PY
cat >"$TMP/want" <<'WANT'
200071827 True agents 41 500-999 2023
16015 True agents 42 1000-1999 2023
16374 True agents 22 100-199 2023
16113 True agents 22 100-199 2023
16358 True agents 22 100-199 2023
16291 True agents 22 100-199 2023
16154 True agents 22 100-199 2023
16166 True agents 21 50-99 2023
16078 True agents 21 50-99 2023
16287 True proxy 21 50-99 2023
16061 True agents 21 50-99 2023
16138 False agents 12 20-49 2023
16199 False population NN None None
16341 False population 12 20-49 2023
16271 False population 12 20-49 2023
WANT
same "$TMP/got" "$TMP/want"

# a second run keeps the stage, a forced one redoes it
run 0 scripts/odl-atd-check --bin "$BIN" -w "$TMP/atd" -t "$D/territories.csv" --api "$API" \
	--today 2026-11-23 --sirene "$ODL_TOP/testdata/sirene/StockUniteLegale-demo.csv"
has_kept=$(sed -n '/territories-sirene.csv: kept from an earlier run/p' "$TMP/err")
[ -n "$has_kept" ] || fail "the bands stage ran again"

# without --sirene the same perimeter leaves Roullet-Saint-Estèphe unknown
run 0 scripts/odl-atd-check --bin "$BIN" -w "$TMP/atd2" -t "$D/territories.csv" --api "$API" --today 2026-11-23
python3 - "$TMP/atd2/compliance.ndjson" >"$TMP/got" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    if r['code'] == '16287':
        print(r['obligated'], 'evidence' in r)
PY
same_text "$TMP/got" "unknown-agents False"

done_testing
