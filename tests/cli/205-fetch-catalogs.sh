# odl-fetch catalog (data.gouv.fr's exports) and schemas (schema.data.gouv.fr's
# catalogue and every schema version it lists).
. tests/cli/lib.sh
. tests/cli/fetch.sh

run 0 $FETCH -q catalog
norm "$TMP/out" | sed 's/.*"path":"\([^"]*\)","status":"\([^"]*\)".*"resource":{"id":"\([^"]*\)".*/\1 \2 \3/' | LC_ALL=C sort >"$TMP/got"
cat >"$TMP/want" <<'WANT'
dl/export-dataset-20261123-071508.csv ok f868cca6-8da1-4369-a78d-47463f19a9a3
dl/export-organization-20261123-071508.csv ok b7bbfedc-2448-4135-a6c7-104548d396e7
dl/export-resource-20261123-071508.csv ok 4babf5f2-6a9c-45b5-9144-188852569c0a
WANT
same "$TMP/got" "$TMP/want"
cmp -s dl/export-resource-20261123-071508.csv \
	"$ODL_TOP/testdata/fetch/files/export-resource-20261123-071508.csv" || fail "export-resource differs"

run 0 $FETCH -q schemas --schemas-url "$BASE/api/1/schemas"
norm "$TMP/out" | sed 's/.*"path":"\([^"]*\)","status":"\([^"]*\)".*"schema":\(.*\)}$/\1 \2 \3/' | LC_ALL=C sort >"$TMP/got"
cat >"$TMP/want" <<'WANT'
dl/schemas/schemas.json ok null
dl/schemas/scdl/deliberations/2.1.3/schema-deliberations-2.1.3.json ok {"name":"scdl/deliberations","version":"2.1.3"}
dl/schemas/scdl/subventions/2.0.0/schema-subventions-2.0.0.json ok {"name":"scdl/subventions","version":"2.0.0"}
dl/schemas/scdl/subventions/2.1.0/schema-subventions-2.1.0.json ok {"name":"scdl/subventions","version":"2.1.0"}
WANT
LC_ALL=C sort "$TMP/want" >"$TMP/want.sorted"
same "$TMP/got" "$TMP/want.sorted"
cmp -s dl/schemas/scdl/subventions/2.0.0/schema-subventions-2.0.0.json \
	"$ODL_TOP/testdata/fetch/files/schema-subventions-2.0.0.json" || fail "schema 2.0.0 differs"

# ODL_SCHEMAS_URL names the catalogue too; a second run only revalidates
ODL_SCHEMAS_URL=$BASE/api/1/schemas run 0 $FETCH -q schemas
grep -c '"status":"not-modified"' "$TMP/out" >"$TMP/n"
same_text "$TMP/n" 3

done_testing
