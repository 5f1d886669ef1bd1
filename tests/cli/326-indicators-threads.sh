# odl-compare indicators --threads 2 (the reader on a thread of its own)
# gives what one thread gives, byte for byte: the same results, messages
# and status on every bundled set's fixtures (errors, a skipped file,
# Windows-1252, gzip on stdin) and on a national-sized file of 60,000 rows
# that fills many batches between the threads.
. tests/cli/lib.sh
need_cmd python3
T=testdata/compare

python3 - "$TMP" <<'PY'
import random, sys
d = sys.argv[1]
random.seed(4)
with open(f"{d}/terr.csv", "w", encoding="utf-8", newline="") as f:
    f.write("code,name,type,population,siren\n")
    for i in range(500):
        f.write("%05d,Commune %d,COM,%d,2%08d\n" % (1000 + i, i, random.randint(50, 90000), i))
with open(f"{d}/big.csv", "w", encoding="utf-8", newline="") as f:
    f.write("nomAttribuant,idAttribuant,dateConvention,nomBeneficiaire,idBeneficiaire,montant,nature\n")
    for i in range(60000):
        t = i // 120
        amount = "%d.%02d" % (random.randint(10, 90000), i % 100) if i % 997 else "n/a"
        f.write('Commune %d,2%08d000%02d,%d-03-%02d,"Club, n°%d",%014d,%s,aide en numéraire\n'
                % (t, t, i % 100, 2022 + i % 3, 1 + i % 28, i % 40, i, amount))
PY
gzip -c $T/subventions-2024-windows-1252.csv >"$TMP/s.csv.gz"

# way NAME ARGS...: outputs of both thread counts in $TMP/NAME.{1,2}.{out,err,status}
way() {
	name=$1; shift
	for t in 1 2; do
		"$BIN/odl-compare" indicators --threads $t "$@" >"$TMP/$name.$t.out" 2>"$TMP/$name.$t.err" <"$TMP/s.csv.gz"
		echo $? >"$TMP/$name.$t.status"
	done
	for part in out err status; do
		cmp -s "$TMP/$name.1.$part" "$TMP/$name.2.$part" ||
			fail "$name: the $part with --threads 2 differs from one thread's"
	done
}

way subv -s subventions -t $T/territories.csv $T/subventions-2023.csv $T/subventions-2024-windows-1252.csv
way strict --strict -s subventions -t $T/territories.csv $T/subventions-2023.csv -
way skipped -s subventions -t $T/territories.csv $T/subventions-2023.csv $T/deliberations.csv
for s in deliberations budget equipements; do
	way $s -s $s -t $T/territories.csv -f csv $T/$s.csv
done
way big -s subventions -t "$TMP/terr.csv" "$TMP/big.csv"
[ "$(cat "$TMP/big.1.status")" = 0 ] || fail "big: exit $(cat "$TMP/big.1.status") ($(head -3 "$TMP/big.1.err"))"
[ "$(wc -l <"$TMP/big.1.out")" -gt 1000 ] || fail "big: only $(wc -l <"$TMP/big.1.out") result rows"
[ "$(cat "$TMP/strict.1.status")" = 1 ] || fail "strict: exit $(cat "$TMP/strict.1.status"), not 1"

done_testing
