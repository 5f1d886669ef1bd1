# odl-fetch's progress line: on a terminal only, never with --quiet, and
# never on standard output (the manifest).
. tests/cli/lib.sh
. tests/cli/fetch.sh
need_cmd script

# stderr on a terminal (script gives the program a pseudo-terminal); the
# manifest goes to a file
script -qec "$FETCH url $BASE/files/hello.csv $BASE/files/notice.txt >manifest" /dev/null >"$TMP/tty" 2>&1 </dev/null
st=$?
[ $st -eq 0 ] || fail "exit $st on a terminal"
tr '\r' '\n' <"$TMP/tty" | sed 's/\x1b\[K//g; /^$/d' | sed -n '$p' >"$TMP/last"
same_text "$TMP/last" "odl-fetch: 2 resources: 2 ok, 0 not modified, 0 cached, 0 failed, 75 B"
grep -c 'odl-fetch: [0-9]/2 files, ' "$TMP/tty" >"$TMP/n"
[ "$(cat "$TMP/n")" -ge 1 ] || fail "no progress line on the terminal"
grep -c '"status":"ok"' manifest >"$TMP/n"
same_text "$TMP/n" 2

# --quiet on a terminal: nothing at all
rm -rf dl cache
script -qec "$FETCH -q url $BASE/files/hello.csv >manifest" /dev/null >"$TMP/tty" 2>&1 </dev/null
tr -d '\r\n' <"$TMP/tty" >"$TMP/quiet"
empty "$TMP/quiet"

# not a terminal: the summary only
rm -rf dl cache
run 0 $FETCH url "$BASE/files/hello.csv"
same_text "$TMP/err" "odl-fetch: 1 resource: 1 ok, 0 not modified, 0 cached, 0 failed, 39 B"

done_testing
