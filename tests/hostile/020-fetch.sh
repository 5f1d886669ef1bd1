# odl-fetch against hostile remote data: every route by which a URL or a
# name reaches odl-fetch from the network (an API answer for the dataset,
# org and schema commands, the schema catalogue, a resources list) tries
# file://, FILE://, file: without slashes, the other schemes libcurl knows,
# a redirect to a local file or to ftp, names that climb out of the output
# directory or hold NUL and control characters, bodies over --max-size
# (declared or not), a gzip bomb, a server too slow for --timeout, a broken
# next_page, and SIGINT in the middle of a transfer.
#
# Each case asserts the exit status, the manifest (one line per resource,
# with its error), that nothing outside the output directory and the cache
# changed, and that no local file was copied anywhere.
. tests/hostile/lib.sh
FETCH_ROOT=$TMP/root
FETCH_LIFETIME=180
mkdir -p "$FETCH_ROOT/api/datasets" "$FETCH_ROOT/api/organizations/org-evil" \
	"$FETCH_ROOT/api/organizations/org-next" "$FETCH_ROOT/files"
cp "$ODL_TOP/testdata/fetch/files/hello.csv" "$FETCH_ROOT/files/"
. tests/cli/fetch.sh

# the world around the output directory: a private file and a public one
HOME_DIR=$TMP/home
mkdir -p "$HOME_DIR/sub"
printf 'root:$6$secret-hash:19000:0:99999:7:::\n' >"$HOME_DIR/secret"
chmod 0640 "$HOME_DIR/secret"
printf 'commune;population\nRennes;222485\n' >"$HOME_DIR/sub/public.csv"
SECRET=$HOME_DIR/secret
SECRET_SUM=$(sha256sum "$SECRET" | cut -d' ' -f1)
PASSWD_SUM=$(sha256sum /etc/passwd | cut -d' ' -f1)

# The hostile resources, the same for every route.  {{BASE}} is the server,
# {{SECRET}} the private file.
python3 - "$FETCH_ROOT" "$SECRET" <<'EOF'
import json, os, sys
root, secret = sys.argv[1], sys.argv[2]
enc = "%C3%A9" * 200
urls = [
    ("file", "file://" + secret),
    ("FILE", "FILE://" + secret),
    ("FiLe-localhost", "FiLe://localhost" + secret),
    ("file-no-slashes", "file:" + secret),
    ("passwd", "file:///etc/passwd"),
    ("ftp", "ftp://127.0.0.1/x.csv"),
    ("gopher", "gopher://127.0.0.1/x.csv"),
    ("dict", "dict://127.0.0.1/x.csv"),
    ("scp", "scp://127.0.0.1/x.csv"),
    ("tftp", "tftp://127.0.0.1/x.csv"),
    ("path", secret),
    ("redirect-file", "{{BASE}}/fault/location?to=file://" + secret),
    ("redirect-FILE", "{{BASE}}/fault/location?to=FILE:///etc/passwd"),
    ("redirect-ftp", "{{BASE}}/fault/location?to=ftp://127.0.0.1/x.csv"),
    ("climb", "{{BASE}}/fault/any/..%2F..%2F..%2F..%2Fescape.csv"),
    ("absolute", "{{BASE}}/fault/any/%2Fetc%2Fcron.d%2Fodl.csv"),
    ("dots", "{{BASE}}/fault/any/%2E%2E"),
    ("nul", "{{BASE}}/fault/any/nul%00.csv"),
    ("control", "{{BASE}}/fault/any/%1B%5B2J%0Abell%07.csv"),
    ("long", "{{BASE}}/fault/any/" + enc + ".csv"),
    ("raw-control", "{{BASE}}/fault/any/\x1b[2J\x07.csv"),
    ("declared-too-large", "{{BASE}}/files/big.bin"),
    ("too-large", "{{BASE}}/fault/chunked/big.bin"),
    ("gzip-bomb", "{{BASE}}/fault/bomb/16"),
    ("slow", "{{BASE}}/fault/slow/n7.csv"),
    ("good", "{{BASE}}/files/hello.csv"),
]
def resources(tag):
    out = []
    for i, (name, url) in enumerate(urls):
        # the URL is only in "latest" for one of them, as the API allows
        key = "latest" if name == "FILE" else "url"
        out.append({"id": "%s-%02d-%s" % (tag, i, name), "title": name, "format": "csv",
                    "type": "main", key: url, "filesize": 10 ** 15,
                    "schema": {"name": "evil/x", "version": "../../.."}})
    return out
