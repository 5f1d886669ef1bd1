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
same "$TMP/err" /dev/null

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

# a COG file without the commune column is an error naming it
printf 'TYPECOM,REG,DEP,LIBELLE\r\nCOM,84,01,X\r\n' >"$TMP/cog.csv"
run 2 "$BIN/odl-compare" territories --cog "$TMP/cog.csv"
same_text "$TMP/err" "odl-compare: '$TMP/cog.csv' line 1, field 'COM': missing column"

done_testing
