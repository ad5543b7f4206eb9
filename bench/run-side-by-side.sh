#!/usr/bin/env bash
# Runs N trivial jobs through `expt run` and through other ways of launching many small jobs, in one run on the
# same machine, and prints one Markdown table: wall time (median of R), wall time per job, CPU time, peak
# memory and the ratios (wall, CPU) to the xargs job that makes a directory and writes a file. See bench/README.md.
#
#   bench/run-side-by-side.sh [--quick] [--n 100,1000] [-p 2,8] [-r 3] [--timeout 300] [--markdown FILE]
#                             [--tools LIST] [--expt PATH] [--no-build] [--no-install] [--no-plan-startup]
#
# Every job writes `done` to DIR/result.txt through /bin/sh (except `xargs, bare`, which runs `true`: the
# fork/exec floor). Repetitions are interleaved (every tool once, then every tool again) so that a change in
# the machine's load hits all tools alike. Everything is written under one temporary folder, removed at the end.
set -euo pipefail

readonly ALL_TOOLS="xargs-bare,xargs-files,parallel,python,snakemake,expt"

usage() {
  cat <<'EOF'
Usage: bench/run-side-by-side.sh [options]

Runs N trivial jobs (each writes DIR/result.txt) through expt run, xargs -P (bare `true`, and
`sh -c "mkdir -p DIR && echo done > DIR/result.txt"`), GNU parallel, Snakemake and a minimal
seed-style Python runner, and prints a Markdown table.

Options:
  --quick              N = 100,1000 at -p 2 only (default: N = 100,1000,5000 at -p 2 and -p 8)
  --n LIST             job counts, comma-separated (e.g. --n 1000 or --n 100,1000); overrides --quick's
  -p, --parallel LIST  parallelism levels, comma-separated (e.g. -p 2,8); overrides --quick's
  -r, --repeat R       repetitions per tool and configuration; the table shows the median (default 3)
  --timeout SECONDS    bound on one run of one tool (default 300); a tool that times out is not run
                       again at that -p for the same or larger N
  --tools LIST         comma-separated subset of: xargs-bare,xargs-files,parallel,python,snakemake,expt
                       (xargs-files is always run: it is the baseline of the ratio)
  --markdown FILE      also write the table, with the machine and the date, to FILE
  --expt PATH          the expt executable to measure (default: build src/Expt.Cli in Release and use it)
  --no-build           do not build; use the Release build already in src/Expt.Cli/bin
  --no-install         do not install missing tools (parallel, snakemake, time) with apt-get
  --no-plan-startup    do not run bench/plan-startup.sh
  -h, --help           this help
EOF
}

die() { echo "run-side-by-side: $*" >&2; exit 2; }
note() { echo "# $*" >&2; }

