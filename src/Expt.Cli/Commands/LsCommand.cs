using System.CommandLine;
using Expt.Catalog;
using Expt.Catalog.Query;
using Expt.Cli.Rendering;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt ls [EXPERIMENT]</c>: every run (or, with <c>--jobs</c>, every job with its params and metrics) from the
/// catalog, which is first brought up to date with the files (one stat per run).
/// </summary>
internal static class LsCommand
{
    private static readonly Argument<string?> Experiment = RunReference.RejectingOptions(new Argument<string?>("experiment") { Description = "Only this experiment", Arity = ArgumentArity.ZeroOrOne });
    private static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Add branch, host, executor, question and archive location (runs) or every param (jobs)" };
    private static readonly Option<bool> Jobs = new("--jobs") { Description = "One row per job, with its params and metrics" };
    private static readonly Option<string?> Where = new("--where") { Description = "Filter, e.g. \"lr < 1e-3 and accuracy >= 0.8 and state = succeeded\" (see docs/catalog.md)" };
    private static readonly Option<string?> Sort = new("--sort") { Description = "Sort by a field, param or metric; prefix '-' for descending (e.g. --sort -accuracy)" };
    private static readonly Option<int?> Limit = NumberOptions.WholeNumber(new Option<int?>("--limit") { Description = "Show at most N rows" });
    private static readonly Option<bool> Json = new("--json") { Description = "Print the rows as JSON" };
    private static readonly Option<string?> Results = RunReference.ResultsOption();

    public static Command Create(CliContext context)
    {
        var command = new Command("ls", "List runs (or jobs with --jobs) with their state, params and metrics, from the catalog");
        command.Add(Experiment);
        command.Add(Verbose);
        command.Add(Jobs);
        command.Add(Where);
        command.Add(Sort);
        command.Add(Limit);
        command.Add(Json);
        command.Add(Results);
        command.SetAction(parse => Execute(context, parse));
        return command;
    }

    private static int Execute(CliContext context, ParseResult parse)
    {
        var root = ResultsRoot.Resolve(parse.GetValue(Results));
        if (parse.GetValue(Limit) is < 0)
        {
            context.Error.WriteLine($"error: --limit {parse.GetValue(Limit)}: expected 0 or more");
            return ExitCodes.InvalidInput;
        }
        var filter = new CatalogFilter(parse.GetValue(Experiment), parse.GetValue(Where), parse.GetValue(Sort), parse.GetValue(Limit));
        var jobs = parse.GetValue(Jobs);
        var json = parse.GetValue(Json);
        if (!Directory.Exists(root))
        {
            // Nothing to list, and no reason to create a results root (and a catalog in it) just to say so.
            if (json) context.Out.WriteLine("[]");
            else context.Error.WriteLine($"no runs under {root}");
            return ExitCodes.Success;
        }
        try
        {
            return CatalogStore.Use(root, (store, refresh) =>
            {
                if (store.Warning is { } warning) context.Error.WriteLine($"note: {warning}");
                foreach (var problem in refresh.Problems) context.Error.WriteLine($"warning: {VisibleText.Escape(problem)}");
                NotReadWarnings.Write(context.Error, refresh.NotRead);
                if (jobs)
                {
                    var rows = CatalogQuery.Jobs(store, filter);
                    if (json) LsRenderer.WriteJobsJson(context.Out, rows);
                    else LsRenderer.WriteJobs(context.Out, rows, parse.GetValue(Verbose));
                }
                else
                {
                    var rows = CatalogQuery.Runs(store, filter);
                    if (json) LsRenderer.WriteRunsJson(context.Out, rows);
                    else LsRenderer.WriteRuns(context.Out, rows, parse.GetValue(Verbose));
                }
                return ExitCodes.Success;
            });
        }
        catch (WhereException e)
        {
            var option = e.Column > 0 || filter.Sort is null ? "--where" : "--sort";
            context.Error.WriteLine($"error: {option}: {e.Message}");
            if (e.Column > 0 && filter.Where is not null)
            {
                context.Error.WriteLine($"  {filter.Where}");
                context.Error.WriteLine($"  {new string(' ', e.Column - 1)}^");
            }
            return ExitCodes.InvalidInput;
        }
    }
}
