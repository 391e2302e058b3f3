#!/bin/sh
# The same seed gives the same numbers, bit for bit, whatever the thread
# count: a short real-data experiment and theorem check at 1, 2, 3 and 8
# threads must write byte-identical results; so must a run with every arm
# beyond the paper (a trait teacher and its students, students of another
# shape, mixed starts) at 1 and 3 threads.  (On a machine without
# AVX-512 or AVX2 the kernels fall back, and the comparison still holds.)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${SUBLIM_BIN:-$root/build/sublim} # the build make test runs (BUILD=...)
data=$root/mnist
if [ ! -f "$data/train-images-idx3-ubyte" ]; then
    echo "SKIPPED: no MNIST in $data (run 'make data')"
    exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
# same FILE BASE: FILE (in $out) must be BASE's bytes.
same() {
    if cmp -s "$out/$2" "$out/$1"; then
        echo "ok: $1 identical to $2"
    else
        echo "FAIL: $1 differs from $2"
        fail=1
    fi
}
for t in 1 2 3 8; do
    "$bin" experiment --data "$data" --threads $t --seeds 2 --width 48 --epochs 1 \
        --student-epochs 1 --noise-images 3000 --batch 500 --quiet --out "$out/e$t" >/dev/null || fail=1
    "$bin" theorem --data "$data" --threads $t --trials 4 --width 32 --steps 3 \
        --eps 1e-2,1e-4 --out "$out/t$t" >/dev/null || fail=1
done
for t in 1 3; do
    "$bin" experiment --data "$data" --threads $t --seeds 1 --width 40 --epochs 1 \
        --student-epochs 1 --noise-images 2000 --batch 500 --trait prefer:4 \
        --student-width 56 --student-depth 3 --student-init mix:0.5 --quiet \
        --out "$out/x$t" >/dev/null || fail=1
    "$bin" experiment --data "$data" --threads $t --seeds 1 --width 40 --epochs 1 \
        --student-epochs 1 --noise-images 2000 --batch 500 --trait swap:3:8 \
        --student-width 56 --student-init embed --quiet --out "$out/y$t" >/dev/null || fail=1
done
for f in x3/results.csv x3/curves.csv x3/alignment.csv y3/results.csv y3/curves.csv \
    y3/alignment.csv; do
    same "$f" "$(echo "$f" | sed "s/3/1/")"
done
# The AVX2 path must give the AVX-512 path's bits too (same FMA chains).
SUBLIM_KERNELS=avx2 "$bin" experiment --data "$data" --threads 2 --seeds 2 --width 48 \
    --epochs 1 --student-epochs 1 --noise-images 3000 --batch 500 --quiet \
    --out "$out/avx2" >/dev/null || fail=1
if cmp -s "$out/e1/results.csv" "$out/avx2/results.csv"; then
    echo "ok: the avx2 path's results.csv is identical"
else
    echo "FAIL: the avx2 path's results.csv differs"
    fail=1
fi
for t in 2 3 8; do
    for f in e$t/results.csv e$t/curves.csv e$t/alignment.csv t$t/theorem.csv; do
        same "$f" "$(echo "$f" | sed "s/^\([et]\)$t/\11/")"
    done
done
exit $fail
