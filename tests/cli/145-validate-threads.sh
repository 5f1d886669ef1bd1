# odl-validate reads each file on one thread or two (--threads), and its
# reader searches bytes with vector code or byte by byte (ODL_SCAN=scalar):
# every way gives the same report, messages, exit status and repaired file,
# byte for byte, and so does turning off the memo of accepted values
# (ODL_MEMO=off), on every data file under testdata/ (and on a file of 6,000
# rows that fills many batches and makes schema detection stop its 1,000-row
# sample early), against a detected schema, a schema they do not follow
# (every error kept), the communes schema, and with --fix.
. tests/cli/lib.sh

# a file of many records: the communes rows again and again
{
	head -1 "$TESTDATA/validate/communes-errors.csv"
	i=0
	while [ $i -lt 1000 ]; do
		tail -n +2 "$TESTDATA/validate/communes-errors.csv"
		i=$((i + 1))
	done
} >"$TMP/many.csv"
gzip -c "$TMP/many.csv" >"$TMP/many.csv.gz"

find "$TESTDATA" -type f \( -name '*.csv' -o -name '*.csv.gz' -o -name '*.tsv' -o -name '*.bin' \) |
	LC_ALL=C sort >"$TMP/files"
echo "$TMP/many.csv" >>"$TMP/files"
echo "$TMP/many.csv.gz" >>"$TMP/files"

# one way of running: its outputs in $TMP/r-NAME.{out,err,status,fixed}
way() {
	name=$1; shift
	rm -f "$TMP/fixed.csv"
	"$@" >"$TMP/r-$name.out" 2>"$TMP/r-$name.err"
	echo $? >"$TMP/r-$name.status"
	if [ -f "$TMP/fixed.csv" ]; then mv "$TMP/fixed.csv" "$TMP/r-$name.fixed"; else : >"$TMP/r-$name.fixed"; fi
}

n=0
while read -r f; do
	for conf in detect other communes fix; do
		case $conf in
		detect) set -- -f ndjson -n 0 ;;
		other) set -- -f ndjson -n 0 -s scdl/subventions@2.1.1 ;;
		communes) set -- -f text -n 5 -s "$TESTDATA/schema/communes.json" ;;
		fix) set -- -f ndjson -s "$TESTDATA/schema/communes.json" --fix --fix-output "$TMP/fixed.csv" ;;
		esac
		way one "$BIN/odl-validate" --threads 1 "$@" "$f"
		way two "$BIN/odl-validate" --threads 2 "$@" "$f"
		ODL_SCAN=scalar way scalar "$BIN/odl-validate" --threads 1 "$@" "$f"
		ODL_SCAN=scalar way scalar2 "$BIN/odl-validate" --threads 2 "$@" "$f"
		ODL_MEMO=off way nomemo "$BIN/odl-validate" --threads 1 "$@" "$f"
		for w in two scalar scalar2 nomemo; do
			for part in out err status fixed; do
				cmp -s "$TMP/r-one.$part" "$TMP/r-$w.$part" ||
					fail "$f ($conf): the $part of the '$w' way differs from one thread's"
			done
		done
		n=$((n + 1))
	done
done <"$TMP/files"
[ "$n" -gt 300 ] || fail "only $n runs compared"

done_testing
