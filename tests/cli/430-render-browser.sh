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
