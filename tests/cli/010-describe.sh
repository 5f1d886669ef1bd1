# odl-validate --describe: encoding, dialect and counts of every edge-case fixture.
. tests/cli/lib.sh

files=$(ls testdata/csv/* | grep -v gzip-truncated)
run 0 "$BIN/odl-validate" --describe --format ndjson $files
same "$TMP/out" "$EXPECTED/010-describe.ndjson"

run 0 "$BIN/odl-validate" --describe -f text testdata/csv/windows-1252-semicolon.csv testdata/csv/utf16le-bom.csv
same "$TMP/out" "$EXPECTED/010-describe.txt"

# stdin, and the same bytes through a pipe give the same description
run 0 sh -c "cat testdata/csv/gzip-semicolon.csv.gz | '$BIN/odl-validate' --describe -f ndjson -"
sed -n 3p "$EXPECTED/010-describe.ndjson" | sed 's|"path":"testdata/csv/gzip-semicolon.csv.gz"|"path":"-"|' >"$TMP/want"
same "$TMP/out" "$TMP/want"

# explicit options win over detection
run 0 "$BIN/odl-validate" --describe -f ndjson -e utf-8 --replace-invalid -d , testdata/csv/windows-1252-semicolon.csv
same_text "$TMP/out" '{"path":"testdata/csv/windows-1252-semicolon.csv","encoding":"utf-8","bom":false,"encoding_reason":"given as an option","gzip":false,"delimiter":",","delimiter_reason":"option","line_ending":"crlf","header":["nom;montant;commune"],"columns":1,"rows":2,"blank_rows":0,"ragged_rows":0,"skipped_lines":0,"decode_issues":3,"bytes":67}'

# undecodable bytes under a forced encoding: one line naming file, line, column, bytes
run 2 "$BIN/odl-validate" --describe -e utf-8 testdata/csv/windows-1252-semicolon.csv
same_text "$TMP/err" "odl-validate: 'testdata/csv/windows-1252-semicolon.csv' line 2, column 6: bytes 0xE9 are not valid utf-8"

run 2 "$BIN/odl-validate" --describe testdata/csv/gzip-truncated.csv.gz
same_text "$TMP/err" "odl-validate: 'testdata/csv/gzip-truncated.csv.gz': truncated gzip data"

run 2 "$BIN/odl-validate" --describe testdata/csv/does-not-exist.csv
same_text "$TMP/err" "odl-validate: 'testdata/csv/does-not-exist.csv': cannot open: No such file or directory"

# a cell past --max-cell is an error naming the line, not a memory blow-up
run 2 "$BIN/odl-validate" --describe --max-cell 8 testdata/csv/quoted-newline.csv
same_text "$TMP/err" "odl-validate: 'testdata/csv/quoted-newline.csv' line 2: cell 2 is longer than 8 bytes"

done_testing
