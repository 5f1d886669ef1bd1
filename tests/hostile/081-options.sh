# Option garbage, for every program: unknown options, missing values,
# numbers out of range or followed by junk, empty strings, unknown words,
# overlong values, options after "--".  Each is a usage error: exit 2, one
# line naming the option and the value, then the "Try --help" hint, and no
# file touched (the working directory, the output file and the fetch
# directory are watched; odl-fetch must never fall back to '/' or to the
# default cache for an empty -o or --cache).
. tests/hostile/lib.sh

W=$TMP/w
mkdir "$W"
cp testdata/validate/communes-errors.csv "$W/in.csv"
cp testdata/compare/rank-input.ndjson "$W/rank.ndjson"
cp testdata/render/reports.ndjson "$W/reports.ndjson"
printf 'previous report\n' >"$W/r.out"
export XDG_CACHE_HOME="$TMP/xdg" HOME="$TMP/home"
mkdir "$TMP/home"
cd "$W" || exit 1
S=$ODL_TOP/testdata/schema/communes.json
LONG=$(head -c 5000 /dev/zero | tr '\0' x)

# usage PROG 'GLOB' ARGS... : exit 2, the message, the hint, nothing changed
usage() {
	p=$1 g=$2
	shift 2
	snapshot "$W" opt
	run 2 "$BIN/$p" "$@"
	n=$(wc -l <"$TMP/err")
	if [ "$n" -ne 2 ]; then
		fail "$p $*: $n lines on stderr (wanted the message and the hint)"
		sed 's/^/  stderr: /' "$TMP/err" | head -5
	else
		head -1 "$TMP/err" >"$TMP/err1"
		case $(cat "$TMP/err1") in
		# shellcheck disable=SC2254
		$p:\ $g) ;;
		*) fail "$p $(echo "$*" | cut -c1-80): unexpected message: $(cut -c1-200 "$TMP/err1") (wanted $p: $g)" ;;
		esac
		[ "$(tail -1 "$TMP/err")" = "Try '$p --help' for more information." ] ||
			fail "$p $*: no hint line"
	fi
	[ -s "$TMP/out" ] && fail "$p $(echo "$*" | cut -c1-80): wrote on stdout"
	unchanged "$W" opt "$p $(echo "$*" | cut -c1-80)"
	[ -d "$TMP/xdg" ] && { fail "$p $*: created the cache"; rm -rf "$TMP/xdg"; }
}

# ---- every program: unknown option, missing value, empty value ----
usage odl-validate "unknown option '--bogus'" --bogus -s "$S" in.csv
usage odl-validate "unknown option '-Z'" -Z in.csv
usage odl-validate "option '-n' needs an argument" -s "$S" in.csv -n
usage odl-validate "option '--max-errors' needs an argument" in.csv --max-errors
usage odl-compare "unknown option '--bogus'" rank --bogus rank.ndjson
usage odl-compare "unknown option '--lang'" rank --lang fr rank.ndjson
usage odl-compare "option '--set' needs an argument" indicators --set
usage odl-render "unknown option '--bogus'" --bogus reports.ndjson
usage odl-render "option '-t' needs an argument" reports.ndjson -t
usage odl-fetch "unknown option '--lang'" --lang fr url file:///etc/hostname
usage odl-fetch "option '-j' needs an argument" url file:///etc/hostname -j

# ---- numbers: junk after them, out of range, not numbers at all ----
for v in 1x '' -1 99999999999999999999 ' 5' 0x10; do
	case $v in '') g="empty value for --max-errors" ;; *) g="invalid value '$v' for --max-errors (expected 0 to 1099511627776)" ;; esac
	usage odl-validate "$g" --max-errors "$v" -s "$S" -o r.out in.csv
done
usage odl-validate "invalid value '0' for --jobs (expected 1 to 256)" -j 0 -s "$S" in.csv
usage odl-validate "invalid value '257' for --jobs (expected 1 to 256)" -j 257 -s "$S" in.csv
usage odl-validate "invalid value '0' for --max-cell (expected 1 to 1073741824)" --max-cell 0 -s "$S" in.csv
usage odl-validate "invalid value '1e3' for --max-keys (expected 1 to 4294967296)" --max-keys 1e3 -s "$S" in.csv
usage odl-compare "invalid value '1x' for --population-year (expected 1800 to 2200)" territories --population-year 1x --cog x
usage odl-compare "invalid value '0' for --max-values (expected 1 to 1099511627776)" indicators --max-values 0 -s subventions -t x in.csv
usage odl-compare "invalid date '2024-13-45' (YYYY-MM-DD)" compliance --today 2024-13-45 -t x
usage odl-compare "invalid date '2024-01-01x' (YYYY-MM-DD)" compliance --today 2024-01-01x -t x
usage odl-render "invalid value '3' for --width (expected 4 to 10000)" --width 3 reports.ndjson
usage odl-render "invalid value '4x' for --width (expected 4 to 10000)" --width 4x reports.ndjson
usage odl-render "invalid value '0' for --top (expected 1 to 10000)" --top 0 -o r.out reports.ndjson
usage odl-render "invalid value '-1' for --max-rows (expected 0 to 100000000)" --max-rows -1 reports.ndjson
# --year was taken as any text: a year that cannot be one showed nothing
for v in 20x4 99999 -5; do
	usage odl-render "invalid value '$v' for --year (expected 1800 to 2200)" --year $v -o r.out reports.ndjson
