# odl-validate --max-errors 0: every error kept, in every format, without
# memory growing with their number (kept errors and repairs go to a temporary
# file, the report is spliced around them).  Peak RSS on 40,000 errors against
# 200; the reports are whole (as many entries as errors counted), compact
# JSON as jansson writes it, and the same with -j 2 as with -j 1.
. tests/cli/lib.sh
need_cmd python3
[ -x /usr/bin/time ] || { echo "skipped: /usr/bin/time is not installed"; exit 77; }

python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
for name, rows in (("small", 100), ("big", 20000)):
    with open(f"{d}/{name}.csv", "w", encoding="utf-8") as f:
        f.write("code,nom,population,surface\n")
        for i in range(rows):  # two type errors a row
            f.write(f'C{i:05d},"Commune n°{i}, «test»",x{i},{i % 7}.5km\n')
json.dump({"name": "many", "fields": [{"name": "code", "type": "string"}, {"name": "nom", "type": "string"},
           {"name": "population", "type": "integer"}, {"name": "surface", "type": "number"}]},
          open(f"{d}/schema.json", "w"))
PY
cp "$TMP/big.csv" "$TMP/big2.csv"

# a sanitizer build keeps freed memory aside: its RSS says nothing here
rss_check=1
grep -q __asan_init "$BIN/odl-validate" && rss_check=0

# peak FMT NAME [OPTION]...: the report on NAME.csv in $TMP/NAME.report.FMT; prints
# the peak RSS (kB)
peak() {
	fmt=$1 f=$2; shift 2
	/usr/bin/time -f %M -o "$TMP/rss" "$BIN/odl-validate" -f "$fmt" -n 0 -s "$TMP/schema.json" "$@" \
		"$TMP/$f.csv" >"$TMP/$f.report.$fmt" 2>"$TMP/err"
	st=$?
	[ "$st" -eq 1 ] || { fail "-f $fmt $f: exit $st"; cat "$TMP/err"; }
	tail -1 "$TMP/rss"
}

for fmt in ndjson frictionless csv; do
	small=$(peak "$fmt" small)
	big=$(peak "$fmt" big)
	# before: 55 MB more (ndjson, csv) and 170 MB more (frictionless)
	if [ "$rss_check" = 1 ] && [ $((big - small)) -gt 6144 ]; then
		fail "-f $fmt: peak RSS $small kB on 200 errors, $big kB on 40,000"
	fi
done

# the reports hold every error, as jansson's compact dump would
python3 - "$TMP" <<'PY' || fail "a report is not whole"
import json, re, sys
d = sys.argv[1]
line = open(f"{d}/big.report.ndjson", encoding="utf-8").read()
r = json.loads(line)
assert r["error_count"] == 40000 and len(r["errors"]) == 40000, (r["error_count"], len(r["errors"]))
assert json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" == line
t = open(f"{d}/big.report.frictionless", encoding="utf-8").read()
f = json.loads(t)
assert len(f["tasks"][0]["errors"]) == 40000 and f["stats"]["errors"] == 40000
# Python writes the seconds (a real number) its own way
norm = lambda s: re.sub(r'"seconds":[^,]*', '"seconds":0', s)
assert norm(json.dumps(f, ensure_ascii=False, separators=(",", ":")) + "\n") == norm(t)
rows = open(f"{d}/big.report.csv", encoding="utf-8", newline="").read().split("\r\n")
assert len(rows) == 40002 and rows[-1] == "", len(rows)
assert rows[1].startswith(f"{d}/big.csv,type-error,2,population,3,x0,"), rows[1]
PY

# --fix: the repairs left (cells no rule can repair) are kept the same way
run 1 "$BIN/odl-validate" -f ndjson -n 0 -s "$TMP/schema.json" --fix --fix-output "$TMP/fixed.csv" "$TMP/big.csv"
python3 -c '
import json, sys
line = open(sys.argv[1], encoding="utf-8").read()
r = json.loads(line)
assert len(r["errors"]) == r["error_count"] == 40000
assert len(r["fixes"]) == sum(r["fix_counts"].values()) + sum(r["fix_left_counts"].values())
assert json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" == line
' "$TMP/out" || fail "--fix: the report is not whole"

# no room for the temporary file: status 2, one line, the previous report kept
echo previous >"$TMP/report.ndjson"
run 2 env TMPDIR="$TMP/none" "$BIN/odl-validate" -f ndjson -n 0 -s "$TMP/schema.json" -o "$TMP/report.ndjson" "$TMP/big.csv"
same_text "$TMP/err" "odl-validate: cannot write a temporary file: No such file or directory"
same_text "$TMP/report.ndjson" previous

# two files, two jobs: the bytes of one job at a time
for fmt in ndjson csv; do
	run 1 "$BIN/odl-validate" -f "$fmt" -n 0 -s "$TMP/schema.json" "$TMP/big.csv" "$TMP/big2.csv"
	mv "$TMP/out" "$TMP/j1"
	run 1 "$BIN/odl-validate" -j 2 -f "$fmt" -n 0 -s "$TMP/schema.json" "$TMP/big.csv" "$TMP/big2.csv"
	same "$TMP/out" "$TMP/j1"
done

done_testing
