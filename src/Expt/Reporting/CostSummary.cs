using Expt.Results;

namespace Expt.Reporting;

/// <summary>Compute some jobs used, from their status.json accounting; a measure no job recorded is null, not 0.</summary>
/// <param name="Jobs">How many jobs.</param>
/// <param name="WallSeconds">Wall seconds summed over the jobs (and their attempts).</param>
/// <param name="CpuSeconds">CPU seconds summed over the jobs that recorded them.</param>
/// <param name="GpuSeconds">GPU-seconds (wall × GPUs held) summed over the jobs that recorded them.</param>
/// <param name="PeakRssMb">The largest peak resident memory of any of the jobs, MiB.</param>
public sealed record CostSummary(int Jobs, double? WallSeconds, double? CpuSeconds, double? GpuSeconds, double? PeakRssMb)
{
    /// <summary>The compute of <paramref name="jobs"/>.</summary>
    public static CostSummary Of(IReadOnlyCollection<JobRecord> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var accounting = jobs.Select(j => j.Status?.Accounting).OfType<Recording.JobAccounting>().ToList();
        var peaks = accounting.Select(a => a.PeakRssMb).OfType<double>().ToList();
        return new CostSummary(
            jobs.Count,
            Sum(jobs.Select(j => j.WallSeconds)),
            Sum(accounting.Select(a => a.CpuSeconds)),
            Sum(accounting.Select(a => (double?)a.GpuSeconds)),
            peaks.Count == 0 ? null : peaks.Max());
    }

    // Sums of a few thousandths each pick up binary noise; status.json keeps milliseconds, so does the sum.
    private static double? Sum(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? null : Math.Round(known.Sum(), 3);
    }
}
