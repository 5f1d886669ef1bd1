# make demo's pipeline on the bundled data: every case of
# testdata/demo/EXPECTED.md shows in the report as it should.
. tests/cli/lib.sh
need_cmd python3

# no DEMO_TODAY: the demo counts its grades from its own reference date,
# so it shows the same grades on any day
export DEMO_OUT=$TMP/demo
run 0 "$ODL_TOP/scripts/demo" "$ODL_BUILD"
sed "s|$TMP|TMP|" "$TMP/out" >"$TMP/summary"
same "$TMP/summary" "$EXPECTED/600-demo.txt"
out=$DEMO_OUT

# the stages' own outputs
same "$out/compliance.ndjson" "$EXPECTED/600-demo-compliance.ndjson"
sed 's/.*"path":"\([^"]*\)".*"valid":\([a-z]*\),.*"rows":\([0-9]*\),"error_count":\([0-9]*\),"error_counts":\({[^}]*}\).*/\1 \2 \3 \4 \5/' \
	"$out/reports.ndjson" | sort >"$TMP/reports"
same "$TMP/reports" "$EXPECTED/600-demo-reports.txt"
sed 's/.*"path":\([^,]*\),"status":"\([a-z-]*\)","error":\(null\|{[^}]*}\),"http_status":\([0-9a-z]*\).*/\2 \4 \1 \3/' \
	"$out/manifest.ndjson" | sed 's|127.0.0.1:[0-9]*|127.0.0.1:PORT|' | sort >"$TMP/manifest"
same "$TMP/manifest" "$EXPECTED/600-demo-manifest.txt"

# nothing is kept of the failed downloads, no temporary is left anywhere
for f in ruelle-deliberations-2024.csv saint-yrieix-subventions-2024.csv; do
	find "$out" -name "$f*" | grep -q . && fail "$f was kept"
done
find "$out" -name '*.tmp*' -o -name '*.part*' | grep -q . && fail "temporary files left: $(find "$out" -name '*.tmp*' -o -name '*.part*')"
[ -e "$out.tmp" ] && fail "$out.tmp left behind"

# the report as a reader sees it
python3 tests/tools/html_text.py "$out/report.html" | sed 's|127.0.0.1:[0-9]*|127.0.0.1:PORT|' >"$TMP/report.txt"
same "$TMP/report.txt" "$EXPECTED/600-demo-report.txt"
done_testing
