using Expt.Design;
using Expt.Planning;

namespace Expt.Tests.Design;

/// <summary>An <see cref="ExperimentDesign"/> of a real plan with hand-made estimates and resources, at a fixed time.</summary>
internal static class DesignFixture
{
    public static readonly DateTimeOffset CreatedAt = new(2026, 12, 3, 14, 26, 0, TimeSpan.Zero);

    public static ExperimentDesign For(Plan plan, Func<PlannedJob, JobEstimate>? estimate = null, IReadOnlyList<ResourceCheck>? resources = null)
    {
        var estimates = plan.Jobs.Select(estimate ?? (_ => JobEstimate.None)).ToList();
        var withHistory = estimates.Where(e => e.Basis != EstimateBasis.NoHistory).ToList();
        var output = withHistory.Sum(e => e.OutputBytes ?? 0);
        return new ExperimentDesign
        {
            Plan = plan,
            SpecPath = "experiment.yaml",
            ResultsRoot = "results",
            Settings = new DesignSettings(4, 0, "local", ["-p", "4"]),
            Estimates = estimates,
            Resources = resources ?? [],
            Totals = new DesignTotals(
                withHistory.Count == 0 ? null : withHistory.Sum(e => e.WallSeconds ?? 0) / 4,
                withHistory.Sum(e => e.CpuSeconds ?? 0) / 3600,
                withHistory.Sum(e => e.GpuSeconds ?? 0) / 3600,
                output,
                (long)(output * (1 + DesignTotals.DiskMargin)),
                plan.Jobs.Count,
                estimates.Count - withHistory.Count),
            FreeDiskBytes = 64L << 30,
            HistoryRuns = withHistory.Count == 0 ? 0 : 1,
            HistoryJobs = withHistory.Count == 0 ? 0 : 12,
            CreatedAt = CreatedAt,
        };
    }
}
