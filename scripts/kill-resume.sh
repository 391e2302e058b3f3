#!/usr/bin/env bash
# A multi-seed run killed with SIGKILL at random moments must resume to the
# very bytes an uninterrupted run writes.
#
#   bash scripts/kill-resume.sh [path/to/sublim]     (KILLS=20, DATA=mnist)
#
# Runs a short experiment once without interruption (the reference), then
# again in another folder under SIGKILLs at random moments, relaunching it
# with --resume after each kill until a launch finishes.  Every finished run
# must have results.csv, curves.csv, figure.svg and curves.svg equal to the
# reference's byte for byte, and no temporary file left behind; a run that
# finishes before KILLS kills have been dealt is checked, and the remaining
# kills go to further --resume launches on the finished folder (which
# rewrite results.csv, curves.csv, run.txt and the report), within the time
# such a launch takes.  So the kills land anywhere: loading the data,
# training, saving a seed, writing the report; the summary line says where,
# by what results.csv held before and after.  Exit 0 on success, 1 on any
# mismatch.  About 15 s on two cores.
set -euo pipefail

bin=${1:-build/sublim}
kills=${KILLS:-20}
data=${DATA:-mnist}
flags=(--data "$data" --width 32 --noise-images 4000 --epochs 1 --student-epochs 2
       --seeds 6 --threads 2 --quiet)
[ -x "$bin" ] || { echo "kill-resume: no binary at $bin (run make)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now_ms() { date +%s%3N; }

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
check_run() { # the finished run in $tmp/run against the reference
    for f in results.csv curves.csv figure.svg curves.svg; do
        if ! cmp -s "$tmp/ref/$f" "$tmp/run/$f"; then
            echo "FAIL - $f differs from the uninterrupted run's:"
            diff "$tmp/ref/$f" "$tmp/run/$f" | head -n 10 || true
            fails=$((fails + 1))
        fi
    done
    left=$(find "$tmp/run" -name '*.tmp.*' | wc -l)
    if [ "$left" -ne 0 ]; then
        echo "FAIL - $left temporary file(s) left in the result folder"
        fails=$((fails + 1))
    fi
    last=$(awk -F= '$1 == "status" { s = $2 } END { print s }' "$tmp/run/run.txt")
    if [ "$last" != finished ] || grep -q '^status=running' "$tmp/run/run.txt"; then
        echo "FAIL - run.txt: the last run is '$last', or a killed one still says running"
        fails=$((fails + 1))
    fi
}

n_kills=0 launches=0 runs=0 early=0 progress=0 last_seed=0 after_done=0
while :; do
    launches=$((launches + 1))
    before=$(rows "$tmp/run/results.csv")
    if [ "$n_kills" -ge "$kills" ]; then
        secs=3600 # enough kills: this launch runs to the end
    else
        delay=$(((RANDOM * 32768 + RANDOM) % (runs ? idle + 1 : window)))
        secs=$((delay / 1000)).$(printf %03d $((delay % 1000)))
    fi
    status=0
    # In a subshell whose stderr is dropped, so bash's "Killed" stays quiet.
    (timeout -s KILL "$secs" "$bin" experiment "${flags[@]}" --out "$tmp/run" --resume \
        >/dev/null 2>>"$tmp/log"; exit $?) 2>/dev/null || status=$?
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
    check_run
    [ "$n_kills" -lt "$kills" ] || break
done
echo "kill-resume: $n_kills kills over $launches launches ($runs finished):" \
     "$early before a seed was saved, $progress after saving one, $last_seed after saving" \
     "the last one, $after_done in a resume with every seed done"
[ "$fails" -eq 0 ] || { echo "kill-resume: $fails failure(s)"; exit 1; }
echo "kill-resume: after every finished launch results.csv, curves.csv, figure.svg and" \
     "curves.svg were byte-identical to the uninterrupted run's, no temporary file left: passed"
