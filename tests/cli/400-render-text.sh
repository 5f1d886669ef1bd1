# odl-render text, Markdown and CSV: whole outputs compared with golden files.
. tests/cli/lib.sh

R=testdata/render

# every kind at once, French, the focus territory highlighted (no colour: not a terminal)
run 0 "$BIN/odl-render" --lang fr --focus 16015 $R/compliance.ndjson $R/comparison.ndjson \
	$R/reports.ndjson $R/manifest.ndjson $R/table.csv
same "$TMP/out" "$EXPECTED/400-all.fr.txt"
same "$TMP/err" /dev/null

# English labels, wide characters and a long cell cut with an ellipsis at --width
run 0 "$BIN/odl-render" --lang en --width 30 $R/table.csv $R/hostile.ndjson
same "$TMP/out" "$EXPECTED/400-tables.en.txt"

# from standard input, the same as from the file
run 0 "$BIN/odl-render" -f csv $R/table.csv
mv "$TMP/out" "$TMP/from-file"
run 0 sh -c "'$BIN/odl-render' -f csv <$R/table.csv"
same "$TMP/out" "$TMP/from-file"

run 0 "$BIN/odl-render" -f markdown --lang fr --focus 16015 $R/comparison.ndjson $R/reports.ndjson
same "$TMP/out" "$EXPECTED/400-comparison.fr.md"

run 0 "$BIN/odl-render" -f csv --lang fr $R/compliance.ndjson $R/comparison.ndjson \
	$R/reports.ndjson $R/manifest.ndjson $R/table.csv $R/hostile.ndjson
same "$TMP/out" "$EXPECTED/400-all.csv"

# indicator rows without ranks (numbers given as text too), a report cut
# short at validation, and nothing at all
run 0 "$BIN/odl-render" --lang fr $R/indicators.ndjson $R/report-truncated.ndjson
same "$TMP/out" "$EXPECTED/400-indicators-truncated.fr.txt"
run 0 sh -c "'$BIN/odl-render' --lang en </dev/null"
same_text "$TMP/out" "Open data report
================
Nothing to show."

# rows of several peer groups (odl-compare rank --peers dep): the focus
# territory is shown among its own group only
run 0 "$BIN/odl-render" --lang fr --focus 17299 $R/comparison-groups.ndjson
same "$TMP/out" "$EXPECTED/400-groups.fr.txt"

# --indicator, --year and --kind
run 0 "$BIN/odl-render" --lang en --indicator subventions_montant_total --year 2022 $R/comparison.ndjson
same "$TMP/out" "$EXPECTED/400-year2022.en.txt"
# units from the rows (€, €/hab., % for a ratio, a count's unit in the
# column title), no per-inhabitant column for a count or a share, values
# not computed say why (n_errors, null_reason); the focus's latest year
# (2023) although others have 2024, among its own peer group, said
run 0 "$BIN/odl-render" --lang fr --focus A1 $R/ranks-units.ndjson
same "$TMP/out" "$EXPECTED/400-units.fr.txt"
# several peer groups and no focus: a peer-group column, each group's rows together
run 0 "$BIN/odl-render" --lang en --indicator montant $R/ranks-units.ndjson
same "$TMP/out" "$EXPECTED/400-units-groups.en.txt"
run 0 "$BIN/odl-render" --lang en -k table $R/manifest.ndjson -f csv
same "$TMP/out" "$EXPECTED/400-manifest-as-table.csv"

# colours only when asked for (or on a terminal), never with NO_COLOR
run 0 "$BIN/odl-render" --lang en --color always --focus 16102 --indicator subventions_montant_total --year 2022 $R/comparison.ndjson
same "$TMP/out" "$EXPECTED/400-color.en.txt"

# bad input: one line naming file, line and field; exit 2
run 2 "$BIN/odl-render" $R/bad-json.ndjson
same_text "$TMP/err" "odl-render: 'testdata/render/bad-json.ndjson' line 2, field 'valid': invalid JSON: invalid token near 'tru'"
same "$TMP/out" /dev/null
run 2 "$BIN/odl-render" $R/does-not-exist.ndjson
same_text "$TMP/err" "odl-render: 'testdata/render/does-not-exist.ndjson': cannot open: No such file or directory"
run 2 "$BIN/odl-render" -f pdf $R/table.csv
same_text "$TMP/err" "odl-render: unknown format 'pdf' (text, markdown, csv, html or svg)
Try 'odl-render --help' for more information."
run 2 "$BIN/odl-render" -f svg $R/manifest.ndjson
same_text "$TMP/err" "odl-render: nothing to chart in this input"
run 2 "$BIN/odl-render" --today 30/06/2025 $R/compliance.ndjson
same_text "$TMP/err" "odl-render: --today: '30/06/2025' is not a date (YYYY-MM-DD)
Try 'odl-render --help' for more information."
run 2 "$BIN/odl-render" -k report $R/table.csv
same_text "$TMP/err" "odl-render: 'testdata/render/table.csv': validation reports are read from NDJSON"

# an existing output is kept when the run fails
echo previous >"$TMP/keep.txt"
run 2 "$BIN/odl-render" -o "$TMP/keep.txt" $R/bad-json.ndjson
same_text "$TMP/keep.txt" "previous"

done_testing
