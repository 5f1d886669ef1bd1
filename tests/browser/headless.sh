# tests/browser/headless.sh - run a page in headless Chromium, sourced by
# tests/cli/43x-*.sh after tests/cli/lib.sh.
#
#   headless PAGE OUTDIR : writes OUTDIR/dom.html (--dump-dom), OUTDIR/shot.png
#   (--screenshot), OUTDIR/console.txt (the page's console messages from the
#   browser log) and OUTDIR/requests.txt (every network request the page
#   made, from Chromium's own NetLog).
#
# Method.  Chromium logs each console message (errors, CSP violations) to
# stderr as "CONSOLE" with --enable-logging=stderr --v=0.  --log-net-log
# records every URL request the network stack starts, including those that
# fail; the page's are the ones whose network isolation key is file://
# (Chromium's own background requests have another key).  The virtual time
# budget makes Chromium finish loading and running the page before it dumps
# or shoots it, however loaded the machine (a screenshot taken early missed
# a colour).  The host resolver
# maps every name to NOTFOUND, so nothing leaves this machine whatever the
# page or the browser asks for.  Each run has a fresh profile and a timeout.

CHROMIUM=${CHROMIUM:-chromium}

need_chromium() {
	command -v "$CHROMIUM" >/dev/null 2>&1 || {
		echo "skipped: chromium is not installed (scripts/install-deps test)"
		exit 77
	}
}

chromium_run() {
	_profile=$(mktemp -d)
	timeout 20 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-quic --user-data-dir="$_profile" \
		--host-resolver-rules='MAP * ~NOTFOUND' \
		--enable-logging=stderr --v=0 --window-size=1000,1400 \
		--hide-scrollbars --virtual-time-budget=10000 "$@"
	_rc=$?
	rm -rf "$_profile"
	return $_rc
}

headless() {
	_page=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	_out=$2
	chromium_run --log-net-log="$_out/netlog.json" --dump-dom "file://$_page" \
		>"$_out/dom.html" 2>"$_out/stderr.txt" || return 1
	chromium_run --screenshot="$_out/shot.png" "file://$_page" \
		>/dev/null 2>"$_out/stderr2.txt" || return 1
	cat "$_out/stderr.txt" "$_out/stderr2.txt" | grep 'CONSOLE' | sed 's/.*CONSOLE[^]]*\] //' | sort -u >"$_out/console.txt"
	python3 - "$_out/netlog.json" >"$_out/requests.txt" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
for e in log["events"]:
    p = e.get("params", {})
    if names.get(e["type"]) == "URL_REQUEST_START_JOB" and \
            p.get("network_isolation_key", "").startswith("file://"):
        print(p.get("method"), p.get("url"))
PY
}
