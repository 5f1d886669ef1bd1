# The CSV reader against Python's csv module: 5,000 random small files
# (quotes anywhere, doubled quotes, CR, LF, CRLF, delimiters inside and
# outside quotes, empty lines, unclosed quotes, spaces after delimiters)
# read by /usr/bin/python3's csv.reader and by libodl (tests/tools/csv_dump),
# whole and in chunks of 1, 2, 3, 7 and 64 bytes: the same records, cell for
# cell; the same header row as frictionless's rule; the same sniffed
# skipinitialspace as csv.Sniffer.  Twice: with the vector byte search and
# with the byte-by-byte one (ODL_SCAN=scalar).  The seed is printed;
# ODL_SEED replays it.
. tests/cli/lib.sh

[ -x /usr/bin/python3 ] || { echo "skipped: /usr/bin/python3 is not installed"; exit 77; }
seed=${ODL_SEED:-$(date +%s)}
if ! /usr/bin/python3 tests/tools/csv_differential.py "$ODL_BUILD/tests/tools/csv_dump" 5000 "$seed"; then
	fail "odl and Python's csv read some file differently (seed $seed)"
fi
if ! ODL_SCAN=scalar /usr/bin/python3 tests/tools/csv_differential.py "$ODL_BUILD/tests/tools/csv_dump" 5000 "$seed"; then
	fail "odl's byte-by-byte search and Python's csv read some file differently (seed $seed)"
fi

done_testing
