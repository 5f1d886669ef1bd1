# odl-validate --describe on every official subventions CSV, including the
# files collectivités published (Windows-1252, BOM + Windows-1252 body, ';',
# multi-line cells): encoding, delimiter and row count as checked by hand
# (rows counted with Python's csv module after decoding with the right codec).
. tests/cli/lib.sh
need_shared

cd "$SHARED/scdl/subventions"
files=$(find . -name '*.csv' | sort)
for f in $files; do
	"$BIN/odl-validate" --describe -f ndjson "$f" >"$TMP/one" 2>"$TMP/err" || fail "$f: exit $?: $(cat "$TMP/err")"
	# path encoding bom delimiter rows columns
	sed 's/.*"path":"\([^"]*\)","encoding":"\([^"]*\)","bom":\([a-z]*\),.*"delimiter":"\(.\)".*"columns":\([0-9]*\),"rows":\([0-9]*\),.*/\1 \2 \3 \4 \6 \5/' "$TMP/one"
done >"$TMP/got"
cd "$ODL_TOP"
same "$TMP/got" "$EXPECTED/011-describe-scdl-subventions.txt"
done_testing
