#!/usr/bin/env bash
# Resource limits give a clear error, never a crash, a half-written file or
# a silently wrong result.
#
#   bash scripts/resource-limits.sh [path/to/sublim]        (DATA=mnist)
#
#  1. memory: every allocation of a short run (a fresh run saving its
#     teachers, then a resumed one loading them) made to fail in turn
#     (scripts/failmalloc.c, LD_PRELOAD; glibc only), and the address space
#     capped with ulimit -v at sizes from too small to load the data to
#     enough: each run either succeeds with the reference's files or exits
#     1 naming the problem;
#  2. a full disk (a small tmpfs; needs root and mount, else skipped, saying
#     so): at every size the run either succeeds or exits 1 with "No space
#     left on device", its results.csv and curves.csv are whole seeds of
#     the reference's, no temporary is left, and --resume elsewhere then
#     gives the reference's bytes; likewise a teacher checkpoint on a full
#     disk;
#  3. an output folder that cannot be written (a read-only tmpfs as root,
#     a read-only folder otherwise): exit 1, the folder's files untouched.
# Runs on a small stand-in for MNIST made here (the address-space caps on
# the real data).  A crash (exit >= 128) is always a failure.  About 1 min.
set -uo pipefail

bin=${1:-build/sublim}
data=${DATA:-mnist}
[ -x "$bin" ] || { echo "resource-limits: no binary at $bin (run make)" >&2; exit 1; }
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/portable.sh" # sha256
tmp=$(mktemp -d)
mnt=
cleanup() {
    [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
    chmod -R u+w "$tmp" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
ok() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; fails=$((fails + 1)); }
skip() { echo "skip - $*"; }

# A small stand-in for MNIST (600 training and 200 test images of 28x28
# random pixels, labels 0-9, and its SHA256SUMS), so that the hundreds of
# runs below take a second or so each at most.
fake=$tmp/fake
mkdir "$fake"
u32() { # big-endian, as printf escapes
    printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 >> 24 & 255)) $(($1 >> 16 & 255)) \
        $(($1 >> 8 & 255)) $(($1 & 255))
}
idx() { # PREFIX N
    { printf "$(u32 2051)$(u32 "$2")$(u32 28)$(u32 28)"; head -c $(($2 * 784)) /dev/urandom; } \
        >"$fake/$1-images-idx3-ubyte"
    # Labels 0-9 (tr in the C locale: bytes, not characters).
    { printf "$(u32 2049)$(u32 "$2")"
      head -c "$2" /dev/urandom | LC_ALL=C tr '\012-\377' '\000-\011'; } \
        >"$fake/$1-labels-idx1-ubyte"
}
idx train 600
idx t10k 200
(cd "$fake" && sha256 *-ubyte >SHA256SUMS)

small=(--data "$fake" --width 16 --epochs 1 --student-epochs 1 --noise-images 512 --batch 128
       --threads 2 --quiet)
"$bin" experiment "${small[@]}" --seeds 3 --out "$tmp/ref" >"$tmp/ref.stdout" 2>"$tmp/ref.err" ||
    { echo "resource-limits: the reference run failed:" >&2; cat "$tmp/ref.err" >&2; exit 1; }
rowsof() { echo $(($(wc -l <"$1") - 1)); }

# whole_seeds DIR: DIR's results.csv and curves.csv, when present, are the
# reference's first whole seeds.
whole_seeds() {
    local f n
    for f in results.csv curves.csv; do
        [ -f "$1/$f" ] || continue
        n=$(($(wc -c <"$1/$f")))
        if ! head -c "$n" "$tmp/ref/$f" | cmp -s - "$1/$f"; then
            echo "$1/$f is not a prefix of the reference's"
            return 1
        fi
    done
    if [ -f "$1/results.csv" ] && [ $(($(rowsof "$1/results.csv") % 6)) -ne 0 ]; then
        echo "$1/results.csv ends inside a seed"
        return 1
    fi
    if [ -n "$(find "$1" -name '*.tmp.*' 2>/dev/null)" ]; then
        echo "temporary files left in $1"
        return 1
    fi
}

# same_as_ref DIR: the files a finished run must share with the reference.
same_as_ref() {
    local f
    for f in results.csv curves.csv figure.svg curves.svg; do
        cmp -s "$tmp/ref/$f" "$1/$f" || { echo "$1/$f differs from the reference"; return 1; }
    done
    grep '"arm"' "$tmp/ref/summary.json" >"$tmp/a.json"
    grep '"arm"' "$1/summary.json" >"$tmp/b.json"
    cmp -s "$tmp/a.json" "$tmp/b.json" || { echo "$1/summary.json's arms differ"; return 1; }
}

