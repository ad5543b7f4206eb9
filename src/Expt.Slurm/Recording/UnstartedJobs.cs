using Expt.Recording;

namespace Expt.Slurm.Recording;

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
        using var run = RunDirectoryRecorder.TryOpen(runDirectory, time, out problem);
        if (run is null) return null;
        var now = time.GetUtcNow();
        var cancelled = 0;
        foreach (var job in run.Jobs)
        {
            if (job.Retired == true) continue;
            var status = run.Status(job);
            if (status.State is not (JobState.Pending or JobState.Queued)) continue;
            run.Record(job, status with { State = JobState.Cancelled, Reason = "cancelled by expt cancel before it started", EndedAt = now });
            run.Log.Write("STATE_CHANGE", $"{job.Id} {status.State.Name()} -> cancelled", result: "cancelled by expt cancel before it started");
            cancelled++;
        }
        if (cancelled > 0) run.Log.Write("RUN_CANCEL", $"{cancelled} job(s) that had not started cancelled");
        return cancelled;
    }
}
