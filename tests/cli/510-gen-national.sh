# scripts/gen-national: deterministic, in the real export formats, SIRETs that match.
. tests/cli/lib.sh
need_cmd python3

small="--synthetic --communes 300 --epci 12 --publishers 40 --other-orgs 20 --datasets 200 --resources 1000"
run 0 scripts/gen-national $small "$TMP/a"
run 0 scripts/gen-national $small "$TMP/b"
for f in territories.csv organizations.csv datasets.csv resources.csv manifest.ndjson reports.ndjson SUMMARY; do
	same "$TMP/a/$f" "$TMP/b/$f"
done
same_text "$TMP/a/SUMMARY" "source synthetic
territories 312 (communes 300, epci 12)
organizations 60 (collectivites 40)
datasets 200
resources 1000 (scdl 91)
seed 2026"

# another seed, other data
run 0 scripts/gen-national $small --seed 7 "$TMP/c"
cmp -s "$TMP/a/resources.csv" "$TMP/c/resources.csv" && fail "--seed changes nothing"

# the headers are those of the demo catalog (the real exports' for organizations and resources)
for f in organization dataset resource; do
	head -1 "$TMP/a/${f}s.csv" >"$TMP/h1"
	head -1 "testdata/demo/catalog/export-$f.csv" >"$TMP/h2"
	same "$TMP/h1" "$TMP/h2"
done
head -1 "$TMP/a/territories.csv" >"$TMP/h1"
same_text "$TMP/h1" "code,name,type,population,siren,epci,dep,reg,agents"

# every business_number_id of a collectivité is its SIREN or a SIRET with a valid key;
# every manifest line names an organization of the export
python3 - "$TMP/a" >"$TMP/check" <<'PY'
import csv, json, sys
d = sys.argv[1]
def luhn(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        x = int(ch) * (2 if i % 2 else 1)
        t += x - 9 if x > 9 else x
    return t % 10 == 0
sirens = {r["siren"] for r in csv.DictReader(open(d + "/territories.csv"))}
orgs = list(csv.DictReader(open(d + "/organizations.csv"), delimiter=";"))
kinds = {"siret": 0, "siren": 0, "none": 0, "other": 0, "badkey": 0}
for o in orgs:
    b = o["business_number_id"]
    if not b: kinds["none"] += 1
    elif b[:9] not in sirens: kinds["other"] += 1
    elif len(b) == 9: kinds["siren"] += 1
    else: kinds["siret"] += 1
    if len(b) == 14 and not luhn(b): kinds["badkey"] += 1
ids = {o["id"] for o in orgs}
lines = [json.loads(l) for l in open(d + "/manifest.ndjson")]
print(kinds, len(lines), all(l["organization"]["id"] in ids for l in lines))
PY
same_text "$TMP/check" "{'siret': 34, 'siren': 6, 'none': 5, 'other': 15, 'badkey': 0} 91 True"
done_testing
