using System.CommandLine;
using System.Runtime.InteropServices;
using Expt.Cli.Rendering;
using Expt.Execution;
using Expt.Execution.Backends;
using Expt.Recording;

namespace Expt.Cli.Commands;

/// <summary><c>expt watch RUN</c>: re-attaches to a run its backend can follow (SLURM) and follows it with the live table until it ends.</summary>
internal static class WatchCommand
{
    private static readonly Argument<string> Run = RunReference.OptionalArgument();
    private static readonly Option<string?> Results = RunReference.ResultsOption();

    public static Command Create(CliContext context)
    {
        var command = new Command("watch", "Follow a SLURM run (after --detach or Ctrl-C) until every job ended; retries happen here");
        command.Add(Run);
        command.Add(Results);
        command.SetAction((parse, ct) => ExecuteAsync(context, parse));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, ParseResult parse)
    {
        var dir = RunReference.Locate(context, parse.GetValue(Run)!, parse.GetValue(Results));
        if (dir is null) return ExitCodes.InvalidInput;
        var backend = context.Executors.ForRun(dir, out var unknown);
        if ((unknown ?? backend!.CannotFollow) is { } cannot)
        {
            context.Error.WriteLine($"error: {cannot}");
            return ExitCodes.InvalidInput;
        }
        var total = ManifestStore.Read(dir)?.Jobs.Count(j => !JobSelection.IsUnselected(dir, j)) ?? 0;
        var observer = new ConsoleRunObserver(context, total, $"Following {SummaryRenderer.Display(Environment.CurrentDirectory, dir)} {backend!.FollowedWhere}: {total} job(s)");
        using var stop = new RunStop();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Request("SIGINT"); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Request("SIGTERM"); });
        var result = await observer.WatchAsync(backend.FollowAsync(dir, observer, context.Time, ExecutionOptions.ForThisMachine().RetryBackoff, stop.Token)).ConfigureAwait(false);
        if (result.Problem is not null)
        {
            context.Error.WriteLine($"error: {result.Problem}");
            return ExitCodes.InvalidInput;
        }
        var counts = JobStates.All.Select(s => (s, result.Statuses.Count(x => x.State == s))).Where(x => x.Item2 > 0).Select(x => $"{x.Item2} {x.s.Name()}");
        context.Out.WriteLine();
        context.Out.WriteLine($"{(result.Finished ? "Summary" : $"Stopped following ({stop.Reason}); the jobs go on in SLURM")}: {string.Join(", ", counts)}");
        if (!result.Finished) return stop.Reason == "SIGTERM" ? ExitCodes.Terminated : ExitCodes.Interrupted;
        return result.Statuses.All(s => s.State == JobState.Succeeded) ? ExitCodes.Success : ExitCodes.PartialFailure;
    }
}
