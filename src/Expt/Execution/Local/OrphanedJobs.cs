using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Execution.Local;

/// <summary>
/// What a local run's files cannot say once its runner died without recording an end (SIGKILL, a lost machine
/// session): whether each job still recorded as running actually ended (its wrapper wrote the exit file), still
/// runs on its own, or vanished. Read-only: <c>expt run --resume</c> is what records and adopts them.
/// </summary>
public static class OrphanedJobs
{
    /// <summary>
    /// For each job of <paramref name="statuses"/> recorded as running in <paramref name="runDirectory"/> while no
    /// runner holds the run, what is really the case; empty when a runner holds it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Describe(string runDirectory, IEnumerable<JobStatus> statuses, IReadOnlyDictionary<string, string> jobDirectories)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentNullException.ThrowIfNull(jobDirectories);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (RunLock.IsHeld(runDirectory)) return found;
        foreach (var status in statuses.Where(s => s.State == JobState.Running))
        {
            if (!jobDirectories.TryGetValue(status.Id, out var dir)) continue;
            var control = Path.Combine(runDirectory, dir, ".expt");
            var exit = JsonFiles.TryRead<JsonObject>(WrapperScript.ExitPath(control, status.Attempt));
            if (exit?["exitCode"] is JsonValue code && code.TryGetValue<int>(out var exitCode))
            {
                found[status.Id] = $"ended with exit code {exitCode.ToString(CultureInfo.InvariantCulture)} while no runner was watching";
                continue;
            }
            var started = JsonFiles.TryRead<JsonObject>(WrapperScript.StartedPath(control, status.Attempt));
            // The pid must still run this job's wrapper: a pid alone may have been reused.
            var wrapper = Path.Combine(control, "job.sh");
            found[status.Id] = started?["pid"] is JsonValue p && p.TryGetValue<int>(out var pid) && ProcessTree.IsAlive(pid) && ProcessTree.Arguments(pid).Contains(wrapper)
                ? $"still running without a runner (pid {pid.ToString(CultureInfo.InvariantCulture)})"
                : "its process is gone and recorded no end (lost)";
        }
        return found;
    }
}
