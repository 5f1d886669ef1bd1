# odl-compare territories on small files in the published layouts
# (testdata/compare/territories, see testdata/compare/README): Lyon summed
# from its arrondissements, which stay as ARM rows; Mamoudzou (Mayotte)
# from the DGCL file; départements and régions with their SIRENs and the
# sums of their communes; L'Île-d'Yeu's SIREN from a BANATIC-layout table;
# one warning per cause for what no source gives.
. tests/cli/lib.sh
T=testdata/compare/territories

run 0 "$BIN/odl-compare" territories --cog $T/cog-communes.csv \
	--population $T/populations-legales.csv --population-year 2022 \
	--epci $T/dgcl-epcicom.csv --departements $T/cog-departements.csv \
	--regions $T/cog-regions.csv --siren $T/identifiants-departements.csv \
	--siren $T/identifiants-regions.csv --siren $T/banatic-siren-insee.csv
same "$TMP/out" "$EXPECTED/301-territories.csv"
same "$TMP/err" "$EXPECTED/301-territories.err"

# the table is read back by every command: match keeps the rows without a
# SIREN (Jarnac, Lyon's arrondissements, the région of Mayotte) and says so once
printf 'id;name;acronym;url;description;logo;badges;business_number_id;created_at;last_modified;slug\n' >"$TMP/orgs.csv"
printf '1;Ville de Lyon;;;;;;21690123100011;;;lyon\n' >>"$TMP/orgs.csv"
cp "$TMP/out" "$TMP/terr.csv"
run 0 "$BIN/odl-compare" match -f csv -t "$TMP/terr.csv" "$TMP/orgs.csv"
tr -d '\r' <"$TMP/out" >"$TMP/lf"
same_text "$TMP/lf" "territory,siren,org_id,org_name,org_siret,org_slug
69123,216901231,1,Ville de Lyon,21690123100011,lyon"
same_text "$TMP/err" "odl-compare: warning: '$TMP/terr.csv': 4 territories without a siren, not matched (first: '16167')"

# EPCI ranked by nature (CC, CA, CU, MET: the DGCL's METRO and MET69 are
# both métropoles), never with communes
printf '{"territory":"%s","indicator":"x","year":2023,"value":%s}\n' 200071827 3 200046977 5 \
	200060457 4 69123 1 >"$TMP/rows.ndjson"
run 0 "$BIN/odl-compare" rank -t "$TMP/terr.csv" --peers nature -f csv "$TMP/rows.ndjson"
cut -d, -f1,8,9,10 "$TMP/out" | tr -d '\r' >"$TMP/got"
same_text "$TMP/got" "territory,peers,rank,n_peers
69123,COM:unknown,1,1
200060457,EPCI:nature:CA,1,2
200071827,EPCI:nature:CA,2,2
200046977,EPCI:nature:MET,1,1"

# without the population year, the source says no year (none in the name)
run 0 "$BIN/odl-compare" territories --cog $T/cog-communes.csv \
	--population $T/populations-legales.csv --epci $T/dgcl-epcicom.csv
grep -E '^(69123|16015|97611),' "$TMP/out" | tr -d '\r' >"$TMP/some"
same_text "$TMP/some" "16015,Angoulême,COM,42000,41000,211600150,200071827,16,75,,,insee-ptot,
69123,Lyon,COM,59000,58000,216901231,200046977,69,84,,,insee-ptot+arm,
97611,Mamoudzou,COM,72974,71437,200008837,200060457,976,06,,,dgcl-ptot-2025,"

# an xlsx file is not read yet: say so and how to convert it, in one line,
# for --epci as for --siren, and write nothing
need_cmd python3
python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("xl/workbook.xml", "<workbook/>")' "$TMP/epcicom.xlsx"
for opt in --epci --siren; do
	run 2 "$BIN/odl-compare" territories --cog $T/cog-communes.csv $opt "$TMP/epcicom.xlsx"
	same_text "$TMP/err" "odl-compare: '$TMP/epcicom.xlsx': an xlsx (zip) file, not read yet: convert it to CSV first, e.g. 'libreoffice --headless --convert-to csv FILE' or 'ssconvert FILE FILE.csv'"
	same "$TMP/out" /dev/null
done

# a SIREN table of neither layout, a SIREN that is not 9 digits
printf 'code,numero\r\n16015,211600150\r\n' >"$TMP/siren.csv"
run 2 "$BIN/odl-compare" territories --cog $T/cog-communes.csv --siren "$TMP/siren.csv"
same_text "$TMP/err" "odl-compare: '$TMP/siren.csv' line 1: a SIREN table needs the columns insee and siren (communes) or SIREN, COG and type (départements, régions)"
printf 'insee,siren\r\n16015,21160015\r\n' >"$TMP/siren.csv"
run 2 "$BIN/odl-compare" territories --cog $T/cog-communes.csv --siren "$TMP/siren.csv"
same_text "$TMP/err" "odl-compare: '$TMP/siren.csv' line 2, field 'siren': not a 9-digit siren"

# beside a table written with -o, its sources: role, size, SHA-256 and
# vintage (the --population-year given, or the year a file's name carries);
# standard output gets no sidecar
mkdir "$TMP/t" && cp $T/cog-communes.csv "$TMP/t/insee_cog2026_communes.csv"
run 0 "$BIN/odl-compare" territories --cog "$TMP/t/insee_cog2026_communes.csv" \
	--population $T/populations-legales.csv --population-year 2022 -o "$TMP/t/table.csv"
sum=$(sha256sum "$TMP/t/insee_cog2026_communes.csv" | cut -d' ' -f1)
python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    print(d["source"], d["vintage"], d["vintage_from"], d["sha256"], d["bytes"] > 0)
' "$TMP/t/table.csv.sources.ndjson" >"$TMP/sources"
psum=$(sha256sum $T/populations-legales.csv | cut -d' ' -f1)
same_text "$TMP/sources" "cog-communes 2026 file name $sum True
populations 2022 option $psum True"
[ -e "$TMP/out.sources.ndjson" ] && fail "a sidecar beside standard output"

done_testing
