#!/bin/sh
# Run every test program: the programs given as arguments, then each
# shell test tests/*.sh (run with sh).  Keeps going past failures, then
# prints "N passed, N failed" and fails if anything failed.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
passed=0
failed=0
failures=

run() {
    echo "=== $*"
    if "$@"; then
        passed=$((passed + 1))
    else
        echo "=== FAILED (exit $?): $*"
        failed=$((failed + 1))
        failures="$failures $*"
    fi
}

# An argument may carry its own arguments ("prog dir1 dir2"): split on spaces.
for t in "$@"; do
    case $t in
        */*) run $t ;;
        *) run ./$t ;;   # a bare name would otherwise be looked up in PATH
    esac
done
for t in "$root"/tests/*.sh; do
    [ -f "$t" ] && run sh "$t"   # an unmatched glob stays literal
done

[ $failed -eq 0 ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
