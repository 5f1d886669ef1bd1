# odl-compare indicators: every bundled set on fixtures whose values were
# computed by hand (see testdata/compare/README).
. tests/cli/lib.sh
T=testdata/compare

# subventions: UTF-8 comma file + Windows-1252 semicolon CRLF file; a
# non-numeric amount is an error counted in n_errors, a row of an unknown
# SIRET and a row without a date are left out and reported
run 0 "$BIN/odl-compare" indicators --set subventions --territories $T/territories.csv \
	$T/subventions-2023.csv $T/subventions-2024-windows-1252.csv
same "$TMP/out" "$EXPECTED/310-subventions.ndjson"
same "$TMP/err" "$EXPECTED/310-subventions.err"

# --strict turns non-numeric amounts into exit 1, output still written
run 1 "$BIN/odl-compare" indicators --strict -s subventions -t $T/territories.csv \
	$T/subventions-2023.csv $T/subventions-2024-windows-1252.csv
same "$TMP/out" "$EXPECTED/310-subventions.ndjson"

# the same bytes gzip-compressed, from stdin
need_cmd gzip
gzip -c $T/subventions-2024-windows-1252.csv >"$TMP/s.csv.gz"
run 0 sh -c "'$BIN/odl-compare' indicators -s subventions -t $T/territories.csv $T/subventions-2023.csv - <'$TMP/s.csv.gz'"
same "$TMP/out" "$EXPECTED/310-subventions.ndjson"

for s in deliberations budget equipements; do
	run 0 "$BIN/odl-compare" indicators --set $s -t $T/territories.csv -f csv $T/$s.csv
	same "$TMP/out" "$EXPECTED/310-$s.csv"
	same "$TMP/err" /dev/null
done

# a user set given as a file; a data file missing the measured column
cat >"$TMP/set.json" <<'JSON'
{ "set": "essai", "territory": { "field": "idAttribuant", "key": "siret" },
  "year": { "field": "dateConvention", "from": "date" },
  "indicators": [ { "id": "max", "title": { "fr": "Max", "en": "Max" }, "unit": "EUR",
                    "measure": "max", "field": "montant" },
                  { "id": "q1", "title": { "fr": "Q1", "en": "Q1" }, "unit": "EUR",
                    "measure": "quantile", "p": 0.25, "field": "montant",
                    "filter": [ { "field": "montant", "op": ">=", "value": 1000 } ] } ] }
JSON
run 0 "$BIN/odl-compare" indicators -s "$TMP/set.json" -t $T/territories.csv -f csv $T/subventions-2023.csv
cut -d, -f2,5,7,8,14,15 "$TMP/out" >"$TMP/cut"
same "$TMP/cut" "$EXPECTED/310-user-set.csv"

run 2 "$BIN/odl-compare" indicators -s "$TMP/set.json" -t $T/territories.csv $T/deliberations.csv
same_text "$TMP/err" "odl-compare: '$T/deliberations.csv' line 1, field 'idAttribuant': missing column"
same "$TMP/out" /dev/null

printf '{ "set": "x", "indicators": [] }' >"$TMP/bad.json"
run 2 "$BIN/odl-compare" indicators -s "$TMP/bad.json" -t $T/territories.csv $T/budget.csv
same_text "$TMP/err" "odl-compare: '$TMP/bad.json': territory: needs 'field' and 'key'"

run 2 "$BIN/odl-compare" indicators -s nosuchset -t $T/territories.csv $T/budget.csv
same_text "$TMP/err" "odl-compare: '$ODL_DATA_DIR/indicators/nosuchset.json': cannot open: No such file or directory"

done_testing
