# Bad schemas, bad options, unreadable files, binary garbage, unknown schema
# names: one clear line naming the file and the key, exit 2, no report.
. tests/cli/lib.sh
F=testdata/validate/communes-errors.csv

bad_schema() { # schema file, expected message
	run 2 "$BIN/odl-validate" -f ndjson -s "testdata/schema/$1" $F
	same_text "$TMP/err" "odl-validate: 'testdata/schema/$1'$2"
	: >"$TMP/empty"
	same "$TMP/out" "$TMP/empty"
}
bad_schema unknown-type.json ': fields[1].type: unknown type "text"'
bad_schema bad-pattern.json ': fields[0].constraints.pattern: invalid regular expression at offset 4: missing terminating ] for character class'
bad_schema trailing-comma.json " line 3, column 1: not valid JSON: unexpected token near ']'"
bad_schema duplicate-field.json ': fields[1]: names of the fields are not unique: "a" is also fields[0]'

run 2 "$BIN/odl-validate" -s testdata/schema/does-not-exist.json $F
same_text "$TMP/err" "odl-validate: 'testdata/schema/does-not-exist.json': no such schema file, and not a name like scdl/subventions[@2.1.1]"
XDG_CACHE_HOME=$TMP/no-cache run 2 "$BIN/odl-validate" -s scdl/subventions@1.0.0 $F
same_text "$TMP/err" "odl-validate: 'scdl/subventions@1.0.0': no such version (available: 2.1.1); 'odl-fetch schemas' caches every published version for offline use"
XDG_CACHE_HOME=$TMP/no-cache run 2 "$BIN/odl-validate" -s scdl/nothing $F
same_text "$TMP/err" "odl-validate: 'scdl/nothing': unknown schema (no directory $ODL_DATA_DIR/schemas/scdl/nothing); 'odl-fetch schemas' caches every published version for offline use"
XDG_CACHE_HOME=$TMP/cache run 2 "$BIN/odl-validate" -s http://127.0.0.1:1/schema.json $F
same_text "$TMP/err" "odl-validate: 'http://127.0.0.1:1/schema.json': cannot download the schema: cannot connect"

S=testdata/schema/communes.json
run 2 "$BIN/odl-validate" -s $S testdata/validate/binary-garbage.bin
same_text "$TMP/err" "odl-validate: 'testdata/validate/binary-garbage.bin' line 1: NUL byte at byte offset 0: binary data, not a CSV file"
run 2 "$BIN/odl-validate" -s $S testdata/validate/missing.csv
same_text "$TMP/err" "odl-validate: 'testdata/validate/missing.csv': cannot open: No such file or directory"
run 2 "$BIN/odl-validate" -s $S testdata/validate
same_text "$TMP/err" "odl-validate: 'testdata/validate': cannot read: Is a directory"
run 2 "$BIN/odl-validate" -s $S testdata/csv/gzip-truncated.csv.gz
same_text "$TMP/err" "odl-validate: 'testdata/csv/gzip-truncated.csv.gz': truncated gzip data"
# foreign keys read the file twice: not possible on a pipe
run 2 sh -c "cat $F | '$BIN/odl-validate' -s $S -"
same_text "$TMP/err" "odl-validate: '-': foreign keys need a file that can be read twice, not standard input"

run 2 sh -c "cat $F | '$BIN/odl-validate' -"
same_text "$TMP/err" "odl-validate: '-': give --schema for standard input (detection reads the file twice)"

# a bad file among good ones: the others are still reported, exit 2
run 2 "$BIN/odl-validate" -f csv -s testdata/schema/communes.json testdata/validate/missing.csv testdata/validate/communes-reordered.csv
# (the file has no error; its warnings are rows too, after the errors)
{
	printf 'path,type,row,field,column,cell,message\r\n'
	printf '%s\r\n' 'testdata/validate/communes-reordered.csv,extra-header-warn,,,4,,"Column ""commentaire"" at position ""4"" is not defined in the schema"'
	for c in date_maj chef_lieu surface_km2 rurale; do
		printf '%s\r\n' "testdata/validate/communes-reordered.csv,missing-header-warn,,$c,,,\"Column \"\"$c\"\" is missing\""
	done
	printf '%s\r\n' "testdata/validate/communes-reordered.csv,schema-mismatch-warn,,,,,Only 3 of the schema's 7 columns are in the header: is this the right schema?"
} >"$TMP/want"
same "$TMP/out" "$TMP/want"
same_text "$TMP/err" "odl-validate: 'testdata/validate/missing.csv': cannot open: No such file or directory"

usage() { # expected message, then the arguments
	msg=$1; shift
	run 2 "$BIN/odl-validate" "$@"
	printf '%s\n%s\n' "odl-validate: $msg" "Try 'odl-validate --help' for more information." >"$TMP/want"
	same "$TMP/err" "$TMP/want"
}
usage "unknown --fields-match 'loose' (validata, exact, equal, subset, superset or partial)" --fields-match loose $F
usage "unknown format 'xml' (text, ndjson, frictionless or csv)" -f xml $F
usage "invalid value '0' for --jobs (expected 1 to 256)" -j 0 $F
usage "unknown language 'de' (fr or en)" --lang de $F
usage "no input file" -s $S

done_testing
