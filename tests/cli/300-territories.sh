# odl-compare territories: the table built from Insee's and the DGCL's real
# files matches, for Charente (16), the hand-checked derived file.
. tests/cli/lib.sh
need_shared
need_cmd python3
R=$SHARED/territories

run 0 "$BIN/odl-compare" territories --cog "$R/insee_cog2026_communes.csv" \
	--population "$R/insee_populations_legales_communes.csv" \
	--epci "$R/dgcl_epcicom_2025.csv" -o "$TMP/terr.csv"
same "$TMP/out" /dev/null
# the four communes in no EPCI have no SIREN without a SIREN table: said once
same_text "$TMP/err" "odl-compare: warning: '$R/insee_cog2026_communes.csv': communes without siren (in no EPCI and no SIREN table): 4 (22016, 29083, 29155, 85113)"

# code, name, SIREN, EPCI, population totale and municipale of every commune of 16
python3 - "$TMP/terr.csv" >"$TMP/ours" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')):
    if r['type'] == 'COM' and r['dep'] == '16':
        print(','.join([r['code'], r['name'], r['siren'], r['epci'], r['population'], r['population_municipale']]))
PY
python3 - "$R/derived_charente16_communes_epci_population.csv" >"$TMP/theirs" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')):
    print(','.join([r['code_insee'], r['nom_commune'], r['siren_commune'], r['epci_siren'], r['ptot_insee_popleg'], r['pmun_insee_popleg']]))
PY
same "$TMP/ours" "$TMP/theirs"
[ "$(wc -l <"$TMP/ours")" -eq 359 ] || fail "expected 359 Charente communes, got $(wc -l <"$TMP/ours")"

# codes stay text: Corsica and leading zeros; an EPCI row sums its members
grep -E '^(2A004|01001|200071827),' "$TMP/terr.csv" >"$TMP/some"
same "$TMP/some" "$EXPECTED/300-territories-some.csv"

# Paris, Lyon and Marseille: the sums of their arrondissements in Insee's
# file (computed here independently), the arrondissements kept as ARM rows
# under them; the Métropole du Grand Paris whole (7,190,408, not 5,070,996)
python3 - "$R/insee_populations_legales_communes.csv" >"$TMP/plm" <<'PY'
import csv, sys
s = {}
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8', newline=''), delimiter=';'):
    c = r['COM']
    for p, lo, hi in (('75056', 75101, 75120), ('69123', 69381, 69389), ('13055', 13201, 13216)):
        if c.isdigit() and lo <= int(c) <= hi:
            s[p] = s.get(p, 0) + int(r['PTOT'])
for p in ('13055', '69123', '75056'):
    print(p, s[p])
PY
same_text "$TMP/plm" "13055 892391
69123 525314
75056 2119412"
python3 - "$TMP/terr.csv" >"$TMP/ours" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
by = {r['code']: r for r in rows}
for c in ('13055', '69123', '75056', '200054781'):
    r = by[c]
    print(c, r['type'], r['population'], r['population_source'])
arm = [r for r in rows if r['type'] == 'ARM']
print(len(arm), 'ARM', sorted(set(r['parent'] for r in arm)))
for p in ('13055', '69123', '75056'):
    print(p, sum(int(r['population']) for r in arm if r['parent'] == p))
# Mayotte: 17 communes and 5 EPCI from the DGCL file's populations
may = [r for r in rows if r['dep'] == '976' and r['type'] in ('COM', 'EPCI')]
print(len([r for r in may if r['type'] == 'COM']), 'COM',
      len([r for r in may if r['type'] == 'EPCI']), 'EPCI',
      sorted(set(r['population_source'] for r in may)),
      sum(int(r['population']) for r in may if r['type'] == 'COM'))
