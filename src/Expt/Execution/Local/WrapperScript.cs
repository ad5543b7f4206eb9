using System.Globalization;
using Expt.Internal;

namespace Expt.Execution.Local;

/// <summary>
/// The small shell wrapper every local job runs in. It records its own start and end (exit code and time)
/// in the job's <c>.expt/</c> folder, so the outcome survives the runner being killed, and it streams the
/// command's output straight to files so nothing is held in memory.
/// </summary>
internal static class WrapperScript
{
    public static string ScriptPath(JobLaunch launch) => Path.Combine(launch.ControlDirectory, "job.sh");

    public static string CommandPath(JobLaunch launch) => Path.Combine(launch.ControlDirectory, $"command-{launch.Attempt}.sh");

    public static string StartedPath(string controlDir, int attempt) => Path.Combine(controlDir, $"started-{attempt}.json");

    public static string ExitPath(string controlDir, int attempt) => Path.Combine(controlDir, $"exit-{attempt}.json");

    /// <summary>Writes the command and wrapper files for one attempt.</summary>
    public static void Write(JobLaunch launch)
    {
        Directory.CreateDirectory(launch.ControlDirectory);
        AtomicFile.WriteAllText(CommandPath(launch), launch.Command + "\n");
        var a = launch.Attempt.ToString(CultureInfo.InvariantCulture);
        var m = Shell.Quote(launch.ControlDirectory);
        var d = Shell.Quote(launch.JobDirectory);
        var script = $$"""
            #!/bin/sh
            # Written by Expt: runs attempt {{a}} of job {{launch.JobId}} and records how it ended,
            # even when no runner is alive to see it.
            m={{m}}
            now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
            printf '{"pid": %s, "startedAt": "%s", "host": "%s"}\n' "$$" "$(now)" "$(hostname 2>/dev/null || uname -n)" > "$m/.started-{{a}}.tmp" && mv -f "$m/.started-{{a}}.tmp" "$m/started-{{a}}.json"
            # Handlers (not ignores) so the command still gets default signal handling; the shell waits for it.
            trap 'sig=TERM' TERM
            trap 'sig=INT' INT
            trap 'sig=HUP' HUP
            cd {{Shell.Quote(launch.WorkingDirectory)}} || { printf '{"exitCode": 126, "endedAt": "%s", "reason": "cannot enter the working directory"}\n' "$(now)" > "$m/.exit-{{a}}.tmp"; mv -f "$m/.exit-{{a}}.tmp" "$m/exit-{{a}}.json"; exit 126; }
            sh "$m/command-{{a}}.sh" > {{d}}/stdout.log 2> {{d}}/stderr.log < /dev/null
            rc=$?
            # `times` in this shell (not a subshell) reports the CPU time of every process the command waited for.
            times > "$m/.times-{{a}}"
            printf '{"exitCode": %d, "endedAt": "%s", "cpu": "%s"}\n' "$rc" "$(now)" "$(sed -n 2p "$m/.times-{{a}}")" > "$m/.exit-{{a}}.tmp" && mv -f "$m/.exit-{{a}}.tmp" "$m/exit-{{a}}.json"
            exit $rc

            """;
        AtomicFile.WriteAllText(ScriptPath(launch), script.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
