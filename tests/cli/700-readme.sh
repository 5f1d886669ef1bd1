# Every `$` command of the README runs, in order, from a scratch directory
# laid out like a clone (testdata/ and scripts/ linked): exit 0, or 1 where
# the data is invalid on purpose; GNU parallel's status is its count of
# failed jobs, here those with a failed download.
. tests/cli/lib.sh
need_cmd parallel

cd "$TMP"
ln -s "$ODL_TOP/testdata" testdata
ln -s "$ODL_TOP/scripts" scripts
mkdir -p build && ln -s "$BIN" build/bin
sed -n 's/^    \$ //p' "$ODL_TOP/README" >commands
[ "$(wc -l <commands)" -ge 12 ] || fail "only $(wc -l <commands) commands found in the README"
i=0
while IFS= read -r cmd; do
	i=$((i + 1))
	echo "## $cmd" >>log
	# each line in the same shell, as a reader typing them would
	echo "$cmd" >"line$i.sh"
	. "./line$i.sh" >>log 2>&1 </dev/null
	st=$?
	case $st in
	0|1) ;;
	*) case $cmd in *parallel*) [ $st -lt 101 ] || fail "README line $i: exit $st: $cmd" ;;
	   *) fail "README line $i: exit $st: $cmd" ;; esac ;;
	esac
done <commands
# what the walkthroughs promise exists
for f in erreurs.csv soyaux-repare.csv indicateurs-soyaux.ndjson rapport-soyaux.ndjson indicateurs.ndjson rangs.ndjson angouleme.svg atd/report.html \
	atd/compliance.ndjson manifest-parallel.ndjson reports-parallel.ndjson; do
	[ -s "$f" ] || fail "the README's commands did not make $f"
done
# the repaired amounts reach the indicators
grep -q '"indicator":"subventions_montant_total".*"value":127400.5,' indicateurs-soyaux.ndjson ||
	fail "the README's --fix pipeline did not count the French amounts"
# the parallel run found the same resources as the batch check
grep -o '"url":"[^"]*"' atd/manifest.ndjson | sort >a
grep -o '"url":"[^"]*"' manifest-parallel.ndjson | sort >b
same b a
kill $(jobs -p) 2>/dev/null
[ "$failures" -eq 0 ] || tail -60 log
done_testing
