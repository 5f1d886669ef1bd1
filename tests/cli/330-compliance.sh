# odl-compare compliance: manifests and reports in any order, joined by
# path; obligation from population and agents; grade from the four points
# of the man page (Angoulême: published, SCDL, one invalid, fresh = B).
. tests/cli/lib.sh
T=testdata/compare

run 0 "$BIN/odl-compare" compliance -t $T/territories.csv --today 2026-11-23 $T/reports.ndjson $T/manifest.ndjson
same "$TMP/out" "$EXPECTED/330-compliance.ndjson"
same "$TMP/err" "$EXPECTED/330-compliance.err"

# the other order, through stdin
run 0 sh -c "cat $T/manifest.ndjson $T/reports.ndjson | '$BIN/odl-compare' compliance -t $T/territories.csv --today 2026-11-23"
same "$TMP/out" "$EXPECTED/330-compliance.ndjson"

# CSV, communes only, an agents column the table lacks: unknown-agents
run 0 "$BIN/odl-compare" compliance -t $T/territories.csv --today 2026-11-23 -f csv --type COM \
	--agents-column effectifs $T/manifest.ndjson $T/reports.ndjson
same "$TMP/out" "$EXPECTED/330-compliance-com.csv"
same "$TMP/err" "$EXPECTED/330-compliance-com.err"

# nothing published at all: every territory with zeros and grade E
run 0 "$BIN/odl-compare" compliance -t $T/territories.csv --today 2026-11-23 -f csv /dev/null
cut -d, -f1,6-9,11-17 "$TMP/out" >"$TMP/cut"
same "$TMP/cut" "$EXPECTED/330-compliance-empty.csv"

run 2 "$BIN/odl-compare" compliance -t $T/territories.csv --population-column ptot /dev/null
head -1 "$TMP/err" >"$TMP/err1"
same_text "$TMP/err1" "odl-compare: '$T/territories.csv' has no column 'ptot'"

run 2 "$BIN/odl-compare" compliance -t $T/territories.csv --today 23/11/2026 /dev/null
head -1 "$TMP/err" >"$TMP/err1"
same_text "$TMP/err1" "odl-compare: invalid date '23/11/2026' (YYYY-MM-DD)"

printf '{"path":"a.csv","valid":true}\nnot json\n' >"$TMP/bad.ndjson"
run 2 "$BIN/odl-compare" compliance -t $T/territories.csv "$TMP/bad.ndjson"
same "$TMP/out" /dev/null
same_text "$TMP/err" "odl-compare: '$TMP/bad.ndjson' line 2, column 3: invalid JSON: '[' or '{' expected near 'not'"

done_testing
