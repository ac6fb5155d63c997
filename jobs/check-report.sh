#!/usr/bin/env bash
# Opens a rendered report in headless Chromium, offline, and fails if the page does not load, logs
# anything to the console (the report has no scripts, so any message is a blocked resource or a
# Content-Security-Policy violation), loads anything over the network, or carries a chart image that
# is not a PNG. Saves a screenshot of the top of the page to look at.
#
#   jobs/check-report.sh                              # warehouse/report/report.html
#   jobs/check-report.sh target/report-sample.html   # the page SampleReportTest writes
#
# Environment: CHROMIUM (default: chromium on the PATH), WINDOW (default 1400,6000),
# SCREENSHOT (default target/report-screenshot.png).
set -euo pipefail
# Paths given by the caller are relative to where it runs; the defaults to the project root.
caller="$(pwd)"
absolute() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$caller" "$1" ;; esac; }
REPORT="$(if [ $# -ge 1 ]; then absolute "$1"; fi)"
SCREENSHOT="$(if [ -n "${SCREENSHOT:-}" ]; then absolute "$SCREENSHOT"; fi)"
cd "$(dirname "$0")/.."

REPORT="${REPORT:-warehouse/report/report.html}"
WINDOW="${WINDOW:-1400,6000}"
SCREENSHOT="${SCREENSHOT:-target/report-screenshot.png}"

say() { printf '[check-report] %s\n' "$*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
  fail "chromium not found; install it with: apt-get install chromium (or set CHROMIUM=/path/to/chrome)"
fi
[ -f "$REPORT" ] || fail "no report at $REPORT"
[ -s "$REPORT" ] || fail "$REPORT is empty"

url="file://$(cd "$(dirname "$REPORT")" && pwd)/$(basename "$REPORT")"
mkdir -p "$(dirname "$SCREENSHOT")"
rm -f "$SCREENSHOT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A throwaway profile, and every host name resolving to nothing: a page that needs the network
# shows it here as a failed load instead of quietly fetching.
chrome() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile" --host-resolver-rules="MAP * ~NOTFOUND" \
    --enable-logging=stderr --v=0 "$@" "$url"
}

say "opening $url"
chrome --dump-dom >"$work/dom.html" 2>"$work/dom.log" || fail "chromium exited with $? on --dump-dom (log: below)"
chrome --window-size="$WINDOW" --screenshot="$SCREENSHOT" >/dev/null 2>"$work/shot.log" \
  || fail "chromium exited with $? taking the screenshot"

problems=0
# Chromium logs page console messages as "...:CONSOLE:<line>] "<message>", source: ..." and failed
# loads as "Page load failed: net::ERR_..." or "net::ERR_..."; the D-Bus and GPU noise of a
# container without a desktop is not about the page.
# Both runs log the same messages; the "[pid:tid:time:LEVEL:...]" prefix differs, so it goes before sort -u.
page_log=$(cat "$work/dom.log" "$work/shot.log" | grep -E ':CONSOLE[:(]|Page load failed|net::ERR_' \
  | sed -E 's/^\[[^]]*\] ?//' | sort -u || true)
if [ -n "$page_log" ]; then
  say "the page logged:"
  printf '%s\n' "$page_log" | sed 's/^/    /' >&2
  problems=$((problems + 1))
else
  say "ok: no console messages and no failed loads"
fi

grep -q '</main>' "$work/dom.html" || { say "the rendered DOM has no <main> element: the page did not render"; problems=$((problems + 1)); }

expected_imgs=$(grep -o '<img ' "$REPORT" | wc -l)
dom_imgs=$(grep -o '<img ' "$work/dom.html" | wc -l)
if [ "$dom_imgs" -ne "$expected_imgs" ]; then
  say "the DOM has $dom_imgs <img> elements, the file $expected_imgs"
  problems=$((problems + 1))
else
  say "ok: $dom_imgs chart image(s) in the DOM"
fi

remote=$(grep -oiE '(src|href|srcset)[[:space:]]*=[[:space:]]*["'"'"']?[[:space:]]*(https?:)?//[^"'"'"' >]*' "$REPORT" || true)
if [ -n "$remote" ]; then
  say "the file references the network:"
  printf '%s\n' "$remote" | sort -u | head -20 | sed 's/^/    /' >&2
  problems=$((problems + 1))
else
  say "ok: no http(s) src/href references"
fi

n=0
while IFS= read -r data; do
  n=$((n + 1))
  # head closes the pipe after 8 bytes; base64's SIGPIPE is expected, hence the || true.
  magic=$(printf '%s' "$data" | base64 -d 2>/dev/null | head -c 8 | od -An -tx1 | tr -d ' \n' || true)
  if [ "$magic" != "89504e470d0a1a0a" ]; then
    say "image $n is not a PNG (starts with: ${magic:-nothing})"
    problems=$((problems + 1))
  fi
done < <(grep -oE 'src="data:image/png;base64,[A-Za-z0-9+/=]*"' "$REPORT" | sed -E 's/^src="data:image\/png;base64,//; s/"$//')
[ "$n" -eq "$expected_imgs" ] || { say "$expected_imgs <img> elements but $n data:image/png sources"; problems=$((problems + 1)); }
if [ "$n" -gt 0 ] && [ "$problems" -eq 0 ]; then
  say "ok: all $n image(s) are PNGs"
fi

[ -s "$SCREENSHOT" ] || { say "no screenshot was written to $SCREENSHOT"; problems=$((problems + 1)); }

if [ "$problems" -ne 0 ]; then
  say "screenshot (for a look): $SCREENSHOT"
  fail "$problems problem(s) in $REPORT"
fi
say "report OK: $REPORT ($(wc -c <"$REPORT") bytes); screenshot of the top ${WINDOW/,/x} px: $SCREENSHOT"
