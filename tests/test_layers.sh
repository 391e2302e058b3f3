#!/bin/sh
# The tree keeps its shape: scripts/check-layers.sh passes on src/, and
# fails on a copy in which a lower layer includes a higher one (so the check
# can fail at all).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
check=$root/scripts/check-layers.sh
fail=0
sh "$check" "$root/src" || fail=1

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cp -r "$root/src/." "$t/"
echo '#include "cli/commands.h"' >>"$t/nn/mlp.c"
if sh "$check" "$t" >"$t.log" 2>&1; then
    echo "FAIL: an upward include (nn -> cli) was not caught"
    fail=1
elif grep -q 'nn/mlp.c: #include "cli/commands.h" reaches up' "$t.log"; then
    echo "ok: an upward include is caught"
else
    echo "FAIL: unexpected output for an upward include:"; cat "$t.log"
    fail=1
fi
rm -f "$t.log"
exit $fail