# ---- 1. memory ----

preload=$tmp/failmalloc.so
if ${CC:-cc} -O1 -shared -fPIC "$root/scripts/failmalloc.c" -o "$preload" 2>/dev/null &&
    LD_PRELOAD=$preload FAIL_MALLOC_COUNT=1 "$bin" --help >/dev/null 2>"$tmp/count" &&
    grep -q 'failmalloc: [0-9]' "$tmp/count"; then
    # sweep NAME SETUP FLAGS...: every allocation of the run fails in turn.
    sweep() {
        local name=$1 setup=$2 n total bad=0 failed=0 rc
        shift 2
        rm -rf "$tmp/m"; $setup
        LD_PRELOAD=$preload FAIL_MALLOC_COUNT=1 "$bin" experiment "${small[@]}" "$@" \
            >/dev/null 2>"$tmp/count" || { fail "$name: the run fails without injection"; return; }
        total=$(sed -n 's/^failmalloc: \([0-9]*\) allocations$/\1/p' "$tmp/count")
        for n in $(seq 1 "$total"); do
            rm -rf "$tmp/m"; $setup
            rc=0
            FAIL_MALLOC_AT=$n LD_PRELOAD=$preload "$bin" experiment "${small[@]}" "$@" \
                >"$tmp/m.stdout" 2>"$tmp/m.err" || rc=$?
            if [ "$rc" -eq 0 ]; then
                # An allocation the run can do without: the results must
                # still be right.
                why=$(same_as_ref "$tmp/m") && cmp -s "$tmp/ref.stdout" "$tmp/m.stdout" ||
                    {
                        fail "$name, allocation $n failed: exit 0 but ${why:-stdout differs}"
                        bad=1
                    }
            elif [ "$rc" -eq 1 ] &&
                grep -Eq '^sublim: .*(memory|allocate|cannot start)' "$tmp/m.err"; then
                failed=$((failed + 1))
                why=$(whole_seeds "$tmp/m") || { fail "$name, allocation $n: $why"; bad=1; }
            else
                fail "$name, allocation $n failed: exit $rc: $(head -c 300 "$tmp/m.err")"
                bad=1
            fi
        done
        [ "$bad" -eq 0 ] &&
            ok "$name: each of its $total allocations failed in turn: $failed clear" \
               "out-of-memory errors (exit 1), the others done without, same results"
    }
    fresh() { rm -f "$tmp/m2.ck"; }
    half_done() { # 2 of 3 seeds done, their teachers saved
        rm -f "$tmp/m.ck"
        "$bin" experiment "${small[@]}" --seeds 2 --out "$tmp/m" \
            --save-teacher "$tmp/m.ck" >/dev/null 2>&1
    }
    sweep "a fresh run saving its teachers" fresh --seeds 3 --out "$tmp/m" \
        --save-teacher "$tmp/m2.ck"
    sweep "a resumed run loading teachers" half_done --seeds 3 --out "$tmp/m" --resume \
        --load-teacher "$tmp/m.ck"
else
    skip "allocation failures: cannot preload scripts/failmalloc.c (not glibc?)"
fi

# The address space capped: from too small to load the data to enough
# (where ulimit -v can be set at all: not on macOS).
if ! (ulimit -v $((240 * 1024))) 2>/dev/null; then
    skip "address-space caps: ulimit -v cannot be set here"
else
    bad=0 clear=0 fine=0
    for mb in 20 40 60 70 80 90 100 120 160 240; do
        rm -rf "$tmp/v"
        rc=0
        (ulimit -v $((mb * 1024)) && exec "$bin" experiment "${small[@]}" --data "$data" \
            --width 64 --seeds 1 --out "$tmp/v") >/dev/null 2>"$tmp/v.err" || rc=$?
        if [ "$rc" -eq 0 ]; then
            fine=$((fine + 1))
        elif [ "$rc" -eq 1 ] && grep -Eq '^sublim: .*(memory|allocate|cannot start)' "$tmp/v.err"
        then
            clear=$((clear + 1))
        elif [ "$rc" -eq 127 ] && grep -q 'error while loading shared libraries' "$tmp/v.err"; then
            clear=$((clear + 1)) # too small for the loader: sublim never started
        else
            fail "ulimit -v ${mb} MB: exit $rc: $(head -c 300 "$tmp/v.err")"
            bad=1
        fi
    done
    [ "$bad" -eq 0 ] && ok "ulimit -v 20-240 MB: $clear clear errors (exit 1), $fine runs done"
fi

# ---- 2. a full disk, 3. a read-only folder ----

