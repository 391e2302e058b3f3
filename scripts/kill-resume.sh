#!/usr/bin/env bash
# A result folder is never wrong and never lost, however runs are killed or
# crowd it:
#
#   bash scripts/kill-resume.sh [path/to/sublim]   (KILLS=20, FORCE_KILLS=10, DATA=mnist,
#                                                   EXTRA="more experiment flags")
#
# EXTRA runs it all with more arms (make check: a trait teacher, students of
# another shape and a mixed start), whose rows must come through the same.
#
# 1. Resume.  A short multi-seed run is done once without interruption (the
#    reference), then again in another folder under SIGKILLs at random
#    moments, relaunched with --resume after each kill until a launch
#    finishes.  Every finished run must have results.csv, curves.csv,
#    classes.csv, samples.pgm, figure.svg and curves.svg equal to the
#    reference's byte for byte, and
#    no temporary file left; a run that finishes before KILLS kills have
#    been dealt is checked, and the remaining kills go to further --resume
#    launches on the finished folder (which rewrite results.csv, curves.csv,
#    run.txt and the report), within the time such a launch takes.  So the
#    kills land anywhere: loading the data, training, saving a seed, writing
#    the report; the summary line says where, by what results.csv held
#    before and after.
# 2. Two writers.  A run is stopped (scripts/stall.c, LD_PRELOAD) as it
#    saves its first seed, holding its folder and its --save-teacher file;
#    a second run into the same folder, and one saving to the same teacher
#    file, must both be refused at once naming the first one's pid; the
#    first, let go, must end with the reference's bytes.
# 3. --force over a finished folder (a run of another --lr), killed
#    FORCE_KILLS times at random moments: after each kill the folder must
#    hold the old run, every file as it was, or a new one that --resume
#    finishes to the reference's bytes; never nothing, never a mix.
# Exit 0 on success, 1 on any failure.  About 50 s on two cores.
set -euo pipefail

bin=${1:-build/sublim}
root=$(cd "$(dirname "$0")/.." && pwd)
kills=${KILLS:-20}
force_kills=${FORCE_KILLS:-10}
data=${DATA:-mnist}
flags=(--data "$data" --width 32 --noise-images 4000 --epochs 1 --student-epochs 2
       --seeds 6 --threads 2 --quiet)
read -r -a extra <<< "${EXTRA:-}"
flags+=("${extra[@]}")
[ -x "$bin" ] || { echo "kill-resume: no binary at $bin (run make)" >&2; exit 1; }

# now_ms, with_timeout, exec_preloaded
. "$root/scripts/portable.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

t0=$(now_ms)
"$bin" experiment "${flags[@]}" --out "$tmp/ref" >/dev/null
wall=$(($(now_ms) - t0))
cp -r "$tmp/ref" "$tmp/done"
t0=$(now_ms)
"$bin" experiment "${flags[@]}" --out "$tmp/done" --resume >/dev/null 2>&1
idle=$(($(now_ms) - t0))
# Kill delays uniform in [0, window): a launch's fixed costs (loading the
# data, the report: `idle`) plus a seed and a half, so a launch saves a seed
# now and then and a run takes 10-20 launches; once it has finished, within
# `idle`.
per_seed=$(((wall - idle) / 6 > 1 ? (wall - idle) / 6 : 1))
window=$((idle + 3 * per_seed / 2))
echo "kill-resume: reference run ${wall} ms, a resume with nothing to do ${idle} ms;" \
     "kills at random within ${window} ms of a launch"

rows() { if [ -f "$1" ]; then echo $(($(wc -l <"$1") - 1)); else echo 0; fi; }
fails=0
fail() { echo "FAIL - $*"; fails=$((fails + 1)); }
check_run() { # the finished run in folder $1 against the reference
    for f in results.csv curves.csv classes.csv samples.pgm figure.svg curves.svg; do
        if ! cmp -s "$tmp/ref/$f" "$1/$f"; then
            fail "$f differs from the uninterrupted run's:"
            diff "$tmp/ref/$f" "$1/$f" | head -n 10 || true
        fi
    done
    left=$(find "$1" -name '*.tmp.*' -o -name .staging -o -name .switching)
    [ -z "$left" ] || fail "temporary file(s) or staged folder(s) left in $1:" $left
    last=$(awk -F= '$1 == "status" { s = $2 } END { print s }' "$1/run.txt")
    if [ "$last" != finished ] || grep -q '^status=running' "$1/run.txt"; then
        fail "run.txt: the last run is '$last', or a killed one still says running"
    fi
}
# Runs "$@" killed with SIGKILL after $1 seconds (its stderr to $tmp/log);
# sets status (137 when killed).  It returns only once the run is reaped,
# so its lock is gone (with_timeout: timeout(1) --foreground, or its
# stand-in): without --foreground, timeout(1) -s KILL kills its whole
# process group, itself included, and may return while the run is still
# dying (a large one takes a moment), and the next launch would rightly be
# refused as a second writer.
run_killed_after() {
    local secs=$1
    shift
    status=0
    # In a subshell whose stderr is dropped, so bash's "Killed" stays quiet.
    (with_timeout KILL "$secs" "$@" >/dev/null 2>>"$tmp/log"
     exit $?) 2>/dev/null || status=$?
}
random_secs() { # uniform in [0, $1) ms, as seconds
    local ms=$(((RANDOM * 32768 + RANDOM) % $1))
    echo $((ms / 1000)).$(printf %03d $((ms % 1000)))
}

