#!/bin/sh
# A short real-data experiment under valgrind memcheck: zero errors and no
# leaks, or this fails.  Usage: memcheck.sh path/to/sublim
set -eu
bin=${1:-build/sublim}
if ! command -v valgrind >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y valgrind >/dev/null 2>&1 ||
            { apt-get update >/dev/null 2>&1 && apt-get install -y valgrind >/dev/null 2>&1; }
    fi
fi
command -v valgrind >/dev/null 2>&1 || {
    echo "valgrind is missing: install it with 'sudo apt-get install valgrind'" >&2
    exit 1
}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The first digits of the real MNIST, 6,000 for training and 1,000 for
# testing: every code path at a tenth of the work, since valgrind runs the
# kernels' fused multiply-adds one by one in software.
# idx_head SRC DST N HEADER_BYTES ITEM_BYTES: SRC's first N items as an IDX file.
idx_head() {
    n=$3
    {
        head -c 4 "$1"
        printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((n >> 24 & 255)) $((n >> 16 & 255)) \
            $((n >> 8 & 255)) $((n & 255)))"
        tail -c +9 "$1" | head -c $(($4 - 8 + n * $5))
    } >"$2"
}
mkdir "$out/mnist"
for f in train:6000 t10k:1000; do
    set -- "${f%%:*}" "${f#*:}"
    idx_head "mnist/$1-images-idx3-ubyte" "$out/mnist/$1-images-idx3-ubyte" "$2" 16 784
    idx_head "mnist/$1-labels-idx1-ubyte" "$out/mnist/$1-labels-idx1-ubyte" "$2" 8 1
done
# Tiny but real: every arm, every code path, a few batches of real digits
# (width 9: a full 8-wide vector and a tail in every layer), saving the
# teachers; then, as if killed during seed 1, resumed with the teachers
# loaded (--resume, --load-teacher, --save-teacher): only seed 1's students
# are trained again.  The first run uses the fma path (the portable
# kernels' C, built for FMA: without it, fmaf is a libm call per element,
# far too slow under valgrind), the second the CPU's own vector path.
# Then the extra arms, once each.
vg() {
    valgrind --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect,possible \
        --show-leak-kinds=definite,indirect,possible -q \
        "$bin" experiment --width 9 --epochs 1 --student-epochs 1 --noise-images 2048 \
        --batch 512 --threads 2 --data "$out/mnist" --out "$out/run" --quiet "$@" >/dev/null
}
SUBLIM_KERNELS=fma vg --seeds 2 --save-teacher "$out/run.ck"
head -n 7 "$out/run/results.csv" >"$out/seed0.csv" && mv "$out/seed0.csv" "$out/run/results.csv"
vg --seeds 2 --resume --load-teacher "$out/run.ck" --save-teacher "$out/run.ck"
# The arms beyond the paper: a trait teacher, students of another shape,
# embedded and mixed starts (one seed each, over the finished folder).
SUBLIM_KERNELS=fma vg --seeds 1 --force --trait prefer:3 --student-width 12 \
    --student-depth 3 --student-init mix:0.5
SUBLIM_KERNELS=fma vg --seeds 1 --force --trait swap:4:9 --student-width 12 \
    --student-init embed
echo "memcheck: no errors, no leaks"