mnt=$tmp/mnt
mkdir -p "$mnt"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=4k tmpfs "$mnt" 2>/dev/null; then
    umount "$mnt"
    bad=0 full=0
    for kb in 4 8 12 16 20 24 28 32 36 40 48 56 64 96; do
        mount -t tmpfs -o size=${kb}k tmpfs "$mnt" || { fail "mount tmpfs"; break; }
        rc=0
        "$bin" experiment "${small[@]}" --seeds 3 --out "$mnt/out" >/dev/null 2>"$tmp/d.err" ||
            rc=$?
        if [ "$rc" -eq 1 ] && grep -q 'No space left on device' "$tmp/d.err"; then
            full=$((full + 1))
        elif [ "$rc" -ne 0 ]; then
            fail "disk of ${kb} kB: exit $rc: $(head -c 300 "$tmp/d.err")"
            bad=1
        fi
        if [ -d "$mnt/out" ]; then
            why=$(whole_seeds "$mnt/out") || { fail "disk of ${kb} kB: $why"; bad=1; }
            rm -rf "$tmp/d"
            cp -r "$mnt/out" "$tmp/d"
            "$bin" experiment "${small[@]}" --seeds 3 --out "$tmp/d" --resume >/dev/null 2>&1 &&
                why=$(same_as_ref "$tmp/d") ||
                { fail "disk of ${kb} kB: --resume elsewhere: ${why:-failed}"; bad=1; }
        fi
        umount "$mnt"
    done
    [ "$bad" -eq 0 ] && ok "full disks of 4-96 kB: $full clear 'No space left on device'" \
        "errors (exit 1), whole seeds kept, no temporaries; --resume then gives the same bytes"

    # A teacher checkpoint on a full disk: the run stops at that seed.
    bad=0
    for kb in 40 100 160; do
        mount -t tmpfs -o size=${kb}k tmpfs "$mnt" || { fail "mount tmpfs"; break; }
        rm -rf "$tmp/t"
        rc=0
        "$bin" experiment "${small[@]}" --seeds 3 --out "$tmp/t" --save-teacher "$mnt/t.ck" \
            >/dev/null 2>"$tmp/t.err" || rc=$?
        if [ "$rc" -ne 1 ] || ! grep -q 'save-teacher.*No space left on device' "$tmp/t.err"; then
            fail "teachers on a ${kb} kB disk: exit $rc: $(head -c 300 "$tmp/t.err")"
            bad=1
        else
            why=$(whole_seeds "$tmp/t") && [ -z "$(find "$mnt" -name '*.tmp.*')" ] ||
                { fail "teachers on a ${kb} kB disk: ${why:-temporaries left}"; bad=1; }
            "$bin" experiment "${small[@]}" --seeds 3 --out "$tmp/t" --resume >/dev/null 2>&1 &&
                why=$(same_as_ref "$tmp/t") ||
                { fail "teachers on a ${kb} kB disk: --resume: ${why:-failed}"; bad=1; }
        fi
        umount "$mnt"
    done
    [ "$bad" -eq 0 ] && ok "a teacher checkpoint on a full disk: exit 1 naming --save-teacher" \
        "and the disk; the seeds before it kept; --resume gives the same bytes"

    # A read-only folder holding a finished run.
    mount -t tmpfs -o size=1m tmpfs "$mnt"
    cp -r "$tmp/ref" "$mnt/out"
    mount -o remount,ro "$mnt"
    ro_dir=$mnt/out
else
    skip "full disk: cannot mount a small tmpfs (needs root and mount)"
    cp -r "$tmp/ref" "$tmp/ro"
    chmod a-w "$tmp/ro"
    ro_dir=$tmp/ro
    [ "$(id -u)" = 0 ] && ro_dir= # root writes into read-only folders anyway
fi
if [ -n "$ro_dir" ]; then
    bad=0
    for extra in "" "--resume" "--resume --seeds 4"; do
        rc=0
        # shellcheck disable=SC2086
        "$bin" experiment "${small[@]}" --seeds 3 --out "$ro_dir" $extra >/dev/null \
            2>"$tmp/r.err" || rc=$?
        if [ "$rc" -ne 1 ] || ! grep -q "^sublim: .*$ro_dir" "$tmp/r.err"; then
            fail "read-only folder ($extra): exit $rc: $(head -c 300 "$tmp/r.err")"
            bad=1
        fi
    done
    diff -r "$tmp/ref" "$ro_dir" >/dev/null ||
        { fail "read-only folder: its files changed"; bad=1; }
    [ "$bad" -eq 0 ] && ok "read-only output folder: exit 1 naming it; its files untouched"
else
    skip "read-only folder: running as root without mount"
fi

[ "$fails" -eq 0 ] || { echo "resource-limits: $fails failure(s)"; exit 1; }
echo "resource-limits: passed"
