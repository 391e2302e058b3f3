#!/usr/bin/env bash
# The scale-out recipes, tested for real: one tiny sweep run three ways
# must collect to the same bytes (sweep.csv, summary.csv, sweep.svg):
#   1. locally, in one process (`sublim sweep`);
#   2. through a real single-node Slurm started here
#      (scripts/slurm/local-cluster.sh), submitted with
#      scripts/slurm/submit-sweep.sh: a job array, 3 tasks per element,
#      and a dependent collect job;
#   3. through GNU parallel, two tasks at a time, then `sublim sweep --collect`.
#
#   bash scripts/check-scaleout.sh [path/to/sublim]      (as root: it installs
#   Slurm, munge and parallel with apt-get when missing, and starts daemons)
#
# Every wait is bounded; the cluster is torn down however this ends.
# Linux only (Debian's Slurm and munge, started as root), unlike the other
# scripts: Slurm clusters are Linux.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-build/sublim}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
cd "$root"
sh scripts/slurm/need-slurm.sh

tmp=$(mktemp -d)
cluster=$tmp/cluster
cleanup() {
    sh scripts/slurm/local-cluster.sh stop "$cluster" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
    echo "FAIL - $*"
    for log in "$tmp"/*/logs/*.out; do
        [ -f "$log" ] && { echo "--- $log"; tail -n 5 "$log"; }
    done
    exit 1
}

sweep=(--m 1,3 --width 8,16 --seeds 2 --epochs 1 --student-epochs 1 --noise-images 1024
       --batch 256 --threads 1 --quiet)
t0=$(date +%s)
timeout 300 "$bin" sweep "${sweep[@]}" --out "$tmp/local" >/dev/null || fail "the local sweep"
echo "ok   - the sweep ran locally in $(($(date +%s) - t0)) s"

sh scripts/slurm/local-cluster.sh start "$cluster" >/dev/null
export SLURM_CONF=$cluster/slurm.conf
t0=$(date +%s)
timeout 600 sh scripts/slurm/submit-sweep.sh -k 3 -b "$bin" -w -- "${sweep[@]}" \
    --out "$tmp/slurm" >/dev/null || fail "the Slurm job array or its collect job"
echo "ok   - the sweep ran as a Slurm job array and collect job in $(($(date +%s) - t0)) s"

t0=$(date +%s)
"$bin" sweep "${sweep[@]}" --out "$tmp/parallel" --list |
    timeout 600 parallel --colsep ' ' -j 2 --joblog "$tmp/parallel.joblog" \
        "$bin" sweep "${sweep[@]}" --out "$tmp/parallel" --task '{1}' >/dev/null ||
    fail "a task under GNU parallel (joblog: $(cat "$tmp/parallel.joblog"))"
timeout 300 "$bin" sweep --collect "$tmp/parallel" >/dev/null || fail "collecting the parallel run"
echo "ok   - the sweep ran under GNU parallel and was collected in $(($(date +%s) - t0)) s"

for way in slurm parallel; do
    for f in sweep.csv summary.csv sweep.svg; do
        cmp -s "$tmp/local/$f" "$tmp/$way/$f" || {
            diff "$tmp/local/$f" "$tmp/$way/$f" | head -n 10
            fail "$way: $f differs from the local run's"
        }
    done
done
echo "check-scaleout: the Slurm and GNU parallel runs collected to the local run's bytes: passed"
