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

    /// <summary>
    /// The runs of <c>expt report</c>: those named (default <c>latest</c>), or with <c>--experiment NAME --all</c> every
    /// run of that experiment, oldest first; null after printing <c>error: …</c>.
    /// </summary>
    public static IReadOnlyList<RunRecord>? ReadRuns(CliContext context, IReadOnlyList<string> references, string? experiment, bool all, string? results)
    {
        if (all != (experiment is not null) || (all && references.Count > 0))
        {
            context.Error.WriteLine(all || experiment is not null
                ? "error: --experiment NAME and --all go together, without RUN arguments: every run of NAME is pooled"
                : "error: --all needs --experiment NAME");
            return null;
        }
        var root = ResultsRoot.Resolve(results);
        IReadOnlyList<string> named = references.Count > 0 ? references : ["latest"];
        if (all)
        {
            named = RunReader.Locations(root, experiment).OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
            if (named.Count == 0)
            {
                context.Error.WriteLine($"error: no run of experiment '{VisibleText.Escape(experiment!)}' under {VisibleText.Escape(root)}");
                return null;
            }
        }
        var runs = new List<RunRecord>();
        foreach (var reference in named)
        {
            var run = all ? RunReader.Read(reference, out var problem) : ReportTarget.ReadRun(root, reference, out problem);
            if (run is null)
            {
                context.Error.WriteLine($"error: {VisibleText.Escape(problem ?? "")}");
                return null;
            }
            if (runs.Any(r => r.Directory == run.Directory)) continue;
            runs.Add(run);
        }
        return runs;
    }

    /// <summary>The run or job, or null after printing <c>error: …</c>.</summary>
    public static ReportTarget? Resolve(CliContext context, string reference, string? results)
    {
        var target = ReportTarget.Resolve(ResultsRoot.Resolve(results), reference, out var problem);
        if (target is null) context.Error.WriteLine($"error: {VisibleText.Escape(problem ?? "")}");
        return target;
    }
}
