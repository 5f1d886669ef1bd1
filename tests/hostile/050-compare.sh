# odl-compare on numbers built to break its arithmetic: sums that pass the
# largest double, ratios that do, cells that hold inf, nan or 1e999, and
# populations or agents that are words, negative or 0.  Nothing may become
# a silent null: each case asserts the exit status (with and without
# --strict), the message (file, line, field, count), the row's n_errors, and
# that no file but the output changed.
. tests/hostile/lib.sh
D=$TMP/d
mkdir -p "$D"

cat >"$D/terr.csv" <<'EOF'
code,name,type,population,siren,agents
A1,Alpha,COM,100,211600001,60
B2,Beta,COM,beaucoup,211600002,60
C3,Gamma,COM,0,211600003,1
D4,Delta,COM,-5,211600004,1
E5,Epsilon,COM,1e999,211600005,beaucoup
F6,Phi,COM,1e-310,211600006,-3
G7,Gamma7,COM,99999999999999999999,211600007,
EOF
cat >"$D/set.json" <<'EOF'
{ "set": "t", "territory": { "field": "siret", "key": "siret" },
  "indicators": [
    { "id": "sum", "title": { "fr": "S", "en": "S" }, "unit": "EUR", "measure": "sum", "field": "montant" },
    { "id": "mean", "title": { "fr": "M", "en": "M" }, "unit": "EUR", "measure": "mean", "field": "montant" },
    { "id": "med", "title": { "fr": "Md", "en": "Md" }, "unit": "EUR", "measure": "median", "field": "montant" },
    { "id": "hab", "title": { "fr": "H", "en": "H" }, "unit": "EUR", "measure": "sum", "field": "montant",
      "denominator": { "column": "population" } } ] }
EOF
IND="$BIN/odl-compare indicators -s $D/set.json -t $D/terr.csv -f csv"
# the columns a case looks at: territory, indicator, value, n_errors
cols() { cut -d, -f2,5,8,15 "$TMP/out"; }

# 1. a sum that passes the largest double: null with one error, not a
# silent null; the median of the same cells is still a number
printf 'siret,montant\n21160000100010,1e308\n21160000100010,1e308\n' >"$D/over.csv"
snapshot "$D" over
run 0 $IND "$D/over.csv"
one_line "odl-compare: warning: '$D/over.csv' line 3, field 'montant': a sum passes the largest number (3 sums), left null and counted in n_errors" overflow
cols >"$TMP/got"
same_text "$TMP/got" "territory,indicator,value,n_errors
A1,sum,,1
A1,mean,,1
A1,med,1e+308,0
A1,hab,,1"
unchanged "$D" over overflow
run 1 $IND --strict "$D/over.csv"
one_line "odl-compare: warning: '$D/over.csv' line 3, field 'montant': a sum passes*" "overflow --strict"

# 2. the median of the two ends of the doubles is 0, not inf or nan
printf 'siret,montant\n21160000100010,-1.7e308\n21160000100010,1.7e308\n' >"$D/ends.csv"
snapshot "$D" ends
run 0 $IND "$D/ends.csv"
cols >"$TMP/got"
same_text "$TMP/got" "territory,indicator,value,n_errors
A1,sum,0,0
A1,mean,0,0
A1,med,0,0
A1,hab,0,0"
same "$TMP/err" /dev/null
unchanged "$D" ends ends

# 3. inf, nan, 1e999 and words written in the measured cells are errors
for v in inf nan NaN -inf Infinity 1e999 -1e999 0x10 beaucoup; do
	printf 'siret,montant\n21160000100010,5\n21160000100010,%s\n' "$v" >"$D/cell.csv"
	snapshot "$D" cell
	run 0 $IND "$D/cell.csv"
	one_line "odl-compare: warning: '$D/cell.csv' line 3, field 'montant': 1 value is not a number (first: '$v'), counted in n_errors" "cell $v"
	cols >"$TMP/got"
	same_text "$TMP/got" "territory,indicator,value,n_errors
A1,sum,5,1
A1,mean,5,1
A1,med,5,1
A1,hab,0.05,1"
	unchanged "$D" cell "cell $v"
	run 1 $IND --strict "$D/cell.csv"
done

