#!/bin/sh
# Run every test program: the programs given as arguments, then each
# shell test tests/*.sh (run with sh).  Keeps going past failures, then
# prints how many programs and how many tests passed, the last line
# "N passed, N failed, N skipped" counting tests, and fails if anything
# failed.
#
# A test is what a program reports as one: a cmocka test case (its
# "[  PASSED  ] N test(s)" and "[  FAILED  ] N test(s)" lines), a shell
# test's "ok"/"FAIL"/"skip" check lines; a program that reports none (a
# fuzz replay) is one test.  A program that fails without a failed test
# of its own (a crash, a shell test's early exit) counts one failed test.
#
# RUNNER (from `make test RUNNER=...`): a command the programs run under,
# such as qemu-aarch64 for a cross build.  The shell tests are then left
# out: they start the program (SUBLIM_BIN) directly, and their real-data
# runs would take far too long emulated.
#
# TEST_TIMEOUT (seconds, from `make test TEST_TIMEOUT=...`): a program
# still running after that long is killed and counts as failed, so a hang
# fails its program rather than the whole run.
#
# SKIP_SHELL (from `make test SKIP_SHELL=...`): shell tests to leave out,
# by file name; each is counted skipped and said so.
set -u
runner=${RUNNER:-}
limit=${TEST_TIMEOUT:-}
skip_shell=${SKIP_SHELL:-}

root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/portable.sh" # with_timeout
log=$(mktemp "${TMPDIR:-/tmp}/sublim-run-tests.XXXXXX")
trap 'rm -f "$log" "$log.rc"' EXIT
programs_passed=0
programs_failed=0
tests_passed=0
tests_failed=0
tests_skipped=0
failures=

# The sum of the numbers a program's cmocka summary lines give for what
# ("PASSED", "FAILED", "SKIPPED"), 0 when there are none.
cmocka_count() {
    sed -n "s/^\[  *$1  *\] \([0-9][0-9]*\) test(s)[.,].*/\1/p" "$log" |
        awk '{ n += $1 } END { print n + 0 }'
}

# Lines of a shell test's output starting with one of the words (ok, FAIL,
# skip and their spellings).
check_lines() {
    grep -c -E "^($1)([ :-]|$)" "$log"
}

# Runs a program, its output shown as it comes and kept in $log; then
# counts its tests.  Each program's wall time is printed, so a slow one is
# easy to find.
run() {
    echo "=== $*"
    t0=$(date +%s)
    if [ -n "$limit" ]; then
        { with_timeout KILL "$limit" "$@" 2>&1; echo $? >"$log.rc"; } | tee "$log"
    else
        { "$@" 2>&1; echo $? >"$log.rc"; } | tee "$log"
    fi
    rc=$(cat "$log.rc")
    if [ "$1" = sh ]; then
        passed=$(check_lines 'ok')
        failed=$(check_lines 'FAIL|not ok')
        skipped=$(check_lines 'SKIPPED|skipped|skip')
    else
        passed=$(cmocka_count PASSED)
        failed=$(cmocka_count FAILED)
        skipped=$(cmocka_count SKIPPED)
    fi
    if [ $((passed + failed + skipped)) -eq 0 ]; then
        [ "$rc" -eq 0 ] && passed=1 || failed=1
    fi
    [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
    tests_passed=$((tests_passed + passed))
    tests_failed=$((tests_failed + failed))
    tests_skipped=$((tests_skipped + skipped))
    if [ "$rc" -eq 0 ]; then
        programs_passed=$((programs_passed + 1))
        echo "=== ok in $(($(date +%s) - t0)) s: $1${2:+ $2} ($passed passed, $skipped skipped)"
    else
        echo "=== FAILED (exit $rc, $(($(date +%s) - t0)) s): $* ($failed failed)"
        programs_failed=$((programs_failed + 1))
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
        [ -f "$t" ] || continue   # an unmatched glob stays literal
        case " $skip_shell " in
            *" ${t##*/} "*)
                echo "=== skipped: sh $t (SKIP_SHELL)"
                tests_skipped=$((tests_skipped + 1))
                continue ;;
        esac
        run sh "$t"
    done
fi

[ $programs_failed -eq 0 ] || echo "failed:$failures"
echo "$((programs_passed + programs_failed)) programs: $programs_passed passed, $programs_failed failed"
echo "$tests_passed passed, $tests_failed failed, $tests_skipped skipped" \
     "(tests: cmocka cases, shell checks, other programs one each)"
[ $programs_failed -eq 0 ]
