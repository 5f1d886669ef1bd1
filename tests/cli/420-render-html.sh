# odl-render -f html: one self-contained, accessible page, checked statically
# (tests/browser/check_html.py parses it with Python's html.parser).
. tests/cli/lib.sh
need_cmd python3

R=testdata/render
run 0 "$BIN/odl-render" -f html --lang fr --focus 16015 -o "$TMP/page.html" $R/compliance.ndjson \
	$R/comparison.ndjson $R/reports.ndjson $R/manifest.ndjson $R/table.csv $R/hostile.ndjson
same "$TMP/out" /dev/null
python3 tests/browser/check_html.py "$TMP/page.html" >"$TMP/check"
same_text "$TMP/check" "doctype True
lang fr
csp default-src 'none'
style elements 1 script elements 1
style hash matches True
script hash matches True
fetching elements []
href outside <a> 0
url( or @import False
tables 14 with column headers True body rows 47 row headers 47
charts 4 titled 4
charts beside a table 4 of 4
script as text True"

# the checker sees what it must refuse: a remote image, an edited style,
# a second script, a chart without its table
sed -e 's|<h1>|<img src="https://example.org/x.png"><script>alert(1)</script><h1>|' \
    -e 's|body{font-family|body{background:url(https://example.org/b.png);font-family|' \
    -e '0,/<\/figure>/s|</figure>|</figure></div><div>|' "$TMP/page.html" >"$TMP/bad.html"
python3 tests/browser/check_html.py "$TMP/bad.html" >"$TMP/check"
same_text "$TMP/check" "doctype True
lang fr
csp default-src 'none'
style elements 1 script elements 2
style hash matches False
script hash matches False
fetching elements ['img[src]', 'img']
href outside <a> 0
url( or @import True
tables 14 with column headers True body rows 47 row headers 47
charts 4 titled 4
charts beside a table 3 of 4
script as text True"

# compliance rows link to the report of the same file in the page, and
# javascript: links from the data never become links
run 0 "$BIN/odl-render" -f html --lang fr $R/compliance.ndjson $R/reports.ndjson
python3 - "$TMP/out" >"$TMP/links" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', page):
    print(text, "->", href, "target present" if href.startswith("#") and f'id="{href[1:]}"' in page else "")
PY
same_text "$TMP/links" "16015 -> #rapport-1 target present
16102 -> #rapport-2 target present"

# charts and their tables are titled with the indicator's title in the
# report's language (escaped: a user's indicator file wrote it), else its id
sed 's/"change_pct":null}/"change_pct":null,"title_fr":"Montant <b>total<\/b> \& co","title_en":"Total"}/' \
	$R/comparison.ndjson >"$TMP/titled.ndjson"
for lang in fr en; do
	run 0 "$BIN/odl-render" -f html --lang $lang --indicator subventions_montant_total "$TMP/titled.ndjson"
	grep -o '<h3>[^<]*</h3>' "$TMP/out" | head -1 >>"$TMP/titles"
done
run 0 "$BIN/odl-render" -f html --lang fr --indicator subventions_montant_total $R/comparison.ndjson
grep -o '<h3>[^<]*</h3>' "$TMP/out" | head -1 >>"$TMP/titles"
same_text "$TMP/titles" "<h3>Montant &lt;b&gt;total&lt;/b&gt; &amp; co en 2023</h3>
<h3>Total in 2023</h3>
<h3>subventions_montant_total en 2023</h3>"

run 0 "$BIN/odl-render" -f html --lang en --link 'rapports/{code}.html' $R/compliance.ndjson
python3 - "$TMP/out" >"$TMP/links" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
print(re.search(r'<html lang="(..)">', page).group(1))
print(sorted(set(re.findall(r'<a href="([^"]*)"', page)))[:3])
PY
same_text "$TMP/links" "en
['rapports/16015.html', 'rapports/16089.html', 'rapports/16102.html']"

done_testing
