using System.Globalization;
using Expt.Execution.Local;
using Expt.Recording;
using Expt.Results;

namespace Expt.Archiving;

/// <summary>
/// A local run's jobs that still run although no runner holds the run (its runner was killed with SIGKILL): they
/// write into the run until they end, so the run is neither deleted nor archived meanwhile, as for a SLURM run.
/// </summary>
public static class LiveJobs
{
    /// <summary>The jobs of <paramref name="run"/> recorded as running whose process still runs, with its pid.</summary>
    public static IReadOnlyDictionary<string, int> Of(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        // Only a local run's jobs are this machine's processes; another backend's (a scheduler's) says itself whether they still run.
        if (run.Manifest.Executor != LocalBackend.BackendName || run.Jobs.All(j => j.State != JobState.Running)) return new Dictionary<string, int>();
        var statuses = run.Jobs.Select(j => j.Status).OfType<JobStatus>();
        var directories = run.Jobs.ToDictionary(j => j.Id, j => j.Entry.Dir, StringComparer.Ordinal);
        return OrphanedJobs.StillRunning(run.Directory, statuses, directories);
    }

    /// <summary>Says which jobs still run: <c>2 job(s) still run without a runner (a: pid 12, b: pid 13)</c>.</summary>
    public static string Describe(IReadOnlyDictionary<string, int> live)
    {
        ArgumentNullException.ThrowIfNull(live);
        var jobs = string.Join(", ", live.OrderBy(j => j.Key, StringComparer.Ordinal).Select(j => $"{j.Key}: pid {j.Value.ToString(CultureInfo.InvariantCulture)}"));
        return $"{live.Count.ToString(CultureInfo.InvariantCulture)} job(s) still run without a runner ({jobs})";
    }
}
