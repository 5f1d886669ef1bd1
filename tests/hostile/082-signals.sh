# SIGINT/SIGTERM mid-run and a full disk, for the runs 010-output does not
# already cover: odl-compare territories, indicators, match and compliance,
# odl-render text, markdown, csv and svg, odl-validate --check-schema and
# --fix-output, odl-fetch.
#  - killed while it waits for the rest of its input: exit 130 (INT) or 143
#    (TERM), the previous -o file byte for byte, no temporary beside it;
#  - standard output on /dev/full: exit 2 and one line;
#  - -o a full device: exit 2, one line naming it, the device left a device.
. tests/hostile/lib.sh

W=$TMP/w
mkdir "$W"
T=$ODL_TOP/testdata/compare
D=$ODL_TOP/testdata/demo
R=$ODL_TOP/testdata/render
S=$ODL_TOP/testdata/schema/communes.json
F=$ODL_TOP/testdata/validate/communes-errors.csv
export XDG_CACHE_HOME="$TMP/xdg"

# The runs, each a name and a command line where IN is the input it waits
# for and OUT its output ('-' = stdout).
RUNS="territories indicators match compliance render-text render-markdown render-csv render-svg fix-output"
cmd() { # NAME IN OUT
	case $1 in
	territories) echo odl-compare territories --cog "$2" -o "$3" ;;
	indicators) echo odl-compare indicators -s subventions -t "$T/territories.csv" -o "$3" "$2" ;;
	match) echo odl-compare match -t "$D/territories.csv" -o "$3" "$2" ;;
	compliance) echo odl-compare compliance -t "$T/territories.csv" --today 2026-11-23 -o "$3" "$2" ;;
	render-svg) echo odl-render -f svg -o "$3" "$2" ;;
	render-*) echo odl-render -f "${1#render-}" -o "$3" "$2" ;;
	fix-output) echo odl-validate --fix -s "$S" -f ndjson -o /dev/null --fix-output "$3" "$2" ;;
	esac
}
input() { # NAME : a real input for it
	case $1 in
	territories) echo "$T/territories/cog-communes.csv" ;;
	indicators) echo "$T/subventions-2023.csv" ;;
	match) echo "$D/catalog/export-organization.csv" ;;
	compliance) echo "$T/reports.ndjson" ;;
	render-svg) echo "$T/rank-input.ndjson" ;;
	render-*) echo "$R/reports.ndjson" ;;
	fix-output) echo "$F" ;;
	esac
}
status_of() { # NAME : its exit status on the real input
	case $1 in fix-output) echo 1 ;; *) echo 0 ;; esac
}

# the real runs work, so that the failures below are the signal's or the disk's
for r in $RUNS; do
	# shellcheck disable=SC2046
	run "$(status_of $r)" $(echo "$BIN/")$(cmd $r "$(input $r)" "$TMP/want.$r")
	[ -s "$TMP/want.$r" ] || fail "$r: empty output"
done

# ---- SIGINT / SIGTERM while the program waits for its input ----
mkfifo "$TMP/in.fifo"
for sig in INT TERM; do
	[ $sig = INT ] && want=130 || want=143
	for r in $RUNS; do
		printf 'previous output\n' >"$W/r.out"
		chmod 640 "$W/r.out"
		snapshot "$W" sig
		# shellcheck disable=SC2046
		"$BIN/"$(cmd $r "$TMP/in.fifo" "$W/r.out") 2>"$TMP/err" &
		pid=$!
		exec 3>"$TMP/in.fifo"
		# the first part of a real input, then the program waits for the rest
		# (in a subshell: a program that already left must not kill the test)
		(head -c 300 "$(input $r)" >&3) 2>/dev/null
		sleep 0.3
		kill -$sig $pid
		{ wait $pid; } 2>/dev/null
		st=$?
		exec 3>&-
		[ $st -eq $want ] || fail "$r killed by SIG$sig: exit $st (wanted $want): $(head -2 "$TMP/err")"
		unchanged "$W" sig "$r killed by SIG$sig"
	done
