using System.CommandLine;
using System.Globalization;
using Expt.Catalog;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Cli.Commands;

/// <summary><c>expt reindex</c>: rebuilds the catalog from the files and says how much it read and how long it took.</summary>
internal static class ReindexCommand
{
    private static readonly Option<string?> Results = RunReference.ResultsOption();

    public static Command Create(CliContext context)
    {
        var command = new Command("reindex", "Rebuild the catalog of the results root from the run directories");
        command.Add(Results);
        command.SetAction(parse => Execute(context, parse));
        return command;
    }

    private static int Execute(CliContext context, ParseResult parse)
    {
        var root = ResultsRoot.Resolve(parse.GetValue(Results));
        if (!Directory.Exists(root))
        {
            context.Error.WriteLine($"error: no results root at {root}");
            return ExitCodes.InvalidInput;
        }
        var refresh = CatalogStore.Rebuild(root);
        foreach (var problem in refresh.Problems) context.Error.WriteLine($"warning: {VisibleText.Escape(problem)}");
        NotReadWarnings.Write(context.Error, refresh.NotRead);
        if (refresh.NotWritten is { } why)
        {
            // Reindexing is asked for its file: an index that lived only in this process is no success.
            context.Error.WriteLine($"error: the catalog could not be written: {why}");
            context.Error.WriteLine($"{refresh.Runs} run(s), {refresh.Jobs} job(s) were read, but nothing was saved; 'expt ls' still answers, indexing into memory each time");
            return ExitCodes.PartialFailure;
        }
        var seconds = refresh.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        context.Out.WriteLine($"Indexed {refresh.Runs} run(s), {refresh.Jobs} job(s) in {seconds}s into {CatalogStore.PathFor(root)}");
        return ExitCodes.Success;
    }
}
