#!/bin/sh
# Tests scripts/portable.sh, in sh and in bash, both as it finds this
# system and as it would find a Mac's: no timeout(1) that takes
# --foreground, a date(1) without %N (fakes first in PATH).  with_timeout
# passes the command's own exit status through, signals it after the delay
# (137 for KILL), returns only once it is gone, and leaves no sleeping
# watcher behind; now_ms counts milliseconds; sha256 prints sha256sum's
# lines.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)

if [ "${1:-}" = --checks ]; then
    # One run of the checks, in the shell that runs this file.
    . "$root/scripts/portable.sh"
    t=$2
    fails=0
    check() { # NAME STATUS: STATUS 0 passes
        if [ "$2" -eq 0 ]; then echo "ok   - $1"; else echo "FAIL - $1"; fails=$((fails + 1)); fi
    }
    ms() { t0=$(now_ms); "$@"; rc=$?; elapsed=$(($(now_ms) - t0)); }

    ms with_timeout KILL 5 sh -c 'exit 3'
    [ "$rc" -eq 3 ] && [ "$elapsed" -lt 2000 ]
    check "a command that ends first: its own status (3: $rc), at once ($elapsed ms)" $?
    ms with_timeout KILL 0.3 sh -c 'echo $$ >"$1"; exec sleep 30' sh "$t/pid"
    [ "$rc" -eq 137 ] && [ "$elapsed" -ge 250 ] && [ "$elapsed" -lt 5000 ]
    check "a command killed after 0.3 s: 137 ($rc) after $elapsed ms" $?
    ! kill -0 "$(cat "$t/pid")" 2>/dev/null
    check "the killed command is gone when with_timeout returns" $?
    ms with_timeout TERM 0.3 sh -c 'trap "kill \$s; exit 7" TERM; sleep 30 & s=$!; wait'
    check "a command that exits on TERM: its own status (7: $rc)" $((rc != 7))
    # A command that ends at once: with_timeout returns at once, its
    # watcher gone (it waits for the watcher, which would otherwise run 60 s).
    ms with_timeout KILL 60 true
    [ "$rc" -eq 0 ] && [ "$elapsed" -lt 3000 ]
    check "a quick command: back at once, watcher gone ($rc, $elapsed ms)" $?

    a=$(now_ms)
    sleep 0.3
    b=$(now_ms)
    [ $((b - a)) -ge 250 ] && [ $((b - a)) -lt 5000 ]
    check "now_ms counts milliseconds ($a, then $((b - a)) ms later)" $?

    printf 'abc' >"$t/abc"
    want="ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  $t/abc"
    [ "$(sha256 "$t/abc")" = "$want" ]
    check "sha256 FILE prints sha256sum's line" $?
    [ "$(sha256 <"$t/abc" | cut -d' ' -f1)" = "${want%% *}" ]
    check "sha256 reads standard input" $?
    exit $fails
fi

t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
# A Mac's userland, as far as portable.sh looks: timeout and gtimeout that
# know no --foreground, a date that prints %3N as "3N".
mkdir "$t/mac"
for tool in timeout gtimeout; do
    printf '#!/bin/sh\necho "%s: illegal option" >&2\nexit 125\n' "$tool" >"$t/mac/$tool"
done
real_date=$(command -v date)
printf '#!/bin/sh\ncase "$*" in *%%3N*) echo 3N ;; *) exec %s "$@" ;; esac\n' "$real_date" \
    >"$t/mac/date"
chmod +x "$t/mac"/*

fail=0
for shell in sh bash; do
    command -v "$shell" >/dev/null 2>&1 || { echo "skip - no $shell"; continue; }
    echo "== $shell, this system's tools"
    "$shell" "$0" --checks "$t" || fail=1
    echo "== $shell, a Mac's tools (no timeout --foreground, no date %N)"
    PATH=$t/mac:$PATH "$shell" "$0" --checks "$t" || fail=1
done
[ $fail -eq 0 ] && echo "test_portable: all ok"
exit $fail
