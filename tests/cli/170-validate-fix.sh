# odl-validate --fix: the repaired file, the report of each change, the
# errors left; the contract (untouched cells byte-identical, idempotence,
# no error class grows) on every demo file and every official example.
. tests/cli/lib.sh
need_cmd python3
F=testdata/fix/subventions-a-reparer.csv
cp "$F" "$TMP/in.csv"

# the repaired file and the text report, in French and English
run 1 "$BIN/odl-validate" --fix --lang fr -f text "$TMP/in.csv"
sed "s|$TMP/||g" "$TMP/out" >"$TMP/report.fr.txt"
same "$TMP/report.fr.txt" "$EXPECTED/170-fix-report.fr.txt"
same "$TMP/in.fixed.csv" "$EXPECTED/170-fix-subventions.fixed.csv"
cmp -s "$TMP/in.csv" "$F" || fail "--fix changed its input"
run 1 "$BIN/odl-validate" --fix --fix-output "$TMP/fixed-en.csv" --lang en -f text "$TMP/in.csv"
sed "s|$TMP/||g" "$TMP/out" >"$TMP/report.en.txt"
same "$TMP/report.en.txt" "$EXPECTED/170-fix-report.en.txt"
same "$TMP/fixed-en.csv" "$EXPECTED/170-fix-subventions.fixed.csv"

# NDJSON and CSV reports: each change its own entry, then the errors left
run 1 "$BIN/odl-validate" --fix --fix-output "$TMP/f.csv" -f ndjson -o "$TMP/r.ndjson" "$TMP/in.csv"
python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).readline())
print(json.dumps({k: d[k] for k in ("valid", "error_counts", "fix_counts", "fix_left_counts")}, sort_keys=True, ensure_ascii=False))
for e in d["fixes"]:
    print(json.dumps(e, sort_keys=True, ensure_ascii=False))
' "$TMP/r.ndjson" >"$TMP/fixes.ndjson"
same "$TMP/fixes.ndjson" "$EXPECTED/170-fix-fixes.ndjson"
run 1 "$BIN/odl-validate" --fix --fix-output "$TMP/f.csv" -f csv -o "$TMP/r.csv" "$TMP/in.csv"
sed "s|$TMP/||g" "$TMP/r.csv" >"$TMP/report.csv"
same "$TMP/report.csv" "$EXPECTED/170-fix-report.csv"

# a rule turned off leaves its cells, and says nothing of them
run 1 "$BIN/odl-validate" --fix --no-fix numbers --no-fix header --fix-output "$TMP/f2.csv" -f ndjson "$TMP/in.csv"
grep -q '"rule":"numbers"' "$TMP/out" && fail "--no-fix numbers still repaired numbers"
grep -q '26 956,00' "$TMP/f2.csv" || fail "--no-fix numbers changed the amount"

# columns in the schema's order, the missing required ones added empty
printf 'montant;Objet;extra;nomAttribuant\n12,5;a;z;Ville\n' >"$TMP/order.csv"
cat >"$TMP/order.json" <<'JSON'
{"fields": [{"name": "nomAttribuant", "type": "string"}, {"name": "objet", "type": "string"},
 {"name": "dateConvention", "type": "date", "constraints": {"required": true}},
 {"name": "montant", "type": "number"}]}
JSON
run 1 "$BIN/odl-validate" -s "$TMP/order.json" --fix --fix-order --fix-add-missing -f ndjson "$TMP/order.csv"
same_text "$TMP/order.fixed.csv" "$(printf 'nomAttribuant;objet;dateConvention;montant;extra\nVille;a;;12.5;z')"
run 1 "$BIN/odl-validate" -s "$TMP/order.json" --fix -f ndjson "$TMP/order.csv"
same_text "$TMP/order.fixed.csv" "$(printf 'montant;objet;extra;nomAttribuant\n12.5;a;z;Ville')"

# the delimiter of the repaired file
run 1 "$BIN/odl-validate" --fix --fix-delimiter , --fix-output "$TMP/comma.csv" -f ndjson "$TMP/in.csv"
head -1 "$TMP/comma.csv" | grep -q '^nomAttribuant,idAttribuant,' || fail "--fix-delimiter , not used"

# standard input: no first pass, so a date whose day and month are both
# 12 or less is left and reported
printf 'dateConvention;objet\r\n05/04/2024;a\r\n' >"$TMP/amb.csv"
cat >"$TMP/amb.json" <<'JSON'
{"fields": [{"name": "dateConvention", "type": "date"}, {"name": "objet", "type": "string"}]}
JSON
run 1 "$BIN/odl-validate" -s "$TMP/amb.json" --fix --fix-output "$TMP/amb.fixed.csv" -f ndjson - <"$TMP/amb.csv"
grep -q '"left":true' "$TMP/out" || fail "an ambiguous date on stdin was not reported as left"
same_text "$TMP/amb.fixed.csv" "$(printf 'dateConvention;objet\r\n05/04/2024;a\r')"
# a day over 12 in the column settles it when the file can be read twice
printf 'dateConvention;objet\n05/04/2024;a\n25/04/2024;b\n' >"$TMP/dmy.csv"
run 0 "$BIN/odl-validate" -s "$TMP/amb.json" --fix -f ndjson "$TMP/dmy.csv"
same_text "$TMP/dmy.fixed.csv" "$(printf 'dateConvention;objet\n2024-04-05;a\n2024-04-25;b')"

