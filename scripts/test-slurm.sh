#!/usr/bin/env bash
# Opt-in end-to-end test of examples/slurm/simulate.sbatch on a real Slurm
# cluster of one node (this machine). Not part of `npm test` or CI.
#
#   npm run test:slurm          (or: bash scripts/test-slurm.sh)
#
# What it does:
#   1. installs Slurm and MUNGE (Debian packages) if slurmctld is missing;
#      builds crtkit if dist/ is missing;
#   2. in a temporary directory, writes a single-node slurm.conf and a MUNGE
#      key, and starts munged, slurmctld and slurmd in the background. All of
#      this runs in a private network namespace (`unshare --net`) whose only
#      interface is loopback, so no daemon can reach or be reached from any
#      other host;
#   3. submits the example exactly as a user would (bash simulate.sbatch: a
#      3-task job array plus a dependent summary job) with small settings and
#      waits for both jobs;
#   4. checks that the three shard files and the summary exist and that the
#      summary equals, field for field, that of the same study run unsharded
#      with `crtkit simulate`;
#   5. stops the daemons it started and removes the temporary directory.
#
# Needs root (to install packages, to create the network namespace and to run
# the daemons as SlurmUser=root).
# Environment: KEEP_TMP=1 keeps the temporary directory (logs, slurm.conf,
# simulation output) for inspection; TEST_SLURM_TIMEOUT (seconds, default 600)
# bounds the wait for the jobs.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$REPO/scripts/test-slurm.sh"
SBATCH_FILE="$REPO/examples/slurm/simulate.sbatch"
TIMEOUT=${TEST_SLURM_TIMEOUT:-600}

log() { printf '[test:slurm %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# One result line for the whole test, as the unit-test runner prints it.
finish() {
  local status=$1 why=$2 elapsed=$(( $(date +%s) - ${TEST_SLURM_START:-$(date +%s)} ))
  if [[ $status == pass ]]; then
    echo "PASS: test:slurm ($why) in ${elapsed}s"
    echo "1 passed, 0 failed"
    exit 0
  fi
  echo "FAIL: test:slurm: $why (after ${elapsed}s)"
  echo "0 passed, 1 failed"
  exit 1
}

# ---------------------------------------------------------------------------
# Outer part: prerequisites, then re-run this script in a private network
# namespace (the inner part below).
# ---------------------------------------------------------------------------
if [[ "${1:-}" != "--inner" ]]; then
  export TEST_SLURM_START=$(date +%s)
  [[ $(id -u) -eq 0 ]] || finish fail "must run as root (it installs slurm-wlm/munge and runs slurmctld/slurmd as SlurmUser=root)"

  if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    log "installing slurm-wlm and munge (apt-get)"
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge; } >/tmp/test-slurm-apt.log 2>&1; then
      tail -n 20 /tmp/test-slurm-apt.log
      finish fail "apt-get install slurm-wlm munge failed (log: /tmp/test-slurm-apt.log)"
    fi
    rm -f /tmp/test-slurm-apt.log
  fi
  command -v node >/dev/null || finish fail "node is not on PATH"

  if [[ ! -f "$REPO/dist/cli/main.js" ]]; then
    log "dist/ is missing: npm run build"
    (cd "$REPO" && npm run build) || finish fail "npm run build failed"
  fi

  # Everything else runs in a private network namespace whose only interface
  # is loopback (slurmctld 22.05 has no option to listen on 127.0.0.1 alone).
  unshare --net true 2>/dev/null ||
    finish fail "unshare --net is not available here, so the Slurm daemons cannot be confined to loopback"
  exec unshare --net -- bash "$SELF" --inner
fi

# ---------------------------------------------------------------------------
# Inner part: the cluster, the run, the checks.
# ---------------------------------------------------------------------------
# A second loopback address: with 127.0.0.1 alone, getaddrinfo(AI_ADDRCONFIG)
# finds no configured IPv4 address and slurmctld cannot bind its port.
{ ip link set lo up && ip addr add 127.0.0.2/8 dev lo; } ||
  finish fail "cannot set up loopback in the private network namespace"

TMP=$(mktemp -d /tmp/crtkit-slurm.XXXXXX) || finish fail "mktemp failed"
chmod 0711 "$TMP"   # munged wants its socket directory reachable
PIDS=()        # daemons started here, stopped in reverse order
JOB_IDS=()     # jobs submitted here, cancelled if still queued at exit

