#!/bin/sh
# The tree keeps its shape: every include points down the layers
# (scripts/check-layers.sh) and no file or function outgrows its limit
# (scripts/check-sizes.sh).  Each check must also fail on a copy of src/
# broken on purpose, so that it can fail at all.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
fail=0
sh "$root/scripts/check-layers.sh" "$root/src" || fail=1
sh "$root/scripts/check-sizes.sh" "$root/src" || fail=1

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
# expect_failure NAME SCRIPT PATTERN: SCRIPT fails on $t/src, saying PATTERN.
expect_failure() {
    if sh "$root/scripts/$2" "$t/src" >"$t/log" 2>&1; then
        echo "FAIL: $1 was not caught"
        fail=1
    elif grep -q "$3" "$t/log"; then
        echo "ok: $1 is caught"
    else
        echo "FAIL: unexpected output for $1:"
        cat "$t/log"
        fail=1
    fi
}

cp -r "$root/src" "$t/src"
echo '#include "cli/commands.h"' >>"$t/src/nn/mlp.c"
expect_failure "an upward include (nn -> cli)" check-layers.sh \
    'nn/mlp.c: #include "cli/commands.h" reaches up'

rm -rf "$t/src" && cp -r "$root/src" "$t/src"
{
    echo 'int too_long(void)'
    echo '{'
    i=0
    while [ $i -lt 101 ]; do echo '    ;'; i=$((i + 1)); done
    echo '    return 0;'
    echo '}'
} >>"$t/src/base/err.c"
expect_failure "a function of 105 lines" check-sizes.sh 'int too_long(void)... is 105 lines'
exit $fail
