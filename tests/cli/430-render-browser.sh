# odl-render -f html opened in headless Chromium: the page loads with no
# console message and no network request, its DOM holds the expected rows,
# the sorting script ran under the page's policy, a cell holding a script
# is shown as text, and the screenshot is not blank.  Method: see
# tests/browser/headless.sh.  A control page with a console error and a
# remote image proves the method sees both.
. tests/cli/lib.sh
. tests/browser/headless.sh
need_cmd python3
need_chromium

R=testdata/render
run 0 "$BIN/odl-render" -f html --lang fr --focus 16015 -o "$TMP/page.html" $R/compliance.ndjson \
	$R/comparison.ndjson $R/reports.ndjson $R/manifest.ndjson
mkdir "$TMP/page"
headless "$TMP/page.html" "$TMP/page" || fail "chromium did not run on the page"
same "$TMP/page/console.txt" /dev/null
same "$TMP/page/requests.txt" /dev/null

python3 - "$TMP/page/dom.html" >"$TMP/dom" <<'PY'
import re, sys
from html.parser import HTMLParser

class Rows(HTMLParser):
    """Rows of every table, as lists of cell texts; element names met."""
    def __init__(self):
        super().__init__()
        self.tables, self.row, self.cell, self.tags, self.attrs = [], None, None, [], {}
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "html":
            self.attrs = dict(attrs)
        if tag == "table":
            self.tables.append((dict(attrs).get("id"), []))
        if tag == "tr":
            self.row = []
        if tag in ("td", "th") and self.row is not None:
            self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        if tag == "tr" and self.row is not None:
            self.tables[-1][1].append(self.row)
            self.row = None
    def handle_data(self, d):
        if self.cell is not None:
            self.cell += d

p = Rows()
p.feed(open(sys.argv[1], encoding="utf-8").read())
print("script ran:", p.attrs.get("data-js"))
print("script elements:", p.tags.count("script"))
tables = dict((i, rows) for i, rows in p.tables if i)
for row in tables["collectivites"][1:]:
    print(" | ".join(row[:3] + row[-1:]))
ranked = [t for i, t in p.tables if t and t[0][:2] == ["Rang", "Territoire"]][0]
for row in ranked[1:]:
    print(" | ".join(row[:3] + row[4:6]))
print("tables:", len(p.tables), "figures:", p.tags.count("figure"), "svg:", p.tags.count("svg"))
PY
same "$TMP/dom" "$EXPECTED/430-dom.txt"

python3 tests/browser/png_stats.py "$TMP/page/shot.png" b3471b 4f6fa8 >"$TMP/png"
same_text "$TMP/png" "size 1000 x 1400
non-white share above 2% True
distinct colours above 16 True
colour b3471b present
colour 4f6fa8 present"

# the report's model in the browser: units in the charts and tables, the
# focus's chart in its own latest year (2023, others have 2024) holding its
# peer group only, the peer group said, a value not computed saying why,
# and Sources naming the published files with their dates
cat >"$TMP/dom.py" <<'PY'
import sys
from html.parser import HTMLParser

class Page(HTMLParser):
    """Headings, notes, captions, chart labels, table rows, sources, in order."""
    def __init__(self):
        super().__init__()
        self.out, self.text, self.row, self.stack = [], None, None, []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append(tag)
        if tag == "svg":
            self.out.append("chart: " + a.get("aria-label", ""))
        if tag == "tr":
            self.row = []
        if tag in ("h3", "h4", "p", "caption", "li", "td", "th"):
            self.text = ""
    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()
        if tag in ("td", "th") and self.row is not None and self.text is not None:
            self.row.append(" ".join(self.text.split()))
            self.text = None
        elif tag == "tr" and self.row is not None:
            self.out.append("  | " + " | ".join(self.row))
            self.row = None
        elif tag in ("h3", "h4", "p", "caption", "li") and self.text is not None:
            self.out.append(tag + ": " + " ".join(self.text.split()))
            self.text = None
    def handle_data(self, d):
        if self.text is not None and "svg" not in self.stack:
            self.text += d

p = Page()
p.feed(open(sys.argv[1], encoding="utf-8").read())
keep = sys.argv[2:]
for line in p.out:
    if any(line.startswith(k) for k in keep):
        print(line.replace("\u00a0", " "))
PY
run 0 "$BIN/odl-render" -f html --lang fr --focus A1 -o "$TMP/units.html" $R/ranks-units.ndjson \
	$R/manifest.ndjson
mkdir "$TMP/units"
headless "$TMP/units.html" "$TMP/units" || fail "chromium did not run on the units page"
same "$TMP/units/console.txt" /dev/null
python3 "$TMP/dom.py" "$TMP/units/dom.html" "h3" "chart" "caption: Montant" "  | Alpha" "  | Rang" \
	"p: Alpha" "p: Médiane" "li" >"$TMP/dom"
same "$TMP/dom" "$EXPECTED/430-units-dom.txt"

# several groups, no focus: one chart per group, a peer-group column
run 0 "$BIN/odl-render" -f html --lang en --indicator montant -o "$TMP/groups.html" $R/ranks-units.ndjson
mkdir "$TMP/groups"
headless "$TMP/groups.html" "$TMP/groups" || fail "chromium did not run on the groups page"
same "$TMP/groups/console.txt" /dev/null
python3 "$TMP/dom.py" "$TMP/groups/dom.html" "h3" "h4" "chart" "  | " >"$TMP/dom"
same "$TMP/dom" "$EXPECTED/430-groups-dom.txt"

# the control page: what the test must catch, it catches
cat >"$TMP/control.html" <<'HTML'
<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>contrôle</title></head>
<body><p>contrôle</p><img src="http://odl.invalid/x.png" alt=""><script>console.error("boom")</script></body></html>
HTML
mkdir "$TMP/control"
headless "$TMP/control.html" "$TMP/control" || fail "chromium did not run on the control page"
same_text "$TMP/control/console.txt" "\"boom\", source: file://$TMP/control.html (2)"
same_text "$TMP/control/requests.txt" "GET http://odl.invalid/x.png"

done_testing
