using System.CommandLine;
using Expt.Execution.Backends;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt cancel RUN</c>: stops what is left of a run, as its executor backend does it: a SLURM run's remaining jobs
/// are scancelled and marked <c>cancelled</c>; a local run's runner (on this machine) gets SIGTERM, which stops its
/// jobs and records them, and the jobs that never started are then recorded cancelled.
/// </summary>
internal static class CancelCommand
{
    private static readonly Argument<string> Run = RunReference.Argument();
    private static readonly Option<string?> Results = RunReference.ResultsOption();

    public static Command Create(CliContext context)
    {
        var command = new Command("cancel", "Cancel every job of a run that has not ended (scancel for SLURM runs)");
        command.Add(Run);
        command.Add(Results);
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
        var problem = await backend.CancelAsync(dir, context.Time, context.Out.WriteLine, cancellationToken).ConfigureAwait(false);
        if (problem is null) return ExitCodes.Success;
        context.Error.WriteLine($"error: {problem}");
        return ExitCodes.PartialFailure;
    }
}
