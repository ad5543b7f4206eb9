using Expt.Internal;
using Expt.Recording;
using Expt.Reporting;
using Expt.Results;

namespace Expt.Cli.Commands;

/// <summary>Resolves the RUN (or RUN/JOB) arguments of the reporting commands, archived runs included; prints why not.</summary>
internal static class ReportTargets
{
    /// <summary>The run, or null after printing <c>error: …</c>.</summary>
    public static RunRecord? ReadRun(CliContext context, string reference, string? results)
    {
        var run = ReportTarget.ReadRun(ResultsRoot.Resolve(results), reference, out var problem);
        if (run is null) context.Error.WriteLine($"error: {VisibleText.Escape(problem ?? "")}");
        return run;
    }

    /// <summary>The run or job, or null after printing <c>error: …</c>.</summary>
    public static ReportTarget? Resolve(CliContext context, string reference, string? results)
    {
        var target = ReportTarget.Resolve(ResultsRoot.Resolve(results), reference, out var problem);
        if (target is null) context.Error.WriteLine($"error: {VisibleText.Escape(problem ?? "")}");
        return target;
    }
}
