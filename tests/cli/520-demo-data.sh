# testdata/demo: the generator's output, three consistent views of one catalog, real territory facts.
. tests/cli/lib.sh
need_cmd python3

# the committed tree is exactly what scripts/gen-demo writes
run 0 scripts/gen-demo "$TMP/demo"
diff -r --no-dereference -x README.md -x EXPECTED.md testdata/demo "$TMP/demo" >"$TMP/diff" 2>&1 ||
	{ fail "testdata/demo differs from scripts/gen-demo's output"; head -20 "$TMP/diff"; }

# API JSON, exports and files agree; the special cases are where EXPECTED.md says
python3 - testdata/demo >"$TMP/check" <<'PY'
import csv, glob, hashlib, json, os, sys
d = sys.argv[1]
api = {}
for p in sorted(glob.glob(d + "/api/1/datasets/*/index.json")):
    if os.path.islink(os.path.dirname(p)):
        continue
    ds = json.load(open(p))
    if ds["organization"]["name"] == "data.gouv.fr":
        continue  # the catalog exports' own dataset
    for r in ds["resources"]:
        api[r["id"]] = (ds, r)
exp = {r["id"]: r for r in csv.DictReader(open(d + "/catalog/export-resource.csv", encoding="utf-8"), delimiter=";")}
orgs = {o["id"]: o for o in csv.DictReader(open(d + "/catalog/export-organization.csv", encoding="utf-8"), delimiter=";")}
dsx = {x["id"]: x for x in csv.DictReader(open(d + "/catalog/export-dataset.csv", encoding="utf-8"), delimiter=";")}
print("resources", len(api), len(exp), sorted(api) == sorted(exp))
print("organizations", len(orgs), "datasets", len(dsx))
for rid, (ds, r) in sorted(api.items(), key=lambda x: x[1][1]["url"]):
    e = exp[rid]
    same = (e["url"] == r["url"] and e["title"] == r["title"] and e["format"] == r["format"] and
            e["type"] == r["type"] and e["dataset.id"] == ds["id"] and e["dataset.slug"] == ds["slug"] and
            e["dataset.organization_id"] == ds["organization"]["id"] and
            e["schema_name"] == (r["schema"]["name"] or "") and
            e["schema_version"] == (r["schema"]["version"] or "") and
            e["checksum.value"] == ((r["checksum"] or {}).get("value") or "") and ds["id"] in dsx and
            orgs[ds["organization"]["id"]]["business_number_id"] == ds["organization"]["business_number_id"])
    name = r["url"].rsplit("/", 1)[1]
    path = d + "/files/" + name
    if not os.path.exists(path):
        state = "missing"
    elif hashlib.sha1(open(path, "rb").read()).hexdigest() != r["checksum"]["value"]:
        state = "checksum-mismatch"
    elif os.path.getsize(path) != r["filesize"]:
        state = "size-mismatch"
    else:
        state = "ok"
    print(name, state, "consistent" if same else "INCONSISTENT")
PY
same "$TMP/check" "$EXPECTED/520-demo-data.txt"

# every SIRET of an organization passes the Luhn key and starts with its territory's SIREN
python3 - testdata/demo >"$TMP/sirets" <<'PY'
import csv, sys
d = sys.argv[1]
def luhn(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        x = int(ch) * (2 if i % 2 else 1)
        t += x - 9 if x > 9 else x
    return t % 10 == 0
sirens = {r["siren"]: r["code"] for r in csv.DictReader(open(d + "/territories.csv", encoding="utf-8"))}
for o in csv.DictReader(open(d + "/catalog/export-organization.csv", encoding="utf-8"), delimiter=";"):
    b = o["business_number_id"]
    print(sirens.get(b[:9], "?"), len(b), "key-ok" if len(b) == 9 or luhn(b) else "KEY-BAD")
PY
sort "$TMP/sirets" >"$TMP/sirets.sorted"
same "$TMP/sirets.sorted" "$EXPECTED/520-demo-sirets.txt"

# the territory facts are Insee's and the DGCL's
if [ -d "$SHARED/territories" ]; then
	python3 - testdata/demo "$SHARED/territories" >"$TMP/facts" <<'PY'
import csv, sys
d, ref = sys.argv[1], sys.argv[2]
com = {r["code_insee"]: r for r in csv.DictReader(open(ref + "/derived_charente16_communes_epci_population.csv", encoding="utf-8"))}
epci = {r["epci_siren"]: r for r in csv.DictReader(open(ref + "/derived_epci_fp_2026_list.csv", encoding="utf-8"))}
bad = 0
for t in csv.DictReader(open(d + "/territories.csv", encoding="utf-8")):
    if t["type"] == "EPCI":
        e = epci[t["code"]]
        ok = t["siren"] == e["epci_siren"] and t["population"] == e["total_pop_tot"]
    else:
        c = com[t["code"]]
        ok = (t["name"] == c["nom_commune"] and t["siren"] == c["siren_commune"] and
              t["population"] == c["ptot_insee_popleg"] and t["epci"] == c["epci_siren"])
    if not ok:
        bad += 1
        print("differs:", t["code"])
big = sorted(c for c, r in com.items() if r["epci_siren"] == "200071827" and int(r["ptot_insee_popleg"]) >= 3500)
mine = sorted(t["code"] for t in csv.DictReader(open(d + "/territories.csv", encoding="utf-8"))
              if t["type"] == "COM" and int(t["population"]) >= 3500)
print("differences", bad, "communes of 3,500+ all present", big == mine)
PY
	same_text "$TMP/facts" "differences 0 communes of 3,500+ all present True"
else
	echo "note: ../shared/reference absent, territory facts not checked"
fi
done_testing
