# Output files (-o) and standard output, for every program that writes them:
#  - a run that ends with exit 2 leaves the previous file byte for byte
#    (each cause: missing, binary, truncated gzip, oversized cell, bad schema,
#    no schema, bad set, bad JSON...), with its mode;
#  - a regular file is replaced keeping its mode (0600 stays 0600) and owner;
#  - a symlink's target is replaced and the link stays a link;
#  - a character device, a FIFO, /dev/stdout are written in place;
#  - a missing or read-only directory, a directory: one line naming the path,
#    exit 2, no temporary left;
#  - a closed pipe ends quietly with 0; a full disk says so, exit 2;
#  - SIGINT/SIGTERM mid-run leave the previous file and no temporary.
. tests/hostile/lib.sh

W=$TMP/w
mkdir "$W"
S=testdata/schema/communes.json
F=testdata/validate/communes-errors.csv
T=testdata/compare
R=testdata/render
PROGS="validate describe compare render"

# prev NAME [MODE] : a previous report in $W
prev() {
	printf 'previous report\n' >"$W/$1"
	chmod "${2:-600}" "$W/$1"
}

# out PROG OUT : PROG's run that produces its output, written to OUT ($PRIV,
# when set, runs it as an unprivileged user)
PRIV=
out() {
	case $1 in
	validate) $PRIV "$BIN/odl-validate" -f ndjson -s $S -o "$2" $F ;;
	describe) $PRIV "$BIN/odl-validate" --describe -f ndjson -o "$2" testdata/csv/utf8-bom.csv ;;
	compare) $PRIV "$BIN/odl-compare" rank -o "$2" $T/rank-input.ndjson ;;
	render) $PRIV "$BIN/odl-render" -f html -o "$2" $R/reports.ndjson ;;
	esac
}
# good PROG OUT : that run, with its exit status checked (1: invalid data)
good() {
	if [ $1 = validate ]; then run 1 out "$@"; else run 0 out "$@"; fi
}

# what each program writes, into fresh files
for p in $PROGS; do
	good $p "$TMP/want.$p"
	[ -s "$TMP/want.$p" ] || fail "$p: empty output"
done

# mode_is PATH MODE [CASE]
mode_is() {
	m=$(stat -c %a "$1")
	[ "$m" = "$2" ] || fail "${3:-run}: $1 has mode $m (wanted $2)"
}

# ---- 1. exit 2 keeps the previous file, whatever the cause ----
# bad CASE 'GLOB' CMD... : CMD exits 2 with one line; $W is left as it was
bad() {
	c=$1 g=$2
	shift 2
	prev r.out
	snapshot "$W" bad
	run 2 "$@"
	one_line "$g" "$c"
	unchanged "$W" bad "$c"
}
O=$W/r.out
{ echo 'code_insee;nom'; echo '16015;Angoulême'; } >"$TMP/noschema.csv"
for fmt in ndjson csv frictionless text; do
	bad "validate -f $fmt missing file" "odl-validate: 'missing.csv'*" \
		"$BIN/odl-validate" -f $fmt -s $S -o "$O" missing.csv
	bad "validate -f $fmt binary file" "odl-validate: '*binary-garbage.bin'*" \
		"$BIN/odl-validate" -f $fmt -s $S -o "$O" testdata/validate/binary-garbage.bin
	bad "validate -f $fmt truncated gzip" "odl-validate: '*gzip-truncated.csv.gz'*" \
		"$BIN/odl-validate" -f $fmt -s $S -o "$O" testdata/csv/gzip-truncated.csv.gz
	bad "validate -f $fmt cell over --max-cell" "odl-validate: '$F'*" \
		"$BIN/odl-validate" -f $fmt -s $S --max-cell 3 -o "$O" $F
	bad "validate -f $fmt bad schema" "odl-validate: '*trailing-comma.json'*" \
		"$BIN/odl-validate" -f $fmt -s testdata/schema/trailing-comma.json -o "$O" $F
	bad "validate -f $fmt no schema detected" "odl-validate: '$TMP/noschema.csv'*" \
		"$BIN/odl-validate" -f $fmt -o "$O" "$TMP/noschema.csv"
done
bad "describe missing file" "odl-validate: 'missing.csv'*" \
	"$BIN/odl-validate" --describe -o "$O" missing.csv
bad "describe truncated gzip" "odl-validate: '*gzip-truncated.csv.gz'*" \
	"$BIN/odl-validate" --describe -o "$O" testdata/csv/gzip-truncated.csv.gz
