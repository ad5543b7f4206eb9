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
        if (RunLock.IsHeld(runDirectory)) return new Dictionary<string, string>();
        return Probe(runDirectory, statuses, jobDirectories).ToDictionary(p => p.Id, p => p.Probe switch
        {
            { Exit: { } exit } => $"ended with exit code {exit.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} while no runner was watching",
            { Pid: { } pid } => $"still running without a runner (pid {pid.ToString(CultureInfo.InvariantCulture)})",
            _ => "its process is gone and recorded no end (lost)",
        }, StringComparer.Ordinal);
    }

    /// <summary>
    /// The jobs of <paramref name="statuses"/> recorded as running whose process still runs, each with its wrapper's
    /// pid. The run lock is not asked: an archiver holding it still learns that jobs left by a killed runner run on.
    /// </summary>
    public static IReadOnlyDictionary<string, int> StillRunning(string runDirectory, IEnumerable<JobStatus> statuses, IReadOnlyDictionary<string, string> jobDirectories) =>
        Probe(runDirectory, statuses, jobDirectories).Where(p => p.Probe.Exit is null && p.Probe.Pid is not null).ToDictionary(p => p.Id, p => p.Probe.Pid!.Value, StringComparer.Ordinal);

    private static List<(string Id, (JobExit? Exit, int? Pid, DateTimeOffset? StartedAt, bool Started) Probe)> Probe(
        string runDirectory, IEnumerable<JobStatus> statuses, IReadOnlyDictionary<string, string> jobDirectories)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentNullException.ThrowIfNull(jobDirectories);
        var found = new List<(string, (JobExit?, int?, DateTimeOffset?, bool))>();
        var launcher = new ProcessJobLauncher(TimeProvider.System);
        foreach (var status in statuses.Where(s => s.State == JobState.Running))
        {
            if (!jobDirectories.TryGetValue(status.Id, out var dir)) continue;
            found.Add((status.Id, launcher.Probe(Path.Combine(runDirectory, dir, ".expt"), status.Attempt)));
        }
        return found;
    }
}
