# odl-fetch on the data.gouv.fr API v1 (fixtures shaped like real responses):
# dataset, org (envelope over two pages, bare array), org --siret, schema
# search, filters, declared checksums, errors of the API.
. tests/cli/lib.sh
. tests/cli/fetch.sh

# two datasets: a good sha1, a resource without checksum, a wrong sha256
run 1 $FETCH -q dataset subventions-de-sixt-sur-aff deliberations-de-sixt-sur-aff
norm "$TMP/out" >"$TMP/got"
same "$TMP/got" "$EXPECTED/204-fetch-dataset.ndjson"
file_is dl/commune-de-sixt-sur-aff/subventions-de-sixt-sur-aff/subventions-2024.csv \
	703a2fcf808ed5f652abe7481ee3232af438a66584617c87936c75414d266248
# checksum mismatch: the file is not kept, nor its part
absent dl/commune-de-sixt-sur-aff/deliberations-de-sixt-sur-aff
no_partial cache
# kept: the two files and the two API answers
find cache -name '*.json' | wc -l >"$TMP/n"
same_text "$TMP/n" 4

# an organization by slug: its datasets come in two pages (next_page);
# the organization's SIRET comes from the organization itself
rm -rf dl cache
run 1 $FETCH -q org commune-de-sixt-sur-aff --type main --format CSV
norm "$TMP/out" >"$TMP/got"
same "$TMP/got" "$EXPECTED/204-fetch-org.ndjson"
grep -c 'GET /api/1/organizations/5c0e3c6e8b4c41231a5a3c1e/datasets/?page' "$TMP/server.log" >"$TMP/n"
same_text "$TMP/n" 2

# offline: the API's answers and the files come from the cache, no request
: >"$TMP/server.log"
run 0 $FETCH -q --offline org commune-de-sixt-sur-aff --type main --format CSV --schema scdl/subventions
norm "$TMP/out" >"$TMP/got"
grep subventions-2024 "$EXPECTED/204-fetch-org.ndjson" |
	sed 's/"status":"ok","error":null,"http_status":200,/"status":"cached","error":null,"http_status":null,/; s/"from_cache":false/"from_cache":true/' >"$TMP/want"
same "$TMP/got" "$TMP/want"
empty "$TMP/server.log"
run 1 $FETCH -q --offline dataset n-a-jamais-ete-vu
same_text "$TMP/err" "odl-fetch: 'http://127.0.0.1:$PORT/api/1/datasets/n-a-jamais-ete-vu/': not in the cache (offline)"

# by SIRET, the same resources; a SIRET nobody has is an error (exit 1)
rm -rf dl cache
run 1 $FETCH -q org --siret 21350328700012 00000000000000 --schema scdl/subventions
norm "$TMP/out" >"$TMP/got"
grep subventions-2024 "$EXPECTED/204-fetch-org.ndjson" >"$TMP/want"
same "$TMP/got" "$TMP/want"
same_text "$TMP/err" "odl-fetch: '00000000000000': no organization with this siret"

# a 2017 organization: a bare array of datasets, no type nor schema
run 0 $FETCH -q org angers-loire-metropole
norm "$TMP/out" >"$TMP/got"
same "$TMP/got" "$EXPECTED/204-fetch-org-2017.ndjson"

# schema search: only resources declaring the schema (and version)
rm -rf dl cache
run 0 $FETCH -q schema scdl/subventions
norm "$TMP/out" >"$TMP/got"
same "$TMP/got" "$EXPECTED/204-fetch-schema.ndjson"
run 0 $FETCH -q schema scdl/subventions@2.1.0
norm "$TMP/out" | grep -c '"version":"2.1.0"' >"$TMP/n"
same_text "$TMP/n" 1
grep -q 'GET /api/1/datasets/?schema=scdl%2Fsubventions&schema_version=2.1.0&page_size=100 ' "$TMP/server.log" ||
	fail "schema_version not asked for"

# API errors: not found is a failure (1); an unreachable API is fatal (2)
run 1 $FETCH -q dataset n-existe-pas
same_text "$TMP/err" "odl-fetch: 'http://127.0.0.1:$PORT/api/1/datasets/n-existe-pas/': http status 404: The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again."
empty "$TMP/out"
run 2 $BIN/odl-fetch --cache cache -q --retries 0 --api http://127.0.0.1:1/api/1 dataset x
same_text "$TMP/err" "odl-fetch: 'http://127.0.0.1:1/api/1/datasets/x/': cannot connect"
# ODL_API_URL is the default API root
ODL_API_URL=$BASE/api/1 run 0 $BIN/odl-fetch --cache cache -o dl -q --rate 0 org angers-loire-metropole
norm "$TMP/out" | sed 's/"status":"not-modified".*"from_cache":true/X/' >"$TMP/got"
grep -c X "$TMP/got" >"$TMP/n"
same_text "$TMP/n" 1

done_testing
