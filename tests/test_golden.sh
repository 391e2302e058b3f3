#!/bin/sh
# Byte identity across refactors: short real-data runs of every command that
# writes a result file must give the very bytes recorded in tests/golden/
# (taken from the code before the redesign of the source tree, and the
# theorem's once more when exp, log and cos became base/detmath's; nothing
# else since may change a result; classes.csv, samples.pgm, alignment.csv,
# alignment.svg and theorem_layers.csv, added later,
# from their first version on).  Every kernel path computes the same
# fused multiply-add chains, so there is one set of sums (results.sha256)
# and the runs are repeated on every path this CPU has.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/portable.sh" # sha256
bin=${SUBLIM_BIN:-$root/build/sublim} # the build make test runs (BUILD=...)
data=$root/mnist
if [ ! -f "$data/train-images-idx3-ubyte" ]; then
    echo "SKIPPED: no MNIST in $data (run 'make data')"
    exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
run() { "$bin" "$@" --data "$data" >/dev/null 2>&1 || { echo "FAIL: sublim $* exited $?"; fail=1; }; }

# The runs, into $out/A and $out/B, on the kernel path $1; fails at once
# (status 2) when the CPU lacks it and the first run took another.
runs() {
    rm -rf "$out/A" "$out/B"
    # A: the default protocol, shrunk; curves on; the theorem's defaults, shrunk.
    run experiment --seeds 2 --width 48 --epochs 1 --student-epochs 1 \
        --noise-images 3000 --batch 500 --quiet --out "$out/A"
    [ "$(sed -n 's/^kernels=//p' "$out/A/run.txt" | head -n 1)" = "$1" ] || return 2
    run theorem --trials 4 --width 32 --steps 3 --eps 1e-2,1e-4 --out "$out/A"
    # B: every other choice of every setting.
    run experiment --seeds 1 --seed-start 7 --width 40 --epochs 1 --student-epochs 2 \
        --noise-images 2000 --batch 256 --m 1 --lr 1e-3 --init uniform --noise normal \
        --no-curves --quiet --out "$out/B"
    run theorem --trials 3 --seed 5 --width 24 --m 2 --steps 2 --eps 1e-3 --lr 0.5 \
        --loss mse --outputs all --direction random --inputs mnist --init uniform \
        --noise normal --input-batch 64 --teacher-batch 64 --heldout 200 --out "$out/B"
    for d in A B; do
        "$bin" report "$out/$d" >/dev/null || { echo "FAIL: sublim report $d"; fail=1; }
    done
    return 0
}

sums=$root/tests/golden/results.sha256
# Every fast path this CPU has; the portable path without FMA hardware calls
# libm's fmaf per element (minutes here), so scripts/check-ports.sh runs it
# on a shorter protocol.
for path in avx512 avx2 neon fma; do
    if ! SUBLIM_KERNELS=$path runs "$path"; then
        echo "skipped: no $path on this CPU"
        continue
    fi
    (cd "$out" && sha256 A/results.csv A/curves.csv A/config.txt A/theorem.csv \
        A/figure.svg A/curves.svg B/results.csv B/config.txt B/theorem.csv B/figure.svg \
        A/classes.csv A/samples.pgm B/classes.csv B/samples.pgm A/alignment.csv \
        A/alignment.svg A/theorem_layers.csv B/theorem_layers.csv) \
        >"$out/got.sha256"
    if diff "$sums" "$out/got.sha256"; then
        echo "ok: $path: every file identical to $(basename "$sums")"
    else
        echo "FAIL: $path: files differ from $sums (< recorded, > now)"
        fail=1
    fi
done
exit $fail
