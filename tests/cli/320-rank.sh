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
