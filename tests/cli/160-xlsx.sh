# xlsx in, like CSV: a workbook written with libxlsxwriter holding the data of
# testdata/validate/communes-errors.csv (accents, numbers, dates, booleans,
# empty cells, gaps, missing rows) gets the same report as the CSV in every
# format; --sheet picks a sheet; workbooks are known by content.
. tests/cli/lib.sh
MK=$ODL_BUILD/tests/make_xlsx
[ -x "$MK" ] || { echo "skipped: $MK not built (make tests)"; exit 77; }
S=testdata/schema/communes.json
F=testdata/validate/communes-errors.csv
T=$(printf '\t')

# the CSV's rows as typed cells; row 6 holds empty cells, row 7 is absent
cat >"$TMP/spec" <<SPEC
s:code_insee${T}s:nom${T}s:population${T}s:date_maj${T}s:chef_lieu${T}s:surface_km2${T}s:rurale
s:16015${T}s:Angoulême${T}n:41711${T}d:2024-01-01${T}${T}s:21,85${T}b:0
s:16102${T}s:Cognac${T}n:18670${T}s:01/01/2024${T}n:16015${T}s:15,5${T}b:0
s:16015${T}s:Ruelle-sur-Touvre${T}n:7368${T}d:2024-01-01${T}s:16015${T}s:NC${T}b:1
s:2A004${T}s:Ajaccio${T}n:-3${T}d:2024-01-01${T}n:99999${T}n:82.03${T}b:0
e:${T}e:${T}e:${T}e:${T}e:${T}e:${T}e:

s:16999${T}s:Commune au nom beaucoup trop long pour tenir dans la colonne${T}s:NC${T}s:2024-02-30${T}s:16015${T}n:1${T}s:peut-être
SPEC
# named as the CSV: the frictionless report names the resource after the file
mkdir "$TMP/shared" "$TMP/inline"
"$MK" "$TMP/shared/communes-errors.xlsx" <"$TMP/spec" || fail "make_xlsx failed"
"$MK" --inline "$TMP/inline/communes-errors.xlsx" <"$TMP/spec" || fail "make_xlsx --inline failed"
cp "$TMP/shared/communes-errors.xlsx" "$TMP/communes.xlsx"

# the same report as the CSV's, once the file's name and digest are set aside
norm() {
	sed -e "s|$2|FILE|g" -e 's/sha256":"[0-9a-f]*"//g' -e 's/"seconds":[0-9.e-]*//' \
		-e 's/"bytes":[0-9]*//' "$1"
}
for fmt in text ndjson csv frictionless; do
	for lang in en fr; do
		run 1 "$BIN/odl-validate" -f $fmt --lang $lang -s $S $F
		norm "$TMP/out" "$F" >"$TMP/want"
		for x in shared inline; do
			run 1 "$BIN/odl-validate" -f $fmt --lang $lang -s $S "$TMP/$x/communes-errors.xlsx"
			norm "$TMP/out" "$TMP/$x/communes-errors.xlsx" >"$TMP/got"
			same "$TMP/got" "$TMP/want"
			same "$TMP/err" /dev/null
		done
	done
done

# the reader's view: header, rows, the blank rows, booleans without a schema
run 0 "$BIN/odl-validate" --describe -f text "$TMP/communes.xlsx"
sed "s|$TMP|TMP|" "$TMP/out" >"$TMP/got"
same "$TMP/got" "$EXPECTED/160-describe.txt"

# known by content whatever the name, and stdin too
cp "$TMP/communes.xlsx" "$TMP/export.dat"
run 1 "$BIN/odl-validate" -f csv --lang en -s $S "$TMP/export.dat"
norm "$TMP/out" "$TMP/export.dat" >"$TMP/got"
run 1 "$BIN/odl-validate" -f csv --lang en -s $S $F
norm "$TMP/out" "$F" >"$TMP/want"
same "$TMP/got" "$TMP/want"
run 0 "$BIN/odl-validate" --describe -f text - <"$TMP/communes.xlsx"
sed "1s|^-\$|TMP/communes.xlsx|" "$TMP/out" >"$TMP/got"
same "$TMP/got" "$EXPECTED/160-describe.txt"

# --sheet: the second sheet; a sheet that is not there names those that are
{ echo "#sheet Notes"; echo "s:texte"; echo "s:rien"; echo "#sheet Communes"; cat "$TMP/spec"; } >"$TMP/spec2"
"$MK" "$TMP/two.xlsx" <"$TMP/spec2" || fail "make_xlsx (two sheets) failed"
run 1 "$BIN/odl-validate" -f csv --lang en --sheet Communes -s $S "$TMP/two.xlsx"
norm "$TMP/out" "$TMP/two.xlsx" >"$TMP/got"
same "$TMP/got" "$TMP/want"
run 2 "$BIN/odl-validate" -f csv --sheet Feuil9 -s $S "$TMP/two.xlsx"
same_text "$TMP/err" "odl-validate: '$TMP/two.xlsx': no sheet 'Feuil9' (sheets: 'Notes', 'Communes')"

# odl-compare indicators: a workbook whose numbers and dates are number and
# date cells gives the CSV's indicators (--sheet reaches the data files)
C=testdata/compare
python3 - "$C/subventions-2023.csv" >"$TMP/sub.spec" <<'PY'
import csv, re, sys
print("#sheet Notes")
print("s:x")
print("#sheet Data")
for row in csv.reader(open(sys.argv[1], encoding="utf-8", newline="")):
    cells = []
    for c in row:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", c):
            cells.append("d:" + c)
            continue
        try:
            float(c)
            cells.append("n:" + c)
        except ValueError:
            cells.append("s:" + c if c else "")
    print("\t".join(cells))
PY
"$MK" "$TMP/sub.xlsx" <"$TMP/sub.spec" || fail "make_xlsx (subventions) failed"
run 0 "$BIN/odl-compare" indicators --set subventions --territories $C/territories.csv $C/subventions-2023.csv
sed "s|$C/subventions-2023.csv|FILE|" "$TMP/out" >"$TMP/want"
sed "s|$C/subventions-2023.csv|FILE|" "$TMP/err" >"$TMP/want.err"
run 0 "$BIN/odl-compare" indicators --set subventions --territories $C/territories.csv --sheet Data "$TMP/sub.xlsx"
sed "s|$TMP/sub.xlsx|FILE|" "$TMP/out" >"$TMP/got"
sed "s|$TMP/sub.xlsx|FILE|" "$TMP/err" >"$TMP/got.err"
same "$TMP/got" "$TMP/want"
same "$TMP/got.err" "$TMP/want.err"
[ -s "$TMP/want" ] || fail "no indicators"

# a file named .xlsx that is not a workbook is an error, not a CSV
cp $F "$TMP/fake.xlsx"
run 2 "$BIN/odl-validate" -f csv -s $S "$TMP/fake.xlsx"
same_text "$TMP/err" "odl-validate: '$TMP/fake.xlsx': not an xlsx workbook (no zip signature)"

done_testing
