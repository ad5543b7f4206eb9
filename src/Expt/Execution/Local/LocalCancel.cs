using System.Globalization;
using Expt.Execution.Backends;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Execution.Local;

/// <summary>
/// <c>expt cancel</c> for a local run: a local run ends with its runner, so the runner (named in the run lock) is
/// asked to stop, as Ctrl-C would, and waited for while it records its jobs; then the jobs that never started are
/// recorded cancelled.
/// </summary>
internal static class LocalCancel
{
    /// <summary>How long cancel waits for a runner to stop: its kill grace and the time to record every job.</summary>
    private static readonly TimeSpan RunnerStopTimeout = TimeSpan.FromSeconds(60);

    public static async Task<string?> CancelAsync(string dir, TimeProvider time, Action<string> report, CancellationToken cancellationToken)
    {
        var signalled = RunLock.IsHeld(dir);
        if (signalled)
        {
            var problem = SignalRunner(dir, report);
            if (problem is not null) return problem;
            var deadline = time.GetUtcNow() + RunnerStopTimeout;
            while (RunLock.IsHeld(dir))
            {
                if (time.GetUtcNow() > deadline)
                {
                    report($"The runner is still stopping after {RunnerStopTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s; jobs that never started stay pending (run expt cancel again once it has ended).");
                    return null;
                }
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        var cancelled = UnstartedJobs.Cancel(dir, time, out var openProblem);
        if (cancelled is null) return openProblem;
        var unfinished = RunStates.Read(dir, null).Statuses.Count(s => s.State == JobState.Running);
        if (signalled) report("The runner has stopped: its running jobs and those that had not started are recorded cancelled.");
        if (cancelled > 0) report($"Cancelled {cancelled.Value.ToString(CultureInfo.InvariantCulture)} job(s) that had not started.");
        else if (!signalled) report("Nothing to cancel: no runner is working on this run and no job waits to start.");
        if (unfinished > 0)
        {
            report($"{unfinished.ToString(CultureInfo.InvariantCulture)} job(s) are recorded as running but no runner works on the run (it was killed?): expt run --resume adopts or reruns them.");
        }
        return null;
    }

    /// <summary>Marks the run cancelled and sends its runner SIGTERM; why it could not, or null.</summary>
    private static string? SignalRunner(string dir, Action<string> report)
    {
        // The lock's holder is written beside it: "pid N on HOST since …".
        var info = RunLock.PathFor(dir) + ".info";
        var holder = File.Exists(info) ? File.ReadAllText(info).Trim() : "";
        var words = holder.Split(' ');
        if (words.Length < 4 || words[0] != "pid" || words[3] != Environment.MachineName || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return $"the run's runner is not on this machine ({holder}); stop it there";
        }
        if (CancelMarker.Write(dir, $"expt cancel by {Environment.UserName}@{Environment.MachineName}") is { } linked) return linked;
        if (!Native.Kill(pid, Native.SIGTERM)) return $"could not signal the runner (pid {pid.ToString(CultureInfo.InvariantCulture)})";
        report($"Asked the runner (pid {pid.ToString(CultureInfo.InvariantCulture)}) to stop; it cancels its running jobs and records them.");
        return null;
    }
}
