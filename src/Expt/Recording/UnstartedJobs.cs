
namespace Expt.Recording;

/// <summary>
/// The last step of <c>expt cancel</c> for a run no runner works on any more: jobs that never started (pending, or
/// queued for a retry) are recorded <c>cancelled</c>, so the run reads as ended rather than as waiting. Used for
/// local runs once their runner has stopped; a later <c>--resume</c> still reruns them.
/// </summary>
internal static class UnstartedJobs
{
    /// <summary>How many jobs were marked cancelled; null with <paramref name="problem"/> when the run could not be opened.</summary>
    public static int? Cancel(string runDirectory, TimeProvider time, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(time);
        using var run = RunStore.TryOpen(runDirectory, time, out problem);
        if (run is null) return null;
        var now = time.GetUtcNow();
        var cancelled = 0;
        foreach (var job in run.Jobs)
        {
            // A job no runner selected is not waiting to start: there is nothing of it to cancel.
            if (job.Retired == true || JobSelection.IsUnselected(runDirectory, job)) continue;
            var status = run.Status(job);
            if (!CancelledBeforeStart.Applies(status)) continue;
            run.Record(job, CancelledBeforeStart.Cancel(status, now));
            CancelledBeforeStart.LogJob(run.Log, job.Id, status.State);
            cancelled++;
        }
        CancelledBeforeStart.LogRun(run.Log, cancelled);
        return cancelled;
    }
}
