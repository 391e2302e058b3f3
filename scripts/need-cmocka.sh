#!/bin/sh
# Make sure $CC can build and link a cmocka test with the user's $CFLAGS and
# $LDFLAGS, and print the flags that do it (the Makefile links the tests
# with them).  Tried in turn: the flags as given; pkg-config's; the
# Homebrew, MacPorts and pkgsrc prefixes.  Missing, it is installed with
# apt-get when we are root on Debian; otherwise this says how to install it
# on this system and fails.
#
#   CC=cc CFLAGS=... LDFLAGS=... sh scripts/need-cmocka.sh    (prints e.g. -lcmocka)
set -u
cc=${CC:-cc}

# The real question is "can we build and link a cmocka test?", so ask the
# compiler rather than guessing at include/library paths.  $1: extra flags.
usable() {
    d=$(mktemp -d) || return 1
    printf '%s\n' '#include <stdarg.h>' '#include <stddef.h>' '#include <setjmp.h>' \
        '#include <stdint.h>' '#include <cmocka.h>' \
        'static void probe(void **state) { (void)state; }' \
        'int main(void) {' \
        '    const struct CMUnitTest tests[] = {cmocka_unit_test(probe)};' \
        '    return cmocka_run_group_tests(tests, NULL, NULL) * 0;' \
        '}' >"$d/probe.c"
    # shellcheck disable=SC2086 # flag lists, split on purpose
    $cc ${CFLAGS:-} "$d/probe.c" -o "$d/probe" ${LDFLAGS:-} $1 >/dev/null 2>&1
    r=$?
    rm -rf "$d"
    return $r
}

# Prints the first flags that work, or fails.
find_flags() {
    if usable -lcmocka; then
        echo -lcmocka
        return 0
    fi
    if command -v pkg-config >/dev/null 2>&1 && flags=$(pkg-config --cflags --libs cmocka 2>/dev/null) &&
        usable "$flags"; then
        echo "$flags"
        return 0
    fi
    # Homebrew (Apple silicon, then Intel), MacPorts, pkgsrc.
    for prefix in /opt/homebrew /usr/local /opt/local /usr/pkg; do
        [ -f "$prefix/include/cmocka.h" ] || continue
        flags="-I$prefix/include -L$prefix/lib -lcmocka"
        if usable "$flags"; then
            echo "$flags"
            return 0
        fi
    done
    return 1
}

find_flags && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "need-cmocka: cmocka is missing; installing libcmocka-dev" >&2
    export DEBIAN_FRONTEND=noninteractive
    # A fresh container often has no package lists yet: update, then retry once.
    { apt-get install -y libcmocka-dev ||
        { apt-get update && apt-get install -y libcmocka-dev; }; } >&2
    find_flags && exit 0
    echo "need-cmocka: installed libcmocka-dev but $cc still cannot build a cmocka program" >&2
    exit 1
fi

# How to install it here.
if [ "$(uname -s)" = Darwin ]; then
    how="brew install cmocka (Homebrew), or sudo port install cmocka (MacPorts)"
elif command -v apt-get >/dev/null 2>&1; then
    how="sudo apt-get install libcmocka-dev"
elif command -v dnf >/dev/null 2>&1; then
    how="sudo dnf install libcmocka-devel"
elif command -v pacman >/dev/null 2>&1; then
    how="sudo pacman -S cmocka"
elif command -v zypper >/dev/null 2>&1; then
    how="sudo zypper install libcmocka-devel"
elif command -v apk >/dev/null 2>&1; then
    how="sudo apk add cmocka-dev"
elif command -v pkg >/dev/null 2>&1; then
    how="sudo pkg install cmocka"
else
    how="your system's cmocka development package"
fi
echo "need-cmocka: $cc cannot build a cmocka test program with CFLAGS='${CFLAGS:-}'" \
    "LDFLAGS='${LDFLAGS:-}' (nor with pkg-config's flags, nor from /opt/homebrew," \
    "/usr/local, /opt/local or /usr/pkg)." >&2
echo "need-cmocka: install it: $how;" \
    "elsewhere, point the build at it: make test CFLAGS='-O2 -g -I/PREFIX/include'" \
    "LDFLAGS=-L/PREFIX/lib" >&2
exit 1