def dataset(tag):
    return {"id": "ds-" + tag, "slug": "../../../" + tag, "title": tag,
            "organization": {"id": "org-evil", "name": "Evil", "slug": "../..",
                             "business_number_id": "00000000000000"},
            "resources": resources(tag)}
def put(rel, obj):
    with open(os.path.join(root, "api", rel + ".json"), "w") as f:
        json.dump(obj, f)
put("datasets/evil", dataset("dataset"))
put("organizations/evil", {"id": "org-evil", "slug": "evil", "name": "Evil"})
put("organizations/org-evil/datasets", {"data": [dataset("org")], "next_page": None})
put("datasets@schema=evil_x", {"data": [dataset("schema")], "next_page": None})
# a next_page that names a local file
put("organizations/next", {"id": "org-next", "slug": "next", "name": "Next"})
put("organizations/org-next/datasets",
    {"data": [{"id": "ds-next", "slug": "next", "resources": []}], "next_page": "file://" + secret})
# the schema catalogue: a local schema_url, names that climb
put("schemas", {"schemas": [{"name": "../../evil", "schema_url": "file://" + secret, "versions": [
    {"version_name": "../../..", "schema_url": "FILE:///etc/passwd"},
    {"version_name": "1.0", "schema_url": "{{BASE}}/fault/any/..%2F..%2Fschema.json"}]}]})
# the resources list: the same lines odl-compare match writes
with open(os.path.join(root, "list.ndjson"), "w") as f:
    d = dataset("list")
    for r in d["resources"]:
        f.write(json.dumps({"url": r.get("url") or r.get("latest"),
                            "organization": d["organization"],
                            "dataset": {"id": d["id"], "slug": d["slug"], "title": d["title"]},
                            "resource": {"id": r["id"], "title": r["title"], "format": "csv",
                                         "type": "main"}}) + "\n")
EOF
sed "s#{{BASE}}#$BASE#g" "$FETCH_ROOT/list.ndjson" >"$TMP/list.ndjson"

cd "$HOME_DIR" || exit 1
touch "$TMP/mark"
k=0
# fetch ARGS... : odl-fetch from $HOME_DIR into dl, with a cache of its own
fetch() {
	k=$((k + 1))
	run "$want" $BIN/odl-fetch --cache "$TMP/cache.$k" -o dl --rate 0 --retries 0 --timeout 2 \
		--max-size 100k -j 8 -q --api "$BASE/api/1" "$@"
}

# summary: the manifest as "TITLE STATUS CLASS: MESSAGE PATH", sorted
summary() {
	sed "s/127\.0\.0\.1:$PORT/127.0.0.1:PORT/g; s#$TMP#TMP#g" "$TMP/out" | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    e = d["error"] or {}
    title = (d["resource"] or {}).get("title") or d["url"]
    print(title, d["status"], "%s: %s" % (e.get("class"), e.get("message")) if e else "-",
          d["path"] or "-")' | LC_ALL=C sort >"$TMP/summary"
}

# contained CASE : nothing changed outside dl and the caches, no local file
# copied into them, and the world is as it was
contained() {
	find "$TMP" -newer "$TMP/mark" \( -type f -o -type l \) | sed "s#^$TMP/##" |
		grep -v -e '^home/dl/' -e '^cache\.[0-9]*/' -e '^out$' -e '^err$' -e '^server\.log$' -e '^server\.err$' -e '^root/' \
			-e '^snap\.' -e '^summary$' -e '^want$' -e '^count$' -e '^changed$' -e '^stall\.ndjson$' -e '^data\.csv$' >"$TMP/changed"
	[ -s "$TMP/changed" ] && { fail "$1: files changed outside dl and the cache:"; head "$TMP/changed"; }
	for f in $(find "$HOME_DIR/dl" "$TMP"/cache.* -type f 2>/dev/null); do
		s=$(sha256sum "$f" | cut -d' ' -f1)
		[ "$s" = "$SECRET_SUM" ] && fail "$1: the private file was copied to $f"
		[ "$s" = "$PASSWD_SUM" ] && fail "$1: /etc/passwd was copied to $f"
	done
	rm -rf "$HOME_DIR/dl" "$TMP"/cache.*
	unchanged "$HOME_DIR" home "$1"
	[ "$(stat -c %a "$SECRET")" = 640 ] || fail "$1: the private file's mode changed"
}

