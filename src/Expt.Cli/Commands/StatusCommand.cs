using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Expt.Cli.Rendering;
using Expt.Execution.Backends;
using Expt.Internal;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt status RUN</c>: every job's state, brought up to date by the run's executor backend first (a SLURM run
/// from the jobs' files and one squeue call, recorded in run.log; a local run's files are current already, and
/// the jobs a dead runner left are probed).
/// </summary>
internal static class StatusCommand
{
    private static readonly Argument<string> Run = RunReference.OptionalArgument();
    private static readonly Option<string?> Results = RunReference.ResultsOption();
    private static readonly Option<bool> Json = new("--json") { Description = "Print every job's status as JSON" };

    public static Command Create(CliContext context)
    {
        var command = new Command("status", "Show the state of every job of a run (SLURM runs are refreshed from the queue first)");
        command.Add(Run);
        command.Add(Results);
        command.Add(Json);
        command.SetAction((parse, ct) => ExecuteAsync(context, parse, ct));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var dir = RunReference.Locate(context, parse.GetValue(Run)!, parse.GetValue(Results));
        if (dir is null) return ExitCodes.InvalidInput;
        var backend = context.Executors.ForRun(dir, out var unknown);
        if (backend is null)
        {
            context.Error.WriteLine($"error: {unknown}");
            return ExitCodes.InvalidInput;
        }
        var status = await backend.RefreshAsync(dir, context.Time, cancellationToken).ConfigureAwait(false);
        if (status.Statuses.Count == 0 && status.Problem is not null)
        {
            context.Error.WriteLine($"error: {status.Problem}");
            return ExitCodes.InvalidInput;
        }
        if (status.Problem is not null) context.Error.WriteLine($"note: {status.Problem}");
        if (parse.GetValue(Json))
        {
            context.Out.WriteLine(JsonFiles.Serialize(status.Statuses, JsonFiles.Options));
            return ExitCodes.Success;
        }
        Write(context, dir, status.Statuses, status.Orphans, status.NotSelected);
        return ExitCodes.Success;
    }

    private static void Write(CliContext context, string dir, IReadOnlyList<JobStatus> statuses, IReadOnlyDictionary<string, string> orphans, int notSelected)
    {
        var counts = JobStates.All.Select(s => (s, statuses.Count(x => x.State == s))).Where(x => x.Item2 > 0).Select(x => $"{x.Item2} {x.s.Name()}");
        var done = statuses.Count(s => s.State.IsFinished());
        context.Out.WriteLine($"Run {Path.GetRelativePath(Environment.CurrentDirectory, dir)} ({ExecutorRegistry.NameOfRun(dir)}): {done}/{statuses.Count} done; {string.Join(", ", counts)}{RunReportRenderer.NotSelected(notSelected)}");
        var table = new TextTable("JOB", "STATE", "ATTEMPT", "WHERE", "TIME", "REASON");
        var now = context.Time.GetUtcNow();
        foreach (var s in statuses)
        {
            var last = s.Attempts.LastOrDefault();
            var where = last?.Executor?.GetValueOrDefault("slurmJobId") ?? (last?.Pid is { } pid ? $"pid {pid.ToString(CultureInfo.InvariantCulture)}" : "");
            var orphan = orphans.GetValueOrDefault(s.Id);
            // A job without a runner has no known end: its time since start would only grow.
            var time = s.DurationSeconds is { } d ? Durations.Format(TimeSpan.FromSeconds(d)) : s.State == JobState.Running && orphan is null && s.StartedAt is { } at ? Durations.Format(now - at) : "";
            table.Add(s.Id, s.State.Name(), s.Attempt.ToString(CultureInfo.InvariantCulture), where, time, orphan ?? s.Reason ?? "");
        }
        context.Out.Write(table.ToString());
        if (orphans.Count > 0)
        {
            context.Out.WriteLine($"No runner works on this run: it stopped without recording {orphans.Count.ToString(CultureInfo.InvariantCulture)} running job(s). expt run --resume {Path.GetFileName(dir)} records the ended ones, adopts the live ones and reruns the rest.");
        }
    }
}
