# odl-render -f svg: one chart alone; bar lengths proportional to the values.
. tests/cli/lib.sh
need_cmd python3

R=testdata/render

run 0 "$BIN/odl-render" -f svg --lang fr --focus 16291 $R/comparison.ndjson
same "$TMP/out" "$EXPECTED/410-comparison.svg"

# read back as XML: every bar's width / value is one scale, the focus bar
# stands out, the median line sits where its value says (to the thousand:
# positions are written to the hundredth of a pixel)
python3 - "$TMP/out" >"$TMP/check" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
bars = root.findall("s:rect[@class='bar']", ns)
ratios = [float(b.get("width")) / float(b.get("data-value"))
          for b in bars if float(b.get("data-value")) != 0]
print("bars", len(bars))
print("proportional", max(ratios) - min(ratios) < 0.002 * max(ratios))
print("focus", [b.find("s:title", ns).text for b in bars if b.get("fill") == "#b3471b"])
ref = root.find("s:line[@class='ref']", ns)
zero = min(float(b.get("x")) for b in bars)
print("median at", int(round((float(ref.get("x1")) - zero) / ratios[0], -3)))
print("title", root.find("s:title", ns).text)
PY
same_text "$TMP/check" "bars 6
proportional True
focus ['Ruelle-sur-Touvre : 150\\u202f000']
median at 311000
title subventions_montant_total en 2023"

run 0 "$BIN/odl-render" -f svg --lang en $R/compliance.ndjson
same "$TMP/out" "$EXPECTED/410-grades.svg"
run 0 "$BIN/odl-render" -f svg --lang en -o "$TMP/codes.svg" $R/reports.ndjson
same "$TMP/codes.svg" "$EXPECTED/410-codes.svg"

done_testing
