# The DGCL's EPCI composition as published (xlsx, shared strings, one sheet)
# is read as its layout says: 14 columns, one row per member commune, and
# every cell of four columns equal to what python3's zipfile and xml modules
# read from the same file (an independent reader).
. tests/cli/lib.sh
need_shared
need_cmd python3
X=$SHARED/territories/dgcl_epcicom2026.xlsx
[ -f "$X" ] || { echo "skipped: $X is absent"; exit 77; }

run 0 "$BIN/odl-validate" --describe -f ndjson "$X"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["columns"], d["rows"], d["blank_rows"], d["ragged_rows"], ",".join(d["header"]))' "$TMP/out" >"$TMP/got"
# rows 2 to 34873 of the sheet; the last one holds two styled empty cells
same_text "$TMP/got" "14 34872 1 0 dept,siren,raison_sociale,nature_juridique,mode_financ,nb_membres,total_pop_tot,total_pop_mun,dep_com,insee,siren_membre,nom_membre,ptot_2025,pmun_2025"

# every non-empty cell of siren, insee, nom_membre and ptot_2025, as the
# constraint errors of a schema no cell can meet
python3 - "$TMP/schema.json" <<'PY'
import json, sys
cols = "dept siren raison_sociale nature_juridique mode_financ nb_membres total_pop_tot total_pop_mun dep_com insee siren_membre nom_membre ptot_2025 pmun_2025".split()
fields = [{"name": c, "type": "string"} for c in cols]
for f in fields:
    if f["name"] in ("siren", "insee", "nom_membre", "ptot_2025"):
        f["constraints"] = {"maxLength": 0}
json.dump({"fields": fields}, open(sys.argv[1], "w"))
PY
run 1 "$BIN/odl-validate" -f csv --max-errors 0 -s "$TMP/schema.json" "$X"
python3 - "$TMP/out" >"$TMP/ours" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")):
    if r["type"] == "constraint-error":
        print(r["row"], r["field"], r["cell"], sep="\t")
PY
python3 - "$X" >"$TMP/theirs" <<'PY'
import re, sys, zipfile
import xml.etree.ElementTree as ET
M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
z = zipfile.ZipFile(sys.argv[1])
shared = []
for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(M + "si"):
    shared.append("".join(t.text or "" for t in si.iter(M + "t")))
cols = {}
want = {"B": "siren", "J": "insee", "L": "nom_membre", "M": "ptot_2025"}
for _, row in ET.iterparse(z.open("xl/worksheets/sheet1.xml")):
    if row.tag != M + "row" or row.get("r") == "1":
        continue
    for c in row.iter(M + "c"):
        col = re.match(r"[A-Z]+", c.get("r")).group(0)
        v = c.find(M + "v")
        if col not in want or v is None:
            continue
        if c.get("t") == "s":
            text = shared[int(v.text)]
        else:
            f = float(v.text)
            text = str(int(f)) if f.is_integer() else repr(f)
        if text:
            print(row.get("r"), want[col], text, sep="\t")
    row.clear()
PY
sort -k1,1n -k2,2 "$TMP/ours" >"$TMP/ours.s"
sort -k1,1n -k2,2 "$TMP/theirs" >"$TMP/theirs.s"
same "$TMP/ours.s" "$TMP/theirs.s"
n=$(wc -l <"$TMP/theirs.s")
[ "$n" -eq $((34871 * 4)) ] || fail "expected 139484 cells, the independent reader found $n"
# a few cells by eye: the first member of the first EPCI, a Corsican code
grep -E '^2	(siren|insee|nom_membre|ptot_2025)	' "$TMP/ours.s" >"$TMP/row2"
printf '2\tinsee\t01304\n2\tnom_membre\tPont-d'"'"'Ain\n2\tptot_2025\t2912\n2\tsiren\t200029999\n' >"$TMP/want"
same "$TMP/row2" "$TMP/want"
grep -c '	insee	2A' "$TMP/ours.s" >"$TMP/corse"
[ "$(cat "$TMP/corse")" -gt 100 ] || fail "Corse-du-Sud codes: $(cat "$TMP/corse")"

# odl-compare territories reads the same file as its CSV conversion
R=$SHARED/territories
run 0 "$BIN/odl-compare" territories --cog "$R/insee_cog2026_communes.csv" \
	--population "$R/insee_populations_legales_communes.csv" --epci "$X" -o "$TMP/terr.csv"
# the four communes in no EPCI have no SIREN without BANATIC's table
same_text "$TMP/err" "odl-compare: warning: '$R/insee_cog2026_communes.csv': communes without siren (in no EPCI and no SIREN table): 4 (22016, 29083, 29155, 85113)"
grep -E '^(16015|2A004|200071827),' "$TMP/terr.csv" | tr -d '\r' >"$TMP/some"
printf '%s\n' '16015,Angoulême,COM,43454,41908,211600150,200071827,16,75,,,insee-ptot,' \
	'2A004,Ajaccio,COM,77132,76320,212000046,242010056,2A,94,,,insee-ptot,' \
	'200071827,CA du Grand Angoulême,EPCI,146911,142933,200071827,,16,75,,,sum:insee-ptot,CA' >"$TMP/want"
same "$TMP/some" "$TMP/want"

# BANATIC's SIREN table, also published as xlsx, gives the communes in no
# EPCI their SIREN (L'Île-d'Yeu...): no commune is left without one
run 0 "$BIN/odl-compare" territories --cog "$R/insee_cog2026_communes.csv" \
	--population "$R/insee_populations_legales_communes.csv" --epci "$X" \
	--siren "$R/banatic_siren_insee.xlsx" -o "$TMP/terr2.csv"
same "$TMP/err" /dev/null
grep '^85113,' "$TMP/terr2.csv" | tr -d '\r' >"$TMP/yeu"
same_text "$TMP/yeu" "85113,L'Île-d'Yeu,COM,5021,4883,218501138,,85,52,,,insee-ptot,"

done_testing
