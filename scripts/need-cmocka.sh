#!/bin/sh
# Make sure cmocka (header + library) is usable by $CC; install it with
# apt-get when we are root, otherwise say how to install it and fail.
set -u

# The real question is "can we build and link a cmocka test?", so ask the
# compiler rather than guessing at include/library paths.
usable() {
    d=$(mktemp -d) || return 1
    printf '%s\n' '#include <stdarg.h>' '#include <stddef.h>' '#include <setjmp.h>' \
        '#include <stdint.h>' '#include <cmocka.h>' \
        'int main(void) { return cmocka_run_group_tests((const struct CMUnitTest *)0, 0, 0) * 0; }' |
        ${CC:-cc} -x c - -o "$d/a.out" -lcmocka >/dev/null 2>&1
    r=$?
    rm -rf "$d"
    return $r
}

usable && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "need-cmocka: cmocka is missing; installing libcmocka-dev" >&2
    export DEBIAN_FRONTEND=noninteractive
    # A fresh container often has no package lists yet: update, then retry once.
    apt-get install -y libcmocka-dev ||
        { apt-get update && apt-get install -y libcmocka-dev; }
    usable && exit 0
    echo "need-cmocka: installed libcmocka-dev but ${CC:-cc} still cannot build a cmocka program" >&2
    exit 1
fi

echo "cmocka is missing: install it with 'sudo apt-get install libcmocka-dev' (Debian/Ubuntu) or your system's package" >&2
exit 1
