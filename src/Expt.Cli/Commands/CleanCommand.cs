using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Expt.Archiving;
using Expt.Cli.Rendering;
using Expt.Internal;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt clean</c>: deletes whole run directories matching every given criterion. It lists them first and deletes
/// only with <c>--yes</c>; it never prompts, so scripts and pipes behave the same as terminals.
/// </summary>
internal static class CleanCommand
{
    private static readonly Option<bool> Failed = new("--failed") { Description = "Runs with a job that failed, timed out, was lost, blocked or cancelled" };
    private static readonly Option<bool> Incomplete = new("--incomplete") { Description = "Runs with a job that has not finished" };
    private static readonly Option<string?> OlderThan = new("--older-than") { HelpName = "DURATION", Description = "Runs created longer ago than this (30d, 12h, 90m)" };
    private static readonly Option<string?> Experiment = new("--experiment") { HelpName = "EXPERIMENT", Description = "Only runs of this experiment" };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "List what would be deleted; delete nothing" };
    private static readonly Option<bool> Yes = new("--yes") { Description = "Delete the listed runs (without it, clean only lists them)" };
    private static readonly Option<string?> Results = RunReference.ResultsOption();
    private static readonly Option<bool> Json = new("--json") { Description = "Print the list as JSON" };

    public static Command Create(CliContext context)
    {
        var command = new Command("clean", "Delete whole runs that match every criterion given (--failed, --incomplete, --older-than); archives are left alone");
        command.Add(Failed);
        command.Add(Incomplete);
        command.Add(OlderThan);
        command.Add(Experiment);
        command.Add(DryRun);
        command.Add(Yes);
        command.Add(Results);
        command.Add(Json);
        command.SetAction(parse => Execute(context, parse));
        return command;
    }

    private static int Execute(CliContext context, ParseResult parse)
    {
        TimeSpan? olderThan = null;
        if (parse.GetValue(OlderThan) is { } text)
        {
            olderThan = Durations.TryParse(text);
            if (olderThan is null)
            {
                context.Error.WriteLine($"error: --older-than '{text}' is not a duration (e.g. 30d, 12h, 1h30m)");
                return ExitCodes.InvalidInput;
            }
        }
        var criteria = new CleanCriteria(parse.GetValue(Failed), parse.GetValue(Incomplete), olderThan, parse.GetValue(Experiment));
        if (!criteria.HasAny)
        {
            context.Error.WriteLine("error: give at least one of --failed, --incomplete, --older-than (clean never deletes every run)");
            return ExitCodes.InvalidInput;
        }
        var root = ResultsRoot.Resolve(parse.GetValue(Results));
        var candidates = RunCleaner.Find(root, criteria, context.Time.GetUtcNow(), out var problems, context.Executors);
        foreach (var problem in problems) context.Error.WriteLine($"note: not considered: {problem}");
        var delete = parse.GetValue(Yes) && !parse.GetValue(DryRun);
        var outcomes = candidates.ToDictionary(c => c, c => delete ? RunCleaner.Delete(c) : c.Skipped);
        var errors = candidates.Where(c => delete && c.Skipped is null && outcomes[c] is not null).ToList();

        if (parse.GetValue(Json)) context.Out.WriteLine(JsonFiles.Serialize(Summary(root, candidates, outcomes, delete), CliJsonContext.Files));
        else Write(context, root, candidates, outcomes, delete, parse.GetValue(DryRun));
        foreach (var failed in errors) context.Error.WriteLine($"error: could not delete {failed.Experiment}/{failed.RunId}: {outcomes[failed]}");
        return errors.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
    }

    private static void Write(CliContext context, string root, IReadOnlyList<CleanCandidate> candidates, Dictionary<CleanCandidate, string?> outcomes, bool delete, bool dryRun)
    {
        if (candidates.Count == 0)
        {
            context.Out.WriteLine($"No runs under {root} match.");
            return;
        }
        var table = new TextTable("RUN", "CREATED", "SIZE", "MATCHED", delete ? "RESULT" : "NOTE");
        foreach (var c in candidates)
        {
            var note = delete ? outcomes[c] is null ? "deleted" : c.Skipped is not null ? $"kept: {c.Skipped}" : "error" : c.Skipped is null ? "" : $"kept: {c.Skipped}";
            table.Add($"{c.Experiment}/{c.RunId}", c.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), ByteSizes.Format(c.Bytes), string.Join("; ", c.Reasons), note);
        }
        context.Out.Write(table.ToString());
        var deletable = candidates.Where(c => c.Skipped is null).ToList();
        var total = ByteSizes.Format(deletable.Sum(c => c.Bytes));
        if (delete)
        {
            var deleted = candidates.Where(c => outcomes[c] is null).ToList();
            context.Out.WriteLine($"Deleted {deleted.Count.ToString(CultureInfo.InvariantCulture)} run(s), freed {ByteSizes.Format(deleted.Sum(c => c.Bytes))}.");
        }
        else if (dryRun)
        {
            context.Out.WriteLine($"Would delete {deletable.Count.ToString(CultureInfo.InvariantCulture)} run(s), {total}. Dry run: nothing was deleted.");
        }
        else
        {
            context.Out.WriteLine($"Would delete {deletable.Count.ToString(CultureInfo.InvariantCulture)} run(s), {total}; pass --yes to delete.");
        }
    }

    private static CleanSummary Summary(string root, IReadOnlyList<CleanCandidate> candidates, Dictionary<CleanCandidate, string?> outcomes, bool delete) =>
        new(root, delete,
            candidates.Select(c => new CleanRun(c.Experiment, c.RunId, c.Directory, c.Created, c.Bytes, ByteSizes.Format(c.Bytes), c.Reasons, c.Skipped,
                delete && outcomes[c] is null, delete && c.Skipped is null ? outcomes[c] : null)).ToList(),
            candidates.Where(c => c.Skipped is null).Sum(c => c.Bytes));

    internal sealed record CleanSummary(string Root, bool Delete, IReadOnlyList<CleanRun> Runs, long TotalBytes);

    internal sealed record CleanRun(string Experiment, string RunId, string Directory, DateTimeOffset Created, long Bytes, string Size, IReadOnlyList<string> Reasons, string? Skipped, bool Deleted, string? Error);
}
