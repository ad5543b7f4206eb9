#!/usr/bin/env bash
# Install (if needed), configure and start a single-node SLURM cluster on this machine, and
# wait until it runs jobs. Idempotent: on a healthy cluster it only checks and returns (<1 s);
# a DOWN/DRAINED node is resumed, dead daemons are restarted.
#
# Usage: scripts/slurm/start-cluster.sh        (as root)
# Env:   SLURM_READY_TIMEOUT=60  seconds allowed for readiness (not counting package install)
# Prints "slurm: ready (localhost, N cpus)" on stdout on success; progress goes to stderr.
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_root
take_lock
ensure_cluster 0
