# Agents by proxy: the Sirene register's headcount bands
# (trancheEffectifsUniteLegale, anneeEffectifsUniteLegale) read from an
# extract in StockUniteLegale's published layout, as CSV, gzip, zip (deflated,
# stored, zip64, streamed with a data descriptor) and from a pipe; the
# compliance decision and its evidence; the territory table's two columns.
. tests/cli/lib.sh
need_cmd python3
T=testdata/compare

cat >"$TMP/t.csv" <<'CSV'
code,name,type,population,siren,epci,dep,reg,agents
16015,Angoulême,COM,40000,211600150,200071827,16,75,
16102,Cognac,COM,20000,211601026,200070514,16,75,300
16113,Dirac,COM,1500,211601133,200071827,16,75,
16070,Chasseneuil-sur-Bonnieure,COM,3600,211600705,200071827,16,75,
16999,Commune sans population,COM,,211699998,,16,75,
16200,Commune sans tranche,COM,5000,211602008,,16,75,
16300,Commune absente de Sirene,COM,8000,211603006,,16,75,
16400,Commune tranche 53,COM,4000,211604004,,16,75,
200071827,CA du Grand Angoulême,EPCI,150000,200071827,,16,75,
CSV
# the documented columns of StockUniteLegale, in the published order
H='siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,sigleUniteLegale,sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,prenom3UniteLegale,prenom4UniteLegale,prenomUsuelUniteLegale,pseudonymeUniteLegale,identifiantAssociationUniteLegale,trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,caractereEmployeurUniteLegale'
row() { # siren band year name categorieJuridique
	printf '%s,O,,1983-01-01,,,,,,,,,,%s,%s,2024-03-01T10:00:00,3,GE,2022,2017-01-01,A,,,"%s",,,,%s,84.11Z,NAFRev2,00013,,,O\n' "$1" "$2" "$3" "$4" "$5"
}
{
	echo "$H"
	row 005520135 12 2022 "SOCIETE, SANS RAPPORT" 5710
	row 211600150 41 2022 "COMMUNE D'ANGOULEME" 7210
	row 211601026 12 2021 "COMMUNE DE COGNAC" 7210
	row 211601133 21 2022 "COMMUNE DE DIRAC" 7210
	row 211600705 12 2022 "COMMUNE DE CHASSENEUIL SUR BONNIEURE" 7210
	row 211699998 03 2020 "COMMUNE SANS POPULATION" 7210
	row 211602008 NN "" "COMMUNE SANS TRANCHE" 7210
	row 211604004 53 2023 "COMMUNE TRANCHE 53" 7210
	row 200071827 32 2022 "CA DU GRAND ANGOULEME" 7348
	row 221600016 42 2022 "DEPARTEMENT DE LA CHARENTE" 7220
} >"$TMP/s.csv"

# Angoulême 41 = 500-999: obligated by proxy; Cognac's agents cell (300)
# wins over its band 12; Dirac is under 3,500 whatever its band; 16070's
# band 12 (20-49) says not obligated; 16999 has no population but its band
# 03 is under 50; 16200 is listed without a band (NN) and 16300 not at
# all: unknown-agents; 53 = 10000+; the EPCI by its band 32
run 0 "$BIN/odl-compare" compliance -t "$TMP/t.csv" --today 2026-11-23 \
	--agents-from-sirene "$TMP/s.csv" $T/manifest.ndjson $T/reports.ndjson
same "$TMP/out" "$EXPECTED/331-sirene.ndjson"
sed "s|$TMP/||g" "$TMP/err" >"$TMP/err.rel"
same "$TMP/err.rel" "$EXPECTED/331-sirene.err"