# a file read once, its columns guessed, gives what a first pass gives (the
# repaired file on stdout is written after one): the guesses that hold, and
# those the end of the file proves wrong (a month over 12, no day over 12,
# a column taken for empty, a line ending that changes)
printf 'dateConvention;objet;\n05/04/2024;a;\n25/04/2024;b;\n' >"$TMP/g1.csv"
printf 'dateConvention;objet\n05/04/2024;a\n25/04/2024;b\n04/25/2024;c\n' >"$TMP/g2.csv"
printf 'dateConvention;objet\n05/04/2024;a\n06/04/2024;b\n' >"$TMP/g3.csv"
printf 'dateConvention;objet;\n25/04/2024;a;\n25/04/2024;b;x\n' >"$TMP/g4.csv"
printf 'dateConvention;objet\r\n25/04/2024;a\r\n25/04/2024;b\n' >"$TMP/g5.csv"
for g in g1 g2 g3 g4 g5; do
	run_fixes() {
		python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).readline())
print(json.dumps([d["error_counts"], d["fix_counts"], d["fix_left_counts"], d["fixes"]], sort_keys=True))
' "$1"
	}
	"$BIN/odl-validate" -s "$TMP/amb.json" --fix --fix-output "$TMP/$g.once.csv" -f ndjson -o "$TMP/$g.once.json" "$TMP/$g.csv"
	"$BIN/odl-validate" -s "$TMP/amb.json" --fix --fix-output - -f ndjson -o "$TMP/$g.twice.json" "$TMP/$g.csv" >"$TMP/$g.twice.csv"
	same "$TMP/$g.once.csv" "$TMP/$g.twice.csv"
	run_fixes "$TMP/$g.once.json" >"$TMP/$g.once.fixes"
	run_fixes "$TMP/$g.twice.json" >"$TMP/$g.twice.fixes"
	same "$TMP/$g.once.fixes" "$TMP/$g.twice.fixes"
done
# a repaired file written as it goes (a device, not a temporary renamed):
# read first, never twice
"$BIN/odl-validate" -s "$TMP/amb.json" --fix --fix-output /dev/stdout -f ndjson -o "$TMP/g2.dev.json" "$TMP/g2.csv" >"$TMP/g2.dev.csv"
same "$TMP/g2.dev.csv" "$TMP/g2.once.csv"
same_text "$TMP/g2.once.csv" "$(printf 'dateConvention;objet\n05/04/2024;a\n2024-04-25;b\n2024-04-25;c')"
same_text "$TMP/g4.once.csv" "$(printf 'dateConvention;objet;\n2024-04-25;a;\n2024-04-25;b;x')"

# the repaired file streamed into odl-compare: French amounts are counted
"$BIN/odl-validate" --fix --fix-output - -o "$TMP/rep.ndjson" testdata/demo/files/soyaux-subventions-2024.csv |
	"$BIN/odl-compare" indicators --set subventions -t testdata/demo/territories.csv - >"$TMP/ind.ndjson" 2>"$TMP/ind.err"
grep -q '"indicator":"subventions_montant_total".*"value":127400.5,.*"n_errors":0' "$TMP/ind.ndjson" ||
	fail "indicators through --fix: $(head -1 "$TMP/ind.ndjson")"

# usage: never over the input, options that need --fix, stdin needs a place
cp "$F" "$TMP/keep.csv"
run 2 "$BIN/odl-validate" --fix --fix-output "$TMP/keep.csv" "$TMP/keep.csv"
cmp -s "$TMP/keep.csv" "$F" || fail "--fix-output over the input changed it"
run 2 "$BIN/odl-validate" --fix-output "$TMP/x.csv" "$F"
run 2 "$BIN/odl-validate" --fix --no-fix colours "$F"
run 2 "$BIN/odl-validate" --fix --fix-output "$TMP/x.csv" "$F" "$F"
run 2 "$BIN/odl-validate" --fix -s "$TMP/amb.json" - <"$TMP/amb.csv"
run 2 "$BIN/odl-validate" --fix --fix-output - "$F"
[ -e "$TMP/x.csv" ] && fail "a refused run wrote its repaired file"

# the contract, file by file
mkdir -p "$TMP/w"
for f in testdata/demo/files/*.csv testdata/demo/files/*.csv.gz "$F"; do
	python3 tests/tools/fix_check.py "$BIN" "$TMP/w" "$f" 2>/dev/null || fail "contract broken on $f"
done
if [ -d "$SHARED" ]; then
	find "$SHARED/scdl" -name '*.csv' | sort >"$TMP/official"
	while read -r f; do
		# files whose header matches no shipped schema are not checked here
		"$BIN/odl-validate" -f ndjson "$f" >/dev/null 2>&1
		[ $? -eq 2 ] && continue
		python3 tests/tools/fix_check.py "$BIN" "$TMP/w" "$f" 2>/dev/null || fail "contract broken on $f"
	done <"$TMP/official"
	for f in "$SHARED"/scdl/subventions/2.0.1/exemples-collectivites/*.csv; do
		python3 tests/tools/fix_check.py "$BIN" "$TMP/w" "$f" --schema scdl/subventions@2.1.1 2>/dev/null ||
			fail "contract broken on $f"
	done
else
	echo "notice: ../shared/reference is not beside this clone: the official examples were not fixed"
fi
done_testing
