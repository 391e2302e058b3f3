#!/bin/sh
# Make sure Slurm (slurmctld, slurmd, the client tools), munge and GNU
# parallel are installed, for the scale-out recipes' tests: apt-get them
# when we are root, otherwise say how and fail.
set -u
have() {
    for tool in slurmctld slurmd sbatch scontrol sinfo munged parallel; do
        command -v "$tool" >/dev/null 2>&1 || return 1
    done
}
have && exit 0
packages="slurmctld slurmd slurm-client munge parallel"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "need-slurm: installing $packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    # A fresh container often has no package lists yet: update, then retry once.
    { apt-get install -y $packages || { apt-get update && apt-get install -y $packages; }; } \
        >/dev/null
    have && exit 0
    echo "need-slurm: installed $packages but a tool is still missing" >&2
    exit 1
fi
echo "Slurm is missing: install it with 'sudo apt-get install $packages'" >&2
exit 1
