# shellcheck shell=bash
# Shared helpers for the single-node SLURM cluster scripts in this directory.
# Sourced by start-cluster.sh, stop-cluster.sh and restart-controller.sh; not run on its own.
#
# Target: Debian 12, running as root, no systemd (so no service manager starts or reaps
# anything for us), Debian's slurm 22.05.x packages and munge.

# Daemons live in sbin; CI and test runners may hand us a PATH without it.
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"
export DEBIAN_FRONTEND=noninteractive

readonly SLURM_NODE=localhost
readonly SLURM_CONF=/etc/slurm/slurm.conf
readonly SLURM_STATE_DIR=/var/lib/slurm/slurmctld
readonly SLURM_SPOOL_DIR=/var/lib/slurm/slurmd
readonly SLURM_LOG_DIR=/var/log/slurm
readonly SLURM_LOCK=/run/lock/expt-slurm-cluster.lock
readonly SLURM_PACKAGES=(slurmctld slurmd slurm-client munge)
# Overall budget for the cluster to become usable (seconds, excluding package install).
SLURM_READY_TIMEOUT=${SLURM_READY_TIMEOUT:-60}

log() { echo "slurm: $*" >&2; }
die() {
    echo "slurm: ERROR: $*" >&2
    exit 1
}

require_root() {
    [[ $(id -u) -eq 0 ]] || die "must run as root (daemons, /etc/slurm and /run are root-owned)"
}

# Serialise the scripts: tests may call start-cluster.sh from several processes at once.
# The lock lives on fd 9; start_daemon closes it in the child so that a long-lived daemon never
# inherits it (it would otherwise hold the lock forever and the next call would hang).
take_lock() {
    mkdir -p "$(dirname "$SLURM_LOCK")"
    exec 9>"$SLURM_LOCK"
    flock -w 120 9 || die "could not take $SLURM_LOCK within 120 s (another slurm script stuck?)"
}

