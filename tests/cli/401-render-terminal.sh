# odl-render on a terminal: colours only there, never with NO_COLOR; the
# language follows the locale; a report's own how-to-fix texts win.
. tests/cli/lib.sh

R=testdata/render
args="--focus 16102 --indicator subventions_montant_total --year 2022 $R/comparison.ndjson"

# French from the locale, the same bytes as --lang fr
run 0 env LC_ALL=fr_FR.UTF-8 "$BIN/odl-render" $R/report-with-fixes.ndjson
same "$TMP/out" "$EXPECTED/401-report-with-fixes.fr.txt"
run 0 env LC_ALL= LC_MESSAGES= LANG=fr_BE.UTF-8 "$BIN/odl-render" $R/report-with-fixes.ndjson
same "$TMP/out" "$EXPECTED/401-report-with-fixes.fr.txt"

# not a terminal: no escape sequences whatever --color auto would like; the
# focus row is marked by a leading '▶' column instead of its colour
run 0 "$BIN/odl-render" --lang en $args
same "$TMP/out" "$EXPECTED/401-focus-plain.en.txt"
cp "$EXPECTED/401-focus-plain.en.txt" "$TMP/plain"

# a pseudo-terminal (script(1) from util-linux): colours, unless NO_COLOR
need_cmd script
run 0 env TERM=xterm script -qec "'$BIN/odl-render' --lang en $args" /dev/null
tr -d '\r' <"$TMP/out" >"$TMP/tty"
same "$TMP/tty" "$EXPECTED/400-color.en.txt"
run 0 env TERM=xterm NO_COLOR=1 script -qec "'$BIN/odl-render' --lang en $args" /dev/null
tr -d '\r' <"$TMP/out" >"$TMP/tty"
same "$TMP/tty" "$TMP/plain"
run 0 env TERM=xterm script -qec "'$BIN/odl-render' --color never --lang en $args" /dev/null
tr -d '\r' <"$TMP/out" >"$TMP/tty"
same "$TMP/tty" "$TMP/plain"

done_testing