cleanup() {
  local rc=$?
  if [[ ${#JOB_IDS[@]} -gt 0 ]] && [[ -n "${SLURM_CONF:-}" ]]; then
    scancel "${JOB_IDS[@]}" 2>/dev/null || true
    # Give slurmstepd a moment to end the job processes before slurmd goes.
    for _ in $(seq 1 20); do
      [[ -z "$(squeue -h -j "$(IFS=,; echo "${JOB_IDS[*]}")" 2>/dev/null)" ]] && break
      sleep 0.5
    done
  fi
  local i pid
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    pid=${PIDS[i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP_TMP:-0} == 1 ]]; then
    echo "[test:slurm] kept $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

show_logs() {
  local f
  for f in "$TMP"/log/*.log "$TMP"/submit/*.out; do
    [[ -f $f ]] || continue
    echo "----- ${f#"$TMP"/} (last 25 lines)"
    tail -n 25 "$f"
  done
}

fail() { show_logs; finish fail "$*"; }

mkdir -p "$TMP"/{munge,log,state,spool/slurmd,submit,direct} || fail "cannot create directories in $TMP"

# --- MUNGE, with its own key, socket and files in the temporary directory ---
MUNGE_SOCKET="$TMP/munge/munge.socket"
head -c 1024 /dev/urandom >"$TMP/munge/munge.key"
chmod 0600 "$TMP/munge/munge.key"
munged --foreground --force \
  --key-file="$TMP/munge/munge.key" --socket="$MUNGE_SOCKET" \
  --pid-file="$TMP/munge/munged.pid" --seed-file="$TMP/munge/munged.seed" \
  --log-file="$TMP/log/munged.log" >>"$TMP/log/munged.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do [[ -S $MUNGE_SOCKET ]] && break; sleep 0.2; done
munge -n -S "$MUNGE_SOCKET" | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1 || fail "munged did not start (socket $MUNGE_SOCKET)"

# --- slurm.conf for one node: this machine, up to 2 CPUs ---------------------
CPUS=$(nproc); (( CPUS > 2 )) && CPUS=2
MEM_MB=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)
export SLURM_CONF="$TMP/slurm.conf"
cat >"$SLURM_CONF" <<EOF
# Written by scripts/test-slurm.sh: a throwaway single-node cluster.
ClusterName=crtkit-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=6817
SlurmdPort=6818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool/slurmd
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/log/slurmctld.log
SlurmdLogFile=$TMP/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
CommunicationParameters=NoInAddrAny
# Keep finished jobs visible to scontrol until the checks are done.
MinJobAge=600
NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

log "starting slurmctld and slurmd (config $SLURM_CONF, ${CPUS} CPUs, private network namespace)"
slurmctld -D -c -f "$SLURM_CONF" >>"$TMP/log/slurmctld.out.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do scontrol ping 2>/dev/null | grep -q 'UP' && break; sleep 0.2; done
scontrol ping 2>/dev/null | grep -q 'UP' || fail "slurmctld did not come up"
slurmd -D -N localhost -f "$SLURM_CONF" >>"$TMP/log/slurmd.out.log" 2>&1 &
PIDS+=($!)

state=""
for _ in $(seq 1 120); do
  state=$(sinfo -h -N -n localhost -o '%t' 2>/dev/null | head -n 1)
  [[ $state == idle ]] && break
  sleep 0.5
done
[[ $state == idle ]] || fail "node localhost is not idle after 60 s (sinfo state: '${state:-none}')"
log "node localhost is idle"
if command -v ss >/dev/null; then
  # In the private namespace 0.0.0.0 means the loopback addresses: there is no other interface.
  ss -Hltnp 2>/dev/null | awk '/slurm|munge/ { print "  listening: " $4 " " $6 }'
fi

# --- the run, as a user would submit it -------------------------------------
# The sbatch's own defaults for the settings not passed below; the unsharded
# reference run must use the same.
sbatch_default() {
  sed -n -E "s/^$1=\\\$\\{$1:-([^}]*)\\}.*/\\1/p" "$SBATCH_FILE" | head -n 1
}
SEED=$(sbatch_default SEED)
BETA3=$(sbatch_default BETA3)
SCENARIO=$(sbatch_default SCENARIO)
[[ -n $SEED && -n $BETA3 && -n $SCENARIO ]] ||
  fail "cannot read the defaults of SEED, BETA3 and SCENARIO from $SBATCH_FILE (found '$SEED', '$BETA3', '$SCENARIO')"

SHARDS=3 REPS=6 CLUSTERS=20 METHODS=cca,mi MODELS="M ~ X1*A*Y"
SIM="$TMP/sim"
CRTKIT_CMD="node $REPO/bin/crtkit.js"
log "submitting: bash examples/slurm/simulate.sbatch (SHARDS=$SHARDS REPS=$REPS CLUSTERS=$CLUSTERS METHODS=$METHODS; default SCENARIO=$SCENARIO SEED=$SEED BETA3=$BETA3)"
# Run from a scratch directory so the Slurm log files land in it. CPUS_PER_TASK=1
# makes each task ask for one CPU (so --workers is 1) on this 2-CPU node.
submit_out=$(
  cd "$TMP/submit" &&
  SHARDS=$SHARDS REPS=$REPS CLUSTERS=$CLUSTERS METHODS=$METHODS IMPUTATION_MODELS="$MODELS" \
  OUT="$SIM" CRTKIT="$CRTKIT_CMD" CPUS_PER_TASK=1 \
  bash "$SBATCH_FILE" 2>&1
) || { echo "$submit_out"; fail "bash simulate.sbatch failed to submit"; }
echo "$submit_out"
if [[ $submit_out =~ submitted\ array\ job\ ([0-9]+).*summary\ job\ ([0-9]+) ]]; then
  ARRAY_ID=${BASH_REMATCH[1]} SUMMARY_ID=${BASH_REMATCH[2]}
else
  fail "could not read the job ids from the submission output"
fi
JOB_IDS=("$ARRAY_ID" "$SUMMARY_ID")

deadline=$(( $(date +%s) + TIMEOUT ))
while [[ -n "$(squeue -h -j "$ARRAY_ID,$SUMMARY_ID" 2>/dev/null)" ]]; do
  (( $(date +%s) < deadline )) || { squeue; fail "jobs still queued or running after ${TIMEOUT}s"; }
  sleep 1
done
log "both jobs have left the queue"

# Final state of every array task and of the summary job (kept by MinJobAge).
job_states() {
  scontrol -o show job "$1" 2>/dev/null | awk '{
    id = ""; task = ""; st = ""; ec = ""; cpt = ""
    for (i = 1; i <= NF; i++) {
      split($i, kv, "=")
      if (kv[1] == "JobId") id = kv[2]; else if (kv[1] == "ArrayTaskId") task = kv[2]
      else if (kv[1] == "JobState") st = kv[2]; else if (kv[1] == "ExitCode") ec = kv[2]
      else if (kv[1] == "CPUs/Task") cpt = kv[2]
    }
    print (task == "" ? id : id " (array task " task ")"), st, ec, "CPUs/Task=" cpt
  }'
}
states=$(job_states "$ARRAY_ID"; job_states "$SUMMARY_ID")
echo "$states" | sed 's/^/  job /'
[[ $(echo "$states" | grep -c ' COMPLETED 0:0 ') -eq $(( SHARDS + 1 )) ]] ||
  fail "expected $SHARDS array tasks and the summary job to be COMPLETED with exit code 0:0"
# One CPU per task, so each shard ran with --workers 1 (from SLURM_CPUS_PER_TASK).
[[ $(echo "$states" | grep 'array task' | grep -c 'CPUs/Task=1$') -eq $SHARDS ]] ||
  fail "expected every array task to have CPUs/Task=1 (CPUS_PER_TASK=1)"

# --- checks ------------------------------------------------------------------
mapfile -t shard_files < <(find "$SIM" -name "shard-*-of-$SHARDS.jsonl" | sort)
[[ ${#shard_files[@]} -eq $SHARDS ]] || fail "expected $SHARDS shard files under $SIM, found ${#shard_files[@]}: ${shard_files[*]}"
for i in $(seq 1 "$SHARDS"); do
  [[ -n "$(find "$SIM" -name "shard-$i-of-$SHARDS.jsonl" -size +0)" ]] || fail "shard $i of $SHARDS is missing or empty"
done
[[ -s "$SIM/summary.json" ]] || fail "$SIM/summary.json was not written"
[[ -s "$SIM/summary.csv" ]] || fail "$SIM/summary.csv was not written"

log "reference: the same study unsharded, in this process"
(cd "$TMP/direct" && $CRTKIT_CMD simulate --scenario "$SCENARIO" --clusters "$CLUSTERS" --beta3 "$BETA3" \
  --reps "$REPS" --methods "$METHODS" --imputation-models "$MODELS" --seed "$SEED" --workers 1 --quiet \
  --format json >"$TMP/direct/summary.json" 2>"$TMP/log/direct.log") || fail "the unsharded reference run failed (see log/direct.log)"

compare_out=$(node "$REPO/scripts/slurm/compare-summaries.mjs" "$SIM/summary.json" "$TMP/direct/summary.json" "$REPS" 2>&1)
compare_rc=$?
echo "$compare_out"
[[ $compare_rc -eq 0 ]] || fail "the sharded summary differs from the unsharded one"

finish pass "$SHARDS shards + summary job on Slurm $(sinfo -V | awk '{print $2}'); summary equals the unsharded run"