# The manifest each route must give: the run goes on past every refusal.
H=9c36c246c83eeb7b32ed1acb287885e9209120326e41c16f72a932828de53c91
LOCAL='unsupported: local file refused: a url read from remote data must be http or https'
SCHEME='unsupported: unsupported url scheme: a url read from remote data must be http or https'
expected() { # DIR: where the route puts its files
	E=$(python3 -c 'print("é" * 73)')
	cat <<EOF | LC_ALL=C sort
FILE failed $LOCAL -
FiLe-localhost failed $LOCAL -
absolute ok - $1/_etc_cron.d_odl.csv
climb ok - $1/_.._.._.._escape.csv
control ok - $1/_[2J_bell_.csv
declared-too-large failed too-large: body larger than the size limit -
dict failed $SCHEME -
dots ok - $1/_
file failed $LOCAL -
file-no-slashes failed $LOCAL -
ftp failed $SCHEME -
gopher failed $SCHEME -
good ok - $1/hello.csv
gzip-bomb failed too-large: body larger than the size limit -
long ok - $1/$E.csv
nul ok - $1/nul_.csv
passwd failed $LOCAL -
path failed $SCHEME -
raw-control failed unsupported: url with control characters refused -
redirect-FILE failed unsupported: redirect to a local file refused: FILE:///etc/passwd -
redirect-file failed unsupported: redirect to a local file refused: file://TMP/home/secret -
redirect-ftp failed unsupported: redirect to a url scheme other than http or https refused: ftp://127.0.0.1/x.csv -
scp failed $SCHEME -
slow failed timeout: timed out -
tftp failed $SCHEME -
too-large failed too-large: body larger than the size limit -
EOF
}

snapshot "$HOME_DIR" home

# 1-3. API answers: dataset, org, schema
want=1
fetch dataset evil
summary
expected "dl/_/_.._.._dataset" >"$TMP/want"
same "$TMP/summary" "$TMP/want"
[ -s "$TMP/err" ] && { fail "dataset: stderr not empty"; head -3 "$TMP/err"; }
[ "$(stat -c %a "dl/_/_.._.._dataset/hello.csv")" = 644 ] || fail "a download is not 0644"
contained dataset

fetch org evil
summary
expected "dl/_/_.._.._org" >"$TMP/want"
same "$TMP/summary" "$TMP/want"
contained org

fetch schema evil/x
summary
expected "dl/_/_.._.._schema" >"$TMP/want"
same "$TMP/summary" "$TMP/want"
contained schema

# 4. a resources list (as odl-compare match writes from the catalog exports)
fetch resources "$TMP/list.ndjson"
summary
expected "dl/_/_.._.._list" >"$TMP/want"
same "$TMP/summary" "$TMP/want"
contained resources

# ... and from standard input, offline: a cached local file is no way round
want=1
fetch --offline resources - <"$TMP/list.ndjson"
summary
grep -c "$LOCAL" "$TMP/summary" >"$TMP/count"
same_text "$TMP/count" 5
contained offline

# 5. the schema catalogue: its schema_url are remote data too
want=1
fetch schemas --schemas-url "$BASE/api/1/schemas"
summary
printf '%s\n' \
	"FILE:///etc/passwd failed $LOCAL -" \
	"file://TMP/home/secret failed $LOCAL -" \
	"http://127.0.0.1:PORT/api/1/schemas ok - dl/schemas/schemas.json" \
	"http://127.0.0.1:PORT/fault/any/..%2F..%2Fschema.json ok - dl/schemas/_/_/evil/1.0/_.._schema.json" |
	LC_ALL=C sort >"$TMP/want"
same "$TMP/summary" "$TMP/want"
contained schemas

# 6. a next_page naming a local file stops the walk with one clear line
want=2
fetch org next
one_line "odl-fetch: 'http://127.0.0.1:$PORT/api/1/organizations/org-next/datasets/?page_size=100', field 'next_page': local file refused: a url read from remote data must be http or https" "next_page"
contained next_page

# 6b. the API roots are http or https too: a usage error, before any request
want=2
fetch --api "file://$TMP/root/api/1" dataset evil
same_text "$TMP/err" "odl-fetch: invalid value 'file://$TMP/root/api/1' for --api or ODL_API_URL (an http or https URL)
Try 'odl-fetch --help' for more information."
fetch --schemas-url "FILE://$SECRET" schemas
same_text "$TMP/err" "odl-fetch: invalid value 'FILE://$SECRET' for --schemas-url or ODL_SCHEMAS_URL (an http or https URL)
Try 'odl-fetch --help' for more information."
contained "api roots"

# 7. typed by the user, file:// stays allowed; the copy is a new file
#    (0666 minus the umask), whatever the source's mode
want=0
fetch -q url "FILE://$SECRET"
[ "$(stat -c %a dl/secret)" = 644 ] || fail "url file://: copy mode $(stat -c %a dl/secret)"
rm -rf dl "$TMP"/cache.*
unchanged "$HOME_DIR" home "url file://"

# 8. SIGINT mid-transfer, through the API and through a list: the transfer
#    in flight gets its "interrupted" line, the finished one its "ok" line
interrupt() { # CASE ARGS...
	c=$1
	shift
	k=$((k + 1))
	$BIN/odl-fetch --cache "$TMP/cache.$k" -o dl --rate 0 -j 2 -q --api "$BASE/api/1" "$@" \
		>"$TMP/out" 2>"$TMP/err" &
	pid=$!
	i=0
	while [ $i -lt 100 ] && [ -z "$(find "$TMP/cache.$k" -name '*.part' -size +0 2>/dev/null)" ]; do
		sleep 0.05
		i=$((i + 1))
	done
	while [ $i -lt 200 ] && [ "$(wc -l <"$TMP/out")" -lt 1 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill -INT $pid
	wait $pid
	got=$?
	[ "$got" = 130 ] || fail "$c: exit $got after SIGINT, wanted 130"
	summary
	same "$TMP/summary" "$TMP/want"
	[ -s "$TMP/err" ] && { fail "$c: stderr not empty"; head -3 "$TMP/err"; }
	contained "$c"
}
python3 - "$FETCH_ROOT" <<'EOF'
import json, os, sys
res = [{"id": "stall", "title": "stall", "url": "{{BASE}}/fault/stall/n101.csv"},
       {"id": "good", "title": "good", "url": "{{BASE}}/files/hello.csv"}]
with open(os.path.join(sys.argv[1], "api", "datasets", "stall.json"), "w") as f:
    json.dump({"id": "ds-stall", "slug": "stall", "resources": res}, f)
EOF
printf '%s\n' "good ok - dl/sans-organisation/stall/hello.csv" \
	"stall interrupted interrupted: interrupted by SIGINT: the part is kept for the next run -" >"$TMP/want"
interrupt "SIGINT, dataset" dataset stall
printf '{"url":"%s/fault/stall/n102.csv","resource":{"title":"stall"}}\n{"url":"%s/files/hello.csv","resource":{"title":"good"}}\n' \
	"$BASE" "$BASE" >"$TMP/stall.ndjson"
printf '%s\n' "good ok - dl/hello.csv" \
	"stall interrupted interrupted: interrupted by SIGINT: the part is kept for the next run -" >"$TMP/want"
interrupt "SIGINT, resources" resources "$TMP/stall.ndjson"

# 9. a schema given by URL whose body is not a schema: the message names
#    the URL, never the cache file it was read from
printf 'id;commune\n1;Rennes\n' >"$TMP/data.csv"
printf '[1, 2]\n' >"$FETCH_ROOT/files/list.json"
k=$((k + 1))
XDG_CACHE_HOME=$TMP/cache.$k
export XDG_CACHE_HOME
run 2 $BIN/odl-validate -s "$BASE/files/hello.csv" "$TMP/data.csv"
one_line "odl-validate: '$BASE/files/hello.csv' line 1, column 7: not valid JSON: *" "schema url, not json"
run 2 $BIN/odl-validate -s "$BASE/files/list.json" "$TMP/data.csv"
one_line "odl-validate: '$BASE/files/list.json'*: *" "schema url, not a schema"
grep -q "cache\.$k" "$TMP/err" && fail "the message names the cache: $(cat "$TMP/err")"
unset XDG_CACHE_HOME
contained "schema url"

done_testing
