#!/bin/sh
# Run every test program: the programs given as arguments, then each
# shell test tests/*.sh (run with sh).  Keeps going past failures, then
# prints "N passed, N failed" and fails if anything failed.
#
# RUNNER (from `make test RUNNER=...`): a command the programs run under,
# such as qemu-aarch64 for a cross build.  The shell tests are then left
# out: they start the program (SUBLIM_BIN) directly, and their real-data
# runs would take far too long emulated.
set -u
runner=${RUNNER:-}

root=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
failures=

# Each test's wall time is printed, so a slow one is easy to find.
run() {
    echo "=== $*"
    t0=$(date +%s)
    if "$@"; then
        passed=$((passed + 1))
        echo "=== ok in $(($(date +%s) - t0)) s: $1${2:+ $2}"
    else
        echo "=== FAILED (exit $?, $(($(date +%s) - t0)) s): $*"
        failed=$((failed + 1))
        failures="$failures $*"
    fi
}

# An argument may carry its own arguments ("prog dir1 dir2"): split on spaces.
for t in "$@"; do
    case $t in
        */*) run $runner $t ;;
        *) run $runner ./$t ;;   # a bare name would otherwise be looked up in PATH
    esac
done
if [ -z "$runner" ]; then
    for t in "$root"/tests/*.sh; do
        [ -f "$t" ] && run sh "$t"   # an unmatched glob stays literal
    done
fi

[ $failed -eq 0 ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
