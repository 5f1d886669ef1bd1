# A national-sized run in miniature (scripts/bench-compare's file: 2,000
# communes, 40,000 rows in runs of one publisher, three years), checked
# against a computation by Python's standard library: every indicator of
# the subventions set for every (commune, year), then every rank, percentile
# and quartile of `odl-compare rank --peers size`.  Rank reads the rows the
# way odl-compare indicators writes them without a JSON library, any other
# line through jansson: the same rows with their non-ASCII characters
# escaped (which only jansson reads) rank byte for byte the same.
. tests/cli/lib.sh
need_cmd python3
D=$TMP/data
mkdir -p "$D"

python3 - "$D" 40000 2000 <<'PY'
import sys, random
d, rows, nterr = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(11)
with open(f"{d}/territoires.csv", "w", encoding="utf-8", newline="") as f:
    f.write("code,name,type,population,siren,epci,dep,reg\r\n")
    for i in range(nterr):
        dep = 1 + i % 95
        # a few communes without inhabitants or without a figure
        pop = "" if i % 97 == 5 else "0" if i % 89 == 3 else str(random.randint(50, 200000))
        f.write("%02d%03d,Commune \"%d\",COM,%s,2%08d,2000%05d,%02d,%d\r\n"
                % (dep, i // 95 % 1000, i, pop, i, i // 20, dep, 11 + dep % 10))
benef = ["Association sportive", "Comité des fêtes", "Club \"Les Aînés\"", "Amicale laïque"]
with open(f"{d}/subventions.csv", "w", encoding="utf-8", newline="") as f:
    f.write("nomAttribuant,idAttribuant,dateConvention,nomBeneficiaire,idBeneficiaire,"
            "rnaBeneficiaire,montant,nature\r\n")
    for i in range(rows):
        t = i * nterr // rows
        # some rows come back to a commune already left
        if i % 53 == 0:
            t = random.randrange(nterr)
        nom = random.choice(benef)
        if '"' in nom:
            nom = '"' + nom.replace('"', '""') + '"'
        rna = "W%09d" % random.randrange(10**6) if i % 3 else ""
        montant = "" if i % 71 == 0 else "%d.%02d" % (random.randrange(1, 50000), i % 100)
        if t % 400 == 7:
            rna = ""  # communes whose RNA column is never filled
        f.write("Commune %d,2%08d%05d,%d-%02d-%02d,%s,%014d,%s,%s,aide en numéraire\r\n"
                % (t, t, 10 + t % 90, 2022 + i % 3, 1 + i % 12, 1 + i % 28, nom,
                   random.randrange(300) * 13, rna, montant))
PY

# the quantile at p by linear interpolation (Hyndman and Fan's type 7), for both checks below
cat >"$D/quantile.py" <<'PY'
import math
def q7(x, p):
    h = (len(x) - 1) * p
    lo = math.floor(h)
    if lo + 1 >= len(x):
        return x[-1]
    return x[lo] + (h - lo) * (x[lo + 1] - x[lo])
PY

run 0 "$BIN/odl-compare" indicators -s subventions -t "$D/territoires.csv" "$D/subventions.csv"
same_text "$TMP/err" "odl-compare: warning: '$D/territoires.csv' line 5, field 'population': 0, no ratio (69 values left null)"
cp "$TMP/out" "$D/indicators.ndjson"

python3 - "$D" >"$TMP/check" 2>&1 <<'PY'
import csv, json, sys, math
d = sys.argv[1]
sys.path.insert(0, d)
from quantile import q7
pop = {}
for r in csv.DictReader(open(f"{d}/territoires.csv", encoding="utf-8", newline="")):
    pop[r["code"]] = r["population"]
code_of = {}
order = []
for r in csv.DictReader(open(f"{d}/territoires.csv", encoding="utf-8", newline="")):
    code_of[r["siren"]] = r["code"]
    order.append(r["code"])
groups = {}
for r in csv.DictReader(open(f"{d}/subventions.csv", encoding="utf-8", newline="")):
    key = (code_of[r["idAttribuant"][:9]], int(r["dateConvention"][:4]))
    g = groups.setdefault(key, {"n": 0, "vals": [], "sum": 0.0, "match": 0.0, "rna": 0, "ids": set()})
    g["n"] += 1
    if r["rnaBeneficiaire"]:
        g["rna"] += 1
    if r["idBeneficiaire"]:
        g["ids"].add(r["idBeneficiaire"])
    if r["montant"]:
        v = float(r["montant"])
        g["vals"].append(v)
        g["sum"] += v
        if r["rnaBeneficiaire"]:
            g["match"] += v


def text(v):
    if v is None:
        return None
    if v == math.floor(v) and abs(v) < 1e15:
        return str(int(v))
    return "%.12g" % v

want = []
for c in order:
    for y in sorted(y for (cc, y) in groups if cc == c):
        g = groups[(c, y)]
        s = g["sum"] if g["vals"] else None
        den = float(pop[c]) if pop[c] not in ("",) else None
        vals = sorted(g["vals"])
        share = g["match"] / g["sum"] if g["vals"] and g["sum"] != 0 and g["rna"] else None
        want += [(c, y, "subventions_montant_total", text(s)),
                 (c, y, "subventions_nombre", text(g["n"])),
                 (c, y, "subventions_montant_par_habitant",
                  text(s / den * 1) if s is not None and den else None),
                 (c, y, "subventions_montant_median", text(q7(vals, 0.5)) if vals else None),
                 (c, y, "subventions_part_associations", text(share)),
                 (c, y, "subventions_beneficiaires", text(len(g["ids"])))]
got = []
with open(f"{d}/indicators.ndjson", encoding="utf-8") as f:
    for line in f:
        o = json.loads(line)
        v = o["value"]
        got.append((o["territory"], o["year"], o["indicator"],
                    None if v is None else text(float(v))))
bad = [(w, g) for w, g in zip(want, got) if w != g]
print(len(want), len(got), len(bad))
for w, g in bad[:5]:
    print("want", w, "got", g)
PY
same_text "$TMP/check" "36000 36000 0"

# ranks by size band, against Python's count of the peers above and below
run 0 "$BIN/odl-compare" rank -t "$D/territoires.csv" --peers size "$D/indicators.ndjson"
same_text "$TMP/err" "odl-compare: warning: '$D/territoires.csv' line 1073, field 'population': 0, no per_inhabitant (207 rows)"
cp "$TMP/out" "$D/rank.ndjson"
python3 - "$D" >"$TMP/check" 2>&1 <<'PY'
import csv, json, sys, math
d = sys.argv[1]
sys.path.insert(0, d)
from quantile import q7
pop = {r["code"]: r["population"] for r in
       csv.DictReader(open(f"{d}/territoires.csv", encoding="utf-8", newline=""))}
def band(p):
    for lim, name in ((3500, "0-3499"), (10000, "3500-9999"), (20000, "10000-19999"),
                      (50000, "20000-49999"), (100000, "50000-99999")):
        if p < lim:
            return name
    return "100000+"
rows = [json.loads(l) for l in open(f"{d}/indicators.ndjson", encoding="utf-8")]
blocks = {}
for r in rows:
    p = pop[r["territory"]]
    peers = "COM:size:" + band(float(p)) if p != "" else "COM:unknown"
    blocks.setdefault((r["indicator"], r["year"], peers), []).append(r)
want = {}
for (ind, year, peers), rs in blocks.items():
    vals = sorted(r["value"] for r in rs if r["value"] is not None)
    for r in rs:
        v = r["value"]
        w = {"peers": peers, "n_peers": len(vals)}
        if v is not None:
            w["rank"] = 1 + sum(1 for x in vals if x > v)
            w["percentile"] = round(100.0 * (sum(1 for x in vals if x < v)
                                            + 0.5 * sum(1 for x in vals if x == v)) / len(vals), 6)
        if vals:
            w["peer_median"] = round(q7(vals, 0.5), 6)
            w["peer_q1"] = round(q7(vals, 0.25), 6)
        want[(r["territory"], ind, year)] = w
bad = 0
n = 0
for line in open(f"{d}/rank.ndjson", encoding="utf-8"):
    o = json.loads(line)
    n += 1
    w = want[(o["territory"], o["indicator"], o["year"])]
    g = {k: (round(o[k], 6) if isinstance(o[k], float) else o[k]) for k in w}
    if g != w:
        bad += 1
        if bad < 5:
            print("want", w, "got", g)
print(n, bad)
PY
same_text "$TMP/check" "36000 0"

# the same rows with escaped characters, spaces and keys in another order:
# read through jansson, the same ranks
python3 - "$D/indicators.ndjson" >"$D/escaped.ndjson" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    print(json.dumps(o, ensure_ascii=True, sort_keys=True))
PY
run 0 "$BIN/odl-compare" rank -t "$D/territoires.csv" --peers size "$D/escaped.ndjson"
same "$TMP/out" "$D/rank.ndjson"

# strings of 7 to 17 bytes (read eight at a time), numbers in every JSON
# form, spaces, a member given twice, a nested one: as jansson reads them
cat >"$D/edge.ndjson" <<'EOF'
{"territory":"01000","indicator":"abcdefg","year":2022,"value":1.5}
{"territory":"01000","indicator":"abcdefgh","year":2022,"value":2}
{"territory":"01000","indicator":"abcdefghi","year":2022,"value":-0}
{"territory":"01000","indicator":"abcdefghijklmnopq","year":2022,"value":1e3,"unit":"€ par hab."}
{ "territory" : "01001" , "indicator":"abcdefg","year":2022,"value":1E-2 , "n_errors":0}
{"territory":"01001","indicator":"abcdefgh","year":2022,"value":null,"null_reason":"zero-total"}
{"territory":"01002","indicator":"abcdefg","year":2022,"value":3,"title_fr":"ab\"c"}
{"territory":"01003","indicator":"abcdefg","year":2022,"value":3,"territory":"01004"}
{"territory":"01005","indicator":"abcdefg","year":2022,"value":3,"per_inhabitants":1000,"x":[1,2]}
{"territory":"01006","indicator":"abcdefghijklmnop","year":2023,"value":123456789012345678}
{"territory":"01007","indicator":"zz","year":2023,"value":4,"title_fr":"abcdefgh\u00e9ijklmnopq"}
EOF
python3 - "$D/edge.ndjson" >"$D/edge-escaped.ndjson" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    print(json.dumps(json.loads(line), ensure_ascii=True))
PY
run 0 "$BIN/odl-compare" rank "$D/edge-escaped.ndjson"
cp "$TMP/out" "$D/edge-rank.ndjson"
run 0 "$BIN/odl-compare" rank "$D/edge.ndjson"
same "$TMP/out" "$D/edge-rank.ndjson"
# an escape amid plain bytes: decoded (é), as jansson does
tail -n 1 "$TMP/out" | cut -d, -f28 >"$TMP/title"
same_text "$TMP/title" '"title_fr":"abcdefghéijklmnopq"'

# NDJSON rows are written by fragments (what a row says of its territory
# and its indicator, made once): the same members, in the same order, with
# the same texts as the CSV rows written member by member, also with
# categories, quotes and empty values (the sets with "by")
T=testdata/compare
for s in deliberations budget equipements; do
	run 0 "$BIN/odl-compare" indicators --set $s -t $T/territories.csv $T/$s.csv
	cp "$TMP/out" "$TMP/rows.ndjson"
	run 0 "$BIN/odl-compare" indicators --set $s -t $T/territories.csv -f csv $T/$s.csv
	python3 - "$TMP/rows.ndjson" >"$TMP/as.csv" <<'PY'
import json, sys
cols = ["set", "territory", "name", "type", "indicator", "category", "year", "value",
        "numerator", "denominator", "denominator_column", "per", "unit", "n_rows", "n_errors",
        "null_reason", "per_inhabitants", "title_fr", "title_en"]
def cell(v):
    if v is None:
        return ""
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v
out = [",".join(cols)]
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line, parse_float=str, parse_int=str)
    assert list(o) == cols, list(o)
    out.append(",".join(cell(o[c]) for c in cols))
sys.stdout.buffer.write(("\r\n".join(out) + "\r\n").encode("utf-8"))
PY
	same "$TMP/out" "$TMP/as.csv"
done
grep -c '"category":"' "$TMP/rows.ndjson" >"$TMP/n"
same_text "$TMP/n" 4

done_testing
