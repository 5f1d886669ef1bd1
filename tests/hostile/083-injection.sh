# Text from datasets, wherever it is rendered:
#  - HTML (odl-render -f html): <script>, attributes, </style>, SVG, in
#    cells, file names, titles: escaped, never elements;
#  - SVG (odl-render -f svg): well-formed XML, no element from the data;
#  - CSV reports (odl-validate -f csv, odl-render -f csv): a cell starting
#    with = + - @ TAB or CR gets a leading quote (not plain numbers);
#  - terminal (odl-validate -f text, odl-render -f text): ESC, CR,
#    backspace, C1 controls and bidirectional overrides never reach it raw;
#  - NDJSON: valid JSON whatever the bytes, file names that are not UTF-8
#    included (odl-validate said "out of memory" for them).
. tests/hostile/lib.sh
need_cmd python3

W=$TMP/w
mkdir "$W"
cd "$W" || exit 1
S=$ODL_TOP/testdata/schema/communes.json
python3 - <<'EOF'
cells = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'><b x='",
         '</style><b>x', '<svg onload=alert(1)>', ']]><x/>', '&amp;&lt;',
         '=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR',
         '\x1b[31mRED\x1b]0;title\x07', 'a\rOVER', 'ab\bX', '\u202eevil', 'x\u2066y',
         '\u009b31m', 'z\x7fq', '-12', '+3.5']
with open('inj.csv', 'w', newline='') as f:
    f.write('code_insee;nom;population;date_maj;chef_lieu;surface_km2;rurale\n')
    for i, c in enumerate(cells):
        q = '"' + c.replace('"', '""') + '"'
        f.write('%05d;Nom;%s;2024-01-01;;1,5;non\n' % (16000 + i, q))
# the text report shows three cells per error: the terminal's enemies first
a = ['\x1b[31mRED\x1b]0;title\x07', '\u202eevil', '\u009b31m']
b = ['a\rOVER', 'ab\bX', 'z\x7fq\u2066']
with open('term.csv', 'w', newline='') as f:
    f.write('code_insee;nom;population;date_maj;chef_lieu;surface_km2;rurale\n')
    for i in range(3):
        f.write('%05d;Nom;"%s";"%s";;1,5;non\n' % (16000 + i, a[i], b[i]))
# a header whose names are hostile too
with open('head.csv', 'w', newline='') as f:
    f.write('code_insee;nom;population;date_maj;chef_lieu;surface_km2;rurale;"\x1b[2J\u202e<script>x</script>"\n')
    f.write('16015;Angoulême;1;2024-01-01;;1,5;non;=1+1\n')
EOF
name=$(printf 'bad\377\033[31m<b>.csv')
cp inj.csv "$name"
run 1 "$BIN/odl-validate" -s "$S" -n 0 -f ndjson -o rep.ndjson inj.csv "$name" head.csv

# ---- NDJSON: valid JSON whatever the bytes (cells, names) ----
for f in ndjson frictionless; do
	run 1 "$BIN/odl-validate" -s "$S" -n 0 -f $f "$name"
	python3 -c 'import json, sys
for l in open(sys.argv[1], "rb"):
    json.loads(l.decode("utf-8"))' "$TMP/out" 2>"$TMP/perr" ||
		fail "validate -f $f on a name that is not UTF-8: not JSON: $(tail -1 "$TMP/perr")"
	[ -s "$TMP/err" ] && fail "validate -f $f: $(head -2 "$TMP/err")"
done
run 0 "$BIN/odl-validate" --describe -f ndjson "$name" inj.csv
python3 -c 'import json, sys
ls = [json.loads(l) for l in open(sys.argv[1], "rb")]
assert ls[0]["path"] == "bad\ufffd\x1b[31m<b>.csv", ls[0]["path"]
assert len(ls) == 2' "$TMP/out" || fail "describe on a name that is not UTF-8"
run 0 "$BIN/odl-validate" --check-schema "$S"
python3 -c 'import json, sys
ls = [json.loads(l) for l in open(sys.argv[1], "rb")]
got = [e["cell"] for e in ls[0]["errors"]]
for c in ("\x1b[31mRED\x1b]0;title\x07", "a\rOVER", "ab\bX", "\u202eevil", "\u009b31m", "<script>alert(1)</script>"):
    assert c in got, (c, got)' rep.ndjson 2>"$TMP/perr" ||
	fail "the NDJSON report does not keep the cells as they are: $(tail -1 "$TMP/perr")"

# ---- CSV: formulas neutralised, numbers kept, in both programs ----
csv_check() { # CASE FILE COLUMN
	python3 - "$2" "$3" <<'EOF' 2>"$TMP/perr" || fail "$1: $(tail -1 "$TMP/perr")"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
col = rows[0].index(sys.argv[2])
cells = [r[col] for r in rows[1:]]
bad = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and c not in ("-12", "+3.5")]
assert not bad, "formula cells: %r" % bad
for want in ("'=HYPERLINK(\"http://x\",\"y\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tTAB", "'\rCR", "-12"):
    assert want in cells, "missing %r in %r" % (want, cells[:8])
