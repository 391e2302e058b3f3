#!/bin/sh
# Submits a sweep to Slurm: its tasks as one job array, then a job that
# collects them once every task has succeeded (--dependency=afterok).
#
#   sh scripts/slurm/submit-sweep.sh [-k K] [-b SUBLIM] [-w] -- SWEEP_FLAGS...
#
# SWEEP_FLAGS are those of `sublim sweep` (they must include --out SW);
# -k K runs K tasks per array element (default 1); -b names the sublim
# program (default build/sublim, made absolute); -w waits until the collect
# job has ended and exits with its status.  Logs: SW/logs/task-A.out per
# array element A, SW/logs/collect.out.  Prints the two job ids.  A task
# that failed is missing at collect time: `sublim sweep --collect SW` lists
# the missing ones; submitting the same command again runs them (finished
# tasks are kept: the array elements run with --resume).
set -eu
k=1 sublim=build/sublim wait=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    case $1 in
    -k) k=$2; shift 2 ;;
    -b) sublim=$2; shift 2 ;;
    -w) wait=1; shift ;;
    *) echo "submit-sweep: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done
[ "${1:-}" = -- ] || { echo "submit-sweep: give the sweep's flags after --" >&2; exit 2; }
shift
case $sublim in /*) ;; *) sublim=$(pwd)/$sublim ;; esac

# The sweep's folder, from its --out flag.
out=
prev=
for arg in "$@"; do
    case $arg in --out=*) out=${arg#--out=} ;; esac
    [ "$prev" = --out ] && out=$arg
    prev=$arg
done
[ -n "$out" ] || { echo "submit-sweep: the sweep's flags need --out SW" >&2; exit 2; }

n=$("$sublim" sweep "$@" --list | wc -l)
[ "$n" -gt 0 ] || { echo "submit-sweep: the sweep has no task" >&2; exit 1; }
jobs=$(((n + k - 1) / k))
here=$(dirname "$0")
mkdir -p "$out/logs"
array=$(sbatch --parsable --array=0-$((jobs - 1)) --chdir="$(pwd)" \
    --output="$out/logs/task-%a.out" "$here/sweep.sbatch" "$sublim" "$@" \
    --tasks-per-job "$k" --resume)
array=${array%%;*}
collect=$(sbatch --parsable ${wait:+--wait} --dependency=afterok:"$array" \
    --kill-on-invalid-dep=yes --chdir="$(pwd)" \
    --job-name=sublim-collect --output="$out/logs/collect.out" \
    --wrap "\"$sublim\" sweep --collect \"$out\"") || {
    echo "submit-sweep: the collect job failed: see $out/logs/collect.out" >&2
    exit 1
}
echo "submit-sweep: $n task(s) in array job $array ($jobs element(s)), collect job ${collect%%;*}"
