# A schema checked as frictionless-py 5.19 checks it before any data: each
# field's example read with the field's own type and format (field-error),
# "required" outside "constraints", a broken descriptor (schema-error).
# --check-schema reports only those (exit 1 when any, 0 when none, 2 when
# the schema cannot be read); validating a file against such a schema
# reports them in every format, reads no data, and the file is invalid.
. tests/cli/lib.sh
S=testdata/schema/bad-examples.json
F=testdata/validate/bad-examples.csv

run 1 "$BIN/odl-validate" -f text --lang en --check-schema $S
same "$TMP/out" "$EXPECTED/151-check-schema.txt"
run 1 "$BIN/odl-validate" -f text --lang fr --check-schema $S
same "$TMP/out" "$EXPECTED/151-check-schema.fr.txt"
run 1 "$BIN/odl-validate" -f ndjson --check-schema $S
same "$TMP/out" "$EXPECTED/151-check-schema.ndjson"
run 1 "$BIN/odl-validate" -f csv --check-schema $S
same "$TMP/out" "$EXPECTED/151-check-schema.csv"
run 1 "$BIN/odl-validate" -f frictionless --check-schema $S
same "$TMP/out" "$EXPECTED/151-check-schema.frictionless.json"

# a schema without problems, by path or by name
run 0 "$BIN/odl-validate" -f text --lang en --check-schema testdata/schema/communes.json
same_text "$TMP/out" "testdata/schema/communes.json: valid
  schema    communes 1.0.0, 7 fields
  errors    0"
run 0 "$BIN/odl-validate" -f csv --check-schema scdl/subventions
tr -d '\r' <"$TMP/out" >"$TMP/got"
same_text "$TMP/got" "path,type,row,field,column,cell,message"

# a descriptor odl cannot compile is one schema-error or field-error
run 1 "$BIN/odl-validate" -f csv --check-schema testdata/schema/unknown-type.json
tr -d '\r' <"$TMP/out" >"$TMP/got"
same_text "$TMP/got" 'path,type,row,field,column,cell,message
testdata/schema/unknown-type.json,field-error,,,,,"Field is not valid: fields[1].type: unknown type ""text"""'
printf '{"fields": {}}' >"$TMP/fields-object.json"
run 1 "$BIN/odl-validate" -f ndjson --check-schema "$TMP/fields-object.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["valid"], [(e["type"], e["note"]) for e in d["errors"]])' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "False [('schema-error', 'fields: must be an array')]"

# unreadable: exit 2, one line, no report
run 2 "$BIN/odl-validate" -f ndjson --check-schema testdata/schema/trailing-comma.json
same_text "$TMP/err" "odl-validate: 'testdata/schema/trailing-comma.json' line 3, column 1: not valid JSON: unexpected token near ']'"
: >"$TMP/empty"
same "$TMP/out" "$TMP/empty"
run 2 "$BIN/odl-validate" --check-schema testdata/schema/nothing.json
same_text "$TMP/err" "odl-validate: 'testdata/schema/nothing.json': no such schema file, and not a name like scdl/subventions[@2.1.1]"
run 2 "$BIN/odl-validate" --check-schema $S $F
same_text "$TMP/err" "odl-validate: --check-schema takes no FILE, --manifest, --describe or --schema
Try 'odl-validate --help' for more information."

# a file against that schema: the problems in every format, no data read
run 1 "$BIN/odl-validate" -f text --lang en -s $S $F
same "$TMP/out" "$EXPECTED/151-validate.txt"
run 1 "$BIN/odl-validate" -f ndjson -s $S $F
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["valid"], d["rows"], d["error_count"], d["error_counts"], [e["field"] for e in d["errors"]])' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "False 0 5 {'field-error': 5} ['date_versement', 'montant', 'code', 'aide', 'siret']"
run 1 "$BIN/odl-validate" -f csv -s $S $F
tail -n +2 "$TMP/out" | tr -d '\r' | cut -d, -f2,4 >"$TMP/got"
same_text "$TMP/got" "field-error,date_versement
field-error,montant
field-error,code
field-error,aide
field-error,siret"
run 1 "$BIN/odl-validate" -f frictionless -s $S $F
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
t = d["tasks"][0]
print(d["valid"], t["valid"], t["stats"]["errors"], t["stats"]["rows"], t["labels"])
for e in t["errors"]:
    print(e["type"], e["tags"], "fieldName" in e, e["note"])' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" 'False False 5 0 []
field-error [] False example value "2018/08/08, 2015/12/30" for field "date_versement" is not valid
field-error [] False example value "1 250,50" for field "montant" is not valid
field-error [] False example value "75056" for field "code" is not valid
field-error [] False example value "oui" for field "aide" is not valid
field-error [] False "required" should be set as "constraints.required"'

# every official SCDL schema: frictionless 5.19 reads each example with the
# field's type and format only, and every one of them reads
if [ -d "$SHARED" ]; then
	for sc in "$SHARED"/scdl/*/*/schema.json; do
		run 0 "$BIN/odl-validate" -f csv --check-schema "$sc"
	done
fi

done_testing