bad "compare rank missing input" "odl-compare: 'missing.ndjson'*" \
	"$BIN/odl-compare" rank -o "$O" missing.ndjson
bad "compare unknown set" "odl-compare: '*nosuchset*'*" \
	"$BIN/odl-compare" indicators -s nosuchset -t $T/territories.csv -o "$O" $T/budget.csv
bad "compare indicators missing input" "odl-compare: 'missing.csv'*" \
	"$BIN/odl-compare" indicators -s subventions -t $T/territories.csv -o "$O" missing.csv
bad "render missing input" "odl-render: 'missing.ndjson'*" \
	"$BIN/odl-render" -o "$O" missing.ndjson
bad "render bad JSON" "odl-render: '$R/bad-json.ndjson' line 2*" \
	"$BIN/odl-render" -o "$O" $R/bad-json.ndjson
bad "render svg, nothing to chart" "odl-render: nothing to chart in this input" \
	"$BIN/odl-render" -f svg -o "$O" $R/table.csv

# ---- 4. a replaced file keeps its mode and owner; a new one gets the umask ----
for p in $PROGS; do
	for m in 600 640 444; do
		prev r.out $m
		good $p "$W/r.out"
		same "$W/r.out" "$TMP/want.$p"
		mode_is "$W/r.out" $m "$p replacing a $m file"
	done
	rm -f "$W/r.out"
	(umask 027 && good $p "$W/r.out")
	mode_is "$W/r.out" 640 "$p, new file, umask 027"
	if [ "$(id -u)" = 0 ]; then
		prev r.out 640
		chown 1234:4321 "$W/r.out"
		good $p "$W/r.out"
		o=$(stat -c %u:%g "$W/r.out")
		[ "$o" = 1234:4321 ] || fail "$p: replaced file owned by $o (wanted 1234:4321)"
	fi
	rm -f "$W/r.out"
done

# ---- 2. what is not a regular file is not replaced ----
for p in $PROGS; do
	# a symlink: its target replaced, the link stays
	prev real.out
	ln -sf real.out "$W/link"
	good $p "$W/link"
	[ -L "$W/link" ] && [ "$(readlink "$W/link")" = real.out ] || fail "$p: the symlink was replaced"
	same "$W/real.out" "$TMP/want.$p"
	mode_is "$W/real.out" 600 "$p through a symlink"

	# a FIFO: written in place, read by cat
	rm -f "$W/fifo"
	mkfifo "$W/fifo"
	cat "$W/fifo" >"$TMP/from-fifo" &
	cpid=$!
	good $p "$W/fifo"
	# a replaced FIFO would leave cat waiting for a writer
	[ -p "$W/fifo" ] || { fail "$p: the FIFO was replaced"; kill $cpid; }
	wait $cpid
	same "$TMP/from-fifo" "$TMP/want.$p"
done

# A character device.  A private one first (mknod, as root), so that code
# that replaces devices cannot touch the real /dev/null or /dev/full.
devices_safe=1
if mknod "$W/null" c 1 3 2>/dev/null && mknod "$W/full" c 1 7 2>/dev/null; then
	NULLDEV=$W/null FULLDEV=$W/full
	for p in $PROGS; do
		good $p "$NULLDEV"
		[ -c "$NULLDEV" ] || { fail "$p: a character device was replaced"; devices_safe=0; rm -f "$NULLDEV"; mknod "$NULLDEV" c 1 3; }
	done
else
	NULLDEV=/dev/null FULLDEV=/dev/full # not root: the old code could not replace them
fi
if [ $devices_safe = 1 ]; then
	for p in $PROGS; do
		if [ -c /dev/null ]; then
			good $p /dev/null
			[ -c /dev/null ] || fail "$p: /dev/null is no longer a character device"
		else
			echo "note: /dev/null was not a character device before this run: not tried"
		fi
		# /dev/stdout: the program's own standard output, written in place
		out $p /dev/stdout >"$TMP/via-stdout" 2>"$TMP/err"
		same "$TMP/via-stdout" "$TMP/want.$p"
		[ -s "$TMP/err" ] && fail "$p -o /dev/stdout: $(cat "$TMP/err")"
		[ -L /dev/stdout ] || fail "$p: /dev/stdout is no longer a symlink"
	done
	# a normal user can write to /dev/stdout too
	if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
		PRIV="setpriv --reuid=65534 --regid=65534 --clear-groups"
		out render /dev/stdout >"$TMP/via-stdout" 2>"$TMP/err"
		st=$?
		PRIV=
		[ $st -eq 0 ] || fail "render -o /dev/stdout as nobody: exit $st: $(cat "$TMP/err")"
		same "$TMP/via-stdout" "$TMP/want.render"
	fi
