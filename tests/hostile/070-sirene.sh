# odl-compare --agents-from-sirene on Sirene files built to break it: band
# and year codes outside the register's list, SIRENs listed more than once,
# a stream of hundreds of megabytes read in bounded memory, columns missing,
# an empty file, zip archives that lie (not CSV, truncated, wrong CRC,
# corrupt deflate), a cell past the reader's ceiling.  Each case asserts the
# exit status, the one message (file, line, field) and that no file but the
# output changed.
. tests/hostile/lib.sh
need_cmd python3
D=$TMP/d
mkdir -p "$D"
H='siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,sigleUniteLegale,sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,prenom3UniteLegale,prenom4UniteLegale,prenomUsuelUniteLegale,pseudonymeUniteLegale,identifiantAssociationUniteLegale,trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,caractereEmployeurUniteLegale'
row() { # siren band year
	printf '%s,O,,1983-01-01,,,,,,,,,,%s,%s,2024-03-01T10:00:00,3,GE,2022,2017-01-01,A,,,"COMMUNE %s",,,,7210,84.11Z,NAFRev2,00013,,,O\n' "$1" "$2" "$3" "$1"
}
cat >"$D/terr.csv" <<'CSV'
code,name,type,population,siren
A1,Alpha,COM,5000,211600001
B2,Beta,COM,5000,211600002
C3,Gamma,COM,5000,211600003
D4,Delta,COM,5000,211600004
E5,Epsilon,COM,5000,211600005
CSV
CMP="$BIN/odl-compare compliance -t $D/terr.csv --today 2026-11-23 -f csv"
# the columns a case looks at: code, obligated, evidence, band, range, year
cols() { cut -d, -f1,6,18-21 "$TMP/out" | tr -d '\r'; }

# 1. band codes outside the list (99, a single digit, letters, a
# fullwidth 21, 1 and 2 with a space): read as NN, one warning with the count
# and the first; rows of SIRENs not in the table are not looked at
{
	echo "$H"
	row 211600001 99 2022
	row 211600002 5 2022
	row 211600003 ab 2022
	row 211600004 "２１" 2022
	row 211600005 "1 2" 2022
	row 300000000 zz 2022
} >"$D/bands.csv"
snapshot "$D" bands
run 0 $CMP --agents-from-sirene "$D/bands.csv" /dev/null
has_line "odl-compare: warning: '$D/bands.csv' line 2, field 'trancheEffectifsUniteLegale': '99' is not a headcount band (5 rows), read as unknown" bands
[ "$(wc -l <"$TMP/err")" -eq 2 ] || fail "bands: $(wc -l <"$TMP/err") stderr lines (wanted the band warning and unknown-agents)"
cols >"$TMP/got"
same_text "$TMP/got" "code,obligated,evidence,agents_band,agents_range,agents_year
A1,unknown-agents,,NN,,
B2,unknown-agents,,NN,,
C3,unknown-agents,,NN,,
D4,unknown-agents,,NN,,
E5,unknown-agents,,NN,,"
unchanged "$D" bands bands

# 2. years that are not years: the band stands, the year is unknown
{
	echo "$H"
	row 211600001 21 22
	row 211600002 21 "20x2"
	row 211600003 12 2022
	row 211600004 12 2022
	row 211600005 12 2022
} >"$D/years.csv"
snapshot "$D" years
run 0 $CMP --agents-from-sirene "$D/years.csv" /dev/null
one_line "odl-compare: warning: '$D/years.csv' line 2, field 'anneeEffectifsUniteLegale': '22' is not a year (2 rows), read as unknown" years
cols >"$TMP/got"
same_text "$TMP/got" "code,obligated,evidence,agents_band,agents_range,agents_year
A1,true,proxy,21,50-99,
B2,true,proxy,21,50-99,
C3,false,proxy,12,20-49,2022
D4,false,proxy,12,20-49,2022
E5,false,proxy,12,20-49,2022"
unchanged "$D" years years

# 3. a SIREN listed again: a band beats none, then the later year, then the
# first row; one warning counts the repeats
{
	echo "$H"
	row 211600001 12 2020
	row 211600001 21 2022
	row 211600001 NN ""
	row 211600002 41 2021
	row 211600002 42 2021
	row 211600003 12 2022
	row 211600004 12 2022
	row 211600005 NN ""
	row 211600005 03 2019
} >"$D/dup.csv"
snapshot "$D" dup
run 0 $CMP --agents-from-sirene "$D/dup.csv" /dev/null
one_line "odl-compare: warning: '$D/dup.csv' line 3, field 'siren': '211600001' listed again (4 rows repeating a SIREN of the table): the row with a band, then the latest year, kept" dup
cols >"$TMP/got"
same_text "$TMP/got" "code,obligated,evidence,agents_band,agents_range,agents_year
A1,true,proxy,21,50-99,2022
B2,true,proxy,41,500-999,2021
C3,false,proxy,12,20-49,2022
D4,false,proxy,12,20-49,2022
E5,false,proxy,03,6-9,2019"
unchanged "$D" dup dup

