#!/bin/sh
# Hostile schema patterns: a pattern the engine cannot decide within its
# limits is a warning naming the field and the pattern, never a verdict; a
# file's pattern work is bounded (ten undecided cells, then the pattern is
# given up for the file, said once); huge cells, lookbehinds and patterns
# that do not compile.  scripts/bench-patterns times the 100,000-row case.
. tests/hostile/lib.sh
D=$TMP/d
mkdir -p "$D"
V=$BIN/odl-validate
A40=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa

schema() { # FILE PATTERN [TYPE]
	printf '{"fields":[{"name":"id","type":"integer"},{"name":"code","type":"%s","constraints":{"pattern":"%s"}}]}\n' \
		"${3:-string}" "$2" >"$1"
}
count() { # CODE : how many findings of CODE in the ndjson report $TMP/out
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["error_counts"].get(sys.argv[2], 0) + r["warning_counts"].get(sys.argv[2], 0))' "$TMP/out" "$1"
}
need_cmd python3

# 1. alternation backtracking: every cell matches (through a*b); before, each
# was a constraint-error.  Valid file, exit 0, one warning per cell.
schema "$D/alt.json" '(?:(a+)+c|a*b)'
{ echo id,code; for i in 1 2 3; do echo "$i,${A40}b"; done; echo 4,ab; } >"$D/alt.csv"
snapshot "$D" alt
run 0 "$V" -f ndjson -s "$D/alt.json" "$D/alt.csv"
unchanged "$D" alt alternation
[ "$(count constraint-error)" = 0 ] || fail "alternation: a matching cell was reported as a constraint-error"
[ "$(count pattern-too-costly)" = 3 ] || fail "alternation: $(count pattern-too-costly) warnings (wanted 3)"
[ -s "$TMP/err" ] && fail "alternation: stderr: $(cat "$TMP/err")"

# 2. nested quantifiers: 12 undecidable cells, a plain failure before the
# tenth: 10 warnings + the give-up note, the failure is still an error (exit 1)
schema "$D/nest.json" '(a+)+$'
{ echo id,code; echo "1,${A40}b"; echo 2,b; i=3; while [ $i -le 13 ]; do echo "$i,${A40}b"; i=$((i + 1)); done; echo 14,b; } >"$D/nest.csv"
run 1 "$V" -f ndjson -s "$D/nest.json" "$D/nest.csv"
[ "$(count constraint-error)" = 1 ] || fail "nested: $(count constraint-error) constraint-errors (wanted 1: row 3)"
[ "$(count pattern-too-costly)" = 11 ] || fail "nested: $(count pattern-too-costly) warnings (wanted 10 + 1)"
python3 - "$TMP/out" <<'PY' || fail "nested: the give-up warning"
import json, sys
w = json.load(open(sys.argv[1]))["warnings"]
last = w[-1]
assert last["type"] == "pattern-too-costly" and last["row"] is None and last["field"] == "code", last
assert last["message"] == ('Pattern of field "code" too costly to evaluate on 10 cells: no longer evaluated '
                           'in this file after row "12": constraint "pattern" is "(a+)+$"'), last["message"]
assert w[0]["row"] == 2 and w[0]["message"].startswith('Pattern too costly to evaluate in the cell "aaaa'), w[0]
PY

# 3. every report format carries the warning
run 1 "$V" -f text --lang en -s "$D/nest.json" "$D/nest.csv"
grep -q "^warning pattern-too-costly, column 'code' (11 times): Pattern too costly to evaluate$" "$TMP/out" ||
	fail "text: no pattern-too-costly group"
run 1 "$V" -f text --lang fr -s "$D/nest.json" "$D/nest.csv"
grep -q "^alerte pattern-too-costly, colonne 'code' (11 fois): Motif trop coûteux à évaluer$" "$TMP/out" ||
	fail "text (fr): no pattern-too-costly group"
run 1 "$V" -f csv -s "$D/nest.json" "$D/nest.csv"
n=$(grep -c ',pattern-too-costly,' "$TMP/out")
[ "$n" = 11 ] || fail "csv: $n pattern-too-costly rows (wanted 11)"
grep -q "^$D/nest.csv,pattern-too-costly,2,code,2,${A40}b,\"Pattern too costly" "$TMP/out" || fail "csv: row 2's warning"
run 1 "$V" -f frictionless -s "$D/nest.json" "$D/nest.csv"
python3 - "$TMP/out" <<'PY' || fail "frictionless: warnings"
import json, sys
t = json.load(open(sys.argv[1]))["tasks"][0]
assert t["stats"]["warnings"] == 11 and len(t["warnings"]) == 11, t["stats"]
assert all(w.startswith("Pattern ") for w in t["warnings"])
assert [e["type"] for e in t["errors"]] == ["constraint-error"], t["errors"]
PY

# 4. huge cells (1,000,000 bytes): a linear pattern decides them (valid, no
# warning, no error); a capturing repetition that outgrows the engine's
# stack is a warning, not an error
python3 -c 'print("id,code"); print("1," + "a" * 1000000); print("2," + "a" * 999999 + "-")' >"$D/huge.csv"
schema "$D/lin.json" '[a-z]+'
run 1 "$V" -f ndjson -s "$D/lin.json" "$D/huge.csv"
[ "$(count constraint-error)" = 1 ] || fail "huge, linear: $(count constraint-error) constraint-errors (wanted 1: row 3)"
[ "$(count pattern-too-costly)" = 0 ] || fail "huge, linear: a warning"
schema "$D/grp.json" '(a|b)*'
run 0 "$V" -f ndjson -s "$D/grp.json" "$D/huge.csv"
[ "$(count constraint-error)" = 0 ] || fail "huge, group: a constraint-error from a limit"
[ "$(count pattern-too-costly)" = 2 ] || fail "huge, group: $(count pattern-too-costly) warnings (wanted 2)"

# 5. lookbehind, as Python's re: fixed width works, variable width is refused
schema "$D/lb.json" '[a-z-]*(?<!-)'
printf 'id,code\n1,abc\n2,abc-\n3,a-b\n' >"$D/lb.csv"
run 1 "$V" -f csv -s "$D/lb.json" "$D/lb.csv"
n=$(grep -c ',constraint-error,3,code,' "$TMP/out")
[ "$n" = 1 ] || fail "lookbehind: row 3 ('abc-') not the one constraint-error"
[ "$(wc -l <"$TMP/out")" = 2 ] || fail "lookbehind: $(cat "$TMP/out")"

# 6. patterns that do not compile: exit 2, one line naming the schema and the
# place of the pattern in it, no report, the directory untouched
while IFS='|' read -r pat why; do
	schema "$D/bad.json" "$pat"
	snapshot "$D" bad
	run 2 "$V" -f ndjson -s "$D/bad.json" "$D/lb.csv"
	one_line "odl-validate: '$D/bad.json': fields\[1\].constraints.pattern: invalid regular expression at offset $why" "bad pattern $pat"
	[ -s "$TMP/out" ] && fail "bad pattern $pat: a report was written"
	unchanged "$D" bad "bad pattern $pat"
done <<'CASES'
(a|2: missing closing parenthesis
(?<=a+)b|0: lookbehind assertion is not fixed length
a{2,1}|5: numbers out of order in {} quantifier
CASES

# 7. with -o: only the report is written
schema "$D/alt.json" '(?:(a+)+c|a*b)'
snapshot "$D" out
run 0 "$V" -f ndjson -o "$D/report.ndjson" -s "$D/alt.json" "$D/alt.csv"
rm -f "$D/report.ndjson"
unchanged "$D" out "-o"

done_testing
