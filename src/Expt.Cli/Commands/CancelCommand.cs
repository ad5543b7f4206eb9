using System.CommandLine;
using System.Globalization;
using Expt.Internal;
using Expt.Recording;
using Expt.Slurm;
using Expt.Slurm.Client;
using Expt.Slurm.Recording;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt cancel RUN</c>: stops what is left of a run. A SLURM run's remaining jobs are scancelled and marked
/// <c>cancelled</c>; a local run's runner (on this machine) gets SIGTERM, which stops its jobs and records them, and
/// the jobs that never started are then recorded cancelled.
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
        if (RunReference.ExecutorOf(dir) != ExecutorChoice.Slurm) return await CancelLocalAsync(context, dir, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// A local run ends with its runner: ask the runner (named in the run lock) to stop, as Ctrl-C would, wait for it to
    /// record its jobs, then record the jobs that never started as cancelled.
    /// </summary>
    private static async Task<int> CancelLocalAsync(CliContext context, string dir, CancellationToken cancellationToken)
    {
        var signalled = RunLock.IsHeld(dir);
        if (signalled)
        {
            // The lock's holder is written beside it: "pid N on HOST since …".
            var info = RunLock.PathFor(dir) + ".info";
            var holder = File.Exists(info) ? File.ReadAllText(info).Trim() : "";
            var words = holder.Split(' ');
            if (words.Length < 4 || words[0] != "pid" || words[3] != Environment.MachineName || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                context.Error.WriteLine($"error: the run's runner is not on this machine ({holder}); stop it there");
                return ExitCodes.PartialFailure;
            }
            if (CancelMarker.Write(dir, $"expt cancel by {Environment.UserName}@{Environment.MachineName}") is { } linked)
            {
                context.Error.WriteLine($"error: {linked}");
                return ExitCodes.PartialFailure;
            }
            if (!Native.Kill(pid, Native.SIGTERM))
            {
                context.Error.WriteLine($"error: could not signal the runner (pid {pid.ToString(CultureInfo.InvariantCulture)})");
                return ExitCodes.PartialFailure;
            }
            context.Out.WriteLine($"Asked the runner (pid {pid.ToString(CultureInfo.InvariantCulture)}) to stop; it cancels its running jobs and records them.");
            var deadline = context.Time.GetUtcNow() + RunnerStopTimeout;
            while (RunLock.IsHeld(dir))
            {
                if (context.Time.GetUtcNow() > deadline)
                {
                    context.Out.WriteLine($"The runner is still stopping after {RunnerStopTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s; jobs that never started stay pending (run expt cancel again once it has ended).");
                    return ExitCodes.Success;
                }
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        var cancelled = UnstartedJobs.Cancel(dir, context.Time, out var problem);
        if (cancelled is null)
        {
            context.Error.WriteLine($"error: {problem}");
            return ExitCodes.PartialFailure;
        }
        var unfinished = SlurmRefresher.ReadOnly(dir, null).Statuses.Count(s => s.State == JobState.Running);
        if (signalled) context.Out.WriteLine("The runner has stopped: its running jobs and those that had not started are recorded cancelled.");
        if (cancelled > 0) context.Out.WriteLine($"Cancelled {cancelled.Value.ToString(CultureInfo.InvariantCulture)} job(s) that had not started.");
        else if (!signalled) context.Out.WriteLine("Nothing to cancel: no runner is working on this run and no job waits to start.");
        if (unfinished > 0)
        {
            context.Out.WriteLine($"{unfinished.ToString(CultureInfo.InvariantCulture)} job(s) are recorded as running but no runner works on the run (it was killed?): expt run --resume adopts or reruns them.");
        }
        return ExitCodes.Success;
    }

    /// <summary>How long cancel waits for a runner to stop: its kill grace and the time to record every job.</summary>
    private static readonly TimeSpan RunnerStopTimeout = TimeSpan.FromSeconds(60);
}
