#!/usr/bin/env bash
# check-ports: sublim gives the same bytes whatever compiles it and whatever
# machine runs it.  On this x86 machine it proves:
#   1. clang and gcc build the program, the tests and the fuzz replays with
#      warnings as errors, and the clang build passes the test suite;
#   2. an aarch64 cross build (gcc, with warnings as errors) passes the test
#      suite and the fuzz replays under qemu-user;
#   3. short real-MNIST runs -- two experiments that between them run every
#      kind of arm (the paper's, a trait teacher and its students, students
#      of another width, a mixed and an embedded start) and a theorem check
#      -- write the same results.csv, curves.csv, alignment.csv, theorem.csv
#      and theorem_layers.csv with gcc on every kernel path the CPU has, with
#      clang on each, and on aarch64;
# and it prints the aarch64 build's instruction mix in the kernels
# (scripts/kernel-isa.sh).  Exits 1 if anything fails or differs.
#
#   bash scripts/check-ports.sh    (as root it installs clang, the aarch64
#   cross compiler, qemu-user and arm64 cmocka with apt-get when missing)
#
# Builds go to build/gcc, build/clang and build/aarch64; logs and runs to
# build/ports/, kept for a look after a failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=build/ports
rm -rf "$work"
mkdir -p "$work"

failures=()
ok() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; failures+=("$1"); }
# step NAME CMD...: runs CMD with its output in a log in $work; says how it
# went (with a test runner's "N passed, N failed").
step() {
    local name=$1 log=$work/$(printf %s "$1" | tr -cs 'A-Za-z0-9' -).log t0=$SECONDS
    shift
    if "$@" >"$log" 2>&1; then
        ok "$name ($(grep -o '^[0-9]* passed, [0-9]* failed' "$log" | sed 's/$/, /')$((SECONDS - t0)) s)"
    else
        fail "$name" "(exit $?, $((SECONDS - t0)) s; from $log:)"
        # A compiler's errors if it gave any, else how the log ends.
        { grep -m 10 -E '(error|warning):' "$log" || tail -n 15 "$log"; } | sed 's/^/       /'
        return 1
    fi
}

# ---- 1. the tools --------------------------------------------------------
# qemu runs aarch64 programs through the arm64 loader and libraries that
# libc6:arm64 puts in /lib (multiarch), so no -L / QEMU_LD_PREFIX: with
# -L /usr/aarch64-linux-gnu (the cross toolchain's copy) every
# pthread_create hangs.
packages=(clang gcc-aarch64-linux-gnu qemu-user libc6:arm64 libcmocka-dev:arm64)
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "check-ports: missing ${missing[*]}: as root on Debian, run" >&2
        echo "  dpkg --add-architecture arm64 && apt-get update && apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "check-ports: installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
    step install bash -c "apt-get update && apt-get install -y ${missing[*]}" || exit 1
fi

# ---- 2. builds with warnings as errors, and the suites -------------------
# (Same flags as a plain `make`, plus -Werror.  The objects of each build
# are kept apart, so a build changes no other's.)
werror='CFLAGS=$(OPT) -g -Werror'
gcc_build=(CC=gcc "$werror" BUILD=build/gcc)
clang_build=(CC=clang "$werror" BUILD=build/clang)
aarch64_build=(CC=aarch64-linux-gnu-gcc "$werror" BUILD=build/aarch64 RUNNER=qemu-aarch64)

step "gcc -Werror build" nice make -j2 -k "${gcc_build[@]}" all test-programs || true
step "clang -Werror build" nice make -j2 -k "${clang_build[@]}" all test-programs &&
    { step "clang test suite" make "${clang_build[@]}" test || true; }
step "aarch64 -Werror build" nice make -j2 -k "${aarch64_build[@]}" all test-programs &&
    {
        # Emulated, training on the 60,000 real digits takes minutes per
        # test, so the aarch64 suite runs from a scratch root that links
        # the tree but whose mnist/ holds only SHA256SUMS: the tests that
        # need the digits skip, saying so, as on a machine without them
        # (the comparison below trains aarch64 on real digits).
        scratch=$work/root
        mkdir -p "$scratch/mnist"
        cp mnist/SHA256SUMS "$scratch/mnist/"
        for f in Makefile src tests scripts build; do ln -s "$root/$f" "$scratch/$f"; done
        # Each emulated program gets 10 min (the slowest takes about 2): a
        # hang fails its program, not the whole CI run.
        step "aarch64 test suite under qemu" env MNIST_DIR="$root/mnist" \
            make -C "$scratch" "${aarch64_build[@]}" TEST_TIMEOUT=600 test || true
    }

# ---- 3. the same bytes -----------------------------------------------------
# A prefix of the real MNIST (the first 3000 training and 500 test digits,
# the IDX headers' counts rewritten) keeps the emulated runs to seconds.
data=$work/mnist
mkdir -p "$data"
# take SRC N ITEM_BYTES HEADER_BYTES: the first N items of IDX file SRC.
take() {
    local n=$2
    { head -c 4 "$1"
      printf "$(printf '\\%03o' $((n >> 24 & 255)) $((n >> 16 & 255)) $((n >> 8 & 255)) $((n & 255)))"
      head -c $(($4 + n * $3)) "$1" | tail -c +9; } >"$data/${1##*/}"
}
take mnist/train-images-idx3-ubyte 3000 784 16
take mnist/train-labels-idx1-ubyte 3000 1 8
take mnist/t10k-images-idx3-ubyte 500 784 16
take mnist/t10k-labels-idx1-ubyte 500 1 8