# A comma- or space-separated list of positive integers, printed one per line; anything else is an error.
parse_counts() {
  local option="$1" value="$2" item
  [[ -n "$value" ]] || die "$option needs a value"
  for item in ${value//,/ }; do
    [[ "$item" =~ ^[1-9][0-9]{0,6}$ ]] || die "$option: '$item' is not a positive whole number (at most 9999999)"
    echo "$item"
  done
}

quick=0; counts=""; levels=""; repeats=3; tool_timeout=300; markdown=""; expt_path=""; build=1; install=1
plan_startup=1; tools="$ALL_TOOLS"
while (($#)); do
  case "$1" in
    --quick) quick=1 ;;
    --n) (($# >= 2)) || die "--n needs a value"; counts="$(parse_counts --n "$2")"; shift ;;
    --n=*) counts="$(parse_counts --n "${1#*=}")" ;;
    -p|--parallel) (($# >= 2)) || die "$1 needs a value"; levels="$(parse_counts "$1" "$2")"; shift ;;
    --parallel=*) levels="$(parse_counts --parallel "${1#*=}")" ;;
    -r|--repeat) (($# >= 2)) || die "$1 needs a value"; [[ "$2" =~ ^[1-9][0-9]?$ ]] || die "$1: '$2' is not 1-99"; repeats="$2"; shift ;;
    --timeout) (($# >= 2)) || die "--timeout needs a value"; [[ "$2" =~ ^[1-9][0-9]{0,4}$ ]] || die "--timeout: '$2' is not 1-99999 seconds"; tool_timeout="$2"; shift ;;
    --tools) (($# >= 2)) || die "--tools needs a value"; tools="$2"; shift ;;
    --markdown) (($# >= 2)) || die "--markdown needs a file"; markdown="$2"; shift ;;
    --expt) (($# >= 2)) || die "--expt needs a path"; expt_path="$2"; shift ;;
    --no-build) build=0 ;;
    --no-install) install=0 ;;
    --no-plan-startup) plan_startup=0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
  shift
done
if [[ -z "$counts" ]]; then
  if ((quick)); then counts=$'100\n1000'; else counts=$'100\n1000\n5000'; fi
fi
if [[ -z "$levels" ]]; then
  if ((quick)); then levels="2"; else levels=$'2\n8'; fi
fi
for tool in ${tools//,/ }; do
  [[ ",$ALL_TOOLS," == *",$tool,"* ]] || die "--tools: unknown tool '$tool' (known: $ALL_TOOLS)"
done
[[ ",$tools," == *",xargs-files,"* ]] || tools="xargs-files,$tools"
# Smaller N first, so that a tool that times out is not run again at a larger one.
counts="$(sort -n -u <<<"$counts")"; levels="$(sort -n -u <<<"$levels")"
[[ -z "$expt_path" || -x "$expt_path" ]] || die "--expt: '$expt_path' is not an executable"
if [[ -n "$markdown" ]]; then
  { : >"$markdown"; } 2>/dev/null || die "--markdown: cannot write '$markdown'"
  markdown="$(cd "$(dirname "$markdown")" && pwd)/$(basename "$markdown")"
fi

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/expt-side-by-side.XXXXXX")"
running=""
cleanup() {
  if [[ -n "$running" ]]; then kill -TERM "$running" 2>/dev/null || true; wait "$running" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Tools keep their caches, temporary files and notices inside the folder removed at the end.
export TMPDIR="$work/tmp" XDG_CACHE_HOME="$work/cache" PARALLEL_HOME="$work/parallel-home"
mkdir -p "$TMPDIR" "$XDG_CACHE_HOME" "$PARALLEL_HOME"
unset EXPT_RESULTS EXPT_CATALOG

# --- tools -------------------------------------------------------------------------------------------------

can_install() { ((install)) && { ((EUID == 0)) || sudo -n true 2>/dev/null; }; }
as_root() { if ((EUID == 0)); then "$@"; else sudo -n "$@"; fi; }

# ensure COMMAND PACKAGE: installs PACKAGE with apt-get when COMMAND is missing and it can; fails otherwise.
ensure() {
  local command="$1" package="$2"
  command -v "$command" >/dev/null 2>&1 && return 0
  if ! command -v apt-get >/dev/null 2>&1; then note "$command: not installed, and there is no apt-get"; return 1; fi
  if ! can_install; then note "$command: not installed (install the Debian package '$package', or drop --no-install)"; return 1; fi
  if apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: (none)' || ! apt-cache policy "$package" 2>/dev/null | grep -q Candidate; then
    timeout 300 env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 || true
  fi
  note "installing $package with apt-get"
  if ! timeout 900 env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$package" >"$work/apt-$package.log" 2>&1; then
    note "$command: apt-get install $package failed: $(tail -1 "$work/apt-$package.log")"; return 1
  fi
  command -v "$command" >/dev/null 2>&1
}

have_time=1
if [[ ! -x /usr/bin/time ]] && ! ensure /usr/bin/time time; then
  have_time=0; note "no /usr/bin/time: peak memory and CPU time are not measured"
fi
enabled=""
enable() { enabled="$enabled,$1"; }
for tool in ${tools//,/ }; do
  case "$tool" in
    parallel) if ensure parallel parallel; then enable parallel; else note "GNU parallel is left out"; fi ;;
    snakemake) if ensure snakemake snakemake; then enable snakemake; else note "Snakemake is left out"; fi ;;
    python)
      # The interpreter itself, not a version manager's shim script in front of it.
      if python="$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)" && [[ -x "$python" ]]; then enable python
      else note "no python3: the Python runner is left out"; fi ;;
    expt)
      if [[ -n "$expt_path" ]]; then
        expt="$(cd "$(dirname "$expt_path")" && pwd)/$(basename "$expt_path")"
      else
        bin="$repo/src/Expt.Cli/bin/Release/net10.0"
        if ((build)); then
          note "building Expt (dotnet build -c Release src/Expt.Cli)"
          timeout 1200 dotnet build -c Release "$repo/src/Expt.Cli" -nologo -v quiet >"$work/build.log" 2>&1 \
            || { tail -20 "$work/build.log" >&2; die "the Release build of src/Expt.Cli failed"; }
        fi
        expt=""
        for candidate in "$bin/expt" "$bin/Expt.Cli"; do [[ -x "$candidate" ]] && { expt="$candidate"; break; }; done
        [[ -n "$expt" ]] || die "no Release build in $bin (run without --no-build, or give --expt PATH)"
      fi
      enable expt ;;
    *) enable "$tool" ;;
  esac
done

# --- the tools' inputs ---------------------------------------------------------------------------------------

# The seed-style runner: config.json before the launch, stdout and stderr to files, status.json after, a pool of
# P workers (threads: each only waits for its process).
cat >"$work/seed_runner.py" <<'EOF'
import json, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor

count, workers, root, command = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]

def write_json(path, value):
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        json.dump(value, f)
    os.replace(temporary, path)

def job(index):
    directory = os.path.join(root, "j%d" % index)
    os.makedirs(directory, exist_ok=True)
    write_json(os.path.join(directory, "config.json"), {"i": index, "seed": 42})
    started = time.time()
    with open(os.path.join(directory, "stdout.log"), "wb") as out, open(os.path.join(directory, "stderr.log"), "wb") as err:
        code = subprocess.call(["/bin/sh", "-c", command], cwd=directory, stdout=out, stderr=err, start_new_session=True)
    write_json(os.path.join(directory, "status.json"),
               {"state": "succeeded" if code == 0 else "failed", "exit_code": code, "started": started, "ended": time.time()})
    return code

with ThreadPoolExecutor(workers) as pool:
    failed = sum(1 for code in pool.map(job, range(count)) if code != 0)
sys.exit(1 if failed else 0)
EOF

cat >"$work/Snakefile" <<'EOF'
rule all:
    input: expand("out/{i}/result.txt", i=range(int(config["n"])))

rule job:
    output: "out/{i}/result.txt"
    shell: "echo done > {output}"
EOF

# expt_spec N: a spec with N variants (a matrix over i) whose job writes result.txt in its own directory.
expt_spec() {
  local n="$1" dir="$work/spec-$1"
  [[ -f "$dir/experiment.yaml" ]] && return 0
  mkdir -p "$dir"
  {
    echo "experiment: side-by-side"
    echo "params:"
    echo "  i: { type: int }"
    echo "matrix:"
    printf '  i: [%s]\n' "$(seq -s ', ' 0 $((n - 1)))"
    echo 'name: "j{i}"'
    echo "args: none"
    echo "run: echo done > {output_dir}/result.txt"
  } >"$dir/experiment.yaml"
}

# run_tool TOOL N P OUT: the command of one run, started in OUT (an empty folder) with its output in OUT/log.
run_tool() {
  local tool="$1" n="$2" p="$3" out="$4"
  # shellcheck disable=SC2016 # xargs-files: $0 is expanded by the job's sh, not here
  case "$tool" in
    xargs-bare) seq 1 "$n" | xargs -P "$p" -n 1 true ;;
    xargs-files) seq 0 $((n - 1)) | sed "s|^|$out/j|" | xargs -P "$p" -n 1 sh -c 'mkdir -p "$0" && echo done > "$0/result.txt"' ;;
    parallel) seq 0 $((n - 1)) | PARALLEL_SHELL=/bin/sh parallel --will-cite -j "$p" "mkdir -p $out/j{} && echo done > $out/j{}/result.txt" ;;
    python) "$python" "$work/seed_runner.py" "$n" "$p" "$out" "echo done > result.txt" ;;
    snakemake) snakemake --snakefile "$work/Snakefile" --directory "$out" --cores "$p" --config "n=$n" --quiet ;;
    expt) expt_spec "$n"; "$expt" run "$work/spec-$n/experiment.yaml" -p "$p" --results "$out/results" ;;
  esac
}

