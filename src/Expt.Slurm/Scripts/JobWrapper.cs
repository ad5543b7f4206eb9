using System.Text;
using Expt.Internal;

namespace Expt.Slurm.Scripts;

/// <summary>What a job's SLURM wrapper needs: where the job lives, where it starts, and its EXPT_* environment.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="JobDirectory">Absolute job directory.</param>
/// <param name="WorkingDirectory">Where the command starts.</param>
/// <param name="Environment">The job's variables (EXPT_ATTEMPT is set by the wrapper itself).</param>
internal sealed record JobWrapperContent(string JobId, string JobDirectory, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment);

/// <summary>
/// The small sh wrapper a SLURM task runs for one job (the counterpart of the local wrapper). It records
/// <c>started-N.json</c> and <c>exit-N.json</c> itself, with the SLURM ids, so a job's outcome never depends on
/// sacct or on a follower being alive. The attempt number is the submitted one plus SLURM's restart count,
/// so a job SLURM requeues (node failure, preemption) runs as a new, separately recorded attempt.
/// </summary>
internal static class JobWrapper
{
    public static string Render(JobWrapperContent c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var env = new StringBuilder();
        foreach (var (key, value) in c.Environment.Where(kv => kv.Key != "EXPT_ATTEMPT").OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            env.Append("export ").Append(key).Append('=').Append(Shell.Quote(value)).Append('\n');
        }
        var script = $$"""
            #!/bin/sh
            # Written by Expt: runs job {{c.JobId}} as a SLURM task and records how each attempt ended.
            m={{Shell.Quote(SlurmPaths.Control(c.JobDirectory))}}
            d={{Shell.Quote(c.JobDirectory)}}
            attempt=$(( $1 + ${SLURM_RESTART_COUNT:-0} ))
            {{env}}export EXPT_ATTEMPT="$attempt"
            now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
            host=$(hostname 2>/dev/null || uname -n)
            ids="\"slurmJobId\": \"${SLURM_JOB_ID:-}\", \"slurmArrayJobId\": \"${SLURM_ARRAY_JOB_ID:-}\", \"slurmArrayTaskId\": \"${SLURM_ARRAY_TASK_ID:-}\""
            # The previous attempt's logs are kept as stdout.N.log and stderr.N.log.
            prev=$((attempt - 1))
            [ -f "$d/stdout.log" ] && mv -f "$d/stdout.log" "$d/stdout.$prev.log"
            [ -f "$d/stderr.log" ] && mv -f "$d/stderr.log" "$d/stderr.$prev.log"
            started=$(now)
            cpu=
            printf '{"attempt": %d, "pid": %s, "startedAt": "%s", "host": "%s", %s}\n' "$attempt" "$$" "$started" "$host" "$ids" > "$m/.started-$attempt.tmp" && mv -f "$m/.started-$attempt.tmp" "$m/started-$attempt.json"
            finish() {
              rss=$(cat "$m/.rss-$attempt" 2>/dev/null)
              printf '{"attempt": %d, "exitCode": %d, "startedAt": "%s", "endedAt": "%s", "host": "%s", "cpu": "%s", "peakRssKb": "%s", %s}\n' "$attempt" "$1" "$started" "$(now)" "$host" "$cpu" "$rss" "$ids" > "$m/.exit-$attempt.tmp" && mv -f "$m/.exit-$attempt.tmp" "$m/exit-$attempt.json"
            }
            # Handlers (not ignores): on scancel or a time limit SLURM signals every process of the job; the
            # command gets the default action and this shell still records the end before SIGKILL.
            trap 'sig=TERM' TERM
            trap 'sig=INT' INT
            trap 'sig=HUP' HUP
            cd {{Shell.Quote(c.WorkingDirectory)}} || { finish 126; exit 126; }
            # Peak resident memory (KiB) of the command's process tree, sampled about once a second as the local runner
            # does: the tree is the child of this shell that is not the sampler, and all below it. Without ps, none.
            # The sampler ends itself once .times-N exists (written as soon as the command has ended) or this shell is
            # gone, checked before every pause. The signal it is sent too only ends it sooner: one that comes before
            # the sampler has started is taken by this shell's traps and lost.
            sampler=
            ended="$m/.times-$attempt"
            if command -v ps > /dev/null 2>&1; then
              [ -e "$ended" ] && rm -f "$ended"
              EXPT_RSS_ROOT=$$ EXPT_RSS_OUT="$m/.rss-$attempt" EXPT_RSS_ENDED="$ended" sh -c '
                export EXPT_RSS_SELF=$$
                peak=0
                while [ ! -e "$EXPT_RSS_ENDED" ] && kill -0 "$EXPT_RSS_ROOT" 2> /dev/null; do
                  sleep 0.2 2> /dev/null || sleep 1
                  [ -e "$EXPT_RSS_ENDED" ] && break
                  kb=$(ps -e -o pid= -o ppid= -o rss= 2> /dev/null | awk '"'"'
                    { p[$1] = $2; r[$1] = $3; if ($2 == ENVIRON["EXPT_RSS_ROOT"] && $1 != ENVIRON["EXPT_RSS_SELF"]) top = $1 }
                    END { s = 0; if (top != "") for (i in p) { x = i; while ((x in p) && x != top && x > 1) x = p[x]; if (x == top) s += r[i] } print s }'"'"')
                  if [ "${kb:-0}" -gt "$peak" ] 2> /dev/null; then
                    peak=$kb
                    printf "%s\n" "$peak" > "$EXPT_RSS_OUT.tmp" && mv -f "$EXPT_RSS_OUT.tmp" "$EXPT_RSS_OUT"
                  fi
                  sleep 0.8 2> /dev/null
                done' > /dev/null 2>&1 < /dev/null &
              sampler=$!
            fi
            sh "$m/command.sh" > "$d/stdout.log" 2> "$d/stderr.log" < /dev/null
            rc=$?
            # `times` in this shell (not a subshell) reports the CPU time of every child it reaped: taken before the
            # sampler can end, so its own ps and awk runs are not the job's CPU time.
            times > "$ended" && cpu=$(sed -n 2p "$ended")
            # Never `wait` for the sampler: wait has no bound, and a sampler that had missed its signal held jobs (and
            # their allocations) until the time limit. kill -0 fails once it has ended and this shell has reaped it,
            # which any wait for a child does. After 10 s it is killed, if it still is this shell's child.
            ours() { set -- $(ps -o ppid= -o stat= -p "$sampler" 2> /dev/null); [ "$1" = "$$" ] && [ "${2#Z}" = "$2" ]; }
            if [ -n "$sampler" ]; then
              kill "$sampler" 2> /dev/null
              i=0
              while kill -0 "$sampler" 2> /dev/null && [ "$i" -lt 300 ]; do
                [ "$i" -ge 200 ] && ours && kill -KILL "$sampler" 2> /dev/null
                sleep 0.05 2> /dev/null || { sleep 1; i=$((i + 19)); }
                i=$((i + 1))
              done
            fi
            finish "$rc"
            exit $rc

            """;
        return script.Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
