# man/odl-compare.1: lint clean, every --help option documented and back,
# and the EXAMPLES run on fixtures named as in the page.
. tests/cli/lib.sh
need_cmd mandoc
MAN=$ODL_TOP/man/odl-compare.1
T=$ODL_TOP/testdata/compare

run 0 mandoc -Tlint -W warning "$MAN"
same "$TMP/out" /dev/null

run 0 "$BIN/odl-compare" --help
sed -n 's/^ *\(-., \)\{0,1\}--\([a-z-]*\).*/\2/p' "$TMP/out" | sort -u >"$TMP/help"
# options of the OPTIONS section: ".It Fl x , Fl \-long" or ".It Fl \-long"
sed -n '/^\.Sh OPTIONS/,/^\.Sh /p' "$MAN" | sed -n 's/^\.It .*Fl \\-\([a-z\\-]*\).*/\1/p' |
	sed 's/\\-/-/g' | sort -u >"$TMP/man"
same "$TMP/man" "$TMP/help"

# examples: the literal lines starting with "$ odl-compare"
mkdir "$TMP/ex"
cp "$T/territories.csv" "$TMP/ex/territoires.csv"
cp "$T/subventions-2023.csv" "$TMP/ex/subventions-2023.csv"
gzip -c "$T/subventions-2024-windows-1252.csv" >"$TMP/ex/subventions-2024.csv.gz"
cp "$T/manifest.ndjson" "$TMP/ex/manifest.ndjson"
cp "$T/reports.ndjson" "$TMP/ex/rapports.ndjson"
if [ -d "$SHARED" ]; then
	cp "$SHARED/territories/insee_cog2026_communes.csv" "$TMP/ex/communes.csv"
	cp "$SHARED/territories/insee_populations_legales_communes.csv" "$TMP/ex/donnees_communes.csv"
	cp "$SHARED/territories/dgcl_epcicom_2025.csv" "$TMP/ex/epcicom.csv"
	cp "$SHARED/territories/insee_cog2026_departements.csv" "$TMP/ex/departements.csv"
	cp "$SHARED/territories/insee_cog2026_regions.csv" "$TMP/ex/regions.csv"
	cp "$SHARED/territories/datactivist_identifiants_departements_2022.csv" "$TMP/ex/identifiants_departements.csv"
	cp "$SHARED/territories/datactivist_identifiants_regions_2022.csv" "$TMP/ex/identifiants_regions.csv"
fi
sed -n 's/^\$ \(odl-compare .*\)/\1/p' "$MAN" | sed 's/\\-/-/g' >"$TMP/examples"
[ "$(wc -l <"$TMP/examples")" -eq 5 ] || fail "expected 5 examples, found $(wc -l <"$TMP/examples")"
while IFS= read -r cmd; do
	case $cmd in
	*"territories --cog"*) [ -d "$SHARED" ] || continue ;;
	esac
	# the territory table the first example builds would replace the fixture
	cmd=$(printf '%s' "$cmd" | sed 's/-o territoires.csv/-o territoires-insee.csv/')
	(cd "$TMP/ex" && PATH="$BIN:$PATH" sh -c "$cmd") >"$TMP/ex.out" 2>"$TMP/ex.err" ||
		{ fail "example failed: $cmd"; cat "$TMP/ex.err"; }
done <"$TMP/examples"
[ -s "$TMP/ex/rangs.csv" ] || fail "the rank example wrote no rangs.csv"
head -1 "$TMP/ex/rangs.csv" >"$TMP/h"
same_text "$TMP/h" "$(printf 'territory,name,indicator,category,year,value,per_inhabitant,peers,rank,n_peers,percentile,peer_median,peer_q1,peer_q3,ratio_to_median,previous_value,change,change_pct,base_year,base_value,change_since_base,change_since_base_pct,annual_rate_pct,per_inhabitants,n_errors,null_reason,unit,title_fr,title_en\r')"

done_testing