print(by['97611']['population'], by['200060457']['population'])
print(len([r for r in rows if not r['population']]), 'without population')
PY
same_text "$TMP/ours" "13055 COM 892391 insee-ptot+arm
69123 COM 525314 insee-ptot+arm
75056 COM 2119412 insee-ptot+arm
200054781 EPCI 7190408 sum:insee-ptot
45 ARM ['13055', '69123', '75056']
13055 892391
69123 525314
75056 2119412
17 COM 5 EPCI ['dgcl-ptot-2025', 'sum:dgcl-ptot-2025'] 262895
72974 89090
0 without population"

# départements and régions, with the COG files and the identifiants tables
run 0 "$BIN/odl-compare" territories --cog "$R/insee_cog2026_communes.csv" \
	--population "$R/insee_populations_legales_communes.csv" \
	--epci "$R/dgcl_epcicom_2025.csv" --departements "$R/insee_cog2026_departements.csv" \
	--regions "$R/insee_cog2026_regions.csv" \
	--siren "$R/datactivist_identifiants_departements_2022.csv" \
	--siren "$R/datactivist_identifiants_regions_2022.csv" -o "$TMP/full.csv"
cat >"$TMP/want" <<EOF
odl-compare: warning: '$R/insee_cog2026_communes.csv': communes without siren (in no EPCI and no SIREN table): 4 (22016, 29083, 29155, 85113)
odl-compare: warning: '$R/insee_cog2026_departements.csv': départements without siren (not in the SIREN tables): 2 (972, 973)
odl-compare: warning: '$R/insee_cog2026_regions.csv': régions without siren (not in the SIREN tables): 1 (06)
EOF
same "$TMP/err" "$TMP/want"
grep -E '^(222000028|217500016|229850003|reg:06|237500079|dep:972|200055507),' "$TMP/full.csv" | tr -d '\r' >"$TMP/some"
same "$TMP/some" "$EXPECTED/300-territories-dep-reg.csv"
python3 - "$TMP/full.csv" >"$TMP/ours" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
com = [r for r in rows if r['type'] == 'COM']
for t in ('DEP', 'REG'):
    agg = [r for r in rows if r['type'] == t]
    key = 'dep' if t == 'DEP' else 'reg'
    ok = all(int(a['population']) == sum(int(c['population']) for c in com if c[key] == a[key]) for a in agg)
    print(t, len(agg), ok, sum(int(a['population']) for a in agg))
PY
same_text "$TMP/ours" "DEP 101 True 69557000
REG 18 True 69557000"

# the Côtes-d'Armor ATD check: match accepts the real table, Île-de-Bréhat
# (22016) and the others without a SIREN kept and counted once
printf 'id;name;acronym;url;description;logo;badges;business_number_id;created_at;last_modified;slug\n1;Commune de Lannion;;;;;;21220113100017;;;lannion\n' >"$TMP/orgs.csv"
run 0 "$BIN/odl-compare" match -f csv -t "$TMP/full.csv" "$TMP/orgs.csv"
tr -d '\r' <"$TMP/out" >"$TMP/lf"
same_text "$TMP/lf" "territory,siren,org_id,org_name,org_siret,org_slug
22113,212201131,1,Commune de Lannion,21220113100017,lannion"
same_text "$TMP/err" "odl-compare: warning: '$TMP/full.csv': 52 territories without a siren, not matched (first: '22016')"

# the DGCL's file as published (xlsx) is read (tests/cli/161 checks its cells)
run 0 "$BIN/odl-compare" territories --cog "$R/insee_cog2026_communes.csv" --epci "$R/dgcl_epcicom2026.xlsx" -o "$TMP/from-xlsx.csv"
grep -q '^200071827,CA du Grand Angoulême,EPCI,' "$TMP/from-xlsx.csv" || fail "the DGCL xlsx gave no CA du Grand Angoulême"

# a COG file without the commune column is an error naming it
printf 'TYPECOM,REG,DEP,LIBELLE\r\nCOM,84,01,X\r\n' >"$TMP/cog.csv"
run 2 "$BIN/odl-compare" territories --cog "$TMP/cog.csv"
same_text "$TMP/err" "odl-compare: '$TMP/cog.csv' line 1, field 'COM': missing column"

done_testing