done

# odl-fetch: a transfer from a FIFO (a file:// URL typed by the user) cut by
# the signal; the previous download stays, no temporary in dl or the cache
mkdir "$W/dl"
printf 'previous download\n' >"$W/dl/in.fifo"
for sig in INT TERM; do
	[ $sig = INT ] && want=130 || want=143
	rm -rf "$TMP/cache" # no part left from the run before: a fresh transfer
	snapshot "$W" fetch
	"$BIN/odl-fetch" -q --cache "$TMP/cache" -o "$W/dl" url "file://$TMP/in.fifo" >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	exec 3>"$TMP/in.fifo"
	(printf 'code;nom\n16015;Ang' >&3) 2>/dev/null
	sleep 0.3
	kill -$sig $pid
	{ wait $pid; } 2>/dev/null
	st=$?
	exec 3>&-
	[ $st -eq $want ] || fail "fetch killed by SIG$sig: exit $st (wanted $want): $(head -2 "$TMP/err")"
	unchanged "$W" fetch "fetch killed by SIG$sig"
	if [ -d "$TMP/cache" ] && [ -n "$(find "$TMP/cache" -name '*.tmp*' -o -name '.*tmp*' | head -1)" ]; then
		fail "fetch killed by SIG$sig left a temporary in the cache: $(find "$TMP/cache" -type f | head -3)"
	fi
done

# no_warnings : drop the data's warnings from stderr (they are not the error)
no_warnings() {
	grep -v '^odl-[a-z]*: warning: ' "$TMP/err" >"$TMP/err.w"
	mv "$TMP/err.w" "$TMP/err"
}

# ---- a full disk: standard output and -o ----
if mknod "$W/full" c 1 7 2>/dev/null; then FULLDEV=$W/full; else FULLDEV=/dev/full; fi
for r in $RUNS; do
	name=$(cmd $r x x | cut -d' ' -f1)
	# -o a full device
	# shellcheck disable=SC2046
	run 2 "$BIN/"$(cmd $r "$(input $r)" "$FULLDEV")
	no_warnings
	one_line "$name: '$FULLDEV': cannot write: No space left on device" "$r -o full device"
	[ -c "$FULLDEV" ] || { fail "$r: $FULLDEV was replaced"; rm -f "$FULLDEV"; mknod "$W/full" c 1 7 2>/dev/null || FULLDEV=/dev/full; }
	# standard output on /dev/full
	[ $r = fix-output ] && continue
	# shellcheck disable=SC2046
	"$BIN/"$(cmd $r "$(input $r)" -) >/dev/full 2>"$TMP/err"
	st=$?
	[ $st -eq 2 ] || fail "$r >/dev/full: exit $st (wanted 2)"
	no_warnings
	one_line "$name: error writing standard output: No space left on device" "$r >/dev/full"
done
# --fix-output - and --check-schema on a full standard output
"$BIN/odl-validate" --fix -s "$S" -f ndjson -o /dev/null --fix-output - "$F" >/dev/full 2>"$TMP/err"
st=$?
[ $st -eq 2 ] || fail "--fix-output - >/dev/full: exit $st (wanted 2)"
one_line "odl-validate: error writing standard output: No space left on device" "--fix-output - >/dev/full"
for f in ndjson frictionless csv text; do
	"$BIN/odl-validate" --check-schema "$S" -f $f >/dev/full 2>"$TMP/err"
	st=$?
	[ $st -eq 2 ] || fail "--check-schema -f $f >/dev/full: exit $st (wanted 2)"
	one_line "odl-validate: error writing standard output: No space left on device" "--check-schema -f $f >/dev/full"
	run 2 "$BIN/odl-validate" --check-schema "$S" -f $f -o "$FULLDEV"
	one_line "odl-validate: '$FULLDEV': cannot write: No space left on device" "--check-schema -f $f -o full device"
done
[ -c /dev/full ] || fail "/dev/full is no longer a character device"
done_testing
