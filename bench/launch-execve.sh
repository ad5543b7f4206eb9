#!/usr/bin/env bash
# Counts the programs the local runner starts for N trivial jobs (`run: "true"`) with strace, and times 1,000 such
# jobs at -p 2 against xargs making a directory and a file per job, in the same run (median of REPEATS).
#
#   bench/launch-execve.sh [N] [REPEATS]
#
# N defaults to 100, REPEATS to 3. Needs strace. EXPT_CLI=path/to/Expt.Cli.dll measures another build (say, of an
# earlier commit). Other work on the machine changes every time; the load average is printed with the figures.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-100}"
repeats="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -z "${EXPT_CLI:-}" ]; then dotnet build -c Release "$repo/src/Expt.Cli" -v quiet -nologo >/dev/null; fi
expt=("dotnet" "${EXPT_CLI:-$repo/src/Expt.Cli/bin/Release/net10.0/Expt.Cli.dll}")

spec() { # spec FILE JOBS
  { echo "experiment: triv$2"; echo "params:"; echo "  i: { type: int, default: 0 }"
    printf 'matrix:\n  i: [%s]\n' "$(seq -s ', ' 0 $(($2 - 1)))"; echo 'name: "j{i}"'; echo 'run: "true"'; } > "$1"
}
spec "$work/n$n.yaml" "$n"
spec "$work/n1000.yaml" 1000

strace -f -e trace=execve -o "$work/strace.txt" "${expt[@]}" run "$work/n$n.yaml" -p 2 --results "$work/traced" >/dev/null
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
echo "execve calls for $n jobs (the runner's own dotnet and git included): $(grep -c 'execve(' "$work/strace.txt")"
grep -o 'execve("[^"]*"' "$work/strace.txt" | sort | uniq -c | sort -rn
job="$(find "$work/traced" -mindepth 3 -maxdepth 3 -type d -name j0)"
echo "files per job: $(find "$job" -type f | wc -l) ($(cd "$job" && find . -type f | sort | tr '\n' ' '))"

millis() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
xs=(); es=()
for _ in $(seq "$repeats"); do
  rm -rf "$work/x" "$work/r"; mkdir "$work/x"
  start=$(date +%s%N)
  seq 1000 | xargs -P 2 -I{} sh -c "mkdir -p $work/x/j{} && echo done > $work/x/j{}/result.txt"
  xs+=("$(millis "$start")")
  start=$(date +%s%N)
  "${expt[@]}" run "$work/n1000.yaml" -p 2 --results "$work/r" >/dev/null
  es+=("$(millis "$start")")
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
x="$(median "${xs[@]}")"; e="$(median "${es[@]}")"
echo "1,000 jobs at -p 2, median of $repeats: xargs ${x} ms, expt run ${e} ms, ratio $(awk "BEGIN { printf \"%.2f\", $e / $x }")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
