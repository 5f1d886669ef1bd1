# Hostile input for the dataset reader, through every program that reads
# CSV (odl-validate, odl-compare indicators, odl-render): NUL bytes at the
# start, past the first 64 KiB and inside gzip; UTF-16 without a BOM with
# and without -e; a quote never closed in a large file; a 50 MB line;
# 100,000 columns; a 200 MB cell; a gzip bomb; truncated gzip.  Each case:
# the exact exit status, one stderr line naming the file and the line, and
# no file changed.
. tests/hostile/lib.sh

need_cmd python3
IN=$TMP/in
mkdir -p "$IN"
SUBV=testdata/compare/subventions-2023.csv
TERR=testdata/compare/territories.csv
V="$BIN/odl-validate"
C="$BIN/odl-compare indicators --set subventions --territories $TERR"
R="$BIN/odl-render"

python3 - "$IN" "$SUBV" <<'PY'
import gzip, sys, zlib
d, subv = sys.argv[1], sys.argv[2]
def w(name, data):
    open(d + "/" + name, "wb").write(data)
def nul_at(data, off):
    return data[:off] + b"\0" + data[off:], data[:off].count(b"\n") + 1
simple = b"id,nom\n" + b"".join(b"%d,abc\n" % i for i in range(20000))
head, body = open(subv, "rb").read().split(b"\n", 1)
rows = b"\n".join(l for l in body.split(b"\n") if l and b'"' not in l) + b"\n"
subvs = head + b"\n" + rows * (200000 // len(rows))
for kind, data in (("v", simple), ("c", subvs)):
    w(kind + "-nul0.csv", b"\0" + data)
    big, line = nul_at(data, 70000)
    w(kind + "-nul70k.csv", big)
    w(kind + "-nul70k.line", b"%d" % line)
    w(kind + "-nul-gzip.csv.gz", gzip.compress(big, 1))
    text = data[:2000].rsplit(b"\n", 1)[0].decode() + "\n"
    w(kind + "-utf16.csv", text.replace("abc", "Angoulême").encode("utf-16le"))
    hdr = data.split(b"\n", 1)[0]
    w(kind + "-header.txt", hdr + b"\n")
    w(kind + "-unclosed.csv", hdr + b"\n" + data.split(b"\n")[1].replace(b",", b',"', 1) + b"\n"
      + data.split(b"\n", 2)[2] * 8)
    w(kind + "-longline.csv", hdr + b"\n1," + b"a" * (50 << 20) + b"\n")
    w(kind + "-columns.csv", b"c," * 99999 + b"c\n" + data.split(b"\n", 2)[1] + b"\n")
    w(kind + "-truncated.csv.gz", gzip.compress(data, 1)[:3000])
# gzip bombs: 200 MB of zeros, and 200 MB of one cell, in a few hundred KB
for name, prefix, byte in (("bomb-zeros.csv.gz", b"", b"\0"), ("bomb-cell.csv.gz", b"id,nom\n1,", b"a")):
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [z.compress(prefix)]
    chunk = byte * (1 << 20)
    for _ in range(200):
        out.append(z.compress(chunk))
    out.append(z.flush())
    w(name, b"".join(out))
PY
printf '{"fields":[{"name":"id","type":"integer"},{"name":"nom"}]}\n' >"$IN/schema.json"
snapshot "$IN" in

# prog KIND : the command line of a program on a file of that kind
for p in validate compare render; do
	case $p in
	validate) cmd="$V -s $IN/schema.json"; k=v; name=odl-validate ;;
	compare) cmd=$C; k=c; name=odl-compare ;;
	render) cmd=$R; k=v; name=odl-render ;;
	esac
	# odl-compare indicators skips a file it cannot read, with one warning
	# naming it, and computes the others: exit 1 (odl-compare(1))
	st=2 pre="$name: " post=
	[ $p = compare ] && st=1 pre="$name: warning: " post=", file skipped"
	f=$IN/$k-nul0.csv
	run $st $cmd "$f"
	one_line "$pre'$f' line 1: NUL byte at byte offset 0: binary data, not a CSV file$post" "$p nul0"

	f=$IN/$k-nul70k.csv
	l=$(cat "$IN/$k-nul70k.line")
	run $st $cmd "$f"
	one_line "$pre'$f' line $l: NUL byte at byte offset 70000: binary data, not a CSV file$post" "$p nul70k"

	f=$IN/$k-nul-gzip.csv.gz
	run $st $cmd "$f"
	one_line "$pre'$f' line $l: NUL byte at byte offset 70000: binary data, not a CSV file$post" "$p nul in gzip"

	f=$IN/$k-unclosed.csv
	run $st $cmd "$f"
	one_line "$pre'$f' line 2: cell 2 is longer than 1048576 bytes (it is quoted from line 2: is a closing quote missing?)$post" "$p unclosed quote"

	f=$IN/$k-longline.csv
	run $st $cmd "$f"
	one_line "$pre'$f' line 2: cell 2 is longer than 1048576 bytes$post" "$p 50 MB line"

	f=$IN/$k-columns.csv
	run $st $cmd "$f"
	one_line "$pre'$f' line 1: record has more than 4096 cells$post" "$p 100,000 columns"

	run $st sh -c "{ cat '$IN/$k-header.txt'; printf 1,; head -c 200000000 /dev/zero | tr '\\0' a; } | $cmd -"
	one_line "$pre'-' line 2: cell 2 is longer than 1048576 bytes$post" "$p 200 MB cell"

	f=$IN/bomb-zeros.csv.gz
	run $st $cmd "$f"
	one_line "$pre'$f' line 1: NUL byte at byte offset 0: binary data, not a CSV file$post" "$p gzip bomb of zeros"

	f=$IN/bomb-cell.csv.gz
	run $st $cmd "$f"
	one_line "$pre'$f' line 2: cell 2 is longer than 1048576 bytes$post" "$p gzip bomb of one cell"

	f=$IN/$k-truncated.csv.gz
	run $st $cmd "$f"
	one_line "$pre'$f': truncated gzip data$post" "$p truncated gzip"

	unchanged "$IN" in "$p"
