#!/bin/sh
# Rasterize an SVG file to PNG with headless Chromium, at the SVG's own size
# (its width and height attributes) unless W H are given:
#
#   sh scripts/render-svg.sh figure.svg figure.png [W H]
#   sh scripts/render-svg.sh --which      (prints the browser's path, for
#                                          other checks that drive it)
#
# Chromium or Google Chrome is looked up in PATH under its usual names, then
# as a macOS application; it is installed with apt-get when it is missing
# and we are root on Debian (set SUBLIM_NO_INSTALL=1 to forbid that);
# SUBLIM_CHROMIUM=path picks the browser.
# Exit status: 0 rendered, 1 failed, 2 bad usage, 77 no Chromium can be had
# (callers report a skip, never a pass).
set -u

which=0
[ $# -eq 1 ] && [ "$1" = --which ] && which=1
if [ $which = 0 ] && [ $# -ne 2 ] && [ $# -ne 4 ]; then
    echo "usage: sh scripts/render-svg.sh IN.svg OUT.png [WIDTH HEIGHT] | --which" >&2
    exit 2
fi
in=${1:-}
out=${2:-}
[ $which = 1 ] || [ -f "$in" ] || { echo "render-svg: $in: no such file" >&2; exit 1; }
scripts=$(dirname "$0")
. "$scripts/portable.sh" # with_timeout

find_chromium() {
    if [ -n "${SUBLIM_CHROMIUM:-}" ]; then
        [ -x "$SUBLIM_CHROMIUM" ] && printf '%s\n' "$SUBLIM_CHROMIUM"
        return
    fi
    # Debian, Ubuntu and Arch, Fedora, Google's packages, FreeBSD.
    for c in chromium chromium-browser google-chrome google-chrome-stable chrome; do
        if command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    for app in "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" \
        "/Applications/Chromium.app/Contents/MacOS/Chromium" \
        "${HOME:-/nonexistent}/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" \
        "${HOME:-/nonexistent}/Applications/Chromium.app/Contents/MacOS/Chromium"; do
        if [ -x "$app" ]; then
            printf '%s\n' "$app"
            return 0
        fi
    done
    return 1
}

if ! chrome=$(find_chromium); then
    if [ -z "${SUBLIM_CHROMIUM:-}" ] && [ "$(id -u)" = 0 ] &&
        [ "${SUBLIM_NO_INSTALL:-0}" != 1 ] && command -v apt-get >/dev/null 2>&1; then
        echo "render-svg: Chromium is missing; installing the Debian package chromium" >&2
        export DEBIAN_FRONTEND=noninteractive
        # A fresh container often has no package lists yet: update, then retry once.
        { apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; } >&2
    fi
    if ! chrome=$(find_chromium); then
        if [ "$(uname -s)" = Darwin ]; then
            how="brew install --cask chromium, or Google Chrome"
        else
            how="the package chromium (Debian, Fedora, Arch), chromium-browser or Google Chrome"
        fi
        echo "render-svg: no Chromium${SUBLIM_CHROMIUM:+ at $SUBLIM_CHROMIUM} (install $how)" >&2
        exit 77
    fi
fi

if [ $which = 1 ]; then
    printf '%s\n' "$chrome"
    exit 0
fi

if [ $# -eq 4 ]; then
    w=$3
    h=$4
else
    # The root element's width="..." and height="..." (sublim writes them in pixels).
    head=$(tr '\n' ' ' <"$in" | sed -n 's/.*<svg\([^>]*\)>.*/\1/p')
    w=$(printf '%s' "$head" | sed -n 's/.* width="\([0-9]*\)".*/\1/p')
    h=$(printf '%s' "$head" | sed -n 's/.* height="\([0-9]*\)".*/\1/p')
fi
case "$w$h" in
    '' | *[!0-9]*) echo "render-svg: cannot tell the size of $in; give W H" >&2; exit 1 ;;
esac

abs=$(cd "$(dirname "$in")" && pwd)/$(basename "$in")
profile=$(mktemp -d)
log=$profile.log
rm -f "$out"
# --force-device-scale-factor=1: one SVG unit is one pixel of the PNG.
with_timeout TERM 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --force-device-scale-factor=1 --user-data-dir="$profile" \
    --screenshot="$out" --window-size="$w,$h" "file://$abs" >"$log" 2>&1
rc=$?
rm -rf "$profile"
if [ $rc -ne 0 ] || [ ! -s "$out" ]; then
    echo "render-svg: Chromium failed (exit $rc) rendering $in:" >&2
    tail -n 20 "$log" >&2
    rm -f "$log"
    exit 1
fi
rm -f "$log"
exit 0
