# Every published version of the SCDL schemas, offline.  A catalogue and
# its schema files, written here from the published facts (field names,
# order, types and the rules that changed between versions, see
# ../shared/reference/scdl/FACTS.md), are served locally and cached by
# `odl-fetch schemas`; then, with no server, a file made under each older
# version of subventions and délibérations is detected as that version,
# validated, and the report says what it lacks to follow the latest one;
# --schema NAME@VERSION takes any cached version.
. tests/cli/lib.sh
need_cmd python3
SITE=$TMP/site
mkdir -p "$SITE/api" "$SITE/files"
python3 - "$SITE" <<'PY'
import json, sys
site = sys.argv[1]
req = {"required": True}
siret = {"required": True, "pattern": "^\\d{14}$"}
nature = ["aide en numéraire", "aide en nature", "aide en numéraire;aide en nature",
          "aide en nature;aide en numéraire"]
def subv(version, pct_min, idrae, v21):
    f = [("nomAttribuant", "string", req), ("idAttribuant", "string", siret),
         ("dateConvention", "date", req), ("referenceDecision", "string", {}),
         ("nomBeneficiaire", "string", req),
         ("idBeneficiaire", "string", {} if v21 else siret)]
    if v21:
        f.append(("rnaBeneficiaire", "string", {"pattern": "^W\\d{9}$"}))
    f += [("objet", "string", {"required": True, "maxLength": 256}), ("montant", "number", req),
          ("nature", "string", {"required": True, "enum": nature}),
          ("conditionsVersement", "string", {"required": True, "maxLength": 256}),
          ("datesPeriodeVersement", "string", {"required": True, "pattern":
           "^[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(\\/[0-9]{4}\\-[0-9]{2}\\-[0-9]{2})?$"}),
          ("idRAE", "string", idrae), ("notificationUE", "boolean", req),
          ("pourcentageSubvention", "number", {"required": True, "minimum": pct_min, "maximum": 1})]
    if v21:
        f.append(("dispositifAide", "string", {}))
    d = {"name": "subventions", "version": version, "fields": []}
    for name, t, c in f:
        field = {"name": name, "type": t, "constraints": c}
        if t == "boolean":
            field.update(trueValues=["oui"], falseValues=["non"])
        d["fields"].append(field)
    if version != "1.1":
        d["custom_checks"] = [{"name": "french-siret-value", "params": {"column": "idAttribuant"}}]
    return d
def delib(version, order_11, nom):
    names = ["COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE", "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM",
             "DELIB_OBJET", "BUDGET_ANNEE", "BUDGET_NOM", "PREF_ID", "PREF_DATE", "VOTE_EFFECTIF",
             "VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL"]
    if order_11:
        names = names[:2] + ["BUDGET_ANNEE", "BUDGET_NOM"] + names[2:7] + names[9:]
    types = {"DELIB_DATE": "date", "PREF_DATE": "date"}
    cons = {"COLL_NOM": req, "COLL_SIRET": siret, "DELIB_ID": req, "DELIB_DATE": req,
            "DELIB_MATIERE_CODE": {"required": True, "pattern": "^\\d\\.\\d{1,2}$"},
            "DELIB_MATIERE_NOM": {"required": True, "pattern": nom}, "DELIB_OBJET": req,
            "BUDGET_ANNEE": {"pattern": "^[0-9]{4}(\\/[0-9]{4})?$"}}
    fields = [{"name": n, "type": "integer" if n.startswith("VOTE_") else types.get(n, "string"),
               "constraints": cons.get(n, {})} for n in names]
    return {"version": version, "fields": fields}
files = {
    "subventions-1.1.0.json": subv("1.1", 0, {}, False),
    "subventions-2.0.0.json": subv("2.0.0", 0.01, {"maxLength": 5}, False),
    "subventions-2.0.2.json": subv("2.0.2", 0.01, {"maxLength": 5}, False),
    "subventions-2.1.1.json": subv("2.1.1", 0.01, {"maxLength": 5}, True),
    "deliberations-1.1.0.json": delib("2.0", True, "^\\w+\\\\\\w+$"),
    "deliberations-2.0.0.json": delib("2.0", False, "^\\w+( \\w+)*\\/[ \\w]+$"),
}
for name, d in files.items():
    json.dump(d, open("%s/files/%s" % (site, name), "w"), ensure_ascii=False)
