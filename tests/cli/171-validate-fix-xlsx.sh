# odl-validate --fix on a workbook: a plain number in a date field is an
# Excel serial date, in the 1900 system or the 1904 one the workbook
# declares; a number that cannot be a date is left and reported; the same
# numbers in a CSV file are not serials, and stay.
. tests/cli/lib.sh
need_cmd python3
MK=$ODL_BUILD/tests/make_xlsx
[ -x "$MK" ] || { echo "skipped: $MK not built (make tests)"; exit 77; }
T=$(printf '\t')

cat >"$TMP/s.json" <<'JSON'
{"fields": [{"name": "dateConvention", "type": "date"}, {"name": "objet", "type": "string"},
 {"name": "dateDecision", "type": "date", "format": "%d/%m/%Y"}, {"name": "horodatage", "type": "datetime"}]}
JSON
# unstyled numbers, a date-styled cell (read as a date already), a year
cat >"$TMP/spec" <<SPEC
s:dateConvention${T}s:objet${T}s:dateDecision${T}s:horodatage
n:45382${T}s:a${T}n:45382${T}n:45382.75
d:2024-03-31${T}s:b${T}n:45383${T}x:2024-03-31T10:30:00
n:2024${T}s:c${T}s:31/03/2024${T}n:45382
SPEC
"$MK" "$TMP/in.xlsx" <"$TMP/spec" || fail "make_xlsx failed"

fixes() {
	python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).readline())
for e in d["fixes"]:
    print(e["row"], e["field"], e["before"], "->", e["after"], e.get("message", ""))
print(d["error_counts"])
' "$1"
}

run 1 "$BIN/odl-validate" -s "$TMP/s.json" --fix --fix-output "$TMP/out.csv" -f ndjson -o "$TMP/r.json" "$TMP/in.xlsx"
same_text "$TMP/out.csv" "$(printf '%s\n' 'dateConvention,objet,dateDecision,horodatage' \
	'2024-03-31,a,31/03/2024,2024-03-31T18:00:00' \
	'2024-03-31,b,01/04/2024,2024-03-31T10:30:00' \
	'2024,c,31/03/2024,2024-03-31T00:00:00')"
fixes "$TMP/r.json" >"$TMP/got"
same_text "$TMP/got" "$(printf '%s\n' \
	'2 dateConvention 45382 -> 2024-03-31 ' \
	'2 dateDecision 45382 -> 31/03/2024 ' \
	'2 horodatage 45382.75 -> 2024-03-31T18:00:00 ' \
	'3 dateDecision 45383 -> 01/04/2024 ' \
	'4 dateConvention 2024 -> None a number, but not a plausible Excel date (serials from 10000 to 9999-12-31)' \
	'4 horodatage 45382 -> 2024-03-31T00:00:00 ' \
	"{'type-error': 1}")"
# the repaired file validates to what --fix said
run 1 "$BIN/odl-validate" -s "$TMP/s.json" -f ndjson "$TMP/out.csv"
python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["error_counts"])' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "{'type-error': 1}"

# the 1904 system: serials count from 1904-01-01 (Excel for Mac's)
python3 - "$TMP/in.xlsx" "$TMP/mac.xlsx" <<'PY'
import sys, zipfile
src, dst = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED)
for i in src.infolist():
    data = src.read(i.filename)
    if i.filename == "xl/workbook.xml":
        data = data.replace(b"<workbookPr ", b'<workbookPr date1904="1" ', 1)
        assert b"date1904" in data
    dst.writestr(i, data)
dst.close()
PY
run 1 "$BIN/odl-validate" -s "$TMP/s.json" --fix --fix-output "$TMP/mac.csv" -f ndjson "$TMP/mac.xlsx"
same_text "$TMP/mac.csv" "$(printf '%s\n' 'dateConvention,objet,dateDecision,horodatage' \
	'2028-04-01,a,01/04/2028,2028-04-01T18:00:00' \
	'2028-04-01,b,02/04/2028,2028-04-01T10:30:00' \
	'2024,c,31/03/2024,2028-04-01T00:00:00')"

# the same cells in a CSV file: numbers, not serials; nothing repaired
printf 'dateConvention,objet,dateDecision,horodatage\n45382,a,45382,45382.75\n' >"$TMP/in.csv"
run 1 "$BIN/odl-validate" -s "$TMP/s.json" --fix --fix-output "$TMP/csv.csv" -f ndjson -o "$TMP/r.json" "$TMP/in.csv"
same "$TMP/csv.csv" "$TMP/in.csv"
fixes "$TMP/r.json" >"$TMP/got"
same_text "$TMP/got" "{'type-error': 3}"
done_testing