# The tool runs in a child bash (under timeout and time), which needs these.
export -f run_tool
export work expt python

# --- measuring -----------------------------------------------------------------------------------------------

# measure TOOL N P: one bounded run, in this shell (so that an interrupt can stop it); sets m_status (ok, timeout,
# failed:RC, or files:FOUND when the tool did not leave N result.txt files; xargs-bare leaves none), m_wall (ns),
# m_rss (KB) and m_cpu (s).
measure() {
  local tool="$1" n="$2" p="$3" out="$work/out" start end rc=0 user sys found
  m_status=ok; m_rss="-"; m_cpu="-"
  rm -rf "$out" "$work/time.txt"; mkdir -p "$out"
  [[ "$tool" == expt ]] && expt_spec "$n"
  local timing=()
  ((have_time)) && timing=(/usr/bin/time -f '%M %U %S' -o "$work/time.txt")
  start=$(date +%s%N)
  # timeout runs the tool in its own process group and kills all of it when the bound is reached; running it in
  # the background lets an interrupt of this script stop it at once (see cleanup).
  timeout -k 10 "$tool_timeout" "${timing[@]}" bash -c 'run_tool "$@"' _ "$tool" "$n" "$p" "$out" >"$work/log" 2>&1 &
  running=$!
  wait "$running" || rc=$?
  end=$(date +%s%N)
  running=""
  m_wall=$((end - start))
  if ((have_time)) && [[ -s "$work/time.txt" ]]; then
    read -r m_rss user sys < <(tail -1 "$work/time.txt")
    m_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  fi
  if ((rc == 124 || rc == 137)); then m_status=timeout
  elif ((rc != 0)); then m_status="failed:$rc"; cp "$work/log" "$work/failed-$tool-$n-$p.log"; tail -5 "$work/log" >&2
  elif [[ "$tool" != xargs-bare ]]; then
    found=$(find "$out" -name result.txt | wc -l)
    ((found == n)) || m_status="files:$found"
  fi
  rm -rf "$out"
}

