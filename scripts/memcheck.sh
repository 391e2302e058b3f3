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
# Tiny but real: every arm, every code path, a few batches of real digits
# (width 9: a full 8-wide vector and a tail in every layer), saving the
# teachers; then, as if killed during seed 1, resumed with the teachers
# loaded (--resume, --load-teacher, --save-teacher): only seed 1's students
# are trained again.  The first run uses the fma path (the portable
# kernels' C, built for FMA: without it, fmaf is a libm call per element,
# far too slow under valgrind), the second the CPU's own vector path.
# Then the extra arms, once each.  About 4 minutes on an idle machine.
vg() {
    valgrind --error-exitcode=99 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect,possible \
        --show-leak-kinds=definite,indirect,possible -q \
        "$bin" experiment --width 9 --epochs 1 --student-epochs 1 --noise-images 2048 \
        --batch 512 --threads 2 --out "$out" --quiet "$@" >/dev/null
}
SUBLIM_KERNELS=fma vg --seeds 2 --save-teacher "$out/t.ck"
head -n 7 "$out/results.csv" >"$out/seed0.csv" && mv "$out/seed0.csv" "$out/results.csv"
vg --seeds 2 --resume --load-teacher "$out/t.ck" --save-teacher "$out/t.ck"
# The arms beyond the paper: a trait teacher, students of another shape,
# embedded and mixed starts (one seed each, over the finished folder).
SUBLIM_KERNELS=fma vg --seeds 1 --force --trait prefer:3 --student-width 12 \
    --student-depth 3 --student-init mix:0.5
SUBLIM_KERNELS=fma vg --seeds 1 --force --trait swap:4:9 --student-width 12 \
    --student-init embed
echo "memcheck: no errors, no leaks"