# Widths 20 and 28 leave ragged tails after every vector tile.
experiment=(--seeds 1 --epochs 1 --student-epochs 1 --width 20 --batch 128 --lr 0.001
            --noise-images 512 --trait prefer:3 --student-width 28 --threads 2 --quiet)
theorem=(--trials 2 --width 20 --eps 0.01,0.0001 --steps 3 --input-batch 64
         --teacher-batch 64 --heldout 200 --threads 2)
files=(mix/results.csv mix/curves.csv mix/alignment.csv embed/results.csv embed/curves.csv
       embed/alignment.csv theorem.csv theorem_layers.csv)

# run NAME SUBLIM...: the experiments and the theorem check, run by the
# command SUBLIM..., into $work/runs/NAME.
run() {
    local out=$work/runs/$1
    shift
    mkdir -p "$out"
    "$@" experiment "${experiment[@]}" --student-init mix:0.5 --data "$data" --out "$out/mix" &&
        "$@" experiment "${experiment[@]}" --student-init embed --data "$data" --out "$out/embed" &&
        "$@" theorem "${theorem[@]}" --data "$data" --out "$out"
}
# path_used SUBLIM...: the kernel path a tiny theorem run took (theorem.json
# names it): SUBLIM_KERNELS asking for a path the CPU lacks falls back.
path_used() {
    "$@" theorem --trials 1 --width 4 --eps 0.01 --steps 1 --input-batch 4 --teacher-batch 4 \
        --heldout 4 --data "$data" --out "$work/probe" --force >/dev/null 2>&1 &&
        sed -n 's/.*"kernels": "\([a-z0-9]*\)".*/\1/p' "$work/probe/theorem.json"
}

# Each build (that is up to date) on every kernel path it has: SUBLIM_KERNELS
# takes the names of src/nn/kernels_path.h.
declare -A program=([gcc]="build/gcc/sublim" [clang]="build/clang/sublim"
                    [aarch64]="qemu-aarch64 build/aarch64/sublim")
runs=()
for b in gcc clang aarch64; do
    declare -n vars=${b}_build
    if ! make -q --no-print-directory "${vars[@]}" "${program[$b]##* }" 2>/dev/null; then
        echo "       ($b: no up-to-date program to run)"
        continue
    fi
    for path in portable fma neon avx2 avx512; do
        # ${program[$b]} unquoted: a command and its arguments.
        used=$(SUBLIM_KERNELS=$path path_used ${program[$b]}) || used="(none: it failed)"
        if [ "$used" != "$path" ]; then
            echo "       ($b $path: not on this CPU, which ran $used)"
            continue
        fi
        step "$b-$path runs" run "$b-$path" env SUBLIM_KERNELS=$path nice ${program[$b]} &&
            runs+=("$b-$path")
    done
done

# The table: per file, runs that wrote the same bytes (cmp) share a
# letter; A is the first run's, gcc on the CPU's best path (what `make`
# runs), the reference every other run must match.
reference=
for r in "${runs[@]}"; do case $r in gcc-*) reference=$r ;; esac; done
if [ -z "$reference" ]; then
    fail "no gcc run" "to compare the others with"
else
    ordered=("$reference")
    for r in "${runs[@]}"; do [ "$r" = "$reference" ] || ordered+=("$r"); done
    echo
    echo "bytes written, by run (A: $reference's; the same letter: the same bytes)"
    printf '%-16s' run
    printf ' %-18s' "${files[@]}"
    echo
    declare -A first   # "FILE|LETTER" -> the first run that wrote those bytes
    differ=0
    for r in "${ordered[@]}"; do
        printf '%-16s' "$r"
        for f in "${files[@]}"; do
            for l in {A..Z}; do
                seen=${first[$f|$l]:-}
                if [ -z "$seen" ]; then
                    first[$f|$l]=$r
                    break
                fi
                cmp -s "$work/runs/$seen/$f" "$work/runs/$r/$f" && break
            done
            printf ' %-18s' "$l"
            [ "$l" = A ] || differ=1
        done
        echo
    done
    [ $differ = 0 ] && ok "every run wrote $reference's bytes" ||
        fail "runs differ" "from $reference's bytes (the table above)"
fi

# ---- 4. what the aarch64 compiler made of the kernels --------------------
echo
echo "aarch64 instruction mix in the kernels (scripts/kernel-isa.sh):"
sh scripts/kernel-isa.sh build/aarch64/obj/nn/kernels*.o | sed 's/^/  /' ||
    fail "kernel-isa" "(no aarch64 kernel objects?)"

echo
if [ ${#failures[@]} -gt 0 ]; then
    list=$(printf '; %s' "${failures[@]}")
    echo "check-ports: failed: ${list#; }"
    exit 1
fi
echo "check-ports: clang, gcc and aarch64 builds pass and write the same bytes: passed"
