#!/usr/bin/env bash
# Stop the single-node SLURM cluster: slurmd, then slurmctld (which saves its state, so jobs,
# finished ones included, are still there after start-cluster.sh). With --all, munged too.
# Waits until the daemons are really gone (zombies awaiting PID 1 do not count).
# Running jobs are not killed: their slurmstepd survives and re-attaches on the next start.
#
# Usage: scripts/slurm/stop-cluster.sh [--all]
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

all=0
case "${1:-}" in
"") ;;
--all) all=1 ;;
*) die "usage: $0 [--all]" ;;
esac

require_root
take_lock
stop_daemon slurmd
stop_daemon slurmctld
((all)) && stop_daemon munged
echo "slurm: stopped"
