namespace Expt.Recording;

/// <summary>Where a job is in its life (serialised in snake_case: <c>timed_out</c>).</summary>
public enum JobState
{
    /// <summary>Planned, not started.</summary>
    Pending,
    /// <summary>Handed to an executor, waiting for a slot or a scheduler.</summary>
    Queued,
    /// <summary>Its process is running.</summary>
    Running,
    /// <summary>Exited 0.</summary>
    Succeeded,
    /// <summary>Exited non-zero or could not start.</summary>
    Failed,
    /// <summary>Killed at its time limit.</summary>
    TimedOut,
    /// <summary>Stopped by the user (Ctrl-C, SIGTERM, <c>expt cancel</c>).</summary>
    Cancelled,
    /// <summary>Not run because a job it needs did not succeed.</summary>
    Blocked,
    /// <summary>Its runner or node died without recording an end; resume reruns it.</summary>
    Lost,
}

/// <summary>Facts about job states.</summary>
public static class JobStates
{
    /// <summary>States in which nothing more will happen to the job in this run.</summary>
    public static bool IsFinished(this JobState s) =>
        s is JobState.Succeeded or JobState.Failed or JobState.TimedOut or JobState.Cancelled or JobState.Blocked or JobState.Lost;

    /// <summary>The snake_case name used in files and output.</summary>
    public static string Name(this JobState s) => s switch
    {
        JobState.TimedOut => "timed_out",
        _ => s.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses a snake_case state name.</summary>
    public static JobState? Parse(string? text) => text switch
    {
        "pending" => JobState.Pending,
        "queued" => JobState.Queued,
        "running" => JobState.Running,
        "succeeded" => JobState.Succeeded,
        "failed" => JobState.Failed,
        "timed_out" => JobState.TimedOut,
        "cancelled" => JobState.Cancelled,
        "blocked" => JobState.Blocked,
        "lost" => JobState.Lost,
        _ => null,
    };

    /// <summary>Every state, in display order.</summary>
    public static readonly IReadOnlyList<JobState> All =
        [JobState.Succeeded, JobState.Failed, JobState.TimedOut, JobState.Cancelled, JobState.Blocked, JobState.Lost, JobState.Running, JobState.Queued, JobState.Pending];
}
