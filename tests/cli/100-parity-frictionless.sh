# odl-validate --fields-match exact --max-errors 0 counts the same errors, code by
# code, as frictionless-py 5.19 on the official SCDL subventions examples
# (custom checks are left out: frictionless does not run them).
. tests/cli/lib.sh
need_shared
R=$SHARED/scdl/subventions

counts() {
	# $1 = schema version folder, $2 = file under subventions/
	run "$3" "$BIN/odl-validate" -f csv --no-custom-checks --fields-match exact --max-errors 0 \
		-s "$R/$1/schema.json" "$R/$2"
	cut -d, -f2 "$TMP/out" | tail -n +2 | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}' >"$TMP/got"
	echo >>"$TMP/got"
}

counts 2.1.1 2.1.1/exemples/exemple_valide.csv 0
same_text "$TMP/got" ""
run 0 "$BIN/odl-validate" -f ndjson --no-custom-checks --fields-match exact -s "$R/2.1.1/schema.json" \
	"$R/2.1.1/exemples/exemple_valide.csv"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["valid"], d["rows"], d["error_count"])' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "True 29 0"

counts 2.1.1 2.1.1/exemples/exemple_invalide_erreurs_cellules.csv 1
same_text "$TMP/got" "constraint-error 10, missing-cell 29, missing-label 1, type-error 5, "

counts 2.1.1 2.1.1/exemples/exemple_invalide_erreurs_colonnes.csv 1
same_text "$TMP/got" "constraint-error 38, incorrect-label 3, missing-cell 29, missing-label 1, type-error 5, "

counts 2.1.1 2.1.1/exemple-duplicate-column.csv 1
same_text "$TMP/got" "constraint-error 116, duplicate-label 1, incorrect-label 7, missing-cell 29, missing-label 1, type-error 29, "

counts 2.0.2 2.0.2/exemples/exemple_invalide_erreurs_cellules.csv 1
same_text "$TMP/got" "constraint-error 8, type-error 5, "

counts 2.0.2 2.0.2/exemple-duplicate-column.csv 1
same_text "$TMP/got" "constraint-error 29, duplicate-label 1, extra-cell 29, extra-label 1, "

# the NDJSON counts agree with the rows of the CSV report
run 1 "$BIN/odl-validate" -f ndjson --no-custom-checks --fields-match exact --max-errors 0 \
	-s "$R/2.0.2/schema.json" "$R/2.0.2/exemple-duplicate-column.csv"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["error_count"], len(d["errors"]), d["truncated"], sorted(d["error_counts"].items()))' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "60 60 False [('constraint-error', 29), ('duplicate-label', 1), ('extra-cell', 29), ('extra-label', 1)]"

# --max-errors caps what is stored, never what is counted
run 1 "$BIN/odl-validate" -f ndjson --no-custom-checks --fields-match exact --max-errors 5 \
	-s "$R/2.0.2/schema.json" "$R/2.0.2/exemple-duplicate-column.csv"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["error_count"], len(d["errors"]), d["truncated"])' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "60 5 True"

done_testing
