# scripts/demo-server: every demo case served with its exact bytes and status.
. tests/cli/lib.sh
need_cmd python3

D=testdata/demo
start_server() {
	scripts/demo-server "$@" >"$TMP/port" 2>"$TMP/server.err" &
	pid=$!
	i=0
	while [ ! -s "$TMP/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	port=$(head -1 "$TMP/port")
}

# get PATH OUT : fetch http://127.0.0.1:$port/PATH into OUT, print "status content-type"
get() {
	python3 - "http://127.0.0.1:$port$1" "$2" <<'PY'
import sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(sys.argv[1], timeout=10)
    status, ctype, body = r.status, r.headers.get("Content-Type"), r.read()
except urllib.error.HTTPError as e:
    status, ctype, body = e.code, e.headers.get("Content-Type"), e.read()
open(sys.argv[2], "wb").write(body)
print(status, ctype)
PY
}

start_server --timeout 30
case "$port" in ''|*[!0-9]*) fail "no port on the first line: '$port'"; done_testing ;; esac
sub() { sed "s/{PORT}/$port/g" "$1" >"$2"; }

# API JSON: {PORT} substituted, index.json for directories, page=N
slug=ville-d-angouleme
get "/api/1/organizations/$slug/" "$TMP/org" >"$TMP/st"
same_text "$TMP/st" "200 application/json"
sub "$D/api/1/organizations/$slug/index.json" "$TMP/exp"
same "$TMP/org" "$TMP/exp"
grep -q '{PORT}' "$TMP/org" && fail "{PORT} left in the served JSON"
# the same organization by its id
get "/api/1/organizations/4c4d71f9635fb6701cb9d63e/" "$TMP/org-id" >"$TMP/st"
same_text "$TMP/st" "200 application/json"
same "$TMP/org-id" "$TMP/exp"

get "/api/1/organizations/$slug/datasets/?page_size=3" "$TMP/p1" >"$TMP/st"
same_text "$TMP/st" "200 application/json"
sub "$D/api/1/organizations/$slug/datasets/index.json" "$TMP/exp"
same "$TMP/p1" "$TMP/exp"
get "/api/1/organizations/$slug/datasets/?page=2&page_size=3" "$TMP/p2" >"$TMP/st"
same_text "$TMP/st" "200 application/json"
sub "$D/api/1/organizations/$slug/datasets/page-2.json" "$TMP/exp"
same "$TMP/p2" "$TMP/exp"
get "/api/1/organizations/$slug/datasets/?page=3" "$TMP/p3" >"$TMP/st"
same_text "$TMP/st" "404 application/json"
get "/api/1/organizations/$slug/datasets/?page=0" "$TMP/p0" >"$TMP/st"
same_text "$TMP/st" "400 application/json"

# the organization that publishes nothing: an empty page
get "/api/1/organizations/commune-de-gond-pontouvre/datasets/" "$TMP/empty" >"$TMP/st"
same_text "$TMP/st" "200 application/json"
same "$TMP/empty" "$D/api/1/organizations/commune-de-gond-pontouvre/datasets/index.json"

get "/api/1/datasets/subventions-ville-de-soyaux/" "$TMP/ds" >"$TMP/st"
same_text "$TMP/st" "200 application/json"
sub "$D/api/1/datasets/subventions-ville-de-soyaux/index.json" "$TMP/exp"
same "$TMP/ds" "$TMP/exp"
get "/api/1/datasets/8d974d632a6820705ed1eb1e/" "$TMP/ds-id" >"$TMP/st"
same_text "$TMP/st" "200 application/json"
same "$TMP/ds-id" "$TMP/exp"

# files: bytes as stored, whatever their encoding or compression
for f in angouleme-subventions-2023.csv soyaux-subventions-2024.csv \
	la-couronne-subventions-2023.csv ruelle-deliberations-2024.csv; do
	get "/files/$f" "$TMP/f" >"$TMP/st"
	same_text "$TMP/st" "200 text/csv"
	same "$TMP/f" "$D/files/$f"
done
get /files/angouleme-subventions-2024.csv.gz "$TMP/gz" >"$TMP/st"
same_text "$TMP/st" "200 application/gzip"
same "$TMP/gz" "$D/files/angouleme-subventions-2024.csv.gz"

# the catalog exports, {PORT} replaced, and the dataset that lists them
get /catalog/export-resource.csv "$TMP/cat" >"$TMP/st"
same_text "$TMP/st" "200 text/csv"
sub "$D/catalog/export-resource.csv" "$TMP/exp"
same "$TMP/cat" "$TMP/exp"
get /catalog/%2e%2e/territories.csv "$TMP/nf" >"$TMP/st"
same_text "$TMP/st" "404 application/json"
get /api/1/datasets/5d13a8b6634f41070a43dff3/ "$TMP/catds" >"$TMP/st"
same_text "$TMP/st" "200 application/json"
python3 -c 'import json, sys; print(" ".join(r["url"].split("/", 3)[3] for r in json.load(open(sys.argv[1]))["resources"]))' \
	"$TMP/catds" >"$TMP/got"
same_text "$TMP/got" "catalog/export-dataset.csv catalog/export-resource.csv catalog/export-organization.csv"

# the declared but missing resource, an unknown path, a way out of the root
nf='{"message": "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."}'
get /files/saint-yrieix-subventions-2024.csv "$TMP/nf" >"$TMP/st"
same_text "$TMP/st" "404 application/json"
same_text "$TMP/nf" "$nf"
get /nothing/here "$TMP/nf" >"$TMP/st"
same_text "$TMP/st" "404 application/json"
get /files/%2e%2e/territories.csv "$TMP/nf" >"$TMP/st"
same_text "$TMP/st" "404 application/json"

# the checksum declared for Ruelle's délibérations is not the file's
python3 - "$D" >"$TMP/sums" <<'PY'
import hashlib, json, sys
d = json.load(open(sys.argv[1] + "/api/1/datasets/deliberations-ruelle-sur-touvre/index.json"))
r = d["resources"][0]
real = hashlib.sha1(open(sys.argv[1] + "/files/ruelle-deliberations-2024.csv", "rb").read()).hexdigest()
print(r["checksum"]["type"], r["checksum"]["value"] == real)
PY
same_text "$TMP/sums" "sha1 False"

# SIGTERM stops it with status 0
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] || fail "exit $rc after SIGTERM"

# --timeout stops it by itself
start_server --timeout 0.5
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] || fail "exit $rc after --timeout"

# a root without api/ is refused
run 2 scripts/demo-server --root "$TMP"
same_text "$TMP/err" "demo-server: '$TMP': no api directory"
done_testing
