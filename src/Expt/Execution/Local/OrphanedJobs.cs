using System.Globalization;
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
        var launcher = new ProcessJobLauncher(TimeProvider.System);
        foreach (var status in statuses.Where(s => s.State == JobState.Running))
        {
            if (!jobDirectories.TryGetValue(status.Id, out var dir)) continue;
            var probe = launcher.Probe(Path.Combine(runDirectory, dir, ".expt"), status.Attempt);
            found[status.Id] = probe switch
            {
                { Exit: { } exit } => $"ended with exit code {exit.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} while no runner was watching",
                { Pid: { } pid } => $"still running without a runner (pid {pid.ToString(CultureInfo.InvariantCulture)})",
                _ => "its process is gone and recorded no end (lost)",
            };
        }
        return found;
    }
}
