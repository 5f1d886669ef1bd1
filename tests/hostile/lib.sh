# tests/hostile/lib.sh - helpers for the hostile-input suite, sourced by each
# tests/hostile/NNN-name.sh after tests/cli/lib.sh.
#
# A hostile case runs a program on input built to break it and asserts three
# things: the exact exit status, the one-line message on stderr (program,
# file, line, field), and that nothing but the intended output changed.  The
# last one is checked by taking a snapshot of a directory (path, mode, size,
# SHA-256 of every entry) before the run and comparing after it.
. tests/cli/lib.sh

# snapshot DIR NAME : record DIR's entries in $TMP/snap.NAME
snapshot() {
	( cd "$1" && find . -mindepth 1 \( -type f -o -type l -o -type p \) -printf '%p %M %s %l\n' | sort ) >"$TMP/snap.$2.ls"
	( cd "$1" && find . -mindepth 1 -type f -print0 | sort -z | xargs -0r sha256sum ) >"$TMP/snap.$2.sum"
}

# unchanged DIR NAME [CASE] : DIR holds exactly what snapshot NAME recorded
unchanged() {
	snapshot "$1" "$2.after"
	if ! cmp -s "$TMP/snap.$2.ls" "$TMP/snap.$2.after.ls" ||
		! cmp -s "$TMP/snap.$2.sum" "$TMP/snap.$2.after.sum"; then
		fail "${3:-run} changed files it should not have touched in $1"
		diff -u "$TMP/snap.$2.ls" "$TMP/snap.$2.after.ls" | head -20
		diff -u "$TMP/snap.$2.sum" "$TMP/snap.$2.after.sum" | head -20
	fi
}

# one_line 'GLOB' [CASE] : stderr of the last run is exactly one line that
# matches the shell pattern GLOB
one_line() {
	n=$(wc -l <"$TMP/err")
	if [ "$n" -ne 1 ]; then
		fail "${2:-run}: $n lines on stderr (wanted 1)"
		sed 's/^/  stderr: /' "$TMP/err" | head -10
		return 0
	fi
	# shellcheck disable=SC2254
	case $(cat "$TMP/err") in
	$1) ;;
	*) fail "${2:-run}: unexpected message: $(cat "$TMP/err") (wanted $1)" ;;
	esac
}

# has_line 'GLOB' [CASE] : some line of stderr matches GLOB
has_line() {
	while IFS= read -r l; do
		# shellcheck disable=SC2254
		case $l in $1) return 0 ;; esac
	done <"$TMP/err"
	fail "${2:-run}: no stderr line matches $1"
	sed 's/^/  stderr: /' "$TMP/err" | head -10
}