def entry(name, versions, latest):
    return {"name": "scdl/" + name, "schema_type": "tableschema",
            "schema_url": "{{BASE}}/files/%s-%s.json" % (name, latest),
            "versions": [{"version_name": v, "schema_url": "{{BASE}}/files/%s-%s.json" % (name, v)}
                         for v in versions]}
cat = {"version": 1, "schemas": [
    entry("subventions", ["1.1.0", "2.0.0", "2.0.2", "2.1.1"], "2.1.1"),
    # 2.1.5 is listed but its file is not published here: odl ships its own
    entry("deliberations", ["1.1.0", "2.0.0", "2.1.5"], "2.1.5"),
    # not SCDL: never a detection candidate
    {"name": "etalab/other", "schema_url": "{{BASE}}/files/subventions-1.1.0.json", "versions": []}]}
json.dump(cat, open("%s/api/schemas.json" % site, "w"))
PY

SUBV_11='nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention'
printf '%s\n' "$SUBV_11" \
	'Région Bretagne,23350001600040,2017-06-27,Z34507,Rodriguez SA,81223113200026,Aide à l'"'"'embauche,22000.80,aide en numéraire,unique,2017-12-14,123456,oui,0' \
	'Région Bretagne,23350001600040,2017-07-03,Z34508,Martin SARL,38047555800058,Formation,1500,aide en nature,unique,2017-12-20,,non,0.5' \
	>"$TMP/subventions-1.1.csv"
printf '%s\n' "$SUBV_11" \
	'Région Bretagne,23350001600040,2018-06-27,2018-03-103,Les Petits Débrouillards,38047555800058,Animations,47800.20,aide en numéraire,échelonné,2018-03-14/2019-03-14,12345,non,0.45' \
	>"$TMP/subventions-2.0.csv"
DELIB_2='COLL_NOM,COLL_SIRET,DELIB_ID,DELIB_DATE,DELIB_MATIERE_CODE,DELIB_MATIERE_NOM,DELIB_OBJET,BUDGET_ANNEE,BUDGET_NOM,PREF_ID,PREF_DATE,VOTE_EFFECTIF,VOTE_REEL,VOTE_POUR,VOTE_CONTRE,VOTE_ABSTENTION,DELIB_URL'
DELIB_11='COLL_NOM,COLL_SIRET,BUDGET_ANNEE,BUDGET_NOM,DELIB_ID,DELIB_DATE,DELIB_MATIERE_CODE,DELIB_MATIERE_NOM,DELIB_OBJET,PREF_ID,PREF_DATE,VOTE_EFFECTIF,VOTE_REEL,VOTE_POUR,VOTE_CONTRE,VOTE_ABSTENTION,DELIB_URL'
printf '%s\n' "$DELIB_11" \
	'Ville de Rennes,21350238800019,2017,Budget principal,DEL-2017-01,2017-10-15,7.1,Finances\Divers,Vote du budget,,,43,40,25,10,5,' \
	>"$TMP/deliberations-1.1.csv"
# made under 2.0: the votes do not add up, which 2.1's sum check refuses,
# and the subject is written as 2.0's pattern (not 1.1's) asks
printf '%s\n' "$DELIB_2" \
	'Ville de Rennes,21350238800019,DEL-2018-01,2018-10-15,7.1,Finances locales/Divers,Vote du budget,2018,Budget principal,,,43,40,25,10,4,' \
	>"$TMP/deliberations-2.0.csv"

# without the cache: no older version, and how to get them
export XDG_CACHE_HOME=$TMP/xdg
run 2 "$BIN/odl-validate" -f ndjson -s scdl/subventions@1.1.0 "$TMP/subventions-1.1.csv"
same_text "$TMP/err" "odl-validate: 'scdl/subventions@1.1.0': no such version (available: 2.1.1); 'odl-fetch schemas' caches every published version for offline use"
run 2 "$BIN/odl-validate" -f ndjson "$TMP/site/api/schemas.json"
same_text "$TMP/err" "odl-validate: '$TMP/site/api/schemas.json': no --schema given and no shipped schema matches the header (older SCDL versions too: run 'odl-fetch schemas' once, then they are detected offline)"
# a header that is not exactly the latest version's says where the others
# are (and 2.1.1 refuses what 1.1 allowed)
run 1 "$BIN/odl-validate" -f text --lang en "$TMP/subventions-1.1.csv"
sed -n 2,3p "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "  schema    subventions 2.1.1, detected scdl/subventions@2.1.1: 14 of 16 schema columns in the header (likely), fewest errors among 1 version
  versions  odl's own only; 'odl-fetch schemas' caches every published version"
[ -e "$XDG_CACHE_HOME" ] && fail "looking for the cache created it"

