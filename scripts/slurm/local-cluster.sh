#!/bin/sh
# A real single-node Slurm cluster in a folder, for testing the sweep
# recipes: no systemd, nothing outside DIR but munge's socket.
#
#   sh scripts/slurm/local-cluster.sh start DIR   # then: export SLURM_CONF=DIR/slurm.conf
#   sh scripts/slurm/local-cluster.sh stop DIR
#
# Needs root and Debian's slurmctld, slurmd, slurm-client and munge
# (scripts/slurm/need-slurm.sh installs them).  start returns once the
# node is idle (within 30 s, else it fails with the daemons' logs' tail);
# stop shuts the daemons down and kills every process start began.
set -eu
cmd=${1:?start or stop}
dir=${2:?the cluster folder}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
conf=$dir/slurm.conf

fail() {
    echo "local-cluster: $*" >&2
    for log in "$dir"/slurmctld.log "$dir"/slurmd.log "$(munge_dir)"/munged.log; do
        [ -f "$log" ] && { echo "--- $log" >&2; tail -n 15 "$log" >&2; }
    done
    exit 1
}

# munged's own folder (start writes its name in DIR/munge.dir).
munge_dir() { cat "$dir/munge.dir" 2>/dev/null || echo "$dir/no-munge"; }

stop() {
    [ -f "$conf" ] && SLURM_CONF=$conf timeout 10 scontrol shutdown >/dev/null 2>&1 || true
    for pidfile in "$dir"/slurmd.pid "$dir"/slurmctld.pid "$(munge_dir)"/munged.pid; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$pid" 2>/dev/null || break
            kill "$pid" 2>/dev/null || true
            sleep 0.2
        done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
    [ -f "$dir/munge.dir" ] && rm -rf "$(munge_dir)" "$dir/munge.dir"
    return 0
}

case $cmd in
stop)
    stop
    exit 0
    ;;
start) ;;
*) echo "usage: local-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac

[ "$(id -u)" = 0 ] || fail "needs root (slurmd and munged run as root and munge)"
for tool in slurmctld slurmd scontrol sbatch munged; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing: run scripts/slurm/need-slurm.sh"
done

# munge: its socket in /run/munge, owned by the munge user.
mkdir -p /run/munge
chown munge:munge /run/munge
chmod 0755 /run/munge
if ! munge -n >/dev/null 2>&1; then
    # munged runs as munge, which may not enter DIR (a mktemp -d is 0700):
    # its files go to a folder of its own, named in DIR for stop.
    mdir=$(mktemp -d /tmp/sublim-munge.XXXXXX)
    chown munge:munge "$mdir"
    echo "$mdir" >"$dir/munge.dir"
    runuser -u munge -- /usr/sbin/munged --pid-file="$mdir/munged.pid" \
        --log-file="$mdir/munged.log" || fail "munged would not start"
    for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n >/dev/null 2>&1 || fail "munged does not answer"
fi

node=$(hostname -s)
cpus=$(nproc)
mem=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
mkdir -p "$dir/spool/ctld" "$dir/spool/d"
cat >"$conf" <<CONF
ClusterName=sublimtest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
StateSaveLocation=$dir/spool/ctld
SlurmdSpoolDir=$dir/spool/d
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
MaxArraySize=100001
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=${mem:-1024} State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -c -f "$conf" || fail "slurmctld would not start"
slurmd -f "$conf" || fail "slurmd would not start"
for _ in $(seq 150); do
    state=$(SLURM_CONF=$conf timeout 5 sinfo -h -o %T 2>/dev/null | head -n 1)
    [ "$state" = idle ] && { echo "local-cluster: node $node idle ($cpus CPUs), SLURM_CONF=$conf"; exit 0; }
    sleep 0.2
done
stop
fail "the node is not idle after 30 s (state '$state')"
