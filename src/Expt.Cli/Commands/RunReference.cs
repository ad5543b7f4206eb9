using System.CommandLine;
using Expt.Recording;

namespace Expt.Cli.Commands;

/// <summary>The RUN argument of status/watch/cancel: a run directory, a run id (with the experiment when ambiguous) or <c>latest</c>.</summary>
internal static class RunReference
{
    public static Argument<string> Argument() => new("run") { Description = "The run: its directory, its id ({timestamp}_{git7}, or EXPERIMENT/ID), or 'latest'" };

    /// <summary>A RUN argument that may be left out: the newest run is meant.</summary>
    public static Argument<string> OptionalArgument() => new("run")
    {
        Description = "The run: its directory, its id ({timestamp}_{git7}, or EXPERIMENT/ID), or 'latest' (the default)",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => "latest",
    };

    public static Option<string?> ResultsOption() => new("--results") { Description = "Results root (default: $EXPT_RESULTS or ./results)" };

    /// <summary>The run directory, or null after printing why.</summary>
    public static string? Locate(CliContext context, string reference, string? results)
    {
        var dir = ResultsRoot.Locate(ResultsRoot.Resolve(results), reference, null, out var problem);
        if (dir is null) context.Error.WriteLine($"error: {problem}");
        return dir;
    }

    /// <summary>Which executor a run was started with, from its manifest.</summary>
    public static string ExecutorOf(string runDir)
    {
        try
        {
            return ManifestStore.Read(runDir)?.Executor ?? ExecutorChoice.Local;
        }
        catch (System.Text.Json.JsonException)
        {
            return ExecutorChoice.Local;
        }
    }
}
