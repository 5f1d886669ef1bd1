# Agents by proxy on the territory table built from Insee's and the DGCL's
# real files: every Charente collectivité of 3,500 inhabitants or more has a
# SIREN the Sirene extract can name, so none is left unknown-agents but the
# one the extract lists without a band.  The bands are the test's own (an
# extract in the published layout, written here), not the register's.
. tests/cli/lib.sh
need_shared
need_cmd python3
R=$SHARED/territories

run 0 "$BIN/odl-compare" territories --cog "$R/insee_cog2026_communes.csv" \
	--population "$R/insee_populations_legales_communes.csv" --epci "$R/dgcl_epcicom_2025.csv" \
	--departements "$R/insee_cog2026_departements.csv" --regions "$R/insee_cog2026_regions.csv" \
	--siren "$R/datactivist_identifiants_departements_2022.csv" \
	--siren "$R/datactivist_identifiants_regions_2022.csv" -o "$TMP/france.csv"

# Charente (20 communes of 3,500 or more, 3 of them of 10,000 or more, 9
# EPCI, the département): communes of 10,000 or more 22 (100-199), of
# 3,500 to 9,999 12
# (20-49) but Ruelle-sur-Touvre (16291) NN, EPCI 21 (50-99), the
# département 42, the other communes 01
python3 - "$TMP/france.csv" >"$TMP/sirene.csv" <<'PY'
import csv, sys
print('siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,sigleUniteLegale,'
      'sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,prenom3UniteLegale,prenom4UniteLegale,'
      'prenomUsuelUniteLegale,pseudonymeUniteLegale,identifiantAssociationUniteLegale,'
      'trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,dateDernierTraitementUniteLegale,'
      'nombrePeriodesUniteLegale,categorieEntreprise,anneeCategorieEntreprise,dateDebut,'
      'etatAdministratifUniteLegale,nomUniteLegale,nomUsageUniteLegale,denominationUniteLegale,'
      'denominationUsuelle1UniteLegale,denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,'
      'categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale,'
      'nicSiegeUniteLegale,economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,'
      'caractereEmployeurUniteLegale')
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')):
    if r['dep'] != '16' or len(r['siren']) != 9:
        continue
    p = float(r['population'] or 0)
    if r['type'] == 'DEP':
        band, cj = '42', '7220'
    elif r['type'] == 'EPCI':
        band, cj = '21', '7348'
    elif r['code'] == '16291':
        band, cj = 'NN', '7210'
    else:
        band, cj = ('22' if p >= 10000 else '12' if p >= 3500 else '01'), '7210'
    year = '' if band == 'NN' else '2023'
    name = r['name'].upper().replace('"', '')
    print('%s,O,,1983-01-01,,,,,,,,,,%s,%s,2025-01-01T00:00:00,5,PME,2023,2024-01-01,A,,,"%s",,,,%s,84.11Z,NAFRev2,00011,N,,O'
          % (r['siren'], band, year, name, cj))
PY
awk -F, 'NR == 1 || $8 == "16"' "$TMP/france.csv" >"$TMP/charente.csv"

run 0 "$BIN/odl-compare" compliance -t "$TMP/charente.csv" --today 2026-11-23 \
	--agents-from-sirene "$TMP/sirene.csv" /dev/null
same_text "$TMP/err" "odl-compare: warning: '$TMP/charente.csv': 1 territory of 3,500 inhabitants or more without 'agents' or a headcount band: obligation unknown-agents"
python3 - "$TMP/out" >"$TMP/got" <<'PY'
import collections, json, sys
n = collections.Counter()
for line in open(sys.argv[1], encoding='utf-8'):
    r = json.loads(line)
    if r['population'] is not None and r['population'] >= 3500:
        n[(r['type'], str(r['obligated']), str(r['evidence']), str(r['agents_band']))] += 1
for k in sorted(n):
    print(' '.join(k), n[k])
PY
cat >"$TMP/want" <<'WANT'
COM False proxy 12 16
COM True proxy 22 3
COM unknown-agents None NN 1
DEP True proxy 42 1
EPCI True proxy 21 9
WANT
same "$TMP/got" "$TMP/want"

# the whole of France with that extract: the same table, two more columns,
# every SIREN outside Charente counted once as not listed
run 0 "$BIN/odl-compare" territories -t "$TMP/france.csv" --agents-from-sirene "$TMP/sirene.csv" -o "$TMP/france-bands.csv"
head -1 "$TMP/france-bands.csv" | tr -d '\r' >"$TMP/h"
same_text "$TMP/h" "code,name,type,population,population_municipale,siren,epci,dep,reg,agents,parent,population_source,nature,agents_band,agents_year"
[ "$(wc -l <"$TMP/france-bands.csv")" -eq "$(wc -l <"$TMP/france.csv")" ] || fail "rows differ"
sed "s/([^)]*)//" "$TMP/err" | sed "s|$TMP/||g" >"$TMP/got"
n=$(python3 - "$TMP/france.csv" <<'PY'
import csv, re, sys
sirens = lambda r: r['siren'] if re.fullmatch(r'[0-9]{9}', r['siren']) else r['code']
print(sum(1 for r in csv.DictReader(open(sys.argv[1], encoding='utf-8', newline=''))
          if r['dep'] != '16' and re.fullmatch(r'[0-9]{9}', sirens(r))))
PY
)
same_text "$TMP/got" "odl-compare: warning: 'sirene.csv': $n territories with a SIREN the file does not list : no headcount band"

done_testing
