# The SCDL schemas odl ships enforce the same rules as the official files.
. tests/cli/lib.sh
need_shared
need_cmd python3

DATA=$ODL_TOP/data
COMPARE="python3 $ODL_TOP/tests/scdl_compare.py"

# One file per schema, the latest version of each, all listed in index.json.
(cd "$DATA/schemas/scdl" && find . -name '*.json' ! -name index.json | sort) >"$TMP/files"
cat >"$TMP/want" <<'LIST'
./budget/0.8.3.json
./catalogue/0.1.3.json
./deliberations/2.1.5.json
./equipements/0.1.5.json
./menus-collectifs/1.2.3.json
./plats-menus-collectifs/0.7.2.json
./prenoms/1.1.6.json
./subventions/2.1.1.json
LIST
same "$TMP/files" "$TMP/want"

run 0 $COMPARE "$DATA" "$SHARED/scdl"
same_text "$TMP/out" "8 schemas compared, 0 difference(s)"

# The comparison notices a changed pattern, a changed operator and a
# reordered field.
cp -R "$DATA" "$TMP/data"
python3 - "$TMP/data/schemas/scdl" <<'PY'
import json, sys
d = sys.argv[1]
def edit(name, ver, fn):
    p = f"{d}/{name}/{ver}.json"
    s = json.load(open(p, encoding="utf-8"))
    fn(s)
    json.dump(s, open(p, "w", encoding="utf-8"), ensure_ascii=False)
edit("subventions", "2.1.1",
     lambda s: s["fields"][1]["constraints"].update(pattern="^\\d{9}$"))
edit("deliberations", "2.1.5",
     lambda s: s["custom_checks"][4]["params"].update(op=">"))
edit("prenoms", "1.1.6",
     lambda s: s["fields"].insert(0, s["fields"].pop(1)))
PY
run 1 $COMPARE "$TMP/data" "$SHARED/scdl"
cat >"$TMP/want" <<'OUT'
deliberations/2.1.5: custom_checks [{"name": "french-siret-value", "params": {"column": "COLL_SIRET"}}, {"name": "year-interval-value", "params": {"column": "BUDGET_ANNEE", "allow-year-only": "yes"}}, {"name": "cohesive-columns-value", "params": {"column": "BUDGET_ANNEE", "othercolumns": ["BUDGET_NOM"]}}, {"name": "cohesive-columns-value", "params": {"column": "VOTE_EFFECTIF", "othercolumns": ["VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]}}, {"name": "compare-columns-value", "params": {"column": "PREF_DATE", "op": ">", "column2": "DELIB_DATE"}}, {"name": "compare-columns-value", "params": {"column": "VOTE_EFFECTIF", "op": ">=", "column2": "VOTE_REEL"}}, {"name": "compare-columns-value", "params": {"column": "VOTE_REEL", "op": ">=", "column2": "VOTE_POUR"}}, {"name": "compare-columns-value", "params": {"column": "VOTE_REEL", "op": ">=", "column2": "VOTE_CONTRE"}}, {"name": "compare-columns-value", "params": {"column": "VOTE_REEL", "op": ">=", "column2": "VOTE_ABSTENTION"}}, {"name": "sum-columns-value", "params": {"column": "VOTE_REEL", "columns": ["VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]}}, {"name": "nomenclature-actes-value", "params": {"column": "DELIB_MATIERE_NOM"}}] != [{"name": "french-siret-value", "params": {"column": "COLL_SIRET"}}, {"name": "year-interval-value", "params": {"column": "BUDGET_ANNEE", "allow-year-only": "yes"}}, {"name": "cohesive-columns-value", "params": {"column": "BUDGET_ANNEE", "othercolumns": ["BUDGET_NOM"]}}, {"name": "cohesive-columns-value", "params": {"column": "VOTE_EFFECTIF", "othercolumns": ["VOTE_REEL", "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]}}, {"name": "compare-columns-value", "params": {"column": "PREF_DATE", "op": ">=", "column2": "DELIB_DATE"}}, {"name": "compare-columns-value", "params": {"column": "VOTE_EFFECTIF", "op": ">=", "column2": "VOTE_REEL"}}, {"name": "compare-columns-value", "params": {"column": "VOTE_REEL", "op": ">=", "column2": "VOTE_POUR"}}, {"name": "compare-columns-value", "params": {"column": "VOTE_REEL", "op": ">=", "column2": "VOTE_CONTRE"}}, {"name": "compare-columns-value", "params": {"column": "VOTE_REEL", "op": ">=", "column2": "VOTE_ABSTENTION"}}, {"name": "sum-columns-value", "params": {"column": "VOTE_REEL", "columns": ["VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION"]}}, {"name": "nomenclature-actes-value", "params": {"column": "DELIB_MATIERE_NOM"}}]
prenoms/1.1.6: field names or order differ: ['COLL_INSEE', 'COMMUNE_NOM', 'ENFANT_SEXE', 'ENFANT_PRENOM', 'NOMBRE_OCCURRENCES', 'ANNEE'] != ['COMMUNE_NOM', 'COLL_INSEE', 'ENFANT_SEXE', 'ENFANT_PRENOM', 'NOMBRE_OCCURRENCES', 'ANNEE']
subventions/2.1.1: field 'idAttribuant' constraints: {"required": true, "pattern": "^\\d{9}$"} != {"required": true, "pattern": "^\\d{14}$"}
8 schemas compared, 3 difference(s)
OUT
same "$TMP/out" "$TMP/want"

# A schema listed in the index but missing on disk is an error, not a pass.
rm "$TMP/data/schemas/scdl/budget/0.8.3.json"
run 2 $COMPARE "$TMP/data" "$SHARED/scdl"

done_testing