# odl-fetch schemas fills the cache, then the server goes away
python3 "$ODL_TOP/tests/fetch_server.py" --root "$SITE" --lifetime 60 --log "$TMP/server.log" \
	>"$TMP/port" 2>"$TMP/server.err" &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
export ODL_SCHEMAS_URL=http://127.0.0.1:$(head -1 "$TMP/port")/api/1/schemas
run 1 "$BIN/odl-fetch" -q --rate 0 -o "$TMP/dl" schemas
kill $SERVER_PID 2>/dev/null
wait $SERVER_PID 2>/dev/null
grep -c '"status":"ok"' "$TMP/out" >"$TMP/n"
same_text "$TMP/n" 7

detected() { # file, expected "detected ... / latest ..." summary
	run "$3" "$BIN/odl-validate" -f ndjson "$TMP/$1"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["schema"]["version"], d["valid"], d["schema"]["detected"])
print(d["schema"].get("latest"))' "$TMP/out" >"$TMP/got"
	same_text "$TMP/got" "$2"
}
detected subventions-1.1.csv "1.1 True detected scdl/subventions@1.1.0 (cached): 14 of 14 schema columns in the header (sure), fewest errors among 3 versions
2.1.1: missing rnaBeneficiaire, dispositifAide" 0
detected subventions-2.0.csv "2.0.2 True detected scdl/subventions@2.0.2 (cached): 14 of 14 schema columns in the header (sure), fewest errors among 3 versions
2.1.1: missing rnaBeneficiaire, dispositifAide" 0
detected deliberations-1.1.csv "2.0 True detected scdl/deliberations@1.1.0 (cached): 17 of 17 schema columns in the header (sure), fewest errors among 3 versions
2.1.5: same columns, other rules" 0
# 2.1 added custom checks only: a file made under 2.0 reads the same under
# 2.1.5, which is named (the highest of the versions it cannot tell apart)
# and then finds what 2.1 added; 2.0.0 stays available by name
detected deliberations-2.0.csv "2.1.5 False detected scdl/deliberations@2.1.5: 17 of 17 schema columns in the header (sure), fewest errors among 3 versions
None" 1
run 0 "$BIN/odl-validate" -f ndjson -s scdl/deliberations@2.0.0 "$TMP/deliberations-2.0.csv"

# the text report says which version and what the file lacks to be the latest
run 0 "$BIN/odl-validate" -f text --lang en "$TMP/subventions-1.1.csv"
sed -n 2,3p "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "  schema    subventions 1.1, detected scdl/subventions@1.1.0 (cached): 14 of 14 schema columns in the header (sure), fewest errors among 3 versions
  latest    2.1.1: missing rnaBeneficiaire, dispositifAide"
run 0 "$BIN/odl-validate" -f text --lang fr "$TMP/subventions-1.1.csv"
sed -n 3p "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "  dernière  2.1.1 : il manque rnaBeneficiaire, dispositifAide"

# the same file under the latest version: what changed is what fails
run 1 "$BIN/odl-validate" -f ndjson -s scdl/subventions "$TMP/subventions-1.1.csv"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["schema"]["version"], sorted(d["error_counts"].items()), sorted(d["warning_counts"].items()))' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "2.1.1 [('constraint-error', 2)] [('missing-header-warn', 2)]"

# any cached version by name, offline; an unknown one lists what is cached
run 1 "$BIN/odl-validate" -f ndjson -s scdl/subventions@2.0.0 "$TMP/subventions-1.1.csv"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["schema"]["version"], sorted(d["error_counts"].items()))' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "2.0.0 [('constraint-error', 2)]"
run 0 "$BIN/odl-validate" -f ndjson -s scdl/deliberations@1.1.0 "$TMP/deliberations-1.1.csv"
run 2 "$BIN/odl-validate" -f ndjson -s scdl/subventions@1.0.0 "$TMP/subventions-1.1.csv"
same_text "$TMP/err" "odl-validate: 'scdl/subventions@1.0.0': no such version (available: 2.1.1); cached: 1.1.0, 2.0.0, 2.0.2, 2.1.1"
run 0 "$BIN/odl-validate" -f csv --check-schema scdl/subventions@1.1.0

# a schema of another organisation in the catalogue is never detected
run 2 "$BIN/odl-validate" -f ndjson "$TMP/site/api/schemas.json"
same_text "$TMP/err" "odl-validate: '$TMP/site/api/schemas.json': no --schema given and no shipped or cached schema matches the header"

done_testing