# values LIST: the space-separated numbers of LIST, one per line.
values() { tr ' ' '\n' <<<"$1" | sed '/^$/d'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
seconds() { awk -v ns="$1" 'BEGIN { printf "%.2f s", ns / 1e9 }'; }

# shellcheck disable=SC2016 # the backquotes are Markdown
tool_label() {
  case "$1" in
    xargs-bare) echo 'xargs -P, bare (`true`)' ;;
    xargs-files) echo 'xargs -P, `mkdir -p DIR && echo done > DIR/result.txt`' ;;
    parallel) echo "GNU parallel" ;;
    python) echo "seed-style Python runner" ;;
    snakemake) echo "Snakemake" ;;
    expt) echo '`expt run`' ;;
  esac
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
versions() {
  local v
  echo "- xargs: $(xargs --version 2>/dev/null | head -1)"
  [[ ",$enabled," == *",parallel,"* ]] && echo "- GNU parallel: $(parallel --will-cite --version 2>/dev/null | head -1)"
  [[ ",$enabled," == *",snakemake,"* ]] && echo "- Snakemake: $(snakemake --version 2>/dev/null | head -1)"
  [[ ",$enabled," == *",python,"* ]] && echo "- Python: $("$python" --version 2>&1)"
  if [[ ",$enabled," == *",expt,"* ]]; then
    v="$("$expt" --version 2>/dev/null | head -1)"
    echo "- Expt: ${v:-?} (${expt#"$repo"/}), commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ', with uncommitted changes')"
  fi
  return 0
}

