# odl-validate answers a cell equal to one its field accepted before from a
# memo (a hash and a comparison instead of the type and constraints): a value
# a field refused is refused again on every row, a value one field accepts is
# still judged by another field's rules, a custom check's memo (SIRET) is its
# own; counts are computed here from the data, and the reports with and
# without the memo (ODL_MEMO=off) are the same bytes.  The file's SHA-256,
# computed on a thread of its own with --threads 2, is hashlib's.
. tests/cli/lib.sh
need_cmd python3

python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
rows = 40000  # 2.4 MB: the hashing thread's buffers go round many times
good_siret, bad_siret = "21860194600013", "21860194600014"
with open(f"{d}/rep.csv", "w", encoding="utf-8") as f:
    f.write("petit,grand,jour,nature,code,siret\n")
    for i in range(rows):
        f.write(",".join([
            ["5", "50"][i % 2],                      # petit: maximum 10 -> odd rows fail
            "50",                                    # grand: maximum 100 -> never fails
            ["2024-01-31", "31/01/2024"][i % 3 == 0],  # jour: date -> every third row fails
            ["aide en nature", "Aide"][i % 5 == 0],  # nature: enum -> every fifth row fails
            ["AB-12", "ab-12"][i % 7 == 0],          # code: pattern -> every seventh row fails
            [good_siret, bad_siret][i % 11 == 0],    # siret: custom check -> every 11th fails
        ]) + "\n")
expected = {"constraint-error": sum(1 for i in range(rows) if i % 2) +
            sum(1 for i in range(rows) if i % 5 == 0) + sum(1 for i in range(rows) if i % 7 == 0),
            "type-error": sum(1 for i in range(rows) if i % 3 == 0),
            "french-siret-value": sum(1 for i in range(rows) if i % 11 == 0)}
open(f"{d}/expected", "w").write(json.dumps(expected, sort_keys=True) + "\n")
json.dump({"name": "rep", "fields": [
    {"name": "petit", "type": "integer", "constraints": {"maximum": 10}},
    {"name": "grand", "type": "integer", "constraints": {"maximum": 100}},
    {"name": "jour", "type": "date"},
    {"name": "nature", "type": "string", "constraints": {"enum": ["aide en nature", "aide en numéraire"]}},
    {"name": "code", "type": "string", "constraints": {"pattern": "[A-Z]{2}-[0-9]+"}},
    {"name": "siret", "type": "string"}],
    "custom_checks": [{"name": "french-siret-value", "params": {"column": "siret"}}]},
    open(f"{d}/schema.json", "w", encoding="utf-8"))
PY

for t in 1 2; do
	run 1 "$BIN/odl-validate" --threads $t -n 0 -f ndjson -s "$TMP/schema.json" "$TMP/rep.csv"
	cp "$TMP/out" "$TMP/memo-$t.ndjson"
	ODL_MEMO=off "$BIN/odl-validate" --threads $t -n 0 -f ndjson -s "$TMP/schema.json" "$TMP/rep.csv" \
		>"$TMP/nomemo-$t.ndjson"
	cmp -s "$TMP/memo-$t.ndjson" "$TMP/nomemo-$t.ndjson" ||
		fail "threads $t: the report differs without the memo"
done
python3 - "$TMP/memo-1.ndjson" "$TMP/expected" <<'PY' || fail "error counts differ from the data's"
import json, sys
counts = json.loads(open(sys.argv[1], encoding="utf-8").readline())["error_counts"]
expected = json.load(open(sys.argv[2]))
if counts != expected:
    print("got", counts, "expected", expected)
    sys.exit(1)
PY
for t in 1 2; do
	python3 - "$TMP/memo-$t.ndjson" "$TMP/rep.csv" <<'PY' || fail "threads $t: sha256 is not the file's"
import hashlib, json, sys
report = json.loads(open(sys.argv[1], encoding="utf-8").readline())
want = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
if report.get("file_sha256") != want:
    print("report", report.get("file_sha256"), "file", want)
    sys.exit(1)
PY
done

done_testing
