# odl-compare match: collectivités to organizations through the catalog
# exports (SIRET or bare SIREN), then their resources; bad input is one line.
. tests/cli/lib.sh
d=testdata/demo

run 0 "$BIN/odl-compare" match -f csv -t $d/territories.csv $d/catalog/export-organization.csv
same "$TMP/out" "$EXPECTED/350-match-organizations.csv"

run 0 "$BIN/odl-compare" match -t $d/territories.csv $d/catalog/export-organization.csv $d/catalog/export-resource.csv
same "$TMP/out" "$EXPECTED/350-match-resources.ndjson"

# indicators over the files a manifest names, picked by the set's schema
cat >"$TMP/manifest.ndjson" <<JSON
{"path":"$d/files/brie-subventions-2024.csv","status":"ok","schema":{"name":"scdl/subventions","version":"2.1.1"}}
{"path":"$d/files/angouleme-budget-2024.csv","status":"ok","schema":{"name":"scdl/budget","version":"0.8.3"}}
{"path":null,"status":"failed","schema":{"name":"scdl/subventions","version":"2.1.1"}}
{"path":"$d/files/soyaux-subventions-2024.csv","status":"cached","schema":"scdl/subventions@2.1.1"}
JSON
run 0 "$BIN/odl-compare" indicators --set subventions -t $d/territories.csv --manifest "$TMP/manifest.ndjson"
cp "$TMP/out" "$TMP/by-manifest"
run 0 "$BIN/odl-compare" indicators --set subventions -t $d/territories.csv \
	$d/files/brie-subventions-2024.csv $d/files/soyaux-subventions-2024.csv
same "$TMP/by-manifest" "$TMP/out"

# a table from 'odl-compare territories' has rows without a SIREN (communes
# in no EPCI, a région the SIREN table lacks): they are kept, not matched,
# and counted in one warning; the other rows match as before
sed -e 's/^16113,La Couronne,COM,8012,211601133,/16113,La Couronne,COM,8012,,/' \
	-e 's/^16015,Angoulême,COM,43454,211600150,/16015,Angoulême,COM,43454,,/' \
	$d/territories.csv >"$TMP/nosiren.csv"
run 0 "$BIN/odl-compare" match -f csv -t "$TMP/nosiren.csv" $d/catalog/export-organization.csv
grep -v '^16113,' "$EXPECTED/350-match-organizations.csv" | grep -v '^16015,' >"$TMP/want"
same "$TMP/out" "$TMP/want"
same_text "$TMP/err" "odl-compare: warning: '$TMP/nosiren.csv': 2 territories without a siren, not matched (first: '16015')"
# a SIREN that is there but not 9 digits is still an error
sed 's/^16113,La Couronne,COM,8012,211601133,/16113,La Couronne,COM,8012,2116011,/' \
	$d/territories.csv >"$TMP/badsiren.csv"
run 2 "$BIN/odl-compare" match -f csv -t "$TMP/badsiren.csv" $d/catalog/export-organization.csv
same_text "$TMP/err" "odl-compare: '$TMP/badsiren.csv' line 5, field 'siren': not a 9-digit siren"

run 2 "$BIN/odl-compare" match -t $d/territories.csv
same_text "$TMP/err" "odl-compare: match needs the organizations export, and optionally the resources export
Try 'odl-compare --help' for more information."
run 2 "$BIN/odl-compare" match -t $d/territories.csv $d/territories.csv
case $(cat "$TMP/err") in
"odl-compare: '$d/territories.csv'"*) ;;
*) fail "unexpected message: $(cat "$TMP/err")" ;;
esac
done_testing
