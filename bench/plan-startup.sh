#!/usr/bin/env bash
# Planning and start-up of the `expt` process: a 100,000-variant plan (a 100 × 1000 matrix) as a dry run, as
# streamed JSON and filtered down to one job; a one-variant plan; `expt --version`; `expt status`.
# Prints the median wall time, the median CPU time (user + system) and the largest peak RSS of REPEATS runs of each.
#
#   bench/plan-startup.sh [REPEATS]           (default 5)
#   EXPT_CLI=path/to/Expt.Cli.dll bench/plan-startup.sh    measure another build (skips the builds below)
#
# By default it measures two builds of this checkout: the framework-dependent Release build (`dotnet build`), and the
# same published for this machine's runtime identifier, which adds ReadyToRun code (see src/Expt.Cli/Expt.Cli.csproj).
# Other work on the machine changes every wall time: the load average is printed with the table, and CPU time is the
# steadier figure on a busy machine.
set -euo pipefail

repeats=${1:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/expt-plan-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ ! -x /usr/bin/time ]]; then
    echo "error: /usr/bin/time is needed for peak memory (Debian: apt-get install time)" >&2
    exit 2
fi

# --- the specs -------------------------------------------------------------------------------------------------
mkdir -p "$work/spec"
{
    echo "experiment: big"
    echo "params:"
    echo "  a: { type: int, default: 0 }"
    echo "  b: { type: int, default: 0 }"
    echo "  lr: { type: float, default: 0.001 }"
    echo "matrix:"
    echo "  a: [$(seq -s, 0 99)]"
    echo "  b: [$(seq -s, 0 999)]"
    echo "run: echo {a} {b}"
} > "$work/spec/big.yaml"
cat > "$work/spec/one.yaml" <<'EOF'
experiment: one
params:
  a: { type: int, default: 0 }
run: "true"
EOF

# --- the builds ------------------------------------------------------------------------------------------------
declare -a names clis
if [[ -n "${EXPT_CLI:-}" ]]; then
    names=(given); clis=("$EXPT_CLI")
else
    rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
    echo "building (Release, and published for ${rid} with ReadyToRun)…" >&2
    dotnet build "$repo/src/Expt.Cli" -c Release -v q -nologo -o "$work/fd" >/dev/null
    dotnet publish "$repo/src/Expt.Cli" -c Release -r "$rid" --self-contained false -v q -nologo -o "$work/r2r" >/dev/null
    names=("framework-dependent" "ReadyToRun (${rid})"); clis=("$work/fd/Expt.Cli.dll" "$work/r2r/Expt.Cli.dll")
fi

# --- measuring -------------------------------------------------------------------------------------------------
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# measure LABEL CMD...: runs CMD (in the spec folder, output to /dev/null) REPEATS times after one warm-up.
measure() {
    local label=$1; shift
    local walls=() cpus=() peak=0
    (cd "$work/spec" && "$@" >/dev/null 2>&1) || true
    for _ in $(seq "$repeats"); do
        local start end
        start=$(date +%s%N)
        (cd "$work/spec" && /usr/bin/time -f "%U %S %M" -o "$work/time" "$@" >/dev/null 2>&1) || true
        end=$(date +%s%N)
        walls+=($(( (end - start) / 1000000 )))
        read -r user sys rss < <(tail -1 "$work/time")
        cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')")
        (( rss > peak )) && peak=$rss
    done
    printf '| %-44s | %-26s | %8s | %8s | %8s |\n' "$label" "$build" \
        "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)" "$(( peak / 1024 ))"
}

# One finished run for `expt status` to show.
dotnet "${clis[0]}" run "$work/spec/one.yaml" -p 1 >/dev/null 2>&1 || { echo "error: the run for expt status failed" >&2; exit 1; }

echo
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg), ${repeats} runs each"
echo
printf '| %-44s | %-26s | %8s | %8s | %8s |\n' "what" "build" "wall ms" "CPU ms" "peak MB"
printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "$(printf -- '-%.0s' {1..28})" "---------:" "---------:" "---------:"
for i in "${!clis[@]}"; do
    build=${names[$i]}; cli=${clis[$i]}
    measure "run --dry-run, 100,000 variants" dotnet "$cli" run --dry-run big.yaml
    measure "plan --json, 100,000 variants" dotnet "$cli" plan --json big.yaml
    measure "plan --filter a=3 --filter b=5 (1 of 100,000)" dotnet "$cli" plan --filter a=3 --filter b=5 big.yaml
    measure "plan, 1 variant" dotnet "$cli" plan one.yaml
    measure "--version" dotnet "$cli" --version
    measure "status (1 job)" dotnet "$cli" status
done