done

# a program file is binary data for every program
for p in "$V --describe" "$R"; do
	run 2 $p /bin/ls
	one_line "odl-*: '/bin/ls' line [0-9]*: NUL byte at byte offset [0-9]*: binary data, not a CSV file" "$p /bin/ls"
done
run 1 $C /bin/ls
one_line "odl-compare: warning: '/bin/ls' line [0-9]*: NUL byte at byte offset [0-9]*: binary data, not a CSV file, file skipped" "compare /bin/ls"

# a sample built to make Python's sniffing patterns backtrack: bounded
printf '"' >"$TMP/sniff.csv"
python3 -c 'import sys; sys.stdout.write(",\" " * 30000)' >>"$TMP/sniff.csv"
run 2 timeout 20 "$V" --describe "$TMP/sniff.csv"
one_line "odl-validate: '$TMP/sniff.csv' line 1: record has more than 4096 cells" "hostile sniffing sample"

# UTF-16 without a BOM is recognised, and -e utf-16le is honoured
f=$IN/v-utf16.csv
run 0 "$V" -s "$IN/schema.json" -f text "$f"
run 0 "$V" -s "$IN/schema.json" -f text -e utf-16le "$f"
run 0 "$V" --describe -f ndjson "$f"
case $(cat "$TMP/out") in
*'"encoding":"utf-16le","bom":false,"encoding_reason":"utf-16le without byte order mark'*'"header":["id","nom"]'*) ;;
*) fail "utf-16le without BOM not described as such: $(cat "$TMP/out")" ;;
esac
run 2 "$V" -s "$IN/schema.json" -e utf-8 "$f"
one_line "odl-validate: '$f' line 1: NUL byte at byte offset 1: utf-16le text read as 8-bit? read it with -e utf-16le" "utf-16 read as utf-8"
f=$IN/c-utf16.csv
run 0 $C "$f"
run 0 $C -e utf-16le "$f"
run 1 $C -e windows-1252 "$f"
one_line "odl-compare: warning: '$f' line 1: NUL byte at byte offset 1: utf-16le text read as 8-bit? read it with -e utf-16le, file skipped" "compare utf-16 read as 8-bit"
f=$IN/v-utf16.csv
run 0 "$R" "$f"
case $(cat "$TMP/out") in
*Angoulême*) ;;
*) fail "odl-render did not decode UTF-16 without BOM: $(head -3 "$TMP/out")" ;;
esac
unchanged "$IN" in utf-16

# a quote never closed in a small file: the counts Python gives, and a
# warning naming the line where the quote opened
printf 'id,nom\n1,a\n2,"b\n3,c\n4,d\n' >"$TMP/unclosed.csv"
run 0 "$V" -s "$IN/schema.json" -f ndjson "$TMP/unclosed.csv"
case $(cat "$TMP/out") in
*'"rows":2,'*'"warnings":[{"type":"unclosed-quote","row":3,'*'opened on line 3 is never closed'*) ;;
*) fail "no unclosed-quote warning: $(cat "$TMP/out")" ;;
esac

done_testing
