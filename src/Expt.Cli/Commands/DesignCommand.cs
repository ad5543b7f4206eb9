using System.CommandLine;
using Expt.Cli.Rendering;
using Expt.Design;
using Expt.Internal;

namespace Expt.Cli.Commands;

/// <summary><c>expt design SPEC</c>: the study before it runs, written to experiment_summary.md and design.log.</summary>
internal static class DesignCommand
{
    private static readonly Argument<string> Spec = RunReference.RejectingOptions(new Argument<string>("spec") { Description = "The experiment spec (experiment.yaml) or its directory" });
    private static readonly Option<string[]> Set = new("--set") { Description = "Override a param: KEY=VALUE (as for expt run)", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<int?> Seeds = NumberOptions.WholeNumber(new Option<int?>("--seeds") { Description = "Every variant once per seed 1..N (replaces the spec's seeds:)" });
    private static readonly Option<string[]> Filter = new("--filter") { Description = "Keep only variants whose param KEY equals VALUE (also kind=, variant=)", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string[]> Only = new("--only") { Description = "Design only these stages", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string[]> Skip = new("--skip") { Description = "Leave these stages out", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = true };
    private static readonly Option<int?> Parallel = NumberOptions.WholeNumber(new Option<int?>("--parallel", "-p") { Description = "Most jobs at once in the estimated schedule (default: number of cores, as expt run)" });
    private static readonly Option<string?> Gpus = new("--gpus") { Description = "GPU ids jobs may use, e.g. 0,1 (default: what nvidia-smi -L lists; 'none')" };
    private static readonly Option<string?> Executor = new("--executor") { Description = "Where jobs would run: local (default) or slurm (default: the spec's executor.type)" };
    private static readonly Option<string?> Results = new("--results") { Description = "Results root: where history is read and output would go (default as for expt run)" };
    private static readonly Option<int?> MaxVariants = NumberOptions.WholeNumber(new Option<int?>("--max-variants") { Description = "Refuse a plan of more variants than this (default 1000000)" });
    private static readonly Option<int?> MaxJobs = NumberOptions.WholeNumber(new Option<int?>("--max-jobs") { Description = "Refuse a plan of more jobs than this (default 1000000)" });
    private static readonly Option<string?> Output = new("--output", "-o") { Description = "Folder for experiment_summary.md and design.log (default: the spec's folder)" };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the design as JSON (the two files are still written)" };

    public static Command Create(CliContext context)
    {
        var command = new Command("design", "Design a study before running it: verify its resources, estimate its cost from history, write experiment_summary.md and design.log");
        foreach (var o in new Option[] { Set, Seeds, Filter, Only, Skip, Parallel, Gpus, Executor, Results, MaxVariants, MaxJobs, Output, Json }) command.Add(o);
        command.Add(Spec);
        command.SetAction((parse, ct) => ExecuteAsync(context, parse, ct));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, ParseResult parse, CancellationToken ct)
    {
        var request = new DesignRequest(parse.GetValue(Spec)!)
        {
            Sets = parse.GetValue(Set) ?? [], Seeds = parse.GetValue(Seeds), Filters = parse.GetValue(Filter) ?? [],
            Only = parse.GetValue(Only) ?? [], Skip = parse.GetValue(Skip) ?? [], Parallel = parse.GetValue(Parallel),
            Gpus = parse.GetValue(Gpus), Executor = parse.GetValue(Executor), Results = parse.GetValue(Results),
            MaxVariants = parse.GetValue(MaxVariants), MaxJobs = parse.GetValue(MaxJobs), OutputDirectory = parse.GetValue(Output),
        };
        var services = (context.Design ?? DesignServices.This()) with { Time = context.Time };
        var result = await Designer.DesignAsync(request, context.Executors, services, ct).ConfigureAwait(false);
        if (result.SpecErrors.Count > 0)
        {
            ErrorRenderer.Write(context.Error, result.SpecErrors, result.Warnings);
            return ExitCodes.InvalidInput;
        }
        if (!result.IsSuccess)
        {
            ErrorRenderer.Write(context.Error, [], result.Warnings);
            ErrorRenderer.Write(context.Error, result.Problems);
            return ExitCodes.InvalidInput;
        }
        ErrorRenderer.Write(context.Error, [], result.Warnings);
        var design = result.Design!;
        string summary, log;
        try
        {
            (summary, log) = DesignFiles.Write(result.OutputDirectory, SummaryMarkdown.Render(design), design.Log);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"error: cannot write {DesignFiles.SummaryFileName} and {DesignLog.FileName} in {VisibleText.Escape(result.OutputDirectory)}: {VisibleText.Escape(e.Message)}; nothing was written (the folder is as it was).");
            return ExitCodes.PartialFailure;
        }
        if (parse.GetValue(Json))
        {
            DesignJson.Write(context.Out, design);
            context.Error.WriteLine($"{DesignFiles.SummaryFileName} and {DesignLog.FileName} written to {VisibleText.Escape(result.OutputDirectory)}");
        }
        else
        {
            DesignRenderer.Write(context.Out, design, request.SpecPath, summary, log);
        }
        return design.Problems.Count > 0 ? ExitCodes.PartialFailure : ExitCodes.Success;
    }
}
