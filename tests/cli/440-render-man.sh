# man/odl-render.1: lint clean, the same options as --help, and every
# example in it runs.
. tests/cli/lib.sh
need_cmd mandoc

MAN=man/odl-render.1
run 0 mandoc -Tlint -W warning $MAN
same "$TMP/out" /dev/null

# options: --help against the man page's option list, both ways
run 0 "$BIN/odl-render" --help
sed -n 's/^ *\(-., \)\{0,1\}\(--[a-z-]*\).*/\2/p' "$TMP/out" | sort >"$TMP/help-opts"
sed -n 's/^\.It Fl \(. , \)\{0,1\}\\-\([a-z-]*\).*/--\2/p' $MAN | sort >"$TMP/man-opts"
same "$TMP/man-opts" "$TMP/help-opts"
[ "$(wc -l <"$TMP/help-opts")" -eq 16 ] || fail "expected 16 options in --help"

# examples: each .Dl line runs in a directory holding the files it names
mkdir "$TMP/ex"
cp testdata/render/reports.ndjson "$TMP/ex/rapports.ndjson"
cp testdata/render/comparison.ndjson "$TMP/ex/comparaison.ndjson"
cp testdata/render/compliance.ndjson "$TMP/ex/conformite.ndjson"
sed -n 's/^\.Dl //p' $MAN >"$TMP/examples"
[ "$(wc -l <"$TMP/examples")" -eq 6 ] || fail "expected 6 examples"
while read -r cmd; do
	(cd "$TMP/ex" && PATH="$BIN:$PATH" LC_ALL=C.UTF-8 sh -c "$cmd" >"$TMP/ex-out" 2>"$TMP/ex-err") ||
		fail "example failed: $cmd: $(cat "$TMP/ex-err")"
	[ -s "$TMP/ex-err" ] && fail "example wrote to stderr: $cmd"
done <"$TMP/examples"
for f in rapport.html subventions.svg tableau.html comparaison.csv; do
	[ -s "$TMP/ex/$f" ] || fail "example did not write $f"
done
head -n 1 "$TMP/ex/tableau.html" >"$TMP/head"
same_text "$TMP/head" "<!DOCTYPE html>"

done_testing
