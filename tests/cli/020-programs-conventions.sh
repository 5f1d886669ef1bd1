# Every program: --help, --version, usage errors, man page in sync with
# --help, lint-clean man pages, stdout write errors.
. tests/cli/lib.sh
need_cmd mandoc

progs=$(cd "$BIN" && ls odl-*)
[ -n "$progs" ] || fail "no program built"
for p in $progs; do
	run 0 "$BIN/$p" --version
	same_text "$TMP/out" "$p (odl) 0.1.0"

	run 0 "$BIN/$p" --help
	head -1 "$TMP/out" | grep -q "^Usage: $p " || fail "$p --help: no usage line"
	cp "$TMP/out" "$TMP/help"

	run 2 "$BIN/$p" --no-such-option
	same_text "$TMP/err" "$p: unknown option '--no-such-option'
Try '$p --help' for more information."

	man=man/$p.1
	if [ ! -f "$man" ]; then
		fail "$p has no man page $man"
		continue
	fi
	mandoc -Tlint -W warning "$man" >"$TMP/lint" 2>&1 || { fail "$man: mandoc -Tlint"; cat "$TMP/lint"; }

	# long options of --help and of the man page's OPTIONS section agree
	grep -o -- '--[a-z][a-z0-9-]*' "$TMP/help" | sort -u >"$TMP/help-opts"
	MANWIDTH=200 mandoc -T utf8 "$man" | col -b |
		awk '/^[A-Z][A-Z ]*$/ { in_opts = ($0 ~ /OPTIONS/) } in_opts' |
		grep -o -- '--[a-z][a-z0-9-]*' | sort -u >"$TMP/man-opts"
	if ! cmp -s "$TMP/help-opts" "$TMP/man-opts"; then
		fail "$p: options differ between --help (<) and the man page (>)"
		diff "$TMP/help-opts" "$TMP/man-opts"
	fi

	# a full disk is an error, a reader that goes away is not
	"$BIN/$p" --help >/dev/full 2>"$TMP/err"
	st=$?
	[ $st -eq 2 ] || fail "$p --help >/dev/full: exit $st (wanted 2)"
	grep -q "^$p: error writing standard output: No space left on device$" "$TMP/err" ||
		fail "$p >/dev/full: message was: $(cat "$TMP/err")"
done

# a closed pipe ends the program quietly with success
yes testdata/csv/utf8-bom.csv | head -2000 >"$TMP/many"
"$BIN/odl-validate" --describe -f text $(cat "$TMP/many") 2>"$TMP/err" | head -1 >/dev/null
[ -s "$TMP/err" ] && fail "closed pipe produced: $(head -3 "$TMP/err")"

done_testing
