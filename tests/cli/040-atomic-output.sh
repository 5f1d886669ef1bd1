# Outputs are written to a temporary file beside the target and renamed:
# a run killed midway leaves neither a half file nor a temporary.
. tests/cli/lib.sh

run 0 "$BIN/odl-validate" --describe -f ndjson -o "$TMP/report.ndjson" testdata/csv/utf8-bom.csv
grep -F '"path":"testdata/csv/utf8-bom.csv"' "$EXPECTED/010-describe.ndjson" >"$TMP/want"
same "$TMP/report.ndjson" "$TMP/want"
[ -s "$TMP/out" ] && fail "stdout not empty with -o"

# an existing report survives a run that is interrupted
echo previous >"$TMP/keep.ndjson"
mkfifo "$TMP/fifo"
"$BIN/odl-validate" --describe -f ndjson -o "$TMP/keep.ndjson" testdata/csv/utf8-bom.csv "$TMP/fifo" 2>"$TMP/err" &
pid=$!
exec 3>"$TMP/fifo"          # the program now waits for the rest of its input
printf 'id;nom\n1;' >&3
sleep 0.3
ls "$TMP" | grep -q 'keep.ndjson.tmp.' || fail "no temporary file while writing"
kill -TERM $pid
wait $pid
st=$?
exec 3>&-
[ $st -eq 143 ] || fail "killed run: exit $st (wanted 143)"
same_text "$TMP/keep.ndjson" previous
ls "$TMP" | grep -q 'tmp\.' && fail "temporary left behind: $(ls "$TMP")"

# a directory that cannot be written: one clear line, exit 2
run 2 "$BIN/odl-validate" --describe -o /proc/odl-report.ndjson testdata/csv/utf8-bom.csv
case $(cat "$TMP/err") in
"odl-validate: '/proc/odl-report.ndjson': cannot create: "*) ;;
*) fail "unexpected message: $(cat "$TMP/err")" ;;
esac
done_testing