# 4. a stream of 3 million rows (about 420 MB; 500,000 under the
# sanitizers) through a pipe, the table's SIRENs at the very end, under a
# 64 MiB address-space limit: memory is the table's, not the file's
n=3000000
case $ODL_BUILD in *asan*) n=500000; lim=unlimited ;; *) lim=65536 ;; esac
cat >"$D/gen.sh" <<GEN
awk -v h='$H' -v n=$n 'BEGIN {
	print h
	for (i = 0; i < n; i++)
		printf "%09d,O,,1983-01-01,,,,,,,,,,%s,2022,2024-03-01T10:00:00,3,GE,2022,2017-01-01,A,,,\"SOCIETE %d, SA\",,,,5710,84.11Z,NAFRev2,00013,,,O\n", 300000000 + i, (i % 2 ? "12" : "NN"), i
	for (i = 1; i <= 5; i++)
		printf "21160000%d,O,,,,,,,,,,,,%s,2023\n", i, (i % 2 ? "22" : "11")
}'
GEN
snapshot "$D" huge
run 0 sh -c "ulimit -v $lim; sh '$D/gen.sh' | $CMP --agents-from-sirene - /dev/null"
same "$TMP/err" /dev/null
cols >"$TMP/got"
same_text "$TMP/got" "code,obligated,evidence,agents_band,agents_range,agents_year
A1,true,proxy,22,100-199,2023
B2,false,proxy,11,10-19,2023
C3,true,proxy,22,100-199,2023
D4,false,proxy,11,10-19,2023
E5,true,proxy,22,100-199,2023"
unchanged "$D" huge huge

# 5. not the register's layout, an empty file, a file that is not there
printf 'siren,nom\n211600001,x\n' >"$D/nocol.csv"
: >"$D/empty.csv"
snapshot "$D" layout
run 2 $CMP --agents-from-sirene "$D/nocol.csv" /dev/null
one_line "odl-compare: '$D/nocol.csv' line 1, field 'trancheEffectifsUniteLegale': missing column (not Sirene's StockUniteLegale layout)" nocol
same "$TMP/out" /dev/null
run 2 $CMP --agents-from-sirene "$D/empty.csv" /dev/null
one_line "odl-compare: '$D/empty.csv': empty file (no header)" empty
same "$TMP/out" /dev/null
run 2 $CMP --agents-from-sirene "$D/none.csv" /dev/null
one_line "odl-compare: '$D/none.csv': cannot open: No such file or directory" none
unchanged "$D" layout layout

# 6. zip archives: an entry that is not CSV (the parquet the dataset also
# publishes), truncated, a byte changed under a stored entry (CRC), deflate
# data scrambled; nothing is written
{ echo "$H"; row 211600001 21 2022; } >"$D/ok.csv"
python3 - "$D" <<'PY'
import sys, zipfile
d = sys.argv[1]
data = open(d + '/ok.csv', 'rb').read()
with zipfile.ZipFile(d + '/pq.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('StockUniteLegale_utf8.parquet', b'PAR1')
with zipfile.ZipFile(d + '/ok.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('StockUniteLegale_utf8.csv', data * 50)
b = open(d + '/ok.zip', 'rb').read()
open(d + '/trunc.zip', 'wb').write(b[:len(b) // 2])
bad = bytearray(b)
for k in range(70, 100):
    bad[k] ^= 0x5a
open(d + '/corrupt.zip', 'wb').write(bad)
with zipfile.ZipFile(d + '/stored.zip', 'w', zipfile.ZIP_STORED) as z:
    z.writestr('StockUniteLegale_utf8.csv', data)
s = bytearray(open(d + '/stored.zip', 'rb').read())
s[s.find(b'211600001')] = ord('3')
open(d + '/crc.zip', 'wb').write(s)
PY
snapshot "$D" zip
run 2 $CMP --agents-from-sirene "$D/pq.zip" /dev/null
one_line "odl-compare: '$D/pq.zip': zip entry 'StockUniteLegale_utf8.parquet' is not a CSV file" parquet
same "$TMP/out" /dev/null
run 2 $CMP --agents-from-sirene "$D/trunc.zip" /dev/null
one_line "odl-compare: '$D/trunc.zip': truncated zip entry 'StockUniteLegale_utf8.csv'" trunc
same "$TMP/out" /dev/null
run 2 $CMP --agents-from-sirene "$D/crc.zip" /dev/null
one_line "odl-compare: '$D/crc.zip': zip entry 'StockUniteLegale_utf8.csv': CRC-32 mismatch" crc
same "$TMP/out" /dev/null
run 2 $CMP --agents-from-sirene "$D/corrupt.zip" /dev/null
one_line "odl-compare: '$D/corrupt.zip': zip entry 'StockUniteLegale_utf8.csv': corrupt deflate data" corrupt
same "$TMP/out" /dev/null
unchanged "$D" zip zip

# 7. a cell past the reader's 1 MiB ceiling: an error naming the line
{ echo "$H"; printf '211600001,O,,,,,,,,,,,,12,2022,,,,,,,,,"'; head -c 2000000 /dev/zero | tr '\0' x; printf '"\n'; } >"$D/cell.csv"
snapshot "$D" cell
run 2 $CMP --agents-from-sirene "$D/cell.csv" /dev/null
one_line "odl-compare: '$D/cell.csv' line 2: cell 24 is longer than 1048576 bytes" cell
same "$TMP/out" /dev/null
unchanged "$D" cell cell

done_testing
