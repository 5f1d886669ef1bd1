# In a manifest, a file that declares no schema is checked against the
# schema its header matches, or noted and left out when it matches none:
# a batch over everything a collectivité published goes on.
. tests/cli/lib.sh
cat >"$TMP/m.ndjson" <<'JSON'
{"path":"testdata/demo/files/brie-subventions-2024.csv","status":"ok","schema":null}
{"path":"testdata/csv/tab.tsv","status":"ok"}
{"path":"testdata/csv/gzip-truncated.csv.gz","status":"ok","schema":{"name":"scdl/subventions","version":"2.1.1"}}
JSON
run 2 "$BIN/odl-validate" -f ndjson --manifest "$TMP/m.ndjson"
sed 's/{"path":"\([^"]*\)","schema":{"name":"\([a-z]*\)","version":"\([0-9.]*\)".*"valid":\([a-z]*\),.*/\1 \2 \3 \4/' "$TMP/out" >"$TMP/got"
same_text "$TMP/got" "testdata/demo/files/brie-subventions-2024.csv subventions 2.1.1 true"
same_text "$TMP/err" "odl-validate: 'testdata/csv/tab.tsv': not checked: it declares no schema and none of odl's matches its header
odl-validate: 'testdata/csv/gzip-truncated.csv.gz': truncated gzip data"
done_testing
