using System.CommandLine;
using Expt.Recording;
using Expt.Results;

namespace Expt.Cli.Commands;

/// <summary>The RUN argument of the commands that take one: a run directory, a run id (with the experiment when ambiguous) or <c>latest</c>.</summary>
internal static class RunReference
{
    public static Argument<string> Argument() => RejectingOptions(new Argument<string>("run") { Description = "The run: its directory, its id ({timestamp}_{git7}, or EXPERIMENT/ID), or 'latest'" });

    /// <summary>A RUN argument that may be left out: the newest run is meant.</summary>
    public static Argument<string> OptionalArgument() => RejectingOptions(new Argument<string>("run")
    {
        Description = "The run: its directory, its id ({timestamp}_{git7}, or EXPERIMENT/ID), or 'latest' (the default)",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => "latest",
    });

    /// <summary>
    /// Makes a positional argument refuse values that start with '-': the parser hands a mistyped option (<c>--jsn</c>)
    /// to a free positional argument, where it would be taken for a run, an experiment or a spec. No run id,
    /// experiment name or spec starts with '-' (a path that does can be written <c>./-name</c>); '-' alone is allowed.
    /// </summary>
    public static T RejectingOptions<T>(T argument)
        where T : System.CommandLine.Argument
    {
        ArgumentNullException.ThrowIfNull(argument);
        argument.Validators.Add(result =>
        {
            var option = result.Tokens.FirstOrDefault(t => t.Value.Length > 1 && t.Value[0] == '-');
            // The parser's own wording for a token it cannot place, so every unknown option reads the same.
            if (option is not null) result.AddError($"Unrecognized command or argument '{option.Value}'.");
        });
        return argument;
    }

    public static Option<string?> ResultsOption() => new("--results") { Description = "Results root (default: $EXPT_RESULTS, else results/ at the top of the current git repository, else ./results)" };

    /// <summary>The run directory, or null after printing why.</summary>
    public static string? Locate(CliContext context, string reference, string? results)
    {
        var root = ResultsRoot.Resolve(results);
        var dir = ResultsRoot.Locate(root, reference, null, out var problem);
        if (dir is not null) return dir;
        // Archived runs are finished for good: say so rather than "no run".
        if (RunReader.Locate(root, reference, null, out _) is { } found && found.EndsWith(ArchivePointer.Suffix, StringComparison.Ordinal)
            && ArchivePointer.TryRead(found) is { } pointer)
        {
            problem = $"run {pointer.Experiment}/{pointer.RunId} is archived (to {pointer.ArchivedTo}); nothing of it runs any more. expt show {pointer.Experiment}/{pointer.RunId} shows its jobs";
        }
        context.Error.WriteLine($"error: {problem}");
        return null;
    }
}
