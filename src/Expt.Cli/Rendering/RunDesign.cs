using Expt.Design;
using Expt.Execution.Preparation;
using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>The design of a run about to start: its live summary, and its estimated wall time in the run's header.</summary>
internal static class RunDesign
{
    /// <summary>The run's design, or null (no summary then) when there is none or it could not be made.</summary>
    public static async Task<ExperimentDesign?> ForRunAsync(CliContext context, PreparedRun prepared, RunMachine machine)
    {
        try
        {
            return context.DesignForRun is { } make
                ? await make(prepared, CancellationToken.None).ConfigureAwait(false)
                : await Designer.ForRunAsync(prepared, new DesignServices(context.Time, new FreeSpaceProbe(), machine), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the design is a view of the run: when it cannot be made the run still goes, without its summary
        catch (Exception e)
#pragma warning restore CA1031
        {
            await context.Error.WriteLineAsync($"warning: the run will have no {SummaryMarkdown.FileName}: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// The header's estimate, e.g. <c>; estimated 4m10s (from 12 earlier jobs; 3 without history)</c>; empty when no
    /// job has history.
    /// </summary>
    public static string Estimate(ExperimentDesign? design)
    {
        if (design is not { Totals.WallSeconds: { } wall } || design.HistoryJobs == 0) return "";
        var without = design.Totals.JobsWithoutHistory;
        var earlier = design.HistoryJobs == 1 ? "1 earlier job" : $"{design.HistoryJobs} earlier jobs";
        return $"; estimated {Durations.Format(TimeSpan.FromSeconds(wall))} (from {earlier}{(without > 0 ? $"; {without} without history" : "")})";
    }
}
