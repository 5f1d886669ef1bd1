# odl-fetch sirene: the StockUniteLegale zip (named by its date, as the
# object store serves it) of the data.gouv.fr dataset
# base-sirene-des-entreprises-et-de-leurs-etablissements-siret (not the
# history, the parquet copy or the établissements), downloaded through the
# cache from the local server standing in for data.gouv.fr, then read by
# odl-compare --agents-from-sirene as it was downloaded.
. tests/cli/lib.sh
need_cmd python3
R=$TMP/root
mkdir -p "$R/api/datasets" "$R/files"
SLUG=base-sirene-des-entreprises-et-de-leurs-etablissements-siret
python3 - "$R" "$SLUG" <<'PY'
import json, sys, zipfile
root, slug = sys.argv[1], sys.argv[2]
head = ('siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,'
        'sigleUniteLegale,sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,prenom3UniteLegale,'
        'prenom4UniteLegale,prenomUsuelUniteLegale,pseudonymeUniteLegale,'
        'identifiantAssociationUniteLegale,trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,'
        'dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,'
        'anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,'
        'nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,'
        'denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,'
        'categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,'
        'nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,'
        'economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,'
        'caractereEmployeurUniteLegale\n')
rows = [('211600150', '41', '2022', "COMMUNE D'ANGOULEME"), ('211602875', '21', '2023', 'COMMUNE DE ROULLET SAINT ESTEPHE')]
body = head + ''.join('%s,O,,1983-01-01,,,,,,,,,,%s,%s,2024-03-01T10:00:00,3,GE,2022,2017-01-01,A,,,"%s",,,,7210,84.11Z,NAFRev2,00013,,,O\n' % r for r in rows)
with zipfile.ZipFile(root + '/files/2026-12-01-StockUniteLegale_utf8.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('StockUniteLegale_utf8.csv', body)
for name in ('StockUniteLegale_utf8.parquet', 'StockUniteLegaleHistorique_utf8.zip', 'StockEtablissement_utf8.zip'):
    open(root + '/files/' + name, 'wb').write(b'not this one')
def res(i, name, fmt):
    return {"id": "00000000-0000-4000-8000-00000000000%d" % i, "title": "Sirene : " + name,
            "url": "{{BASE}}/files/" + name, "format": fmt, "type": "main", "filetype": "remote",
            "checksum": None, "schema": None, "last_modified": "2026-12-01T03:00:00+00:00",
            "created_at": "2026-12-01T03:00:00+00:00"}
ds = {"id": "5b7ffc618b4c4169d30727e0", "slug": slug, "title": "Base Sirene des entreprises et de leurs établissements (SIREN, SIRET)",
      "organization": {"id": "534fff81a3a7292c64a77e5c", "name": "Institut national de la statistique et des études économiques (Insee)",
                       "slug": "insee", "business_number_id": "12002701600001"},
      "last_update": "2026-12-01T03:00:00+00:00",
      "resources": [res(1, 'StockUniteLegaleHistorique_utf8.zip', 'zip'), res(2, 'StockUniteLegale_utf8.parquet', 'parquet'),
                    res(3, '2026-12-01-StockUniteLegale_utf8.zip', 'zip'), res(4, 'StockEtablissement_utf8.zip', 'zip')]}
json.dump(ds, open(root + '/api/datasets/' + slug + '.json', 'w'), ensure_ascii=False)
PY
FETCH_ROOT=$R
. tests/cli/fetch.sh

run 0 $FETCH -q sirene
norm "$TMP/out" | sed 's/.*"path":"\([^"]*\)","status":"\([^"]*\)".*"resource":{"id":"\([^"]*\)".*/\1 \2 \3/' >"$TMP/got"
same_text "$TMP/got" "dl/2026-12-01-StockUniteLegale_utf8.zip ok 00000000-0000-4000-8000-000000000003"
cmp -s dl/2026-12-01-StockUniteLegale_utf8.zip "$R/files/2026-12-01-StockUniteLegale_utf8.zip" || fail "the zip differs"
[ "$(requests /files/StockUniteLegale_utf8.parquet)" = 0 ] || fail "the parquet copy was downloaded"
[ "$(requests /files/StockUniteLegaleHistorique_utf8.zip)" = 0 ] || fail "the history was downloaded"

# a second run revalidates through the cache
run 0 $FETCH -q sirene
norm "$TMP/out" | sed 's/.*"path":"\([^"]*\)","status":"\([^"]*\)".*/\1 \2/' >"$TMP/got"
same_text "$TMP/got" "dl/2026-12-01-StockUniteLegale_utf8.zip not-modified"

# the zip as downloaded gives the demo's table its bands: Roullet-Saint-
# Estèphe (4,422 inhabitants, no agents cell) is obligated by proxy
run 0 "$BIN/odl-compare" compliance -t "$ODL_TOP/testdata/demo/territories.csv" --type COM -f csv \
	--today 2026-11-23 --agents-from-sirene dl/2026-12-01-StockUniteLegale_utf8.zip /dev/null
sed -n '/^16287,/p' "$TMP/out" | tr -d '\r' >"$TMP/got"
same_text "$TMP/got" "16287,Roullet-Saint-Estèphe,COM,4422,,true,0,0,0,,0,0,0,0,,,E,proxy,21,50-99,2023"

# a dataset that no longer holds the stock: an error, nothing downloaded
python3 - "$R/api/datasets/$SLUG.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["resources"] = [r for r in d["resources"] if not r["url"].endswith("-StockUniteLegale_utf8.zip")]
json.dump(d, open(sys.argv[1], "w"))
PY
run 2 $FETCH -q -o dl2 sirene
empty "$TMP/out"
same_text "$TMP/err" "odl-fetch: '$SLUG': no StockUniteLegale_*.zip among the dataset's resources"
absent dl2

done_testing