fi

# ---- -o into a missing or read-only directory, or a directory ----
mkdir "$W/ro"
chmod 555 "$W/ro"
chmod 755 "$TMP" "$W" # reachable by the unprivileged user below
for p in $PROGS; do
	prev r.out
	snapshot "$W" dirs
	name=odl-$p
	[ $p = describe ] && name=odl-validate
	run 2 out $p "$W/nodir/r.out"
	one_line "$name: '$W/nodir/r.out': cannot create: No such file or directory" "$p -o missing dir"
	run 2 out $p "$W/ro"
	one_line "$name: '$W/ro': cannot create: Is a directory" "$p -o directory"
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv >/dev/null || { echo "note: no setpriv, read-only directory not tried as root"; continue; }
		PRIV="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
	run 2 out $p "$W/ro/r.out"
	PRIV=
	one_line "$name: '$W/ro/r.out': cannot create: Permission denied" "$p -o read-only dir"
	unchanged "$W" dirs "$p -o bad directories"
done
chmod 700 "$TMP"

# ---- 10. a closed pipe ends quietly with 0, a full disk is an error ----
# Large outputs, so that the reader is gone before the writer is done.
{
	echo 'code_insee;nom;population;date_maj;chef_lieu;surface_km2;rurale'
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "%05d;Commune %d;-%d;01/01/2024;;1,5;peut-etre\n", 10000 + i, i, i }'
} >"$TMP/big.csv"
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "{\"territory\":\"%05d\",\"indicator\":\"x\",\"category\":null,\"year\":2023,\"value\":%d,\"denominator\":null,\"denominator_column\":null}\n", 10000 + i, i }' >"$TMP/rank.ndjson"
{
	echo 'commune;montant;note'
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "Commune %d;%d;note %d\n", i, i, i }'
} >"$TMP/table.csv"
mkdir "$TMP/src"
urls=
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	echo 'a;b' >"$TMP/src/f$i.csv"
	urls="$urls file://$TMP/src/f$i.csv"
done
describe_many=
for i in 1 2 3 4 5 6 7 8 9 10; do describe_many="$describe_many $TMP/big.csv"; done