done
usage odl-fetch "invalid value '0' for --jobs (expected 1 to 256)" -j 0 url file:///etc/hostname
usage odl-fetch "invalid value '1x' for --jobs (expected 1 to 256)" -j 1x url file:///etc/hostname
usage odl-fetch "invalid value '1x' for --max-size" --max-size 1x url file:///etc/hostname
usage odl-fetch "invalid value '99999999999G' for --max-size" --max-size 99999999999G url file:///etc/hostname
usage odl-fetch "invalid value 'nan' for --timeout (expected 0 to 86400 seconds)" --timeout nan url file:///etc/hostname
usage odl-fetch "invalid value '1e999' for --timeout (expected 0 to 86400 seconds)" --timeout 1e999 url file:///etc/hostname
usage odl-fetch "invalid value 'inf' for --retry-delay (expected 0 to 3600 seconds)" --retry-delay inf url file:///etc/hostname
usage odl-fetch "invalid value '0' for --page-size (expected 1 to 1000)" --page-size 0 dataset x
usage odl-fetch "invalid value 'ftp://x' for --api or ODL_API_URL (an http or https URL)" --api ftp://x dataset x

# ---- words: unknown ones, --lang xx ----
usage odl-validate "unknown language 'xx' (fr or en)" --lang xx -s "$S" in.csv
usage odl-validate "unknown format 'xml' (text, ndjson, frictionless or csv)" -f xml -s "$S" -o r.out in.csv
usage odl-validate "unknown --fields-match 'bogus' (validata, exact, equal, subset, superset or partial)" -m bogus in.csv
usage odl-validate "unknown encoding 'klingon'" -e klingon in.csv
usage odl-validate "invalid delimiter 'ab'" -d ab in.csv
usage odl-validate "unknown --no-fix rule 'bogus' (header, numbers, dates, booleans, enum, identifiers, patterns or whitespace)" --no-fix bogus in.csv
usage odl-validate "--check-schema takes no FILE, --manifest, --describe or --schema" --check-schema "$S" in.csv
usage odl-validate "--fix-output, --fix-delimiter, --no-fix, --fix-add-missing and --fix-order go with --fix" --fix-output x.csv in.csv
usage odl-compare "unknown command 'bogus'" bogus
usage odl-compare "unknown format 'xml' (ndjson or csv)" rank -f xml -o r.out rank.ndjson
usage odl-render "unknown language 'xx' (fr or en)" --lang xx reports.ndjson
usage odl-render "unknown format 'pdf' (text, markdown, csv, html or svg)" -f pdf -o r.out reports.ndjson
usage odl-render "unknown kind 'bogus' (report, manifest, indicators, comparison, compliance or table)" -k bogus reports.ndjson
usage odl-render "unknown colour mode 'sometimes' (auto, always or never)" --color sometimes reports.ndjson
usage odl-fetch "unknown command 'bogus'" bogus

# ---- empty strings: never a value (odl-fetch -o '' wrote into '/') ----
for o in --schema --fields-match --max-errors --format --lang --manifest --jobs \
	--max-keys --fix-delimiter --check-schema --encoding --delimiter --max-cell --sheet --output; do
	usage odl-validate "empty value for $o" "$o" '' -s "$S" in.csv
done
usage odl-validate "empty value for --schema" -s '' in.csv
usage odl-validate "empty value for --output" -o '' -s "$S" in.csv
for o in --format --output --territories --set --cog --population --epci --departements \
	--regions --siren --peers --focus --population-column --agents-column --today --type \
	--encoding --delimiter --sheet --manifest; do
	usage odl-compare "empty value for $o" rank "$o" '' rank.ndjson
done
for o in --format --kind --output --focus --indicator --year --title --lang --width --top \
	--link --color --max-rows; do
	usage odl-render "empty value for $o" "$o" '' reports.ndjson
done
for o in --api --output-dir --cache --jobs --format --type --schema --schema-version \
	--connect-timeout --timeout --max-size --schemas-url --catalog-dataset --page-size; do
	usage odl-fetch "empty value for $o" "$o" '' url file:///etc/hostname
done
usage odl-fetch "empty value for --output-dir" -o '' url file:///etc/hostname
usage odl-fetch "empty value for --cache" --cache= url file:///etc/hostname
[ -e /hostname ] && fail "odl-fetch wrote /hostname"

# ---- overlong values: one line, the value quoted whole ----
usage odl-validate "unknown language '$LONG' (fr or en)" --lang "$LONG" -s "$S" in.csv
usage odl-validate "invalid value '$LONG' for --max-errors (expected 0 to 1099511627776)" -n "$LONG" in.csv
usage odl-render "unknown format '$LONG' (text, markdown, csv, html or svg)" -f "$LONG" reports.ndjson
usage odl-compare "unknown command '$LONG'" "$LONG"

# ---- after "--", an option is a file name (exit 2, a read error, no hint) ----
snapshot "$W" dash
run 2 "$BIN/odl-validate" -s "$S" -o r.out -- --bogus
one_line "odl-validate: '--bogus': cannot open: No such file or directory" "validate -- --bogus"
run 2 "$BIN/odl-compare" rank -o r.out -- --bogus
one_line "odl-compare: '--bogus': cannot open: No such file or directory" "compare rank -- --bogus"
run 2 "$BIN/odl-render" -o r.out -- -f
one_line "odl-render: '-f': cannot open: No such file or directory" "render -- -f"
unchanged "$W" dash "operands after --"
# odl-fetch: '--bogus' is a URL it refuses, in the manifest, exit 1
run 1 "$BIN/odl-fetch" -q -o "$TMP/dl" -- url --bogus
grep -q '"url":"--bogus".*"status":"failed"' "$TMP/out" || fail "fetch -- url --bogus: $(cat "$TMP/out")"
unchanged "$W" dash "fetch operands after --"
done_testing
