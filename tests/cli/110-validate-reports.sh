# odl-validate on a small schema with every kind of row error: the four report
# formats, the French text, column matching warnings, --max-errors, exit codes.
. tests/cli/lib.sh
S=testdata/schema/communes.json
F=testdata/validate/communes-errors.csv

run 1 "$BIN/odl-validate" -f text --lang en -s $S $F
same "$TMP/out" "$EXPECTED/110-communes.txt"
run 1 "$BIN/odl-validate" -f ndjson -s $S $F
same "$TMP/out" "$EXPECTED/110-communes.ndjson"
run 1 "$BIN/odl-validate" -f csv -s $S $F
same "$TMP/out" "$EXPECTED/110-communes.csv"
run 1 "$BIN/odl-validate" -f frictionless -s $S $F
# seconds vary from run to run
sed 's/"seconds":[0-9.e-]*/"seconds":0/' "$TMP/out" >"$TMP/fl"
same "$TMP/fl" "$EXPECTED/110-communes.frictionless.json"
# the same errors in French: each cause says what the value should look like
run 1 "$BIN/odl-validate" -f text --lang fr -s $S $F
same "$TMP/out" "$EXPECTED/110-communes.fr.txt"

# reordered, extra and missing optional columns are warnings: valid
run 0 "$BIN/odl-validate" -f text --lang fr -s $S testdata/validate/communes-reordered.csv
same "$TMP/out" "$EXPECTED/110-reordered.fr.txt"
# the same under frictionless's positional matching is invalid
run 1 "$BIN/odl-validate" -f csv --fields-match exact -s $S testdata/validate/communes-reordered.csv
same "$TMP/out" "$EXPECTED/110-reordered-exact.csv"

# --max-errors keeps 3 errors but counts all 12, and says it cut the list
run 1 "$BIN/odl-validate" -f ndjson --max-errors 3 -s $S $F
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["error_count"], len(d["errors"]), d["truncated"])' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "12 3 True"

# several files, in order, and -j 3 gives byte-identical output
run 1 "$BIN/odl-validate" -f ndjson -s $S $F testdata/validate/communes-reordered.csv $F
cp "$TMP/out" "$TMP/seq"
run 1 "$BIN/odl-validate" -f ndjson -j 3 -s $S $F testdata/validate/communes-reordered.csv $F
sed 's/"seconds":[0-9.e-]*//' "$TMP/out" >"$TMP/par"
sed 's/"seconds":[0-9.e-]*//' "$TMP/seq" >"$TMP/seq2"
same "$TMP/par" "$TMP/seq2"
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(d["path"], d["valid"], d["error_count"])' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "testdata/validate/communes-errors.csv False 12
testdata/validate/communes-reordered.csv True 0
testdata/validate/communes-errors.csv False 12"

# undecodable bytes under a forced encoding: an encoding-error, the stream ends there
run 1 "$BIN/odl-validate" -f csv -e utf-8 -s testdata/schema/nom-montant-commune.json testdata/csv/windows-1252-semicolon.csv
printf '%s\r\n' "path,type,row,field,column,cell,message" \
	"testdata/csv/windows-1252-semicolon.csv,encoding-error,,,,,The data source could not be successfully decoded: line 2: bytes 0xE9 are not valid utf-8" >"$TMP/want"
same "$TMP/out" "$TMP/want"
# detected, the same file is read in full; gzip through a pipe too
run 0 "$BIN/odl-validate" -f csv -s testdata/schema/nom-montant-commune.json testdata/csv/windows-1252-semicolon.csv
printf 'path,type,row,field,column,cell,message\r\n' >"$TMP/want"
same "$TMP/out" "$TMP/want"

done_testing
