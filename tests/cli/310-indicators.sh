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

# a file the set cannot read is skipped with one warning, exit 1 (it
# stopped the run with exit 2 and no output before)
run 1 "$BIN/odl-compare" indicators -s "$TMP/set.json" -t $T/territories.csv -f csv $T/deliberations.csv
same_text "$TMP/err" "odl-compare: warning: '$T/deliberations.csv' line 1, field 'idAttribuant': missing column, file skipped"
same "$TMP/out" /dev/null

# a directory of files where one has old-style headers under a label row
# and one breaks half-way (a cell past the reader's limit at line 4, after
# rows that were counted): both skipped, the others give exactly the rows
# they give alone, exit 1
mkdir "$TMP/dir"
cp $T/subventions-2023.csv "$TMP/dir/a.csv"
printf 'Subventions versées en 2023\nNOM;MONTANT;DATE\nAsso;100;2023-01-01\n' >"$TMP/dir/b-label-row.csv"
{
	head -3 $T/subventions-2024-windows-1252.csv
	printf 'x;'
	head -c 1100000 /dev/zero | tr '\0' 9
	printf '\r\n'
} >"$TMP/dir/c-half.csv"
cp $T/subventions-2024-windows-1252.csv "$TMP/dir/d.csv"
run 0 "$BIN/odl-compare" indicators -s subventions -t $T/territories.csv "$TMP/dir/a.csv" "$TMP/dir/d.csv"
cp "$TMP/out" "$TMP/alone"
run 1 "$BIN/odl-compare" indicators -s subventions -t $T/territories.csv "$TMP/dir"/*.csv
same "$TMP/out" "$TMP/alone"
same "$TMP/out" "$EXPECTED/310-subventions.ndjson"
cat >"$TMP/want_err" <<EOF
odl-compare: warning: '$TMP/dir/a.csv' line 8, field 'montant': 1 value is not a number (first: '1 500,00'), counted in n_errors: written the French way (1500.00), which SCDL does not allow; --lenient-numbers reads such amounts, 'odl-validate --fix' repairs the file
odl-compare: warning: '$TMP/dir/a.csv' line 13: 1 row with no territory of the table (first: '99999999900099'), left out
odl-compare: warning: '$TMP/dir/a.csv': 1 row without a year, left out
odl-compare: warning: '$TMP/dir/b-label-row.csv' line 1, field 'idAttribuant': missing column, file skipped
odl-compare: warning: '$TMP/dir/c-half.csv' line 4: cell 2 is longer than 1048576 bytes, file skipped
odl-compare: warning: '$TMP/dir/d.csv' line 4, field 'montant': 1 value is not a number (first: 'abc'), counted in n_errors
EOF
same "$TMP/err" "$TMP/want_err"
# a file that cannot be opened is an I/O error: exit 2, no output
run 2 "$BIN/odl-compare" indicators -s subventions -t $T/territories.csv "$TMP/dir/a.csv" "$TMP/dir/none.csv"
same "$TMP/out" /dev/null

# --lenient-numbers reads amounts written the French way through
# odl-validate --fix's number rule ("1 500,00" is 1500; "abc" stays an
# error); without it the warning says why the amount is rejected and how to
# accept it
run 0 "$BIN/odl-compare" indicators --lenient-numbers -s subventions -t $T/territories.csv -f csv $T/subventions-2023.csv
grep '^subventions,16102,.*,2023,' "$TMP/out" | cut -d, -f5,8,15 >"$TMP/got"
same_text "$TMP/got" "subventions_montant_total,4500,0
subventions_nombre,3,0
subventions_montant_par_habitant,0.225,0
subventions_montant_median,1500,0
subventions_part_associations,0.222222222222,0
subventions_beneficiaires,3,0"
same_text "$TMP/err" "odl-compare: warning: '$T/subventions-2023.csv' line 8, field 'montant': 1 value written the French way, read as a number (first: '1 500,00' as 1500.00)
odl-compare: warning: '$T/subventions-2023.csv' line 13: 1 row with no territory of the table (first: '99999999900099'), left out
odl-compare: warning: '$T/subventions-2023.csv': 1 row without a year, left out"
printf 'idAttribuant,dateConvention,idBeneficiaire,rnaBeneficiaire,montant\n21160015000016,2023-02-01,1,,abc\n21160015000016,2023-02-01,1,,9500 €\n21160015000016,2023-02-01,1,,"1.234,50"\n21160015000016,2023-02-01,1,,"26 956,00"\n' >"$TMP/fr.csv"
run 0 "$BIN/odl-compare" indicators -s subventions -t $T/territories.csv -f csv "$TMP/fr.csv"
same_text "$TMP/err" "odl-compare: warning: '$TMP/fr.csv' line 2, field 'montant': 4 values are not a number (first: 'abc'), counted in n_errors; 3 of them written the French way (first: '9500 €' for 9500, line 3), which SCDL does not allow: --lenient-numbers reads such amounts, 'odl-validate --fix' repairs the file"
run 0 "$BIN/odl-compare" indicators --lenient-numbers -s subventions -t $T/territories.csv -f csv "$TMP/fr.csv"
grep montant_total "$TMP/out" | cut -d, -f8,15 >"$TMP/got"
same_text "$TMP/got" "37690.5,1"

# null, never 0, for what was not measured: without an rnaBeneficiaire
# column, or with one empty on every row, the share going to associations
# is unknown (an empty RNA cell cannot tell a company from an association
# whose number was not written); an idBeneficiaire column empty everywhere
# gives no count of beneficiaries.  Both were 0 before.
printf 'idAttribuant,dateConvention,idBeneficiaire,montant\n21160015000016,2023-02-01,,1000\n21160015000016,2023-03-01,,3000\n' >"$TMP/no-rna.csv"
run 0 "$BIN/odl-compare" indicators -s subventions -t $T/territories.csv -f csv "$TMP/no-rna.csv"
cut -d, -f5,8,15,16,17 "$TMP/out" | tr -d '\r' >"$TMP/got"
same_text "$TMP/got" "indicator,value,n_errors,null_reason,per_inhabitants
subventions_montant_total,4000,0,,1
subventions_nombre,2,0,,1000
subventions_montant_par_habitant,0.1,0,,
subventions_montant_median,2000,0,,
subventions_part_associations,,0,not-measured,
subventions_beneficiaires,,0,not-measured,1000"
printf 'idAttribuant,dateConvention,idBeneficiaire,rnaBeneficiaire,montant\n21160015000016,2023-02-01,1,,1000\n21160015000016,2023-03-01,2,,3000\n21160102600012,2023-03-01,3,W1,5\n21160102600012,2023-03-01,4,,\n' >"$TMP/empty-rna.csv"
run 0 "$BIN/odl-compare" indicators -s subventions -t $T/territories.csv -f csv "$TMP/empty-rna.csv"
cut -d, -f2,5,8,15,16 "$TMP/out" | grep -E 'part_associations|montant_median' | tr -d '\r' >"$TMP/got"
same_text "$TMP/got" "16015,subventions_montant_median,2000,0,
16015,subventions_part_associations,,0,not-measured
16102,subventions_montant_median,5,0,
16102,subventions_part_associations,1,0,"
# a measured column the file lacks: its indicators are not measured (the
# file was skipped whole before), the others count
printf 'idAttribuant,dateConvention,montant\n21160015000016,2023-02-01,10\n' >"$TMP/no-id.csv"
run 0 "$BIN/odl-compare" indicators -s subventions -t $T/territories.csv -f csv "$TMP/no-id.csv"
cut -d, -f5,8,16 "$TMP/out" | tr -d '\r' >"$TMP/got"
same_text "$TMP/got" "indicator,value,null_reason
subventions_montant_total,10,
subventions_nombre,1,
subventions_montant_par_habitant,0.00025,
subventions_montant_median,10,
subventions_part_associations,,not-measured
subventions_beneficiaires,,not-measured"
same_text "$TMP/err" "odl-compare: warning: '$TMP/no-id.csv', field 'idBeneficiaire': missing column, subventions_beneficiaires not measured from this file"

# a measured column empty on every row of a group: no sum, no median
printf 'idAttribuant,dateConvention,idBeneficiaire,rnaBeneficiaire,montant\n21160015000016,2023-02-01,1,W1,\n' >"$TMP/no-amount.csv"
run 0 "$BIN/odl-compare" indicators -s subventions -t $T/territories.csv -f csv "$TMP/no-amount.csv"
cut -d, -f5,8,16 "$TMP/out" | tr -d '\r' >"$TMP/got"
same_text "$TMP/got" "indicator,value,null_reason
subventions_montant_total,,not-measured
subventions_nombre,1,
subventions_montant_par_habitant,,not-measured
subventions_montant_median,,not-measured
subventions_part_associations,,not-measured
subventions_beneficiaires,1,"

printf '{ "set": "x", "indicators": [] }' >"$TMP/bad.json"
run 2 "$BIN/odl-compare" indicators -s "$TMP/bad.json" -t $T/territories.csv $T/budget.csv
same_text "$TMP/err" "odl-compare: '$TMP/bad.json': territory: needs 'field' and 'key'"

run 2 "$BIN/odl-compare" indicators -s nosuchset -t $T/territories.csv $T/budget.csv
same_text "$TMP/err" "odl-compare: '$ODL_DATA_DIR/indicators/nosuchset.json': cannot open: No such file or directory"

done_testing
