using System.CommandLine;
using System.Text.Json;
using Expt.Cli.Rendering;
using Expt.Internal;
using Expt.Reporting;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt compare A B [C…]</c>: runs or single jobs side by side, with deltas against A. One run alone (default
/// <c>latest</c>) is compared with the run of its experiment before it: "what changed since last time".
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var targets = RunReference.RejectingOptions(new Argument<string[]>("runs")
        {
            Description = "Two or more runs (directory, id, EXPERIMENT/ID or 'latest'), or jobs (RUN/JOB_ID or a job directory); the first is the reference. One run (default: latest) is compared with the run of its experiment before it",
            Arity = new ArgumentArity(0, 64),
        });
        var results = RunReference.ResultsOption();
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON" };
        var jobs = new Option<bool>("--jobs") { Description = "Compare runs job by job (every metric and the compute of each job) instead of one table of variants" };
        var command = new Command("compare", "Compare runs or jobs: the params that differ, then one table of variants with each metric per run and its delta vs. the first (--jobs: job by job, with the compute used)");
        command.Add(targets);
        command.Add(results);
        command.Add(json);
        command.Add(jobs);
        command.SetAction(parse =>
        {
            var resolved = new List<ReportTarget>();
            var references = parse.GetValue(targets) is { Length: > 0 } given ? given : ["latest"];
            foreach (var reference in references)
            {
                var target = ReportTargets.Resolve(context, reference, parse.GetValue(results));
                if (target is null) return ExitCodes.InvalidInput;
                resolved.Add(target);
            }
            if (resolved is [{ Job: null } only])
            {
                // The earlier run is the reference: deltas read as "since last time".
                var before = ReportTarget.RunBefore(Expt.Recording.ResultsRoot.Resolve(parse.GetValue(results)), only.Run, out var problem);
                if (before is null)
                {
                    context.Error.WriteLine($"error: {problem}");
                    return ExitCodes.InvalidInput;
                }
                resolved.Insert(0, new ReportTarget(before, null));
            }
            RunComparison comparison;
            try
            {
                comparison = RunComparison.Of(resolved);
            }
            catch (ArgumentException e)
            {
                context.Error.WriteLine($"error: {e.Message.Split(" (Parameter", 2)[0]}");
                return ExitCodes.InvalidInput;
            }
            // Per-job detail only when asked for, in JSON as in text; single jobs are always shown as such.
            var perJob = parse.GetValue(jobs) || comparison.Sides[0].Job is not null;
            if (parse.GetValue(json)) context.Out.WriteLine(JsonFiles.Serialize(perJob ? comparison : comparison with { Jobs = [] }, ReportJson.Options));
            else ComparisonRenderer.Write(context.Out, comparison, Environment.CurrentDirectory, perJob);
            return ExitCodes.Success;
        });
        return command;
    }
}
