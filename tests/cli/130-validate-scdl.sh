# SCDL files: schemas by name, detection from the header, manifests from
# odl-fetch, and every collectivité example read without an encoding failure.
. tests/cli/lib.sh
need_shared
R=$SHARED/scdl/subventions

summary() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(d["path"].split("/")[-1], d["schema"]["name"], d["schema"]["version"], d["valid"], d["rows"],
          " ".join("%s=%d" % kv for kv in sorted(d["error_counts"].items())))' "$TMP/out" >"$TMP/got"
}

# by name, latest version, and detected without --schema
run 0 "$BIN/odl-validate" -f ndjson -s scdl/subventions "$R/2.1.1/exemples/exemple_valide.csv"
summary
same_text "$TMP/got" "exemple_valide.csv subventions 2.1.1 True 29 "
run 0 "$BIN/odl-validate" -f ndjson "$R/2.1.1/exemples/exemple_valide.csv"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["schema"]["detected"])' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "detected scdl/subventions@2.1.1: 16 of 16 schema columns in the header (sure), fewest errors among 1 version"
XDG_CACHE_HOME=$TMP/no-cache run 2 "$BIN/odl-validate" -f ndjson testdata/validate/communes-reordered.csv
same_text "$TMP/err" "odl-validate: 'testdata/validate/communes-reordered.csv': no --schema given and no shipped schema matches the header (older SCDL versions too: run 'odl-fetch schemas' once, then they are detected offline)"

# a manifest: schema as a string or an object, lines not fetched are skipped
cat >"$TMP/manifest" <<EOT
{"path": "$R/2.1.1/exemples/exemple_valide.csv", "status": "ok", "schema": "scdl/subventions@2.1.1"}
{"path": "$R/2.1.1/exemples/exemple_invalide_erreurs_cellules.csv", "status": "cached", "schema": {"name": "subventions", "version": "2.1.1"}}
{"path": "/nonexistent.csv", "status": "http-error"}
{"path": "$R/2.1.1/exemples/exemple_valide.csv", "status": "not-modified"}
EOT
run 1 "$BIN/odl-validate" -f ndjson -j 2 --manifest "$TMP/manifest"
summary
same_text "$TMP/got" "exemple_valide.csv subventions 2.1.1 True 29 
exemple_invalide_erreurs_cellules.csv subventions 2.1.1 False 29 constraint-error=10 french-siret-value=49 one-of-required=1 type-error=5
exemple_valide.csv subventions 2.1.1 True 29 "
run 1 sh -c "'$BIN/odl-validate' -f ndjson --manifest - <'$TMP/manifest'"
summary
same_text "$TMP/got" "exemple_valide.csv subventions 2.1.1 True 29 
exemple_invalide_erreurs_cellules.csv subventions 2.1.1 False 29 constraint-error=10 french-siret-value=49 one-of-required=1 type-error=5
exemple_valide.csv subventions 2.1.1 True 29 "
printf '{"path": 3}\nnot json\n' >"$TMP/bad"
run 2 "$BIN/odl-validate" --manifest "$TMP/bad"
same_text "$TMP/err" "odl-validate: '$TMP/bad' line 1, field 'path': missing
odl-validate: '$TMP/bad' line 2: not a JSON object"

# the collectivités' own files (Windows-1252, BOMs, semicolons): read to the end
run 1 "$BIN/odl-validate" -f ndjson --max-errors 0 -s "$R/2.0.1/schema.json" "$R"/2.0.1/exemples-collectivites/*.csv
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(d["path"].split("/")[-1][:40], d["complete"], d["rows"], d["error_counts"].get("encoding-error", 0))' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "DEP_Lot_Subventions_2017_DONNEES.xlsx_po True 34 0
DEP_Nievre_CD58_SUBVENTIONS_2016_LISTE.c True 97 0
DEP_Somme_TB_20180302_DONNEES_CONVENTION True 41 0
DEP_Somme_TB_20180330_DONNEES_CONVENTION True 11 0
SCDL_COM_Poitiers_citoyennete-subvention True 562 0
SCDL_DEP_Haute_Garonne_datalocale-subven True 69 0"

done_testing
