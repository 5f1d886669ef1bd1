# odl-compare rank: ranks with shared ties, percentiles, type-7 quartiles,
# ratio to the median and change from the previous year, checked by hand:
# values 20, 20, 10, 5 (and one null) give ranks 1, 1, 3, 4, percentiles
# 75, 75, 37.5, 12.5, Q1 8.75, median 15, Q3 20.
. tests/cli/lib.sh
T=testdata/compare

run 0 "$BIN/odl-compare" rank $T/rank-input.ndjson
same "$TMP/out" "$EXPECTED/320-rank-all.ndjson"
same "$TMP/err" /dev/null

run 0 "$BIN/odl-compare" rank -t $T/territories.csv --peers dep -f csv $T/rank-input.ndjson
same "$TMP/out" "$EXPECTED/320-rank-dep.csv"

# size bands, one territory and its peers, indicator rows from stdin
run 0 sh -c "'$BIN/odl-compare' rank -t $T/territories.csv --peers size -f csv --focus 16015 <$T/rank-input.ndjson"
same "$TMP/out" "$EXPECTED/320-rank-size-focus.csv"

run 0 "$BIN/odl-compare" rank -t $T/territories.csv --peers $T/peers.csv -f csv $T/rank-input.ndjson
same "$TMP/out" "$EXPECTED/320-rank-file.csv"

# the pipeline: indicators straight into rank
run 0 sh -c "'$BIN/odl-compare' indicators -s subventions -t $T/territories.csv $T/subventions-2023.csv 2>/dev/null | '$BIN/odl-compare' rank -t $T/territories.csv --peers dep --focus 16113 -f csv"
same "$TMP/out" "$EXPECTED/320-rank-pipeline.csv"

# peers of one kind: the CA du Grand Angoulême (EPCI) is never ranked among
# communes, whatever the grouping; --type keeps one kind only
{
	cat $T/rank-input.ndjson
	printf '{"territory":"200071827","indicator":"x","year":2023,"value":1000}\n'
} >"$TMP/mixed.ndjson"
run 0 "$BIN/odl-compare" rank -t $T/territories.csv -f csv "$TMP/mixed.ndjson"
cut -d, -f1,5,8,9,10 "$TMP/out" | tr -d '\r' >"$TMP/got"
same_text "$TMP/got" "territory,year,peers,rank,n_peers
16015,2022,COM:all,1,1
16102,2023,COM:all,1,4
17300,2023,COM:all,1,4
16015,2023,COM:all,3,4
16113,2023,COM:all,4,4
2A004,2023,COM:all,,4
200071827,2023,EPCI:all,1,1
16015,2023,COM:all,1,1"
run 0 "$BIN/odl-compare" rank -t $T/territories.csv --peers dep -f csv --type EPCI "$TMP/mixed.ndjson"
cut -d, -f1,5,8,9,10 "$TMP/out" | tr -d '\r' >"$TMP/got"
same_text "$TMP/got" "territory,year,peers,rank,n_peers
200071827,2023,EPCI:dep:16,1,1"
run 0 "$BIN/odl-compare" rank -t $T/territories.csv --type COM -f csv "$TMP/mixed.ndjson"
grep -c EPCI "$TMP/out" >"$TMP/n"
same_text "$TMP/n" 0
run 2 "$BIN/odl-compare" rank --type COM "$TMP/mixed.ndjson"
same_text "$TMP/err" "odl-compare: --type needs --territories
Try 'odl-compare --help' for more information."

# évolution over any span: from the first year with a value (2019; 2020 is
# null) to each later year, and its compound annual rate: 100 -> 121 in
# two years is +21 %, 10 % a year; --since picks the base year, and a base
# year without a value gives none.  Per 1,000 inhabitants where the row
# says so (16015: 40,000 inhabitants), none where per_inhabitants is null;
# n_errors and null_reason pass through from the indicator rows.
cat >"$TMP/years.ndjson" <<'EOF'
{"territory":"16015","indicator":"n","year":2019,"value":100,"per_inhabitants":1000,"n_errors":0}
{"territory":"16015","indicator":"n","year":2020,"value":null,"per_inhabitants":1000,"n_errors":3,"null_reason":"not-a-number"}
{"territory":"16015","indicator":"n","year":2021,"value":121,"per_inhabitants":1000,"n_errors":1}
{"territory":"16015","indicator":"share","year":2021,"value":0.5,"per_inhabitants":null}
EOF
run 0 "$BIN/odl-compare" rank -t $T/territories.csv -f csv "$TMP/years.ndjson"
cut -d, -f3,5,6,7,19-26 "$TMP/out" | tr -d '\r' >"$TMP/got"
same_text "$TMP/got" "indicator,year,value,per_inhabitant,base_year,base_value,change_since_base,change_since_base_pct,annual_rate_pct,per_inhabitants,n_errors,null_reason
n,2019,100,2.5,,,,,,1000,0,
n,2020,,,,,,,,1000,3,not-a-number
n,2021,121,3.025,2019,100,21,21,10,1000,1,
share,2021,0.5,,,,,,,,0,"
run 0 "$BIN/odl-compare" rank -t $T/territories.csv -f csv --since 2020 "$TMP/years.ndjson"
cut -d, -f3,5,19-23 "$TMP/out" | tr -d '\r' | sed -n 4p >"$TMP/got"
same_text "$TMP/got" "n,2021,,,,,"
printf '{"territory":"16015","indicator":"n","year":2021,"value":1,"n_errors":-1}\n' >"$TMP/bad-errors.ndjson"
run 2 "$BIN/odl-compare" rank "$TMP/bad-errors.ndjson"
same_text "$TMP/err" "odl-compare: '$TMP/bad-errors.ndjson' line 1, field 'n_errors': missing or mistyped in an indicator row"

# no rows at all: no output, no error
run 0 "$BIN/odl-compare" rank -t $T/territories.csv --peers size /dev/null
same "$TMP/out" /dev/null
same "$TMP/err" /dev/null

run 2 "$BIN/odl-compare" rank --peers dep $T/rank-input.ndjson
same_text "$TMP/err" "odl-compare: 'dep': peers 'dep' need a territory table"

printf '{"territory":"16015","indicator":"x","year":"2023","value":1}\n' >"$TMP/bad.ndjson"
run 2 "$BIN/odl-compare" rank "$TMP/bad.ndjson"
same_text "$TMP/err" "odl-compare: '$TMP/bad.ndjson' line 1, field 'year': missing or mistyped in an indicator row"
same "$TMP/out" /dev/null

done_testing
