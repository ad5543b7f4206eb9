using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Expt.Archiving;
using Expt.Cli.Rendering;
using Expt.Internal;
using Expt.Recording;
using Expt.Results;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt archive RUN</c>: moves a finished run to the archive (copy, verify, pointer, delete), leaving out
/// <c>--drop</c> globs. The work is <see cref="Archiver"/>'s; this command resolves the arguments and prints.
/// </summary>
internal static class ArchiveCommand
{
    private static readonly Argument<string> Run = RunReference.Argument();
    private static readonly Option<string?> Results = RunReference.ResultsOption();
    private static readonly Option<string?> To = new("--to") { HelpName = "DIR", Description = $"Archive root; the run goes to DIR/EXPERIMENT/RUN_ID (default: ${ArchiveRequest.EnvironmentVariable} or RESULTS/{ArchiveRequest.DefaultDirectoryName})" };
    private static readonly Option<string[]> Drop = new("--drop") { HelpName = "GLOB", Description = "Do not copy files matching this glob (relative to the run: * within a name, ** across directories; repeatable). Configs, logs and metrics are always kept", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Print what would be kept and dropped and the sizes; change nothing" };
    private static readonly Option<bool> Force = new("--force") { Description = "Archive even if some job has not finished (never while a runner holds the run)" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the summary as JSON" };

    public static Command Create(CliContext context)
    {
        var command = new Command("archive", "Move a finished run to the archive: copy, verify every file, leave a pointer, then delete the original");
        command.Add(Run);
        command.Add(To);
        command.Add(Drop);
        command.Add(DryRun);
        command.Add(Force);
        command.Add(Results);
        command.Add(Json);
        command.SetAction((parse, ct) => Task.FromResult(Execute(context, parse, ct)));
        return command;
    }

    private static int Execute(CliContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var results = ResultsRoot.Resolve(parse.GetValue(Results));
        var reference = parse.GetValue(Run)!;
        // 'latest' is the newest run still here to archive, not the newest run overall (which may be archived already).
        var location = reference == "latest" ? ResultsRoot.Locate(results, reference, null, out var problem) : RunReader.Locate(results, reference, null, out problem);
        if (location is null)
        {
            context.Error.WriteLine($"error: {problem ?? $"no run '{reference}' under {results}"}");
            return ExitCodes.InvalidInput;
        }
        if (location.EndsWith(ArchivePointer.Suffix, StringComparison.Ordinal))
        {
            var pointer = ArchivePointer.TryRead(location);
            context.Error.WriteLine($"error: {reference} is already archived{(pointer is null ? "" : $" (to {pointer.ArchivedTo})")}");
            return ExitCodes.InvalidInput;
        }
        var request = new ArchiveRequest(location, ArchiveRequest.ResolveRoot(parse.GetValue(To), results), parse.GetValue(Drop) ?? [], parse.GetValue(Force), parse.GetValue(DryRun));
        var result = new Archiver(FileCopier.Instance, context.Time).Archive(request, cancellationToken);
        if (!result.Succeeded)
        {
            context.Error.WriteLine($"error: {result.Error}");
            if (result.Outcome == ArchiveOutcome.Failed) context.Error.WriteLine($"The run is intact at {result.RunDirectory}; nothing was deleted.");
            return result.Outcome == ArchiveOutcome.Failed ? ExitCodes.PartialFailure : ExitCodes.InvalidInput;
        }
        if (parse.GetValue(Json)) context.Out.WriteLine(JsonFiles.Serialize(Summary(result), CliJsonContext.Files));
        else Write(context, result);
        foreach (var warning in result.Warnings) context.Error.WriteLine($"warning: {warning}");
        return ExitCodes.Success;
    }

    private static void Write(CliContext context, ArchiveResult result)
    {
        var plan = result.Plan!;
        var run = Path.GetRelativePath(Environment.CurrentDirectory, result.RunDirectory);
        var dry = result.Outcome == ArchiveOutcome.DryRun;
        context.Out.WriteLine(dry ? $"Would archive {run} to {result.Destination}" : $"Archived {run} to {result.Destination}");
        foreach (var kept in plan.Protected)
        {
            context.Out.WriteLine($"  always kept: {kept.RelativePath} (matches --drop {kept.ProtectedFrom}, but configs, logs and metrics are always kept)");
        }
        var dropped = plan.DroppedFiles.ToList();
        if (dry && dropped.Count > 0)
        {
            var table = new TextTable("DROPPED", "SIZE", "GLOB");
            foreach (var entry in dropped) table.Add(entry.RelativePath, ByteSizes.Format(entry.Size), entry.DroppedBy!);
            context.Out.Write(table.ToString());
        }
        var keptFiles = plan.KeptFiles.Count();
        context.Out.WriteLine($"{(dry ? "Would keep" : "Kept")} {Count(keptFiles)} file(s), {ByteSizes.Format(plan.KeptBytes)}; {(dry ? "would drop" : "dropped")} {Count(dropped.Count)} file(s), {(dry ? "would free" : "freed")} {ByteSizes.Format(plan.DroppedBytes)}.");
        if (result.ReusedIdenticalCopy) context.Out.WriteLine("The destination already held an identical copy (an earlier archive that did not finish); it was kept.");
        if (dry) context.Out.WriteLine("Dry run: nothing was changed.");
        else context.Out.WriteLine($"The run stays listed through {Path.GetRelativePath(Environment.CurrentDirectory, result.PointerPath!)}.");
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static ArchiveSummary Summary(ArchiveResult result)
    {
        var plan = result.Plan!;
        return new ArchiveSummary(
            result.Outcome == ArchiveOutcome.DryRun ? "dry_run" : "archived",
            result.RunDirectory,
            result.Destination!,
            result.PointerPath,
            new SizeSummary(plan.KeptFiles.Count(), plan.KeptBytes, ByteSizes.Format(plan.KeptBytes), null),
            new SizeSummary(plan.DroppedFiles.Count(), plan.DroppedBytes, ByteSizes.Format(plan.DroppedBytes), plan.DroppedFiles.Select(e => e.RelativePath).ToList()),
            plan.Protected.Select(e => new ProtectedSummary(e.RelativePath, e.ProtectedFrom!)).ToList(),
            result.ReusedIdenticalCopy,
            result.Warnings);
    }

    internal sealed record ArchiveSummary(string Outcome, string Run, string Destination, string? Pointer, SizeSummary Kept, SizeSummary Dropped, IReadOnlyList<ProtectedSummary> AlwaysKept, bool ReusedIdenticalCopy, IReadOnlyList<string> Warnings);

    internal sealed record SizeSummary(int Files, long Bytes, string Size, IReadOnlyList<string>? Paths);

    internal sealed record ProtectedSummary(string Path, string Glob);
}