n_kills=0 launches=0 runs=0 early=0 progress=0 last_seed=0 after_done=0
while :; do
    launches=$((launches + 1))
    before=$(rows "$tmp/run/results.csv")
    secs=3600 # enough kills: this launch runs to the end
    [ "$n_kills" -ge "$kills" ] || secs=$(random_secs $((runs ? idle + 1 : window)))
    run_killed_after "$secs" "$bin" experiment "${flags[@]}" --out "$tmp/run" --resume
    if [ "$status" -eq 137 ]; then
        n_kills=$((n_kills + 1))
        after=$(rows "$tmp/run/results.csv")
        if [ "$before" -eq 36 ]; then
            after_done=$((after_done + 1))
        elif [ "$after" -eq 36 ]; then
            last_seed=$((last_seed + 1))
        elif [ "$after" -gt "$before" ]; then
            progress=$((progress + 1))
        else
            early=$((early + 1))
        fi
        continue
    fi
    if [ "$status" -ne 0 ]; then
        echo "kill-resume: launch $launches failed by itself (exit $status):" >&2
        tail -n 5 "$tmp/log" >&2
        exit 1
    fi
    runs=$((runs + 1))
    check_run "$tmp/run"
    [ "$n_kills" -lt "$kills" ] || break
done
echo "kill-resume: $n_kills kills over $launches launches ($runs finished):" \
     "$early before a seed was saved, $progress after saving one, $last_seed after saving" \
     "the last one, $after_done in a resume with every seed done"

# ---- 2. two writers ----

stall=$tmp/stall.so
if ${CC:-cc} -shared -fPIC -O1 "$root/scripts/stall.c" -o "$stall" -ldl 2>/dev/null; then
    STALL_RENAME=results.csv STALL_NOTE=$tmp/note exec_preloaded "$stall" \
        "$bin" experiment "${flags[@]}" --out "$tmp/duo" --save-teacher "$tmp/t.ck" \
        >/dev/null 2>>"$tmp/log" &
    first=$!
    for _ in $(seq 300); do [ -s "$tmp/note" ] && break; sleep 0.1; done
    [ -s "$tmp/note" ] || { kill -KILL "$first"; echo "kill-resume: the first writer never stalled" >&2; exit 1; }
    for second in "--out $tmp/duo" "--out $tmp/other --save-teacher $tmp/t.ck"; do
        rc=0
        # shellcheck disable=SC2086 # two words each, no spaces in $tmp
        "$bin" experiment "${flags[@]}" $second >/dev/null 2>"$tmp/second" || rc=$?
        if [ "$rc" -ne 1 ] || ! grep -q "being written by another sublim (pid $first)" "$tmp/second"; then
            fail "a second writer ($second) beside pid $first: exit $rc: $(head -c 300 "$tmp/second")"
        fi
    done
    kill -CONT "$first"
    rc=0
    wait "$first" || rc=$?
    [ "$rc" -eq 0 ] || fail "the first writer, let go, exited $rc"
    check_run "$tmp/duo"
    echo "kill-resume: two writers: a second one into the folder, and one saving to the" \
         "same teacher file, were refused naming the first, which then finished"
else
    echo "kill-resume: two writers: skipped (cannot build scripts/stall.c as a preload)"
fi

# ---- 3. --force over a finished folder ----

"$bin" experiment "${flags[@]}" --lr 1e-3 --out "$tmp/old" >/dev/null
same_as_old() { # the folder $1 holds the old run, every file as it was
    for f in results.csv curves.csv classes.csv samples.pgm config.txt run.txt summary.json \
             figure.svg curves.svg report.md report.html; do
        cmp -s "$tmp/old/$f" "$1/$f" || return 1
    done
}
n_old=0 n_new=0 n_switching=0 n_done=0
for _ in $(seq "$force_kills"); do
    rm -rf "$tmp/force"
    cp -R "$tmp/old" "$tmp/force"
    run_killed_after "$(random_secs "$window")" \
        "$bin" experiment "${flags[@]}" --out "$tmp/force" --force
    if [ "$status" -ne 137 ]; then
        [ "$status" -eq 0 ] || fail "a --force launch failed by itself (exit $status)"
        n_done=$((n_done + 1))
        check_run "$tmp/force"
        continue
    fi
    if [ -d "$tmp/force/.switching" ]; then
        n_switching=$((n_switching + 1)) # killed mid-switch: the next opener completes it
    elif cmp -s "$tmp/old/config.txt" "$tmp/force/config.txt"; then
        same_as_old "$tmp/force" || fail "killed before its first seed, --force changed the old run's files"
        n_old=$((n_old + 1))
        continue
    elif ! cmp -s "$tmp/ref/config.txt" "$tmp/force/config.txt"; then
        fail "after a kill, config.txt is neither the old run's nor the new one's"
        continue
    elif [ "$(rows "$tmp/force/results.csv")" -eq 0 ]; then
        fail "killed before its first seed, --force left the new config.txt and no rows:" \
             "the old run is lost"
    fi
    n_new=$((n_new + 1))
    rc=0
    "$bin" experiment "${flags[@]}" --out "$tmp/force" --resume >/dev/null 2>>"$tmp/log" || rc=$?
    [ "$rc" -eq 0 ] || fail "--resume of a killed --force run exited $rc"
    check_run "$tmp/force"
done
echo "kill-resume: --force over a finished folder, $force_kills launches: $n_old killed" \
     "before its first seed (the old run intact), $n_new after it and $n_switching while" \
     "switching (resumed to the reference's bytes), $n_done finished"

[ "$fails" -eq 0 ] || { echo "kill-resume: $fails failure(s)"; exit 1; }
echo "kill-resume: after every finished launch results.csv, curves.csv, classes.csv," \
     "samples.pgm, figure.svg and curves.svg were byte-identical to the uninterrupted run's, no temporary file left;" \
     "every killed --force left the old run or a resumable new one: passed"
