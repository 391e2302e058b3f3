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
# Tiny but real: every arm, every code path, a few batches of real digits.
valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
    --show-leak-kinds=definite,indirect,possible -q \
    "$bin" experiment --width 16 --epochs 1 --student-epochs 1 --noise-images 2048 \
    --batch 512 --threads 2 --seeds 2 --out "$out" --quiet >/dev/null
echo "memcheck: no errors, no leaks"
