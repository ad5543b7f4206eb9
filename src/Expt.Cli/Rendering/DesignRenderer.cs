using System.Globalization;
using Expt.Archiving;
using Expt.Design;
using Expt.Internal;
using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>The terminal summary of <c>expt design</c>: counts, totals, each problem and warning, where the files are.</summary>
internal static class DesignRenderer
{
    public static void Write(TextWriter output, ExperimentDesign design, string specAsGiven, string summaryPath, string logPath)
    {
        var (plan, totals, settings) = (design.Plan, design.Totals, design.Settings);
        var stages = plan.Jobs.GroupBy(j => j.Stage.Name, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}").ToList();
        output.WriteLine($"Design of {Escape(plan.Definition.Name)}: {Count(plan.Variants.Count, "variant")}, {Count(plan.Jobs.Count, "job")}{(plan.IsSingleStage ? "" : $" ({string.Join(", ", stages)})")}");
        output.WriteLine(design.HistoryJobs == 0
            ? $"  History:   none ({(design.HistoryRuns == 0 ? $"no earlier run of {Escape(plan.Definition.Name)}" : $"no succeeded job in {Count(design.HistoryRuns, "earlier run")}")}): no estimates"
            : $"  History:   {Count(design.HistoryJobs, "succeeded job")} from {Count(design.HistoryRuns, "earlier run")}");
        var gpus = settings.GpuSlots == 1 ? "1 GPU slot" : $"{settings.GpuSlots} GPU slots";
        output.WriteLine(totals.WallSeconds is { } wall
            ? $"  Estimated: {Duration(wall)} wall under -p {settings.Parallel} with {gpus}, {Hours(totals.CpuHours)} CPU-hours, {Hours(totals.GpuHours)} GPU-hours, disk {ByteSizes.Format(totals.DiskBytes)} (output + {Percent(DesignTotals.DiskMargin)})"
            : $"  Estimated: nothing (no job has history)");
        if (totals.JobsWithoutHistory > 0 && totals.WallSeconds is not null)
        {
            output.WriteLine($"             {totals.JobsWithoutHistory} of {Count(totals.Jobs, "job")} without history, left out of the totals");
        }
        output.WriteLine($"  Free disk: {(design.FreeDiskBytes is { } free ? ByteSizes.Format(free) : "unknown")} at {Escape(design.ResultsRoot)}");
        var checkedResources = design.Resources.Where(r => r.Kind != ResourceKind.Disk).ToList();
        var missing = checkedResources.Count(r => r.Problem is not null);
        output.WriteLine($"  Resources: {checkedResources.Count} checked, {missing} with a problem");
        foreach (var p in design.Problems) output.WriteLine($"problem: {Escape(p)}");
        foreach (var w in design.Warnings) output.WriteLine($"warning: {Escape(w)}");
        output.WriteLine($"Wrote {Escape(summaryPath)}");
        output.WriteLine($"Appended to {Escape(logPath)}");
        var run = $"expt run {Shell.Quote(specAsGiven)}{string.Concat(settings.RunArguments.Select(a => " " + Shell.Quote(a)))}";
        output.WriteLine(design.Problems.Count == 0
            ? $"Next: review the summary, then {Escape(run)}"
            : $"Fix {(design.Problems.Count == 1 ? "the problem" : $"the {design.Problems.Count} problems")} above, then design again or {Escape(run)}");
    }

    private static string Escape(string text) => VisibleText.Escape(text);

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private static string Duration(double seconds) => Durations.Format(TimeSpan.FromSeconds(Math.Max(0, seconds)));

    private static string Hours(double hours) => hours.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
