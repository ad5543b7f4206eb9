#!/usr/bin/env bash
# Times the real `expt ls --jobs --where ...` process over a synthetic results root of 100,000 jobs
# (20 runs x 5,000, made by bench/Expt.Benchmarks; see bench/README.md).
#
#   bench/ls-query.sh [ROOT] [REPEATS]
#
# ROOT defaults to the benchmark's own ($EXPT_BENCH_ROOT, else expt-bench-results in the temp folder; generated
# on first use: ~1.6 GB, a minute or more); REPEATS (default 7) timed runs per command after one untimed warm-up. Prints the best and the median
# wall time of each command, output sent to /dev/null, with the machine's load average: other work on the
# machine changes every number. EXPT_CLI=path/to/Expt.Cli.dll times another build over the same root.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
repeats="${2:-7}"

dotnet build -c Release "$repo/bench/Expt.Benchmarks" -v quiet -nologo >/dev/null
# The benchmark makes the root (or finds it made) and says where it is.
root="$(dotnet "$repo/bench/Expt.Benchmarks/bin/Release/net10.0/Expt.Benchmarks.dll" --generate ${1:+--root "$1"} | tail -1)"
# EXPT_CLI=path/to/Expt.Cli.dll times another build (say, of an earlier commit) over the same root.
expt=("dotnet" "${EXPT_CLI:-$repo/src/Expt.Cli/bin/Release/net10.0/Expt.Cli.dll}")

# Brings the catalog up to date once, so every timed run below finds it warm (as a second `expt ls` does).
"${expt[@]}" ls --results "$root" >/dev/null

millis() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# time_command LABEL ARGS...: one warm-up, then REPEATS timed runs; prints "best - median ms".
time_command() {
  local label="$1"; shift
  "${expt[@]}" "$@" >/dev/null
  local times=()
  for _ in $(seq "$repeats"); do
    local start; start=$(date +%s%N)
    "${expt[@]}" "$@" >/dev/null
    times+=("$(millis "$start")")
  done
  local sorted; sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  local best; best=$(echo "$sorted" | head -1)
  local median; median=$(echo "$sorted" | sed -n "$(( (repeats + 1) / 2 ))p")
  printf '%-72s %6s - %6s ms\n' "$label" "$best" "$median"
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), root $root"
printf '%-72s %15s\n' "command (100,000 jobs)" "best - median"
time_command "expt --help (start-up alone)" --help
time_command "ls --jobs --where 'accuracy > 0.949 and model = llama-1b' (100 rows)" ls --results "$root" --jobs --where "accuracy > 0.949 and model = llama-1b"
time_command "ls --jobs --where 'lr < 1e-3 and ...' --sort -accuracy --limit 20" ls --results "$root" --jobs --where "lr < 1e-3 and accuracy >= 0.8 and state = succeeded" --sort -accuracy --limit 20
time_command "ls --jobs --where 'run = 20260101_000000_abcdef0 and accuracy > 0.9'" ls --results "$root" --jobs --where "run = 20260101_000000_abcdef0 and accuracy > 0.9"
time_command "ls --jobs --where 'lr < 1e-3 and accuracy >= 0.8 and state = succeeded' (12,672 rows)" ls --results "$root" --jobs --where "lr < 1e-3 and accuracy >= 0.8 and state = succeeded"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
