# man/odl-validate.1: lint clean, the same options as --help, and every
# example in it runs (on the official valid subventions example).
. tests/cli/lib.sh
need_cmd mandoc
need_shared

MAN=man/odl-validate.1
run 0 mandoc -Tlint -W warning $MAN
same "$TMP/out" /dev/null

run 0 "$BIN/odl-validate" --help
sed -n 's/^ *\(-., \)\{0,1\}\(--[a-z-]*\).*/\2/p' "$TMP/out" | sort >"$TMP/help-opts"
sed -n 's/^\.It Fl \(. , \)\{0,1\}\\-\([a-z-]*\).*/--\2/p' $MAN | sort >"$TMP/man-opts"
same "$TMP/man-opts" "$TMP/help-opts"
[ "$(wc -l <"$TMP/help-opts")" -eq 28 ] || fail "expected 28 options in --help"

mkdir "$TMP/ex"
cp "$SHARED/scdl/subventions/2.1.1/exemples/exemple_valide.csv" "$TMP/ex/subventions.csv"
cp "$ODL_TOP/data/schemas/scdl/subventions/2.1.1.json" "$TMP/ex/schema.json"
printf '{"path": "subventions.csv", "status": "ok", "schema": {"name": "subventions", "version": "2.1.1"}}\n' \
	>"$TMP/ex/manifest.ndjson"
# the same rows as the second sheet of a workbook, every cell a string
MK=$ODL_BUILD/tests/make_xlsx
[ -x "$MK" ] || { echo "skipped: $MK not built (make tests)"; exit 77; }
python3 - "$TMP/ex/subventions.csv" >"$TMP/spec" <<'PY'
import csv, sys
print("#sheet Notes")
print("s:exemple")
print("#sheet Subventions 2025")
for row in csv.reader(open(sys.argv[1], encoding="utf-8", newline="")):
    print("\t".join("s:" + c if c else "" for c in row))
PY
"$MK" "$TMP/ex/subventions.xlsx" <"$TMP/spec" || fail "make_xlsx failed"
sed -n 's/^\.Dl //p' $MAN >"$TMP/examples"
[ "$(wc -l <"$TMP/examples")" -eq 7 ] || fail "expected 7 examples"
while read -r cmd; do
	(cd "$TMP/ex" && PATH="$BIN:$PATH" sh -c "$cmd" >"$TMP/ex-out" 2>"$TMP/ex-err") ||
		fail "example failed: $cmd: $(cat "$TMP/ex-err")"
	[ -s "$TMP/ex-err" ] && fail "example wrote to stderr: $cmd"
done <"$TMP/examples"
for f in erreurs.csv rapport.ndjson rapports.ndjson subventions.fixed.csv; do
	[ -s "$TMP/ex/$f" ] || fail "example did not write $f"
done
printf 'path,type,row,field,column,cell,message\r\n' >"$TMP/want"
same "$TMP/ex/erreurs.csv" "$TMP/want"

done_testing
