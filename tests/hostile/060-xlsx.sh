# Hostile xlsx workbooks, built by python3's zipfile (an independent writer):
# a zip bomb, a truncated archive, a broken central directory, a shared
# string or a cell past --max-cell, XML nested without end, a DOCTYPE with
# entities.  Each is exit 2 with one line naming the file and the place,
# leaves the inputs as they were, and leaves no spool file behind.
. tests/hostile/lib.sh
need_cmd python3
IN=$TMP/in
mkdir "$IN" "$TMP/tmp"
export TMPDIR=$TMP/tmp

python3 - "$IN" <<'PY'
import sys, zipfile
d = sys.argv[1]
NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
WB = ('<?xml version="1.0"?><workbook %s><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/>'
      '</sheets></workbook>' % NS)
RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>')
def sheet(rows):
    return '<?xml version="1.0"?><worksheet %s><sheetData>%s</sheetData></worksheet>' % (NS, rows)
def book(name, sheet_xml, strings=None, sheet_bytes=None):
    with zipfile.ZipFile('%s/%s' % (d, name), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', '<Types/>')
        z.writestr('xl/workbook.xml', WB)
        z.writestr('xl/_rels/workbook.xml.rels', RELS)
        if strings is not None:
            z.writestr('xl/sharedStrings.xml', strings)
        z.writestr('xl/worksheets/sheet1.xml', sheet_bytes if sheet_bytes is not None else sheet_xml)
rows = ''.join('<row r="%d"><c r="A%d" t="inlineStr"><is><t>v%d</t></is></c></row>' % (i, i, i)
               for i in range(1, 200))
book('ok.xlsx', sheet(rows))
# 64 MiB of spaces inflate from ~64 KiB
book('bomb.xlsx', None, sheet_bytes=b'<worksheet>' + b' ' * (64 << 20))
data = open('%s/ok.xlsx' % d, 'rb').read()
open('%s/truncated.xlsx' % d, 'wb').write(data[:len(data) // 2])
# the central directory's first signature spoiled
cd = data.rindex(b'PK\x05\x06')
off = int.from_bytes(data[cd + 16:cd + 20], 'little')
open('%s/bad-cd.xlsx' % d, 'wb').write(data[:off] + b'XX' + data[off + 2:])
book('long-string.xlsx', sheet('<row r="1"><c r="A1" t="s"><v>1</v></c></row>'),
     strings='<sst><si><t>court</t></si><si><t>%s</t></si></sst>' % ('x' * 5000))
book('long-cell.xlsx', sheet('<row r="1"><c r="A1"><v>1</v></c></row>'
                             '<row r="12"><c r="B12" t="inlineStr"><is><t>%s</t></is></c></row>' % ('é' * 3000)))
book('deep.xlsx', None, sheet_bytes='<worksheet><sheetData><row r="3"><c r="C3">' + '<x>' * 100000)
book('entities.xlsx', '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
     '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
     '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row></sheetData></worksheet>')
book('external.xlsx', sheet(''), strings='<?xml version="1.0"?><!DOCTYPE sst SYSTEM "file:///etc/passwd"><sst><si><t>x</t></si></sst>')
PY
snapshot "$IN" in

# the sane workbook is read: the hostile ones differ only in what they break
run 0 "$BIN/odl-validate" --describe -f ndjson "$IN/ok.xlsx"
case $(cat "$TMP/out") in *'"rows":198'*) ;; *) fail "ok.xlsx: $(cat "$TMP/out")" ;; esac

check() { # CASE STATUS 'MESSAGE' [OPTION...]
	c=$1 st=$2 msg=$3
	shift 3
	run "$st" "$BIN/odl-validate" -f ndjson "$@" "$IN/$c.xlsx"
	same "$TMP/out" /dev/null
	one_line "odl-validate: '$IN/$c.xlsx': $msg" "$c"
}
check bomb 2 "sheet 'Feuil1': zip entry 'xl/worksheets/sheet1.xml': compression ratio above 200 (zip bomb)"
check truncated 2 "truncated zip archive (no end of central directory)"
check bad-cd 2 "bad zip central directory (signature)"
check long-string 2 "xl/sharedStrings.xml: shared string 1 is longer than 4096 bytes" --max-cell 4096
check long-cell 2 "sheet 'Feuil1' cell B12: cell is longer than 4096 bytes" --max-cell 4096 -s testdata/schema/communes.json
check deep 2 "sheet 'Feuil1' cell C3: XML nested deeper than 64 elements"
check entities 2 "sheet 'Feuil1': DOCTYPE declarations are refused (entities)"
check external 2 "xl/sharedStrings.xml: DOCTYPE declarations are refused (entities)"

unchanged "$IN" in
[ -z "$(ls -A "$TMP/tmp")" ] || fail "spool files left in TMPDIR: $(ls -A "$TMP/tmp")"
done_testing
