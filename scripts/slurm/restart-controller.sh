#!/usr/bin/env bash
# Restart slurmctld only (slurmd and running jobs stay), then wait until the cluster runs
# jobs again. Used by tests that check an executor resumes tracking jobs across a controller
# restart. slurmctld saves its state on SIGTERM and reloads it on start, so queued, running
# and finished jobs keep their ids.
#
# Usage: scripts/slurm/restart-controller.sh
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root
take_lock
stop_daemon slurmctld
# Starts slurmctld again (and anything else that is missing) and proves it with a job.
ensure_cluster 1