declare -A timed_out=()
rows=""
note "work folder $work; $(nproc) cores; load average $(load)"
load_before="$(load)"
started_at="$(date -u '+%Y-%m-%d %H:%M UTC')"
while read -r p; do
  while read -r n; do
    declare -A walls=() rsss=() cpus=() states=()
    for ((rep = 1; rep <= repeats; rep++)); do
      for tool in ${enabled//,/ }; do
        if [[ -n "${timed_out[$tool-$p]:-}" ]] && ((n >= ${timed_out[$tool-$p]})); then continue; fi
        [[ "${states[$tool]:-ok}" == ok ]] || continue
        measure "$tool" "$n" "$p"
        note "N=$n -p $p rep $rep: $tool $m_status $(seconds "$m_wall"), $m_rss KB, $m_cpu s CPU"
        if [[ "$m_status" == ok ]]; then
          walls[$tool]+="$m_wall "; rsss[$tool]+="$m_rss "; cpus[$tool]+="$m_cpu "
        else
          states[$tool]="$m_status"
          if [[ "$m_status" == timeout ]]; then timed_out[$tool-$p]="$n"; fi
        fi
      done
    done
    baseline="$(values "${walls[xargs-files]:-}" | median)"; baseline_cpu="$(values "${cpus[xargs-files]:-}" | median)"
    for tool in ${enabled//,/ }; do
      label="$(tool_label "$tool")"
      if [[ -n "${timed_out[$tool-$p]:-}" ]] && ((n > ${timed_out[$tool-$p]})); then
        rows+="| $label | $n | $p | not run: timed out at N=${timed_out[$tool-$p]} | | | | | |"$'\n'; continue
      fi
      case "${states[$tool]:-ok}" in
        ok) ;;
        timeout) rows+="| $label | $n | $p | timed out (> ${tool_timeout} s) | | | | | |"$'\n'; continue ;;
        failed:*) rows+="| $label | $n | $p | failed (exit ${states[$tool]#failed:}) | | | | | |"$'\n'; continue ;;
        files:*) rows+="| $label | $n | $p | wrong output (${states[$tool]#files:} of $n files) | | | | | |"$'\n'; continue ;;
      esac
      wall="$(values "${walls[$tool]}" | median)"
      low="$(values "${walls[$tool]}" | sort -n | head -1)"; high="$(values "${walls[$tool]}" | sort -n | tail -1)"
      rss="$(values "${rsss[$tool]}" | median)"; cpu="$(values "${cpus[$tool]}" | median)"
      rows+="$(awk -v l="$label" -v n="$n" -v p="$p" -v w="$wall" -v lo="$low" -v hi="$high" -v r="$rss" -v c="$cpu" -v b="$baseline" -v bc="$baseline_cpu" 'BEGIN {
        ratio = (b == "-" || b == 0) ? "-" : sprintf("%.2f×", w / b)
        cpu_ratio = (c == "-" || bc == "-" || bc == 0) ? "-" : sprintf("%.2f×", c / bc)
        mem = (r == "-") ? "-" : sprintf("%.0f MB", r / 1024)
        cpu = (c == "-") ? "-" : sprintf("%.2f s", c)
        printf "| %s | %d | %d | %.2f s (%.2f–%.2f) | %.2f ms | %s | %s | %s | %s |\n", l, n, p, w / 1e9, lo / 1e9, hi / 1e9, w / 1e6 / n, cpu, mem, ratio, cpu_ratio
      }')"$'\n'
    done
    unset walls rsss cpus states
  done <<<"$counts"
done <<<"$levels"

plan_section=""
if ((plan_startup)); then
  if [[ -x "$repo/bench/plan-startup.sh" ]]; then
    note "running bench/plan-startup.sh"
    if plan_output="$(EXPT="${expt:-}" EXPT_BIN="${expt:-}" timeout -k 10 1800 "$repo/bench/plan-startup.sh" 2>"$work/plan-startup.err")"; then
      plan_section=$'\n### Plan and start-up (bench/plan-startup.sh)\n\n'"$plan_output"$'\n'
    else
      plan_section=$'\n### Plan and start-up\n\nbench/plan-startup.sh failed: '"$(tail -3 "$work/plan-startup.err")"$'\n'
    fi
  else
    plan_section=$'\n### Plan and start-up\n\nNot measured: bench/plan-startup.sh does not exist in this checkout.\n'
  fi
fi

report="$(
  echo "Measured $started_at on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo);"
  echo "load average (1, 5, 15 min) $load_before at the start, $(load) at the end. Median of $repeats interleaved runs (min–max)."
  echo
  versions
  echo
  echo "| tool | N | -p | wall | per job (wall/N) | CPU (user+sys) | peak RSS | wall × xargs with files | CPU × xargs with files |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s' "$rows"
  printf '%s' "$plan_section"
)"
echo "$report"
if [[ -n "$markdown" ]]; then echo "$report" >"$markdown"; fi