EOF
}
run 1 "$BIN/odl-validate" -s "$S" -n 0 -f csv -o rep.csv inj.csv
csv_check "validate -f csv" rep.csv cell
run 0 "$BIN/odl-render" -f csv -o table.csv -k table inj.csv
csv_check "render -f csv" table.csv population
run 0 "$BIN/odl-render" -f csv -o rep-render.csv rep.ndjson
python3 -c 'import csv, sys
for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8")):
    for c in r:
        assert c[:1] not in ("=", "+", "@", "\t", "\r") or c in ("+3.5",), repr(c)
        assert not c.startswith("-") or c == "-12" or c[1:2].isdigit() and c[1:].replace(".", "").isdigit(), repr(c)' \
	rep-render.csv 2>"$TMP/perr" || fail "render -f csv of a report: $(tail -1 "$TMP/perr")"

# ---- terminal: no ESC, CR, BS, C1, DEL or bidi control in text reports ----
term_check() { # CASE FILE
	python3 - "$2" <<'EOF' 2>"$TMP/perr" || fail "$1: $(tail -1 "$TMP/perr")"
import re, sys
t = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
bad = re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", t)
assert not bad, "raw controls: %r" % sorted(set(bad))
EOF
}
run 1 "$BIN/odl-validate" -s "$S" -n 0 -f text -o rep.txt term.csv inj.csv "$name" head.csv
term_check "validate -f text" rep.txt
for want in "  row 2: ' [31mRED ]0;title '" "  row 3: '�evil'" "  row 4: '�31m'" \
	"  row 2: 'a OVER'" "  row 3: 'ab X'" "  row 4: 'z q�'"; do
	grep -qxF "$want" rep.txt || fail "validate -f text: no line \"$want\""
done
run 0 "$BIN/odl-validate" -s "$S" -n 0 --lang fr -f text head.csv
term_check "validate -f text --lang fr, hostile header" "$TMP/out"
run 0 "$BIN/odl-render" -f text -o rep-render.txt rep.ndjson
term_check "render -f text" rep-render.txt
run 0 "$BIN/odl-render" -f text -k table inj.csv
term_check "render -f text -k table" "$TMP/out"
run 0 "$BIN/odl-render" -f markdown -k table inj.csv
term_check "render -f markdown -k table" "$TMP/out"

# ---- messages on stderr: a name or a cell quoted there is cleaned too ----
# (an ESC or a U+202E in a file name or in a cell quoted by a warning
# reached the terminal)
run 2 "$BIN/odl-validate" -s "$S" "$(printf 'no\tsuch\033[2J\342\200\256.csv')"
one_line "odl-validate: 'no such \[2J�.csv': cannot open: No such file or directory" "a missing file whose name holds TAB, ESC and U+202E"
term_check "messages" "$TMP/err"
python3 - "$ODL_TOP/testdata/compare/subventions-2023.csv" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
l = lines[1].split(",")
l[1] = "\x1b[31mX\u202e\x9b"
open("sub.csv", "w", encoding="utf-8").write(lines[0] + "\n" + ",".join(l) + "\n")
EOF
run 0 "$BIN/odl-compare" indicators -s subventions -t "$ODL_TOP/testdata/compare/territories.csv" sub.csv
one_line "odl-compare: warning: 'sub.csv' line 2: 1 row with no territory of the table (first: ' \[31mX��'), left out" \
	"a warning quoting a cell with ESC, U+202E and U+009B"
term_check "messages" "$TMP/err"

# ---- HTML and SVG: the data's text stays text ----
html_check() { # CASE FILE
	python3 - "$2" <<'EOF' 2>"$TMP/perr" || fail "$1: $(tail -1 "$TMP/perr")"
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.bad, self.text = [], [], []
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append((tag, k))
    def handle_data(self, d):
        self.text.append(d)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
assert p.tags.count("script") <= 1, "scripts: %d" % p.tags.count("script")
assert p.tags.count("style") == 1, "styles: %d" % p.tags.count("style")
for t in ("img", "b", "x"):
    assert t not in p.tags, "element <%s> from the data" % t
assert not p.bad, "attributes from the data: %r" % p.bad
text = "".join(p.text)
assert "<script>alert(1)</script>" in text, "the cell is not shown as text"
EOF
}
run 0 "$BIN/odl-render" -f html -o rep.html -t '</title><script>alert(2)</script>' rep.ndjson
html_check "render -f html of reports" rep.html
grep -q '&lt;/title&gt;&lt;script&gt;alert(2)' rep.html || fail "render -f html: the title is not escaped"
run 0 "$BIN/odl-render" -f html -o table.html -k table inj.csv
html_check "render -f html -k table" table.html
run 0 "$BIN/odl-render" -f svg -o rep.svg rep.ndjson
python3 -c 'import sys, xml.etree.ElementTree as E
r = E.parse(sys.argv[1]).getroot()
for e in r.iter():
    t = e.tag.split("}")[-1]
    assert t not in ("script", "img", "b", "x", "foreignObject"), t
    assert not [k for k in e.attrib if k.startswith("on")], e.attrib
s = open(sys.argv[1], encoding="utf-8").read()
assert "<b>" not in s' rep.svg 2>"$TMP/perr" || fail "render -f svg: $(tail -1 "$TMP/perr")"
done_testing
