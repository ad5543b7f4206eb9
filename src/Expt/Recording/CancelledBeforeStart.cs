using Expt.Execution;

namespace Expt.Recording;

/// <summary>
/// How <c>expt cancel</c> records a job that never started (pending, or queued for a retry), whether the runner does it
/// as it stops or <c>expt cancel</c> itself when no runner holds the run: one reason, one log line.
/// </summary>
public static class CancelledBeforeStart
{
    /// <summary>The reason recorded.</summary>
    public const string Reason = "cancelled by expt cancel before it started";

    /// <summary>Whether <paramref name="status"/> is of a job that has not started.</summary>
    public static bool Applies(JobStatus status) => status?.State is JobState.Pending or JobState.Queued;

    /// <summary>The job's status, cancelled now.</summary>
    public static JobStatus Cancel(JobStatus status, DateTimeOffset now) => JobTransitions.EndedUnstarted(status, JobState.Cancelled, Reason, now);

    /// <summary>The <c>STATE_CHANGE</c> line of one job.</summary>
    public static void LogJob(RunLog log, string jobId, JobState before) =>
        (log ?? throw new ArgumentNullException(nameof(log))).Write("STATE_CHANGE", $"{jobId} {before.Name()} -> cancelled", result: Reason);

    /// <summary>The <c>RUN_CANCEL</c> line, when any job was cancelled.</summary>
    public static void LogRun(RunLog log, int cancelled)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (cancelled > 0) log.Write("RUN_CANCEL", $"{cancelled} job(s) that had not started cancelled");
    }
}
