using System.CommandLine;
using System.Globalization;
using Expt.Internal;
using Expt.Recording;
using Expt.Slurm;
using Expt.Slurm.Client;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt cancel RUN</c>: stops what is left of a run. A SLURM run's remaining jobs are scancelled and marked
/// <c>cancelled</c>; a local run's runner (on this machine) gets SIGTERM, which stops its jobs and records them.
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
        if (RunReference.ExecutorOf(dir) != ExecutorChoice.Slurm) return CancelLocal(context, dir);
        var result = await SlurmCanceller.CancelAsync(dir, new SlurmCli(), context.Time, cancellationToken).ConfigureAwait(false);
        if (result.Problem is not null)
        {
            context.Error.WriteLine($"error: {result.Problem}");
            return ExitCodes.PartialFailure;
        }
        if (result.SlurmIds.Count == 0)
        {
            context.Out.WriteLine("Nothing to cancel: no job of the run waits or runs in SLURM.");
            return ExitCodes.Success;
        }
        context.Out.WriteLine(result.Deferred
            ? $"Cancelled SLURM job(s) {string.Join(' ', result.SlurmIds)}; the process following the run records them as cancelled."
            : $"Cancelled {result.Cancelled.ToString(CultureInfo.InvariantCulture)} job(s) (scancel {string.Join(' ', result.SlurmIds)}).");
        return ExitCodes.Success;
    }

    /// <summary>A local run ends with its runner: ask the runner (named in the run lock) to stop, as Ctrl-C would.</summary>
    private static int CancelLocal(CliContext context, string dir)
    {
        if (!RunLock.IsHeld(dir))
        {
            context.Out.WriteLine("Nothing to cancel: no runner is working on this run.");
            return ExitCodes.Success;
        }
        // The lock's holder is written beside it: "pid N on HOST since …".
        var info = RunLock.PathFor(dir) + ".info";
        var holder = File.Exists(info) ? File.ReadAllText(info).Trim() : "";
        var words = holder.Split(' ');
        if (words.Length < 4 || words[0] != "pid" || words[3] != Environment.MachineName || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            context.Error.WriteLine($"error: the run's runner is not on this machine ({holder}); stop it there");
            return ExitCodes.PartialFailure;
        }
        if (!Native.Kill(pid, Native.SIGTERM))
        {
            context.Error.WriteLine($"error: could not signal the runner (pid {pid.ToString(CultureInfo.InvariantCulture)})");
            return ExitCodes.PartialFailure;
        }
        context.Out.WriteLine($"Asked the runner (pid {pid.ToString(CultureInfo.InvariantCulture)}) to stop; it cancels its jobs and records them.");
        return ExitCodes.Success;
    }
}