# the same from gzip, the published zip (deflated, stored, zip64 sizes,
# written to a pipe with a data descriptor) and standard input
gzip -c "$TMP/s.csv" >"$TMP/s.csv.gz"
python3 - "$TMP" <<'PY'
import sys, zipfile
d = sys.argv[1]
data = open(d + '/s.csv', 'rb').read()
name = 'StockUniteLegale_utf8.csv'
with zipfile.ZipFile(d + '/s.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr(name, data)
with zipfile.ZipFile(d + '/s-stored.zip', 'w', zipfile.ZIP_STORED) as z:
    z.writestr(name, data)
with zipfile.ZipFile(d + '/s-64.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    with z.open(name, 'w', force_zip64=True) as f:
        f.write(data)
class Pipe:  # not seekable: sizes and CRC go to a data descriptor
    def __init__(self, f): self.f = f
    def write(self, b): return self.f.write(b)
    def flush(self): self.f.flush()
with open(d + '/s-stream.zip', 'wb') as out:
    with zipfile.ZipFile(Pipe(out), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
assert zipfile.ZipFile(d + '/s-stream.zip').infolist()[0].flag_bits & 8
PY
for f in s.csv.gz s.zip s-stored.zip s-64.zip s-stream.zip; do
	run 0 "$BIN/odl-compare" compliance -t "$TMP/t.csv" --today 2026-11-23 \
		--agents-from-sirene "$TMP/$f" $T/manifest.ndjson $T/reports.ndjson
	same "$TMP/out" "$EXPECTED/331-sirene.ndjson"
done
run 0 sh -c "cat '$TMP/s-stream.zip' | '$BIN/odl-compare' compliance -t '$TMP/t.csv' --today 2026-11-23 --agents-from-sirene - $T/manifest.ndjson $T/reports.ndjson"
same "$TMP/out" "$EXPECTED/331-sirene.ndjson"

# CSV: the four evidence columns come last
run 0 "$BIN/odl-compare" compliance -t "$TMP/t.csv" --today 2026-11-23 -f csv --type COM \
	--agents-from-sirene "$TMP/s.csv" /dev/null
same "$TMP/out" "$EXPECTED/331-sirene.csv"

# territories: agents_band and agents_year appended to the built table
# (NN for a SIREN listed without a band, empty when not listed); compliance
# on that table shows the evidence without the option
R=$T/territories
run 0 "$BIN/odl-compare" territories --cog $R/cog-communes.csv --population $R/populations-legales.csv \
	--epci $R/dgcl-epcicom.csv --departements $R/cog-departements.csv --regions $R/cog-regions.csv \
	--siren $R/identifiants-departements.csv --siren $R/identifiants-regions.csv \
	--agents-from-sirene "$TMP/s.csv" -o "$TMP/terr.csv"
same "$TMP/terr.csv" "$EXPECTED/331-territories.csv"
sed "s|$TMP/||g" "$TMP/err" >"$TMP/err.rel"
same "$TMP/err.rel" "$EXPECTED/331-territories.err"
run 0 "$BIN/odl-compare" compliance -t "$TMP/terr.csv" --today 2026-11-23 --type DEP /dev/null
same "$TMP/out" "$EXPECTED/331-territories-dep.ndjson"

# an existing table given its bands: the same decisions without the option
run 0 "$BIN/odl-compare" territories -t "$TMP/t.csv" --agents-from-sirene "$TMP/s.zip" -o "$TMP/t-bands.csv"
run 0 "$BIN/odl-compare" compliance -t "$TMP/t-bands.csv" --today 2026-11-23 $T/manifest.ndjson $T/reports.ndjson
same "$TMP/out" "$EXPECTED/331-sirene.ndjson"
# the agents_band column of a hand-edited table: a code outside the list
# is unknown, counted in one warning
sed 's/^16015,\(.*\),41,2022/16015,\1,4l,2022/' "$TMP/t-bands.csv" >"$TMP/t-typo.csv"
run 0 "$BIN/odl-compare" compliance -t "$TMP/t-typo.csv" --today 2026-11-23 --type COM -f csv /dev/null
sed -n '/^16015,/p' "$TMP/out" | tr -d '\r' >"$TMP/got"
same_text "$TMP/got" "16015,Angoulême,COM,40000,,unknown-agents,0,0,0,,0,0,0,0,,,E,,,,"
sed -n '/headcount band of/p' "$TMP/err" | sed "s|$TMP/||g" >"$TMP/got"
same_text "$TMP/got" "odl-compare: warning: 't-typo.csv': 1 'agents_band' cell not a headcount band of the Sirene register, read as unknown"
# territories needs --cog, or a table with the bands to add
run 2 "$BIN/odl-compare" territories -t "$TMP/t.csv"
head -1 "$TMP/err" >"$TMP/err1"
same_text "$TMP/err1" "odl-compare: territories needs --cog FILE (or --territories FILE with --agents-from-sirene)"

# without a band column nothing changes: the fields are not there
run 0 "$BIN/odl-compare" compliance -t $T/territories.csv --today 2026-11-23 $T/reports.ndjson $T/manifest.ndjson
same "$TMP/out" "$EXPECTED/330-compliance.ndjson"

# both on standard input is a usage error
run 2 "$BIN/odl-compare" compliance -t "$TMP/t.csv" --agents-from-sirene -
head -1 "$TMP/err" >"$TMP/err1"
same_text "$TMP/err1" "odl-compare: --agents-from-sirene - and the other input both on standard input"
run 2 "$BIN/odl-compare" territories -t - --agents-from-sirene - </dev/null
head -1 "$TMP/err" >"$TMP/err1"
same_text "$TMP/err1" "odl-compare: --agents-from-sirene - and the other input both on standard input"

done_testing
