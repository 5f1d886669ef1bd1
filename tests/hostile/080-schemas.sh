# Malformed schemas, for odl-validate -s and --check-schema: truncated or
# invalid JSON (empty, BOM, NUL, duplicate keys, trailing bytes), a wrong
# type for every key odl reads, a 10,000-field schema, JSON nested past the
# parser's depth, strings past the 16 MiB ceiling, duplicate field names, and
# what is not a file (a directory, a device).
#
# With -s, a bad schema is exit 2 and one line naming the file and the key
# (the previous -o file kept); --check-schema reports what frictionless would
# (field-error, schema-error) with exit 1, and what is not JSON at all is
# exit 2 and one line with its line and column.
. tests/hostile/lib.sh
need_cmd python3

# the schemas in the working directory (short names in the messages), the
# data and the outputs in W, watched at each run; the schemas at the end
W=$TMP/w
mkdir "$W" "$TMP/s"
cd "$TMP/s" || exit 1
printf 'a,b\nx,1\n' >"$W/d.csv"
printf 'previous report\n' >"$W/r.out"
mkdir k "$TMP/big"
python3 - "$TMP/big" <<'EOF'
import json, sys
big = sys.argv[1] + "/"
base = {"name": "t", "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}]}
# name: (where, key, value)
cases = {
 "missingValues": ("top", "missingValues", [1]), "missingValues-str": ("top", "missingValues", "x"),
 "primaryKey": ("top", "primaryKey", [1]), "primaryKey-num": ("top", "primaryKey", 5),
 "primaryKey-unknown": ("top", "primaryKey", "zz"),
 "foreignKeys": ("top", "foreignKeys", [{"fields": 1}]), "foreignKeys-item": ("top", "foreignKeys", [5]),
 "foreignKeys-obj": ("top", "foreignKeys", {}),
 "fields": ("top", "fields", "x"), "fields-null": ("top", "fields", None), "fields-obj": ("top", "fields", {}),
 "custom_checks": ("top", "custom_checks", [{"name": 1}]), "custom_checks-num": ("top", "custom_checks", 5),
 "f-item": ("fields", None, [1]), "f-name": ("f", "name", None), "f-name-num": ("f", "name", 1),
 "f-type": ("f", "type", ["string"]), "f-type-unknown": ("f", "type", "text"),
 "f-format": ("f", "format", 1), "f-constraints": ("f", "constraints", "x"),
 "f-constraints-arr": ("f", "constraints", []),
 "f-required": ("c", "required", 1), "f-unique": ("c", "unique", "x"),
 "f-minLength": ("c", "minLength", -1), "f-maxLength": ("c", "maxLength", 1.5),
 "f-pattern": ("c", "pattern", "("), "f-pattern-num": ("c", "pattern", 5),
 "f-enum": ("c", "enum", []), "f-enum-obj": ("c", "enum", {}),
 "f-minimum": ("ci", "minimum", "x"), "f-maximum": ("ci", "maximum", []),
 "f-decimalChar": ("fn", "decimalChar", 1), "f-groupChar": ("fn", "groupChar", []),
 "f-bareNumber": ("fn", "bareNumber", "x"), "f-trueValues": ("fb", "trueValues", [1]),
 "f-falseValues": ("fb", "falseValues", "non"), "f-missingValues": ("f", "missingValues", 3),
 "dup-names": ("fields", None, [{"name": "a"}, {"name": "a"}]),
 "array": ("whole", None, []),
}
for k, (where, key, val) in cases.items():
    s = json.loads(json.dumps(base))
    if where == "whole":
        s = val
    elif where == "top":
        s[key] = val
    elif where == "fields":
        s["fields"] = val
    elif where == "f":
        s["fields"][0][key] = val
    elif where == "c":
        s["fields"][0]["constraints"] = {key: val}
    elif where == "ci":
        s["fields"][1]["constraints"] = {key: val}
    elif where == "fn":
        s["fields"][1]["type"] = "number"
        s["fields"][1][key] = val
    elif where == "fb":
        s["fields"][1]["type"] = "boolean"
        s["fields"][1][key] = val
    json.dump(s, open("k/" + k + ".json", "w"))
json.dump({"fields": [{"name": "f%d" % i, "type": "string"} for i in range(10000)]}, open("wide.json", "w"))
open("deep.json", "w").write("[" * 100000 + "]" * 100000)
open("deep-fields.json", "w").write('{"fields":' + "[" * 100000 + "]" * 100000 + "}")
# big files outside the watched directory: its snapshots stay quick
json.dump({"fields": [{"name": "a" * (17 << 20)}]}, open(big + "huge-name.json", "w"))
json.dump({"fields": [{"name": "a", "description": "d" * (15 << 20)}]}, open(big + "big-description.json", "w"))
open("trunc.json", "w").write('{"fields":[{"name":"a","type":"str')
open("empty.json", "w").write("")
open("bom.json", "wb").write(b'\xef\xbb\xbf{"fields":[{"name":"a"}]}')
open("nul.json", "w").write('{"fields":[{"name":"a\\u0000b"}]}')
open("dupkey.json", "w").write('{"fields":[{"name":"a"}],"fields":[{"name":"b"}]}')
open("dupkey-field.json", "w").write('{"fields":[{"name":"a","name":"b"}]}')
open("trailing.json", "w").write('{"fields":[{"name":"a"}]} x')
EOF
mkdir dir.json
snapshot "$TMP/s" schemas

# bad_s CASE SCHEMA 'GLOB' : -s SCHEMA is exit 2, one line, r.out kept
bad_s() {
	snapshot "$W" s
	run 2 "$BIN/odl-validate" -f ndjson -s "$2" -o "$W/r.out" "$W/d.csv"
	one_line "odl-validate: $3" "$1 (-s)"
	unchanged "$W" s "$1 (-s)"
}
# bad_check CASE SCHEMA 'GLOB' : --check-schema is exit 2 and one line too
bad_check() {
	snapshot "$W" c
	run 2 "$BIN/odl-validate" --check-schema "$2" -o "$W/r.out"
	one_line "odl-validate: $3" "$1 (--check-schema)"
	unchanged "$W" c "$1 (--check-schema)"
}
# reported CASE SCHEMA TYPE NOTE : -s says NOTE (exit 2); --check-schema
# reports one TYPE error with that note (exit 1, into -o)
reported() {
	bad_s "$1" "$2" "'$2': $(printf '%s' "$4" | sed 's/[][*?]/\\&/g')"
	rm -f "$W/c.out"
	run 1 "$BIN/odl-validate" --check-schema "$2" -o "$W/c.out"
	[ -s "$TMP/err" ] && fail "$1 (--check-schema): $(head -2 "$TMP/err")"
	python3 -c 'import json, sys
d = json.load(open(sys.argv[3]))
e = [(x["type"], x["note"]) for x in d["errors"]]
assert d["valid"] is False and e == [(sys.argv[1], sys.argv[2])], e' "$3" "$4" "$W/c.out" 2>"$TMP/perr" ||
		fail "$1 (--check-schema): $(tail -1 "$TMP/perr")"
}

# ---- not JSON: one line with the place ----
for c in \
	"trunc.json|'trunc.json' line 1, column 34: not valid JSON: premature end of input near '\"str'" \
	"empty.json|'empty.json' line 1*: not valid JSON: '?' or '{' expected near end of file" \
	"bom.json|'bom.json' line 1, column 1: not valid JSON: '?' or '{' expected near *" \
	"nul.json|'nul.json' line 1, column 29: not valid JSON: *" \
	"dupkey.json|'dupkey.json' line 1, column 33: not valid JSON: duplicate object key near '\"fields\"'" \
	"dupkey-field.json|'dupkey-field.json' line 1, column 29: not valid JSON: duplicate object key near '\"name\"'" \
	"trailing.json|'trailing.json' line 1, column 27: not valid JSON: end of file expected near 'x'" \
	"deep.json|'deep.json' line 1, column 2049: not valid JSON: maximum parsing depth reached near '?'" \
	"deep-fields.json|'deep-fields.json' line 1, column 2058: not valid JSON: maximum parsing depth reached near '?'" \
	"$TMP/big/huge-name.json|'$TMP/big/huge-name.json': schema larger than 16777216 bytes" \
	"dir.json|'dir.json': not a schema file: a directory" \
	"/dev/zero|'/dev/zero': not a schema file: not a regular file" \
	"/dev/null|'/dev/null': not a schema file: not a regular file" \
	"missing.json|'missing.json': no such schema file, and not a name like scdl/subventions\[@2.1.1\]"; do
	f=${c%%|*} g=${c#*|}
	bad_s "$f" "$f" "$g"
	bad_check "$f" "$f" "$g"
done

# ---- a wrong type for every key: the key named, frictionless's error type ----
while IFS='|' read -r f t n; do
	reported "$f" "k/$f.json" "$t" "$n"
done <<'EOF'
missingValues|schema-error|missingValues: item 0 must be a string
missingValues-str|schema-error|missingValues: must be an array of strings
primaryKey|schema-error|primaryKey: item 0: no such field
primaryKey-num|schema-error|primaryKey: must be a field name or a non-empty array of field names
primaryKey-unknown|schema-error|primaryKey: no field named "zz"
foreignKeys|schema-error|foreignKeys[0].fields: must be a field name or a non-empty array of field names
foreignKeys-item|schema-error|foreignKeys[0].fields: must be a field name or a non-empty array of field names
foreignKeys-obj|schema-error|foreignKeys: must be an array
fields|schema-error|fields: must be an array
fields-null|schema-error|fields: must be an array
fields-obj|schema-error|fields: must be an array
custom_checks|schema-error|custom_checks[0]: custom_checks: entry without a "name" string
custom_checks-num|schema-error|custom_checks: must be an array
array|schema-error|a schema must be a JSON object
f-item|field-error|fields[0]: must be an object
f-name|field-error|fields[0]: "name" must be a non-empty string
f-name-num|field-error|fields[0]: "name" must be a non-empty string
f-type|field-error|fields[0].type: must be a string
f-type-unknown|field-error|fields[0].type: unknown type "text"
f-format|field-error|fields[0].format: must be a string
f-constraints|field-error|fields[0].constraints: must be an object
f-constraints-arr|field-error|fields[0].constraints: must be an object
f-required|field-error|fields[0].constraints.required: must be true or false
f-unique|field-error|fields[0].constraints.unique: must be true or false
f-minLength|field-error|fields[0].constraints.minLength: must be a non-negative integer
f-maxLength|field-error|fields[0].constraints.maxLength: must be a non-negative integer
f-pattern|field-error|fields[0].constraints.pattern: invalid regular expression at offset 1: missing closing parenthesis
f-pattern-num|field-error|fields[0].constraints.pattern: must be a string
f-enum|field-error|fields[0].constraints.enum: must be a non-empty array
f-enum-obj|field-error|fields[0].constraints.enum: must be a non-empty array
f-minimum|field-error|fields[1].constraints.minimum: value is not a valid integer/default
f-maximum|field-error|fields[1].constraints.maximum: value is not a valid integer/default
f-decimalChar|field-error|fields[1].decimalChar: must be a short non-empty string
f-groupChar|field-error|fields[1].groupChar: must be a short string
f-bareNumber|field-error|fields[1].bareNumber: must be true or false
f-trueValues|field-error|fields[1].trueValues: item 0 must be a string
f-falseValues|field-error|fields[1].falseValues: must be an array of strings
f-missingValues|field-error|fields[0].missingValues: must be an array of strings
dup-names|field-error|fields[1]: names of the fields are not unique: "a" is also fields[0]
EOF

# ---- big but within the ceilings: read, and quickly ----
t0=$(date +%s)
run 0 "$BIN/odl-validate" --check-schema wide.json
grep -q '"valid":true' "$TMP/out" || fail "10,000-field schema: not valid: $(head -c 200 "$TMP/out")"
printf 'f0,f1\nx,y\n' >w.csv
run 0 "$BIN/odl-validate" -f ndjson -s wide.json w.csv
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
w = {"missing-header-warn": 9998, "schema-mismatch-warn": 1}
assert d["error_counts"] == {} and d["warning_counts"] == w, d["warning_counts"]' "$TMP/out" 2>"$TMP/perr" ||
	fail "10,000-field schema on two columns: $(tail -1 "$TMP/perr")"
run 0 "$BIN/odl-validate" --check-schema "$TMP/big/big-description.json"
grep -q '"valid":true' "$TMP/out" || fail "15 MiB description: not valid"
t1=$(date +%s)
[ $((t1 - t0)) -le 15 ] || fail "the big schemas took $((t1 - t0)) s"
# the previous report is still there, byte for byte
same_text "$W/r.out" "previous report"
rm -f w.csv
unchanged "$TMP/s" schemas "the whole run"
done_testing
