# Long runs show progress as odl-fetch does: on stderr when it is a
# terminal (script gives the programs a pseudo-terminal), one line rewritten
# in place with the files or rows done (of the total when known), the
# throughput and the errors so far, cleared at the end; nothing with -q,
# nothing when stderr is not a terminal.  Before, these runs were silent.
. tests/cli/lib.sh
T=$TESTDATA/compare
need_cmd script

mkdir "$TMP/w"
cd "$TMP/w" || exit 1
for i in 1 2 3 4 5 6; do cp $T/subventions-2023.csv s$i.csv; done
printf 'x;y\n' >broken.csv
for f in s1 s2 s3 s4 s5 s6 broken; do
	printf '{"path":"%s.csv","schema":"scdl/subventions"}\n' $f
done >manifest.ndjson

# the screen, with each rewrite of the line on its own line and the
# erase-to-end-of-line codes dropped
screen() {
	tr '\r' '\n' <"$1" | sed 's/\x1b\[K//g; /^$/d'
}

# odl-validate -j --manifest: 7 files, the report to a file
script -qec "'$BIN/odl-validate' -j 2 --manifest manifest.ndjson -f ndjson >report" /dev/null \
	>"$TMP/tty" 2>&1 </dev/null
screen "$TMP/tty" >"$TMP/screen"
grep -c '^odl-validate: [0-9]/7 files, [0-9.]* files/s, [0-9] invalid$' "$TMP/screen" >"$TMP/n"
[ "$(cat "$TMP/n")" -ge 1 ] || { fail "no progress line from odl-validate"; cat "$TMP/tty"; }
grep '^odl-validate: 7/7 files' "$TMP/screen" | sed 's/, [0-9.]* files\/s//' | sed -n '$p' >"$TMP/last"
same_text "$TMP/last" "odl-validate: 7/7 files, 7 invalid"
# the line is cleared at the end: the screen's last bytes erase it
tail -c 4 "$TMP/tty" | od -An -c | tr -s ' ' >"$TMP/end"
same_text "$TMP/end" " \r 033 [ K"
run 1 "$BIN/odl-validate" -j 2 --manifest manifest.ndjson -f ndjson
same "$TMP/out" report

# -q on a terminal: nothing but the programs' own messages
script -qec "'$BIN/odl-validate' -q -j 2 --manifest manifest.ndjson -f ndjson >report" /dev/null \
	>"$TMP/tty" 2>&1 </dev/null
tr -d '\r\n' <"$TMP/tty" >"$TMP/quiet"
same "$TMP/quiet" /dev/null
# not a terminal: nothing
run 1 "$BIN/odl-validate" -j 2 --manifest manifest.ndjson -f ndjson
same "$TMP/err" /dev/null

# odl-compare indicators over several files: files of the total and files
# skipped; a warning clears the line before it is written
script -qec "'$BIN/odl-compare' indicators -s subventions -t $T/territories.csv s1.csv broken.csv s2.csv >ind" \
	/dev/null >"$TMP/tty" 2>&1 </dev/null
screen "$TMP/tty" >"$TMP/screen"
grep '^odl-compare: 3/3 files' "$TMP/screen" | sed 's/, [0-9.]* files\/s//' | sed -n '$p' >"$TMP/last"
same_text "$TMP/last" "odl-compare: 3/3 files, 1 skipped"
grep -c "^odl-compare: warning: 'broken.csv' line 1, field 'idAttribuant': missing column, file skipped$" \
	"$TMP/screen" >"$TMP/n"
same_text "$TMP/n" 1
script -qec "'$BIN/odl-compare' -q indicators -s subventions -t $T/territories.csv s1.csv s2.csv >ind" \
	/dev/null >"$TMP/tty" 2>&1 </dev/null
grep -c 'files/s' "$TMP/tty" >"$TMP/n"
same_text "$TMP/n" 0

# odl-compare rank over 3,000 rows: rows read, then rows ranked of the
# total, and the null values so far
awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "{\"territory\":\"T%d\",\"indicator\":\"x\",\"year\":2023,\"value\":%s}\n", i, i % 3 ? i : "null" }' >rows.ndjson
script -qec "'$BIN/odl-compare' rank rows.ndjson >ranks" /dev/null >"$TMP/tty" 2>&1 </dev/null
screen "$TMP/tty" | sed 's/, [0-9.]* rows\/s//' >"$TMP/screen"
sed -n 1p "$TMP/screen" >"$TMP/first"
same_text "$TMP/first" "odl-compare: 1024 rows read, 342 null" || cat "$TMP/screen"
grep -c '^odl-compare: [0-9]*/3000 rows ranked, [0-9]* null$' "$TMP/screen" >"$TMP/n"
[ "$(cat "$TMP/n")" -ge 1 ] || { fail "no rank progress"; cat "$TMP/tty"; }
run 0 "$BIN/odl-compare" rank rows.ndjson
same "$TMP/out" ranks
same "$TMP/err" /dev/null
script -qec "'$BIN/odl-compare' --quiet rank rows.ndjson >ranks" /dev/null >"$TMP/tty" 2>&1 </dev/null
tr -d '\r\n' <"$TMP/tty" >"$TMP/quiet"
same "$TMP/quiet" /dev/null

done_testing
