#!/usr/bin/env bash
# test_slurm.sh: runs a small sweep through a real single-node Slurm cluster
# started on this machine, and checks that the tables merged by the dependent
# merge job equal the single-machine sweep byte for byte. TAP output.
#
# Needs root and Debian's slurmd slurmctld slurm-client munge (test.sh installs
# them). Skips, saying why, where Slurm cannot be started; with CI=true as root
# a skip is a failure. Everything lives in a temporary folder (its own munged
# socket, slurm.conf, ports, state); nothing in /etc is touched, and the
# daemons are stopped at the end.
set -u
taihang="${TH_TAIHANG:-taihang}"
root="${TH_SOURCE_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}"
sweep="$root/tests/data/sweep/sweep.ini"
must_run=false
[ "${CI:-}" = true ] && [ "$(id -u)" = 0 ] && must_run=true

skip() {
  if $must_run; then
    echo "1..1"
    echo "not ok 1 - slurm cluster could not be started: $1"
    [ -n "${T:-}" ] && for f in "$T"/*.log "$T"/munge/*.log; do
      [ -f "$f" ] && { echo "# --- $f"; tail -n 20 "$f" | sed 's/^/# /'; }
    done
    exit 1
  fi
  echo "1..0 # SKIP $1"
  exit 0
}

[ "$(id -u)" = 0 ] || skip "not root (munged and slurmd need root)"
for c in munged slurmctld slurmd sbatch squeue sinfo scancel runuser; do
  command -v "$c" >/dev/null 2>&1 || skip "$c not installed (apt-get install slurmd slurmctld slurm-client munge)"
done
[ -r /etc/munge/munge.key ] || skip "no /etc/munge/munge.key"

T=$(mktemp -d /tmp/taihang-slurm-XXXXXX)
chmod 755 "$T"
pids=()
cleanup() {
  [ -n "${SLURM_CONF:-}" ] && scancel --quiet --name=taihang-sweep-test >/dev/null 2>&1
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  [ -f "$T/munge/munged.pid" ] && kill "$(cat "$T/munge/munged.pid")" 2>/dev/null
  sleep 0.5
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM # so that a timeout still stops the daemons

# munged as the munge user, on a socket of our own
mkdir -p "$T/munge" && chown munge:munge "$T/munge" && chmod 711 "$T/munge"
runuser -u munge -- munged --socket="$T/munge/munge.socket" --pid-file="$T/munge/munged.pid" \
  --log-file="$T/munge/munged.log" --seed-file="$T/munge/munged.seed" \
  --key-file=/etc/munge/munge.key >/dev/null 2>&1 || skip "munged did not start"

for _ in $(seq 50); do [ -S "$T/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$T/munge/munge.socket" ] || skip "munged socket did not appear"

# two free TCP ports for slurmctld and slurmd
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
p1=""; p2=""
for p in $(seq 16817 2 16899); do
  if port_free "$p" && port_free $((p + 1)); then p1=$p; p2=$((p + 1)); break; fi
done
[ -n "$p1" ] || skip "no free ports in 16817..16900"

host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
mkdir -p "$T/state" "$T/spool"
cat >"$T/slurm.conf" <<EOF
ClusterName=taihangtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$p1
SlurmdPort=$p2
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$T/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
pids+=($!)
sleep 1
slurmd -D -f "$SLURM_CONF" >"$T/slurmd.out" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 60); do
  state=$(sinfo -h -o %t 2>/dev/null | head -n 1)
  case "$state" in idle*|mix*|alloc*) break ;; esac
  sleep 0.5
done
case "$state" in idle*|mix*|alloc*) ;; *) skip "the node did not come up (state '$state')" ;; esac

echo "1..7"
n=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
fail=0

# the reference: the same sweep on this machine
"$taihang" sweep "$sweep" --out "$T/local" --jobs 2 --quiet
ok $? "single-machine sweep"
if [ "$fail" != 0 ]; then # nothing to compare with: say why and stop
  for f in "$T"/local/failed/*.txt; do [ -f "$f" ] && sed -n '1p;/^stderr:/,$p' "$f" | sed 's/^/# /'; break; done
  exit 1
fi

"$taihang" sweep "$sweep" --out "$T/cluster" --emit-slurm "$T/job.sbatch" --shards 3 \
  --cpus-per-task 1 --partition test --quiet
ok $? "emit the Slurm array job, merge job and submit script"

ids=$(sh "$T/job-submit.sh" 2>"$T/submit.err")
ok $? "submit the array job and its dependent merge job ($ids)"
array=${ids%% *}
merge=${ids##* }
# wait until both jobs have left the queue
for _ in $(seq 480); do
  left=$(squeue -h -j "$array,$merge" 2>/dev/null | wc -l)
  [ "$left" = 0 ] && break
  # a failed array task leaves the merge job pending for ever
  squeue -h -j "$merge" -o %r 2>/dev/null | grep -q DependencyNeverSatisfied && break
  sleep 0.5
done
[ "${left:-1}" = 0 ]
ok $? "jobs finished"

logs=$(ls "$T/cluster/slurm" 2>/dev/null | grep -c "_[0-9]*\.out$")
[ "$logs" = 3 ] && [ "$(ls "$T/cluster/runs" | wc -l)" = "$(($(wc -l <"$T/local/runs.csv") - 1))" ]
ok $? "3 array tasks ran (logs: $logs) and made every run"

cmp "$T/local/travel_times.csv" "$T/cluster/travel_times.csv" &&
  cmp "$T/local/summary.csv" "$T/cluster/summary.csv"
ok $? "merged tables equal the single-machine sweep byte for byte"

# resubmitting one task reruns that shard only: the second run (index 1) is in shard 2 of 3
victim=$(sed -n 3p "$T/local/runs.csv" | cut -d, -f1)
rm -rf "${T:?}/cluster/runs/$victim"
sbatch --wait --array=2 "$T/job.sbatch" >/dev/null 2>>"$T/submit.err"
[ -d "$T/cluster/runs/$victim" ] && "$taihang" sweep-merge "$T/cluster" --quiet &&
  cmp "$T/local/travel_times.csv" "$T/cluster/travel_times.csv"
ok $? "sbatch --array=2 reran shard 2 of 3 (run $victim) and the merge is unchanged"

if [ "$fail" != 0 ]; then
  for f in "$T"/submit.err "$T"/cluster/slurm/*.out "$T"/slurmctld.log "$T"/slurmd.log; do
    [ -f "$f" ] && { echo "# --- $f"; tail -n 15 "$f" | sed 's/^/# /'; }
  done
fi
exit $fail
