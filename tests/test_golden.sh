#!/bin/sh
# Byte identity across refactors: short real-data runs of every command that
# writes a result file must give the very bytes recorded in tests/golden/
# (taken from the code before the redesign of the source tree; nothing since
# may change a result).  The sums depend on the kernels' arithmetic: the
# AVX2 and AVX-512 paths share one set (same fused multiply-add chains), the
# portable path has its own (a multiply, then an add).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/sublim
data=$root/mnist
if [ ! -f "$data/train-images-idx3-ubyte" ]; then
    echo "SKIPPED: no MNIST in $data (run 'make data')"
    exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
run() { "$bin" "$@" --data "$data" >/dev/null 2>&1 || { echo "FAIL: sublim $* exited $?"; fail=1; }; }

# A: the default protocol, shrunk; curves on; the theorem's defaults, shrunk.
run experiment --seeds 2 --width 48 --epochs 1 --student-epochs 1 \
    --noise-images 3000 --batch 500 --quiet --out "$out/A"
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

case $(sed -n 's/^kernels=//p' "$out/A/run.txt" | head -n 1) in
    avx2|avx512) sums=$root/tests/golden/fma.sha256 ;;
    portable) sums=$root/tests/golden/portable.sha256 ;;
    *) echo "FAIL: no kernels= line in run.txt"; exit 1 ;;
esac
(cd "$out" && sha256sum A/results.csv A/curves.csv A/config.txt A/theorem.csv \
    A/figure.svg A/curves.svg B/results.csv B/config.txt B/theorem.csv B/figure.svg) \
    >"$out/got.sha256"
if diff "$sums" "$out/got.sha256"; then
    echo "ok: every file identical to $(basename "$sums")"
else
    echo "FAIL: files differ from $sums (< recorded, > now)"
    fail=1
fi
exit $fail
