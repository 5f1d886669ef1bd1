# odl-render on what odl-validate writes: frictionless codes, custom checks
# and column-matching warnings read with the texts of the message catalogue
# (the same as odl-validate's text report), in French by default when the
# locale is French, --lang overriding; a finding's own fix text wins.
. tests/cli/lib.sh

R=testdata/render

run 0 "$BIN/odl-render" --lang fr $R/report-validate.ndjson
same "$TMP/out" "$EXPECTED/402-validate.fr.txt"
same "$TMP/err" /dev/null
run 0 env LC_ALL=fr_FR.UTF-8 "$BIN/odl-render" $R/report-validate.ndjson
same "$TMP/out" "$EXPECTED/402-validate.fr.txt"

# English asked for on a French locale
run 0 env LC_ALL=fr_FR.UTF-8 "$BIN/odl-render" --lang en -f markdown $R/report-validate.ndjson
same "$TMP/out" "$EXPECTED/402-validate.en.md"

# the CSV view carries the catalogue's fix per group
run 0 "$BIN/odl-render" --lang fr -f csv $R/report-validate.ndjson
same_text "$TMP/out" "path,schema,version,valid,rows,error_count,type,field,count,example_row,example_cell,how_to_fix
testdata/validate/communes-reordered.csv,communes,1.0.0,false,4,4,french-siret-value,siret,1,2,21160015,\"Recopiez le SIRET depuis l'annuaire officiel (annuaire-entreprises.data.gouv.fr), 14 chiffres sans espace.\"
testdata/validate/communes-reordered.csv,communes,1.0.0,false,4,4,missing-required-header,insee,1,,,Ajoutez la colonne avec exactement le nom donné par le schéma et remplissez-la.
testdata/validate/communes-reordered.csv,communes,1.0.0,false,4,4,opening-hours-value,horaires,1,4,lundi matin,\"Écrivez les horaires comme dans OpenStreetMap, par exemple : Mo-Fr 08:00-12:00,13:30-17:00; Sa 09:00-12:00.\"
testdata/validate/communes-reordered.csv,communes,1.0.0,false,4,4,phone-number-value,telephone,1,3,05 45,Écrivez un numéro français avec ses 10 chiffres (par exemple 01 99 00 27 37) ou un numéro international comme +33 1 99 00 27 37."

done_testing
