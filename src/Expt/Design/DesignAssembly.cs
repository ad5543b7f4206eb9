using Expt.Archiving;
using Expt.Planning;

namespace Expt.Design;

/// <summary>Everything a design is made of, found before it is put together.</summary>
/// <param name="Plan">The plan.</param>
/// <param name="SpecAsGiven">The spec as the user named it (for the commands the log and summary suggest).</param>
/// <param name="ResultsRoot">Where results would go.</param>
/// <param name="Settings">How it would run.</param>
/// <param name="Resources">The paths, scripts and programs the plan names, as found.</param>
/// <param name="History">The earlier jobs of the experiment.</param>
/// <param name="Estimates">One per job of the plan, in order.</param>
/// <param name="Totals">The study's totals.</param>
/// <param name="FreeDiskBytes">Free bytes at the results root, when known.</param>
/// <param name="OutputDirectory">Where experiment_summary.md and design.log go; null when they are not written (a run's own summary).</param>
internal sealed record DesignInputs(
    Plan Plan,
    string SpecAsGiven,
    string ResultsRoot,
    DesignSettings Settings,
    IReadOnlyList<ResourceCheck> Resources,
    HistoryRead History,
    IReadOnlyList<JobEstimate> Estimates,
    DesignTotals Totals,
    long? FreeDiskBytes,
    string? OutputDirectory);

/// <summary>
/// Puts a design together from what was found: its problems (what is missing), its warnings (a short disk, a GPU
/// shortage, extrapolated estimates) and the log entry of every check and calculation. No I/O: the clock only.
/// </summary>
internal static class DesignAssembly
{
    /// <summary>The file name of the summary.</summary>
    public const string SummaryFileName = "experiment_summary.md";

    public static ExperimentDesign Assemble(DesignInputs inputs, TimeProvider time)
    {
        var (plan, totals) = (inputs.Plan, inputs.Totals);
        var createdAt = time.GetLocalNow();
        var problems = inputs.Resources.Where(r => r.Problem is not null).Select(DescribeProblem).ToList();
        var warnings = new List<string>(inputs.History.Warnings);
        var diskShort = inputs.FreeDiskBytes is { } free && free < totals.DiskBytes;
        if (diskShort)
        {
            warnings.Add($"free disk at {inputs.ResultsRoot} is {ByteSizes.Format(inputs.FreeDiskBytes!.Value)}, short of the {ByteSizes.Format(totals.DiskBytes)} the jobs are estimated to write (with a {(DesignTotals.DiskMargin * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture)}% margin)");
        }
        var extrapolated = inputs.Estimates.Count(e => e.Basis == EstimateBasis.Extrapolated);
        if (extrapolated > 0) warnings.Add($"{extrapolated} job(s) estimated by extrapolation outside the range of params seen in history: treat their figures with care");
        foreach (var stage in plan.Jobs.Where(j => j.Stage.Resources.Gpus > inputs.Settings.GpuSlots).Select(j => j.Stage).Distinct())
        {
            warnings.Add($"stage {stage.Name} asks {stage.Resources.Gpus} GPU(s) per job but {inputs.Settings.GpuSlots} GPU slot(s) are available: its jobs could not start (give --gpus)");
        }
        var resources = inputs.FreeDiskBytes is { } bytes
            ? [.. inputs.Resources, new ResourceCheck(ResourceKind.Disk, inputs.ResultsRoot, Path.GetFullPath(inputs.ResultsRoot), true, bytes, null, true, null, "results root", null)]
            : inputs.Resources;

        var entries = new DesignEntries(inputs, time.GetLocalNow);
        var log = new List<DesignLogEntry>();
        foreach (var r in inputs.Resources) log.Add(entries.Verify(r));
        log.Add(entries.SearchPriorRuns());
        foreach (var stage in plan.Jobs.Select(j => j.Stage.Name).Distinct(StringComparer.Ordinal)) log.Add(entries.StageTimes(stage));
        log.Add(entries.StudyTime());
        log.Add(entries.Disk());
        log.Add(entries.CheckDisk(diskShort));
        if (inputs.OutputDirectory is { } dir)
        {
            log.Add(entries.CreateSummary(Path.Combine(dir, SummaryFileName)));
            log.Add(entries.Complete(problems.Count, warnings.Count));
        }
        return new ExperimentDesign
        {
            Plan = plan,
            SpecPath = plan.Definition.SourcePath,
            ResultsRoot = inputs.ResultsRoot,
            Settings = inputs.Settings,
            Estimates = inputs.Estimates,
            Resources = resources,
            Totals = totals,
            FreeDiskBytes = inputs.FreeDiskBytes,
            HistoryRuns = inputs.History.Runs,
            HistoryJobs = inputs.History.Jobs.Count,
            Problems = problems,
            Warnings = warnings,
            Log = log,
            CreatedAt = createdAt,
        };
    }

    private static string DescribeProblem(ResourceCheck r)
    {
        var what = r.Kind switch
        {
            ResourceKind.Script => "script",
            ResourceKind.Program => "program",
            ResourceKind.Disk => "disk",
            _ => "path",
        };
        return $"{what} {r.Path} ({r.UsedBy}): {r.Problem}";
    }
}
