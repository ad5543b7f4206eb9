using System.Globalization;
using System.Text.Json;
using Expt.Internal;

namespace Expt.Execution.Local;

/// <summary>
/// The small shell wrapper every local job runs in. It records its own start (pid and host) and end (exit code and CPU
/// time) in the job's <c>.expt/</c> folder, so the outcome survives the runner being killed, and it streams the
/// command's output straight to files so nothing is held in memory. It uses shell built-ins only: the runner's one
/// <c>execve</c> of <c>/bin/sh</c> is the only program a job costs beyond its own command (a built-in command such as
/// <c>true</c> costs none), and the times come from the files' own timestamps.
/// </summary>
internal static class WrapperScript
{
    public static string ScriptPath(JobLaunch launch) => Path.Combine(launch.ControlDirectory, "job.sh");

    public static string CommandPath(JobLaunch launch) => Path.Combine(launch.ControlDirectory, $"command-{launch.Attempt}.sh");

    public static string StartedPath(string controlDir, int attempt) => Path.Combine(controlDir, $"started-{attempt}.json");

    public static string ExitPath(string controlDir, int attempt) => Path.Combine(controlDir, $"exit-{attempt}.json");

    /// <summary>
    /// Writes the command and wrapper files for one attempt. Plain writes, not temp-and-rename: nothing reads them
    /// before the wrapper starts, and a resume writes them again before it starts another attempt.
    /// </summary>
    public static void Write(JobLaunch launch, string host)
    {
        Directory.CreateDirectory(launch.ControlDirectory);
        File.WriteAllText(CommandPath(launch), launch.Command + "\n");
        var a = launch.Attempt.ToString(CultureInfo.InvariantCulture);
        var m = Shell.Quote(launch.ControlDirectory);
        var d = Shell.Quote(launch.JobDirectory);
        // The host as a JSON string, quoted for the shell: an argument of printf's %s, printed as it is.
        var h = Shell.Quote("\"" + JsonEncodedText.Encode(host, JsonFiles.Compact.Encoder) + "\"");
        // Names the command cannot mistake for its own: it is sourced by a subshell of this shell.
        var script = $$"""
            #!/bin/sh
            # Written by Expt: runs attempt {{a}} of job {{launch.JobId}} and records how it ended,
            # even when no runner is alive to see it. Built-ins only; times are the files' own timestamps.
            expt_m={{m}}
            printf '{"pid": %s, "host": %s}\n' "$$" {{h}} > "$expt_m/started-{{a}}.json"
            # Handlers (not ignores) so the command still gets default signal handling; the shell waits for it.
            trap 'expt_sig=TERM' TERM
            trap 'expt_sig=INT' INT
            trap 'expt_sig=HUP' HUP
            cd {{Shell.Quote(launch.WorkingDirectory)}} || { printf '{"exitCode": 126, "reason": "cannot enter the working directory"}\n' > "$expt_m/exit-{{a}}.json"; exit 126; }
            # A subshell (a fork, no exec) sources the command: traps reset to the defaults there, and its last
            # program is exec'd in place of the subshell.
            ( . "$expt_m/command-{{a}}.sh" ) > {{d}}/stdout.log 2> {{d}}/stderr.log < /dev/null
            expt_rc=$?
            # `times` in this shell (not a subshell) reports the CPU time of every process the command waited for;
            # its second line, the children's, is read by the runner. The file is whole once it parses.
            { printf '{"exitCode": %d, "cpu": "' "$expt_rc"; times; printf '"}\n'; } > "$expt_m/exit-{{a}}.json"
            exit $expt_rc

            """;
        File.WriteAllText(ScriptPath(launch), script.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
