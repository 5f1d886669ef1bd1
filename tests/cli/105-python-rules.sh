#!/bin/sh
# Python's reading rules stay Python's: the committed Unicode tables equal a
# fresh generation from /usr/bin/python3's unicodedata, and the cells that
# tests/unit/test_types.c checks libodl against still get, from this Python,
# the values written beside them (scripts/check-python-types).
. tests/cli/lib.sh
[ -x /usr/bin/python3 ] || { echo "skipped: /usr/bin/python3 is not installed"; exit 77; }

run 0 /usr/bin/python3 "$ODL_TOP/scripts/gen-pyunicode" --check
[ -s "$TMP/err" ] && fail "gen-pyunicode: $(cat "$TMP/err")"
run 0 /usr/bin/python3 "$ODL_TOP/scripts/check-python-types"
grep -q '^check-python-types: [0-9]* cases agree with Python' "$TMP/out" || fail "check-python-types: $(cat "$TMP/out")"

done_testing
