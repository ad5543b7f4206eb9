using Expt.Execution;
using Expt.Recording;
using Expt.Slurm.Client;
using Expt.Slurm.Tracking;

namespace Expt.Slurm;

/// <summary>How a watch ended.</summary>
/// <param name="Finished">True when no job waits or runs any more.</param>
/// <param name="Statuses">Every job's status, in plan order.</param>
/// <param name="Problem">Why the run could not be watched, when so.</param>
public sealed record SlurmWatchResult(bool Finished, IReadOnlyList<JobStatus> Statuses, string? Problem);

/// <summary>
/// <c>expt watch</c>: re-attaches to a SLURM run (after <c>--detach</c>, a closed terminal or Ctrl-C) and follows
/// it like <c>expt run</c> would have, retries included, until no job waits or runs any more.
/// </summary>
public static class SlurmWatcher
{
    /// <summary>Follows the run in <paramref name="runDirectory"/> until it ends or <paramref name="stop"/> is signalled.</summary>
    public static async Task<SlurmWatchResult> WatchAsync(string runDirectory, ISlurmClient client, IRunObserver observer, TimeProvider time, TimeSpan retryBackoff, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(time);
        var info = SlurmRunInfo.Read(runDirectory);
        if (info is null) return new SlurmWatchResult(false, [], $"{runDirectory} was not submitted to SLURM (no .expt/slurm/executor.json)");
        using var run = RunStore.TryOpen(runDirectory, time, out var problem);
        if (run is null) return new SlurmWatchResult(false, [], problem);
        run.Log.Write("RUN_WATCH", $"following run {run.RunId}");
        // Jobs no runner selected (--filter, --only, --skip) never ran and nothing waits for them: not followed, not counted.
        var jobs = run.Jobs.Where(j => !JobSelection.IsUnselected(runDirectory, j)).ToList();
        foreach (var job in jobs) observer.JobUpdated(run.Status(job));
        // Said at once: the first change may be a whole poll interval away.
        var done = jobs.Count(j => run.Status(j).State.IsFinished());
        observer.Message($"following run {run.RunId}: {done} of {jobs.Count} job(s) done; refreshing every {Specs.Durations.Format(info.PollInterval)}");
        var scope = jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        var finished = await new SlurmFollower(run, client, info, time, retryBackoff).FollowAsync(scope, observer, stop).ConfigureAwait(false);
        var statuses = jobs.Select(run.Status).ToList();
        if (finished) SlurmRefresher.CloseIfDone(run, statuses, time);
        else run.Log.Write("RUN_DETACHED", $"stopped following run {run.RunId}; its jobs go on in SLURM");
        return new SlurmWatchResult(finished, statuses, null);
    }
}