# big NAME : a large output on stdout; big_o NAME OUT : the same into OUT.
# Kept in a file, so that a process started from python can run them too.
export BIN S TMP urls describe_many
cat >"$TMP/big.sh" <<'EOF'
big() {
	case $1 in
	validate) "$BIN/odl-validate" -f csv -s $S "$TMP/big.csv" ;;
	describe) "$BIN/odl-validate" --describe -f ndjson $describe_many ;;
	compare) "$BIN/odl-compare" rank "$TMP/rank.ndjson" ;;
	render-text) "$BIN/odl-render" -f text "$TMP/table.csv" ;;
	render-html) "$BIN/odl-render" -f html "$TMP/table.csv" ;;
	render-csv) "$BIN/odl-render" -f csv "$TMP/table.csv" ;;
	fetch) rm -rf "$TMP/dl" && "$BIN/odl-fetch" -q --cache "$TMP/cache" -o "$TMP/dl" url $urls ;;
	esac
}
big_o() {
	case $1 in
	validate) "$BIN/odl-validate" -f csv -s $S -o "$2" "$TMP/big.csv" ;;
	describe) "$BIN/odl-validate" --describe -f ndjson -o "$2" $describe_many ;;
	compare) "$BIN/odl-compare" rank -o "$2" "$TMP/rank.ndjson" ;;
	render-text) "$BIN/odl-render" -f text -o "$2" "$TMP/table.csv" ;;
	render-html) "$BIN/odl-render" -f html -o "$2" "$TMP/table.csv" ;;
	render-csv) "$BIN/odl-render" -f csv -o "$2" "$TMP/table.csv" ;;
	esac
}
EOF
. "$TMP/big.sh"
BIG="validate describe compare render-text render-html render-csv fetch"
need_cmd python3
for p in $BIG; do
	name=odl-${p%%-*}
	[ $p = describe ] && name=odl-validate
	# | head -1
	{
		big $p 2>"$TMP/err"
		echo $? >"$TMP/st"
	} | head -1 >/dev/null
	[ "$(cat "$TMP/st")" = 0 ] || fail "$p | head -1: exit $(cat "$TMP/st") (wanted 0)"
	[ -s "$TMP/err" ] && fail "$p | head -1 is not quiet: $(head -3 "$TMP/err")"
	# a pipe whose reader has already gone: the very first write fails
	st=$(python3 -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
with open(sys.argv[1], "w") as e:
    print(subprocess.run(sys.argv[2:], stdout=w, stderr=e).returncode)' \
		"$TMP/err" sh -c '. "$TMP/big.sh" && big "$0"' $p)
	[ "$st" = 0 ] || fail "$p into a closed pipe: exit $st (wanted 0)"
	[ -s "$TMP/err" ] && fail "$p into a closed pipe is not quiet: $(head -3 "$TMP/err")"
	# /dev/full as standard output
	big $p >/dev/full 2>"$TMP/err"
	st=$?
	[ $st -eq 2 ] || fail "$p >/dev/full: exit $st (wanted 2)"
	one_line "$name: error writing standard output: No space left on device" "$p >/dev/full"
	[ $p = fetch ] && continue
	# -o a full device
	big_o $p "$FULLDEV" 2>"$TMP/err"
	st=$?
	[ $st -eq 2 ] || fail "$p -o $FULLDEV: exit $st (wanted 2)"
	one_line "$name: '$FULLDEV': cannot write: No space left on device" "$p -o $FULLDEV"
	[ -c "$FULLDEV" ] || { fail "$p: $FULLDEV was replaced"; devices_safe=0; }
	if [ "$FULLDEV" != /dev/full ] && [ $devices_safe = 1 ] && [ -c /dev/full ]; then
		big_o $p /dev/full 2>"$TMP/err"
		st=$?
		[ $st -eq 2 ] || fail "$p -o /dev/full: exit $st (wanted 2)"
		one_line "$name: '/dev/full': cannot write: No space left on device" "$p -o /dev/full"
		[ -c /dev/full ] || fail "$p: /dev/full is no longer a character device"
	fi
	# a FIFO whose reader goes away after one line: quiet, exit 0
	rm -f "$W/fifo"
	mkfifo "$W/fifo"
	head -1 "$W/fifo" >/dev/null &
	hpid=$!
	big_o $p "$W/fifo" 2>"$TMP/err"
	st=$?
	[ -p "$W/fifo" ] || { fail "$p: the FIFO was replaced"; kill $hpid; }
	wait $hpid
	[ $st -eq 0 ] || fail "$p -o FIFO read by head -1: exit $st (wanted 0)"
	[ -s "$TMP/err" ] && fail "$p -o FIFO read by head -1 is not quiet: $(head -3 "$TMP/err")"
done

# ---- SIGINT / SIGTERM mid-run: the previous file stays, no temporary ----
mkfifo "$TMP/in.fifo"
for sig in INT TERM; do
	[ $sig = INT ] && want=130 || want=143
	for p in $PROGS; do
		prev r.out
		snapshot "$W" sig
		case $p in
		validate) "$BIN/odl-validate" -f ndjson -s $S -o "$W/r.out" "$TMP/in.fifo" 2>"$TMP/err" & ;;
		describe) "$BIN/odl-validate" --describe -f ndjson -o "$W/r.out" "$TMP/in.fifo" 2>"$TMP/err" & ;;
		compare) "$BIN/odl-compare" rank -o "$W/r.out" "$TMP/in.fifo" 2>"$TMP/err" & ;;
		render) "$BIN/odl-render" -f html -o "$W/r.out" "$TMP/in.fifo" 2>"$TMP/err" & ;;
		esac
		pid=$!
		exec 3>"$TMP/in.fifo" # the program now waits for the rest of its input
		case $p in
		validate | describe) printf 'code_insee;nom;population\n16015;Ang' >&3 ;;
		*) printf '{"territory":"16015","indicator":"x","year":2023,' >&3 ;;
		esac
		sleep 0.3
		kill -$sig $pid
		{ wait $pid; } 2>/dev/null
		st=$?
		exec 3>&-
		[ $st -eq $want ] || fail "$p killed by SIG$sig: exit $st (wanted $want)"
		unchanged "$W" sig "$p killed by SIG$sig"
	done
done
# a FIFO output nobody reads: the program waits for a reader, and Ctrl-C
# still ends that wait
rm -f "$W/fifo"
mkfifo "$W/fifo"
"$BIN/odl-render" -f html -o "$W/fifo" $R/reports.ndjson 2>"$TMP/err" &
pid=$!
sleep 0.3
kill -INT $pid
{ wait $pid; } 2>/dev/null
st=$?
[ $st -eq 130 ] || fail "render waiting for a FIFO's reader, SIGINT: exit $st (wanted 130)"
[ -p "$W/fifo" ] || fail "render: the FIFO was replaced"
done_testing