# Print the pids of live processes whose command name is exactly $1.
# Zombies (state Z/X) are skipped: PID 1 on these machines reaps late, so a daemon that has
# already exited can stay in the process table for seconds and must not count as running.
# Reads /proc directly so it does not depend on procps and costs a few ms.
daemon_pids() {
    local name=$1 f line comm rest state pid
    for f in /proc/[0-9]*/stat; do
        # The process may vanish between the glob and the read.
        read -r line 2>/dev/null <"$f" || continue
        comm=${line#*(}
        comm=${comm%)*}
        [[ $comm == "$name" ]] || continue
        rest=${line##*) }
        state=${rest%% *}
        [[ $state == Z || $state == X ]] && continue
        pid=${f#/proc/}
        echo "${pid%/stat}"
    done
}

is_running() { [[ -n $(daemon_pids "$1") ]]; }

# Start a daemon detached from us: new session, stdio on /dev/null, and every inherited fd
# above 2 closed (our lock fd 9, and any pipe of the calling test runner: a daemon holding the
# caller's stdout pipe would keep the caller waiting for EOF forever).
start_daemon() {
    (
        for fd in /proc/self/fd/*; do
            fd=${fd##*/}
            if ((fd > 2)); then eval "exec ${fd}>&-" 2>/dev/null || true; fi
        done
        exec setsid "$@" </dev/null >/dev/null 2>&1
    )
}

# Print the end of a daemon's log to stderr (for error messages).
show_log_tail() {
    local f=$1
    [[ -f $f ]] || return 0
    echo "---- last lines of $f ----" >&2
    tail -n 15 "$f" >&2 || true
}

# Start slurmctld. The daemonizing parent exits non-zero when slurmctld dies during start-up.
# One case is repaired: state left by a cluster with another ClusterName (e.g. a machine reused
# from other work) makes slurmctld refuse to start. That state is not ours, so it is moved aside
# (not deleted) and slurmctld is started once more with empty state.
start_slurmctld() {
    local log=$SLURM_LOG_DIR/slurmctld.log aside
    start_daemon slurmctld && return 0
    if tail -n 20 "$log" 2>/dev/null | grep -q 'CLUSTER NAME MISMATCH'; then
        aside=$SLURM_STATE_DIR.mismatch-$(date +%Y%m%d%H%M%S)
        log "state in $SLURM_STATE_DIR belongs to another ClusterName; moving it to $aside"
        mv "$SLURM_STATE_DIR" "$aside"
        ensure_dirs
        start_daemon slurmctld && return 0
    fi
    show_log_tail "$log"
    die "slurmctld failed to start (log: $log)"
}

start_slurmd() {
    start_daemon slurmd -N "$SLURM_NODE" && return 0
    show_log_tail "$SLURM_LOG_DIR/slurmd.log"
    die "slurmd failed to start (log: $SLURM_LOG_DIR/slurmd.log)"
}

# Stop every live process named $1: SIGTERM, wait up to $2 seconds (default 30), then SIGKILL.
stop_daemon() {
    local name=$1 grace=${2:-30} pids i
    pids=$(daemon_pids "$name")
    [[ -z $pids ]] && return 0
    log "stopping $name (pid $(echo "$pids" | tr '\n' ' ' | sed 's/ $//'))"
    # shellcheck disable=SC2086  # word splitting of the pid list is intended
    kill -TERM $pids 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        is_running "$name" || return 0
        sleep 0.1
    done
    log "$name ignored SIGTERM for ${grace}s; sending SIGKILL"
    pids=$(daemon_pids "$name")
    if [[ -n $pids ]]; then
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
    fi
    for ((i = 0; i < 50; i++)); do
        is_running "$name" || return 0
        sleep 0.1
    done
    die "$name is still running after SIGKILL"
}

# ---------------------------------------------------------------------------------------------
# Installation and configuration
# ---------------------------------------------------------------------------------------------

ensure_packages() {
    local missing=() pkg status
    for pkg in "${SLURM_PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        [[ $status == installed ]] || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    log "installing ${missing[*]} (first run on this machine)"
    # Update the package lists only when something is missing: it is the slow part.
    # The lock timeout makes us wait for (rather than fail on) a concurrent apt run.
    apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null ||
        die "apt-get update failed"
    # No recommends: the recommended set is ~40 packages (mail server, docs...) we never use.
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
        "${SLURM_PACKAGES[@]}" >/dev/null || die "apt-get install ${SLURM_PACKAGES[*]} failed"
}

ensure_munge() {
    # The munge package normally creates the key; create one only if it is missing.
    if [[ ! -s /etc/munge/munge.key ]]; then
        log "creating /etc/munge/munge.key"
        if command -v mungekey >/dev/null; then
            mungekey --create --keyfile=/etc/munge/munge.key
        else
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
        fi
        chown munge:munge /etc/munge/munge.key
        chmod 0400 /etc/munge/munge.key
    fi
    # /run is a tmpfs: the socket directory is gone after every reboot.
    install -d -o munge -g munge -m 0755 /run/munge
    if ! is_running munged; then
        log "starting munged"
        # munged refuses to run as root; it daemonizes and returns once its socket is ready.
        if ! start_daemon runuser -u munge -- munged; then
            show_log_tail /var/log/munge/munged.log
            die "munged failed to start"
        fi
    fi
    munge -n </dev/null | unmunge >/dev/null 2>&1 || die "munge does not work (see /var/log/munge/munged.log)"
}

# Print the slurm.conf this machine should have. CPUs and RealMemory come from the hardware
# as slurmd sees it, so that slurmd's registration always matches (a mismatch drains the node).
render_config() {
    local hw cpus mem
    hw=$(slurmd -C 2>/dev/null) || die "slurmd -C failed"
    cpus=$(sed -n 's/.*[[:space:]]CPUs=\([0-9]*\).*/\1/p' <<<"$hw" | head -n1)
    mem=$(sed -n 's/.*[[:space:]]RealMemory=\([0-9]*\).*/\1/p' <<<"$hw" | head -n1)
    [[ -n $cpus && -n $mem ]] || die "cannot parse 'slurmd -C' output: $hw"
    cat <<EOF
# Generated by scripts/slurm/start-cluster.sh (Expt): a single-node test cluster.
# Rewritten whenever it differs from what the script generates; do not edit by hand.
# Changing ClusterName with existing state makes slurmctld exit (CLUSTER NAME MISMATCH).
ClusterName=expt
SlurmctldHost=${SLURM_NODE}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=${SLURM_STATE_DIR}
SlurmdSpoolDir=${SLURM_SPOOL_DIR}
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=${SLURM_LOG_DIR}/slurmctld.log
SlurmdLogFile=${SLURM_LOG_DIR}/slurmd.log
# No cgroups here: track job processes through /proc and do no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# One record per finished job in a text file ('sacct -c' reads it); no slurmdbd.
JobCompType=jobcomp/filetxt
JobCompLoc=${SLURM_LOG_DIR}/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# Keep finished jobs visible to squeue/scontrol for a day (default is 300 s).
MinJobAge=86400
MaxJobCount=100000
KillWait=10
# A dependency that can never be satisfied cancels the job instead of leaving it PENDING.
DependencyParameters=kill_invalid_depend
EnforcePartLimits=ALL
# A DOWN node comes back by itself as soon as slurmd registers with a valid configuration.
ReturnToService=2
MailProg=/bin/true
# A trivial Epilog plus no batch scheduling delay take short jobs from ~0.7 to ~30 jobs/s:
# without them every freed CPU sits idle for 1-3 s.
Epilog=/bin/true
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
NodeName=${SLURM_NODE} CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

# Write slurm.conf if it differs; return 0 if the file changed, 1 if it was already right.
write_config_if_changed() {
    local want
    want=$(render_config)
    if [[ -f $SLURM_CONF && "$(<"$SLURM_CONF")" == "$want" ]]; then
        return 1
    fi
    mkdir -p "$(dirname "$SLURM_CONF")"
    printf '%s\n' "$want" >"$SLURM_CONF.tmp"
    mv -f "$SLURM_CONF.tmp" "$SLURM_CONF"
    log "wrote $SLURM_CONF"
    return 0
}

ensure_dirs() {
    mkdir -p "$SLURM_STATE_DIR" "$SLURM_SPOOL_DIR" "$SLURM_LOG_DIR"
    chmod 0755 "$SLURM_STATE_DIR" "$SLURM_SPOOL_DIR" "$SLURM_LOG_DIR"
}

# ---------------------------------------------------------------------------------------------
# Readiness
# ---------------------------------------------------------------------------------------------

# Print one field (e.g. State) from a `scontrol -o show node` line.
node_field() { sed -n "s/.*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" <<<" $1"; }

# True if the node state is schedulable: IDLE/MIXED/ALLOCATED (optionally +COMPLETING etc.),
# not DOWN/DRAIN/FAIL, and responding (a trailing '*' or NOT_RESPONDING means slurmctld has
# not heard from slurmd).
node_state_ok() {
    local s=$1
    [[ $s == *'*'* || $s == *NOT_RESPONDING* ]] && return 1
    [[ $s == *DOWN* || $s == *DRAIN* || $s == *FAIL* || $s == *INVAL* ]] && return 1
    [[ $s == IDLE* || $s == MIXED* || $s == ALLOCATED* || $s == COMPLETING* ]]
}

wait_for_controller() {
    local deadline=$1
    until timeout 5 scontrol ping 2>/dev/null | grep -q 'is UP'; do
        if ! is_running slurmctld; then
            show_log_tail "$SLURM_LOG_DIR/slurmctld.log"
            die "slurmctld exited (log: $SLURM_LOG_DIR/slurmctld.log)"
        fi
        ((SECONDS < deadline)) || die "slurmctld did not answer within ${SLURM_READY_TIMEOUT}s"
        sleep 0.1
    done
}

# Wait until the node is usable. $2 = epoch when we started slurmd (0 if we did not): until
# slurmd has registered, slurmctld reports the node state saved before the restart (often
# IDLE), so we also require SlurmdStartTime to be no older than our start of slurmd.
# Resumes a DOWN/DRAINED node (tests set it down on purpose). Sets NODE_LINE.
NODE_LINE=
PROBE_NEEDED=0
wait_for_node() {
    local deadline=$1 slurmd_started_at=$2 state start_time start_epoch reason
    local not_responding_since='' resumed=0
    while true; do
        NODE_LINE=$(timeout 10 scontrol -o show node "$SLURM_NODE" 2>/dev/null || true)
        state=$(node_field "$NODE_LINE" State)
        start_time=$(node_field "$NODE_LINE" SlurmdStartTime)
        start_epoch=0
        if [[ -n $start_time && $start_time != None ]]; then
            start_epoch=$(date -d "$start_time" +%s 2>/dev/null || echo 0)
        fi

        if node_state_ok "$state" && ((start_epoch >= slurmd_started_at - 2)); then
            return 0
        fi

        # Admin-set DOWN or DRAIN (or a FAIL) does not clear by itself: resume once.
        # (A DOWN that is only "not responding" clears on registration, ReturnToService=2.)
        if [[ $state == *DOWN* || $state == *DRAIN* || $state == *FAIL* ]] && ((resumed == 0)); then
            reason=$(node_field "$NODE_LINE" Reason)
            log "node $SLURM_NODE is $state${reason:+ (reason: $reason)}; resuming"
            timeout 10 scontrol update nodename="$SLURM_NODE" state=resume ||
                log "scontrol update state=resume failed; waiting anyway"
            resumed=1
            PROBE_NEEDED=1
        fi

        if [[ $state == *INVAL* ]]; then
            die "node $SLURM_NODE is INVAL (configuration mismatch): $NODE_LINE"
        fi

        # slurmd is running but slurmctld says it is not responding (e.g. slurmctld was
        # restarted with old state): restarting slurmd forces an immediate registration
        # instead of waiting for the next ping (up to SlurmdTimeout/3 = 100 s). Running jobs
        # are not affected: they belong to slurmstepd, which re-attaches.
        if [[ $state == *'*'* || $state == *NOT_RESPONDING* ]]; then
            : "${not_responding_since:=$SECONDS}"
            if ((SECONDS - not_responding_since >= 5)); then
                log "node $SLURM_NODE not responding ($state); restarting slurmd to re-register"
                stop_daemon slurmd 10
                slurmd_started_at=$(date +%s)
                start_slurmd
                PROBE_NEEDED=1
                not_responding_since=''
            fi
        else
            not_responding_since=''
        fi

        if ! is_running slurmd; then
            show_log_tail "$SLURM_LOG_DIR/slurmd.log"
            die "slurmd exited (log: $SLURM_LOG_DIR/slurmd.log)"
        fi
        if ((SECONDS >= deadline)); then
            [[ -n $NODE_LINE ]] || die "node $SLURM_NODE not ready within ${SLURM_READY_TIMEOUT}s: no answer from 'scontrol show node'"
            die "node $SLURM_NODE not ready within ${SLURM_READY_TIMEOUT}s: State=$state" \
                "Reason=$(node_field "$NODE_LINE" Reason) SlurmdStartTime=$start_time" \
                "(we started slurmd at: $( ((slurmd_started_at)) && date -d "@$slurmd_started_at" +%FT%T || echo n/a);" \
                "logs: $SLURM_LOG_DIR)"
        fi
        sleep 0.2
    done
}

# Run a trivial job end to end (the real proof that slurmctld, slurmd and munge work together).
# It goes to the head of the queue (--priority=TOP, root is a Slurm admin) so queued test jobs
# do not delay it. If every CPU is busy with running jobs it would only wait for them, so it is
# skipped then: the state check (node responding and ALLOCATED) already shows slurmd is alive.
# The job stays visible in `squeue -t all` (MinJobAge) under the name expt-ready-probe.
probe_job() {
    local deadline=$1 state remaining
    state=$(node_field "$NODE_LINE" State)
    if [[ $state == ALLOCATED* ]]; then
        log "all CPUs busy; skipping the probe job"
        return 0
    fi
    remaining=$((deadline - SECONDS))
    ((remaining < 5)) && remaining=5
    timeout "$remaining" srun --quiet --job-name=expt-ready-probe --priority=TOP \
        --nodes=1 --ntasks=1 --time=1 true </dev/null >/dev/null ||
        die "a trivial 'srun true' did not complete within ${remaining}s (logs: $SLURM_LOG_DIR)"
}

# Bring everything up (idempotent) and wait until usable. $1=1 forces the probe job.
ensure_cluster() {
    local deadline slurmd_started_at=0 cpus
    PROBE_NEEDED=${1:-0}
    ensure_packages
    # The readiness budget starts after the (one-off, network-bound) package install.
    deadline=$((SECONDS + SLURM_READY_TIMEOUT))
    ensure_munge
    if write_config_if_changed; then
        # Running daemons would keep the old configuration: restart them.
        if is_running slurmd || is_running slurmctld; then
            log "configuration changed; restarting the daemons"
            stop_daemon slurmd
            stop_daemon slurmctld
        fi
    fi
    ensure_dirs

    if ! is_running slurmctld; then
        log "starting slurmctld"
        start_slurmctld
        PROBE_NEEDED=1
    fi
    wait_for_controller "$deadline"

    if ! is_running slurmd; then
        log "starting slurmd"
        slurmd_started_at=$(date +%s)
        start_slurmd
        PROBE_NEEDED=1
    fi
    wait_for_node "$deadline" "$slurmd_started_at"

    # Only prove it with a job when something changed; the healthy fast path stays < 1 s.
    if ((PROBE_NEEDED)); then
        probe_job "$deadline"
    fi
    cpus=$(node_field "$NODE_LINE" CPUTot)
    echo "slurm: ready ($SLURM_NODE, ${cpus:-?} cpus)"
}