# 4. huge integers are numbers (a double's precision, no error)
printf 'siret,montant\n21160000100010,99999999999999999999\n21160000100010,1\n' >"$D/huge.csv"
snapshot "$D" huge
run 0 $IND "$D/huge.csv"
cols >"$TMP/got"
same_text "$TMP/got" "territory,indicator,value,n_errors
A1,sum,1e+20,0
A1,mean,5e+19,0
A1,med,5e+19,0
A1,hab,1e+18,0"
same "$TMP/err" /dev/null
unchanged "$D" huge huge

# 5. the population divides: a word, a negative number, 1e999 are errors
# on the row (null, n_errors 1) named with the table's line; 0 is a
# commune without inhabitants (null, no error); 1e-300 makes a ratio past
# the doubles (null, error); a 20-digit population is a number
{
	echo siret,montant
	for s in 1 2 3 4 5 6 7; do echo "21160000${s}00010,5"; done
} >"$D/pop.csv"
snapshot "$D" pop
run 0 $IND "$D/pop.csv"
cat >"$TMP/want_err" <<EOF
odl-compare: warning: '$D/terr.csv' line 3, field 'population': 'beaucoup' is not a number of 0 or more (3 territories), 3 values left null and counted in n_errors
odl-compare: warning: '$D/terr.csv' line 7, field 'population': 'hab' divided by it passes the largest number (1 value), left null and counted in n_errors
odl-compare: warning: '$D/terr.csv' line 4, field 'population': 0, no ratio (1 value left null)
EOF
same "$TMP/err" "$TMP/want_err"
grep ',hab,' "$TMP/out" | cut -d, -f2,8,9,10,15 >"$TMP/got"
same_text "$TMP/got" "A1,0.05,5,100,0
B2,,5,,1
C3,,5,,0
D4,,5,,1
E5,,5,,1
F6,,5,1e-310,1
G7,5e-20,5,1e+20,0"
unchanged "$D" pop population
run 1 $IND --strict "$D/pop.csv"
same "$TMP/err" "$TMP/want_err"

# 6. rank: the same populations give per_inhabitant null with a warning,
# --strict exits 1; a ratio to the median past the doubles is counted
run 0 $IND -f ndjson "$D/pop.csv"
cp "$TMP/out" "$D/rows.ndjson"
snapshot "$D" rank
run 0 "$BIN/odl-compare" rank -t "$D/terr.csv" -f csv "$D/rows.ndjson"
cat >"$TMP/want_err" <<EOF
odl-compare: warning: '$D/terr.csv' line 3, field 'population': 'beaucoup' is not a number of 0 or more (9 rows without per_inhabitant)
odl-compare: warning: territory 'F6', field 'per_inhabitant': passes the largest number (3 rows), left null
odl-compare: warning: '$D/terr.csv' line 4, field 'population': 0, no per_inhabitant (3 rows)
EOF
same "$TMP/err" "$TMP/want_err"
unchanged "$D" rank rank
run 1 "$BIN/odl-compare" rank --strict -t "$D/terr.csv" -f csv "$D/rows.ndjson"
same "$TMP/err" "$TMP/want_err"

# 7. compliance: a population or agents cell that is a word or negative is
# unknown, never missing: one warning naming the first, --strict exits 1
printf '' >"$D/empty.ndjson"
snapshot "$D" comp
run 0 "$BIN/odl-compare" compliance -t "$D/terr.csv" --today 2026-01-01 -f csv "$D/empty.ndjson"
cat >"$TMP/want_err" <<EOF
odl-compare: warning: '$D/terr.csv': 1 territory of 3,500 inhabitants or more without 'agents': obligation unknown-agents
odl-compare: warning: '$D/terr.csv' line 3, field 'population': 'beaucoup' is not a number of 0 or more (3 population and 2 agents cells), read as unknown
EOF
same "$TMP/err" "$TMP/want_err"
cut -d, -f1,4,5,6 "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "code,population,agents,obligated
A1,100,60,false
B2,,60,unknown-population
C3,0,1,false
D4,,1,unknown-population
E5,,,unknown-population
F6,1e-310,,false
G7,1e+20,,unknown-agents"
unchanged "$D" comp compliance
run 1 "$BIN/odl-compare" compliance --strict -t "$D/terr.csv" --today 2026-01-01 -f csv "$D/empty.ndjson"
same "$TMP/err" "$TMP/want_err"

done_testing
