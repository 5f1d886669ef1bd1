# odl-fetch's manual: lint clean, the same options as --help, and its
# examples run (against the local server standing in for data.gouv.fr).
. tests/cli/lib.sh
. tests/cli/fetch.sh
need_cmd mandoc

MAN=$ODL_TOP/man/odl-fetch.1
run 0 mandoc -Tlint -W warning "$MAN"
empty "$TMP/out"

# every long option of --help is in the page, and the other way round
run 0 "$BIN/odl-fetch" --help
grep -o -- '--[a-z][a-z-]*' "$TMP/out" | LC_ALL=C sort -u >"$TMP/help-opts"
sed -n '/^\.Sh OPTIONS/,/^\.Sh MANIFEST/p' "$MAN" | sed -n 's/.*Fl \\-\([a-z][a-z-]*\).*/--\1/p' | LC_ALL=C sort -u >"$TMP/man-opts"
same "$TMP/man-opts" "$TMP/help-opts"

# the examples: data.gouv.fr and schema.data.gouv.fr are this server
sed -n '/^\.Sh EXAMPLES/,/^\.Sh SEE ALSO/p' "$MAN" | sed -n '/^odl-fetch /p' >"$TMP/examples"
[ "$(wc -l <"$TMP/examples")" -eq 8 ] || fail "expected 8 examples, found $(wc -l <"$TMP/examples")"
export ODL_API_URL=$BASE/api/1 ODL_SCHEMAS_URL=$BASE/api/1/schemas XDG_CACHE_HOME=$TMP/xdg
# the list the resources example reads, as odl-compare match writes it
printf '%s\n' "{\"territory\":\"35328\",\"url\":\"$BASE/files/subventions-2024.csv\",\"organization\":{\"id\":\"5c0e3c6e8b4c41231a5a3c1e\",\"name\":\"Commune de Sixt-sur-Aff\",\"siret\":\"21350328700012\",\"slug\":\"commune-de-sixt-sur-aff\"},\"dataset\":{\"id\":\"5c1bab838b4c415d323a5741\",\"title\":\"Subventions\",\"slug\":\"subventions-de-sixt-sur-aff\"},\"resource\":{\"id\":\"39ed117d-57ba-46ac-95b6-d180f9a2371e\",\"title\":\"Subventions 2024\",\"format\":\"csv\",\"type\":\"main\"},\"schema\":{\"name\":\"scdl/subventions\",\"version\":\"2.1.0\"},\"checksum\":{\"type\":\"sha1\",\"value\":\"2260887e9678c39b09bdad51d43977fd3248525a\"},\"modified\":\"2024-03-01T10:00:00\"}" >ressources.ndjson
n=0
while IFS= read -r cmd; do
	n=$((n + 1))
	cmd=$(printf '%s' "$cmd" | sed "s|https://www.data.gouv.fr|$BASE|g; s|^odl-fetch |$BIN/odl-fetch -q --rate 0 |")
	run 0 sh -c "$cmd"
	[ -s "$TMP/out" ] || fail "example $n wrote no manifest: $cmd"
	cp "$TMP/out" "$TMP/example-$n"
done <"$TMP/examples"
# a stable link is named after the file it leads to, online and offline
file_is donnees/subventions-2024.csv 703a2fcf808ed5f652abe7481ee3232af438a66584617c87936c75414d266248
absent donnees/7d6c5b4a-1111-4c2b-9d8e-000000000001
same_text "$TMP/example-5" "{\"url\":\"$BASE/fr/datasets/r/7d6c5b4a-1111-4c2b-9d8e-000000000001\",\"path\":\"donnees/subventions-2024.csv\",\"status\":\"cached\",\"error\":null,\"http_status\":null,\"bytes\":354,\"sha256\":\"703a2fcf808ed5f652abe7481ee3232af438a66584617c87936c75414d266248\",\"sha1\":\"2260887e9678c39b09bdad51d43977fd3248525a\",\"content_type\":\"text/csv; charset=utf-8\",\"etag\":\"\\\"2260887e9678c39b09bdad51d43977fd3248525a\\\"\",\"last_modified\":\"Tue, 14 Nov 2023 22:13:20 GMT\",\"from_cache\":true,\"dataset\":null,\"resource\":null,\"organization\":null,\"schema\":null}"
file_is subventions/commune-de-sixt-sur-aff/subventions-de-sixt-sur-aff/subventions-2024.csv 703a2fcf808ed5f652abe7481ee3232af438a66584617c87936c75414d266248
[ -f referentiel/schemas/scdl/deliberations/2.1.3/schema-deliberations-2.1.3.json ] || fail "schemas example"
file_is donnees/commune-de-sixt-sur-aff/subventions-de-sixt-sur-aff/subventions-2024.csv 703a2fcf808ed5f652abe7481ee3232af438a66584617c87936c75414d266248
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["status"], d["organization"]["siret"], d["schema"]["version"], d["resource"]["last_modified"])' \
	"$TMP/example-8" >"$TMP/got"
same_text "$TMP/got" "not-modified 21350328700012 2.1.0 2024-03-01T10:00:00"

# usage errors: exit 2 and one line naming the problem
run 2 "$BIN/odl-fetch"
same_text "$TMP/err" "odl-fetch: no command (url, dataset, org, schema, resources, catalog or schemas)
Try 'odl-fetch --help' for more information."
run 2 "$BIN/odl-fetch" fetch x
same_text "$TMP/err" "odl-fetch: unknown command 'fetch'
Try 'odl-fetch --help' for more information."
run 2 "$BIN/odl-fetch" url
same_text "$TMP/err" "odl-fetch: 'url' needs at least one operand
Try 'odl-fetch --help' for more information."
run 2 "$BIN/odl-fetch" --siret dataset x
same_text "$TMP/err" "odl-fetch: --siret goes with the org command
Try 'odl-fetch --help' for more information."
run 2 "$BIN/odl-fetch" -j 0 url x
same_text "$TMP/err" "odl-fetch: invalid value '0' for --jobs (expected 1 to 256)
Try 'odl-fetch --help' for more information."
run 2 "$BIN/odl-fetch" --max-size 12X url x
same_text "$TMP/err" "odl-fetch: invalid value '12X' for --max-size
Try 'odl-fetch --help' for more information."

done_testing
