using System.Globalization;
using Expt.Recording;

namespace Expt.Execution;

/// <summary>
/// Every change of a job's status, as pure functions from the current <see cref="JobStatus"/> and what happened to the
/// next one: no files, no clock, no process. Executors and <c>expt cancel</c> decide what happened and record the result;
/// the shape of a started, ended, retried, lost, adopted, blocked or cancelled job is written here once.
/// </summary>
public static class JobTransitions
{
    /// <summary>An attempt started: the job runs it, and whatever an earlier attempt left in the job's fields is cleared.</summary>
    /// <param name="status">The job's status before.</param>
    /// <param name="earlier">Its earlier attempts (their logs possibly renamed since).</param>
    /// <param name="attempt">The attempt that started, with its start time.</param>
    /// <param name="identity">The job's identity as planned now.</param>
    public static JobStatus Started(JobStatus status, IReadOnlyList<AttemptRecord> earlier, AttemptRecord attempt, string? identity)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(attempt);
        return status with
        {
            State = JobState.Running,
            Reason = null,
            StartedAt = attempt.StartedAt,
            EndedAt = null,
            ExitCode = null,
            DurationSeconds = null,
            OutputBytes = null,
            Identity = identity,
            Attempts = [.. earlier, attempt with { State = JobState.Running }],
        };
    }

    /// <summary>An attempt could not be started at all: the job failed, with the attempt recorded as failed too.</summary>
    public static JobStatus StartFailed(JobStatus status, IReadOnlyList<AttemptRecord> earlier, int attempt, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(earlier);
        var reason = $"could not start: {message}";
        return status with
        {
            State = JobState.Failed,
            Reason = reason,
            EndedAt = now,
            Attempts = [.. earlier, new AttemptRecord { Attempt = attempt, State = JobState.Failed, Reason = reason, EndedAt = now }],
        };
    }

    /// <summary>How an attempt the runner watched ended, in state and words.</summary>
    /// <param name="exit">How its process ended.</param>
    /// <param name="timedOut">True when the runner killed it at its time limit.</param>
    /// <param name="cancelled">True when the runner killed it for a stop.</param>
    /// <param name="timeout">The time limit, for the words.</param>
    /// <param name="stopReason">What stopped the run (SIGINT, <c>expt cancel</c>), for the words.</param>
    public static (JobState State, string? Reason) Outcome(JobExit exit, bool timedOut, bool cancelled, TimeSpan? timeout, string? stopReason)
    {
        ArgumentNullException.ThrowIfNull(exit);
        if (timedOut) return (JobState.TimedOut, $"killed after the {Specs.Durations.Format(timeout ?? TimeSpan.Zero)} timeout");
        if (cancelled) return (JobState.Cancelled, $"cancelled by {stopReason ?? "a stop request"}");
        if (exit.Lost) return (JobState.Lost, "the process ended without recording an exit code");
        if (exit.ExitCode == 0) return (JobState.Succeeded, null);
        return (JobState.Failed, $"exit code {exit.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}");
    }

    /// <summary>The attempt, ended: its state, times, exit code and compute (GPU-seconds from the GPUs it held).</summary>
    /// <param name="attempt">The attempt as recorded while it ran.</param>
    /// <param name="exit">How its process ended.</param>
    /// <param name="outcome">Its state and reason (<see cref="Outcome"/>).</param>
    /// <param name="sampledPeakRssMb">The largest memory of its whole process tree the runner sampled.</param>
    /// <param name="gpus">How many GPUs it held.</param>
    public static AttemptRecord AttemptEnded(AttemptRecord attempt, JobExit exit, (JobState State, string? Reason) outcome, double? sampledPeakRssMb, int gpus)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(exit);
        // Sampling sees the whole tree at once but only at instants; the kernel sees every instant, one process at a time.
        var ended = attempt with
        {
            State = outcome.State,
            EndedAt = exit.EndedAt,
            ExitCode = exit.ExitCode,
            Reason = outcome.Reason,
            StartedAt = exit.StartedAt ?? attempt.StartedAt,
            CpuSeconds = exit.CpuSeconds,
            PeakRssMb = new[] { sampledPeakRssMb, exit.PeakRssMb }.Max(),
        };
        return ended with { GpuSeconds = ended.WallSeconds is { } wall ? Math.Round(wall * gpus, 3) : null };
    }

    /// <summary>Whether an attempt that ended in <paramref name="state"/> is retried (<c>retries:</c>, <c>retry_on:</c>).</summary>
    public static bool Retries(JobState state, int attempt, int retries, IReadOnlyCollection<string> retryOn)
    {
        ArgumentNullException.ThrowIfNull(retryOn);
        return state != JobState.Succeeded && attempt <= retries && retryOn.Contains(state.Name());
    }

    /// <summary>How long the next attempt waits after attempt <paramref name="attempt"/>: the backoff doubled per attempt, at most five minutes.</summary>
    public static TimeSpan RetryDelay(TimeSpan backoff, int attempt) =>
        TimeSpan.FromTicks(Math.Min(backoff.Ticks * (1L << Math.Clamp(attempt - 1, 0, 20)), TimeSpan.FromMinutes(5).Ticks));

    /// <summary>The last attempt ended and the job waits <paramref name="delay"/> for its next one (<c>queued</c>).</summary>
    /// <param name="status">The job's status before.</param>
    /// <param name="attempts">Every attempt, the ended one last.</param>
    /// <param name="retries">How many retries the stage allows.</param>
    /// <param name="delay">How long the next attempt waits.</param>
    public static JobStatus Retrying(JobStatus status, IReadOnlyList<AttemptRecord> attempts, int retries, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(attempts);
        var last = attempts[^1];
        return status with
        {
            State = JobState.Queued,
            Reason = $"attempt {last.Attempt} {last.State.Name()} ({last.Reason}); retry {last.Attempt + 1} of {retries + 1} in {Specs.Durations.Format(delay)}",
            Attempts = attempts,
            Accounting = JobAccounting.From(attempts),
            ExitCode = last.ExitCode,
            DurationSeconds = last.WallSeconds,
        };
    }

    /// <summary>The job ended as its last attempt did.</summary>
    /// <param name="status">The job's status before.</param>
    /// <param name="attempts">Every attempt, the ended one last.</param>
    /// <param name="collected">Files moved to the flat folder, when the stage collects.</param>
    public static JobStatus Ended(JobStatus status, IReadOnlyList<AttemptRecord> attempts, IReadOnlyList<string>? collected)
    {
        return AsLastAttempt(status, attempts) with { EndedAt = attempts[^1].EndedAt, Collected = collected };
    }

    /// <summary>The job ends without (another) attempt: <c>blocked</c> by a job it needs, or <c>cancelled</c> before it started.</summary>
    public static JobStatus EndedUnstarted(JobStatus status, JobState state, string reason, DateTimeOffset now) =>
        (status ?? throw new ArgumentNullException(nameof(status))) with { State = state, Reason = reason, EndedAt = now };

    /// <summary>
    /// The job's status with <paramref name="attempt"/> as its last attempt: appended when it is a new number, kept when
    /// the last attempt already has it (an earlier runner recorded it before it stopped).
    /// </summary>
    public static JobStatus WithAttempt(JobStatus status, AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(attempt);
        var last = status.Attempts.LastOrDefault();
        return last is not null && last.Attempt == attempt.Attempt ? status : status with { Attempts = [.. status.Attempts, attempt] };
    }

    /// <summary>An earlier runner's last attempt still runs and this runner waits for it.</summary>
    public static JobStatus Adopted(JobStatus status, int pid, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(status);
        var number = status.Attempts[^1].Attempt;
        return status with
        {
            State = JobState.Running,
            StartedAt = startedAt,
            Attempts = status.Attempts.Select(a => a.Attempt == number ? a with { Pid = pid } : a).ToList(),
        };
    }

    /// <summary>An earlier runner's last attempt ended while no runner watched it: the job ended as its exit says.</summary>
    public static JobStatus Recovered(JobStatus status, JobExit exit)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(exit);
        var state = exit.ExitCode == 0 ? JobState.Succeeded : JobState.Failed;
        var reason = state == JobState.Succeeded ? null : $"exit code {exit.ExitCode}";
        var attempts = status.Attempts.ToList();
        attempts[^1] = attempts[^1] with { State = state, EndedAt = exit.EndedAt, ExitCode = exit.ExitCode, StartedAt = exit.StartedAt ?? attempts[^1].StartedAt, Reason = reason };
        return status with { State = state, Reason = reason, EndedAt = exit.EndedAt, ExitCode = exit.ExitCode, Attempts = attempts, DurationSeconds = attempts[^1].WallSeconds };
    }

    /// <summary>The job's last attempt left no trace of an end and nothing runs it any more: <c>lost</c>, which a resume reruns.</summary>
    public static JobStatus Lost(JobStatus status, string reason)
    {
        ArgumentNullException.ThrowIfNull(status);
        var attempts = status.Attempts.ToList();
        attempts[^1] = attempts[^1] with { State = JobState.Lost, Reason = reason };
        return status with { State = JobState.Lost, Reason = reason, Attempts = attempts };
    }

    /// <summary>
    /// A scheduler requeued the attempt (node failure, preemption): it is over, <c>lost</c>, and the job continues as the
    /// next attempt. The caller adds what the attempt's own files say of its times and exit.
    /// </summary>
    public static AttemptRecord Requeued(AttemptRecord attempt, string scheduler)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var next = (attempt.Attempt + 1).ToString(CultureInfo.InvariantCulture);
        return attempt with { State = JobState.Lost, Reason = $"{scheduler} requeued the job (node failure or preemption); it continues as attempt {next}" };
    }

    /// <summary>The attempt after <paramref name="previous"/> of a job a scheduler requeued, <c>queued</c> or already <c>running</c>.</summary>
    public static AttemptRecord NextAttempt(AttemptRecord previous, JobState state)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return new AttemptRecord { Attempt = previous.Attempt + 1, State = state, Executor = previous.Executor, Stdout = "stdout.log", Stderr = "stderr.log" };
    }

    /// <summary>The job takes its last attempt's state, as a scheduler reported it; <paramref name="endedAt"/> is when the job ended, if it did.</summary>
    public static JobStatus Observed(JobStatus status, IReadOnlyList<AttemptRecord> attempts, DateTimeOffset? endedAt)
    {
        return AsLastAttempt(status, attempts) with { StartedAt = attempts[^1].StartedAt, EndedAt = endedAt };
    }

    /// <summary>The job's state, reason, exit code and duration as its last attempt's, with every attempt and their accounting.</summary>
    private static JobStatus AsLastAttempt(JobStatus status, IReadOnlyList<AttemptRecord> attempts)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(attempts);
        var last = attempts[^1];
        return status with
        {
            State = last.State,
            Reason = last.Reason,
            ExitCode = last.ExitCode,
            DurationSeconds = last.WallSeconds,
            Attempts = attempts,
            Accounting = JobAccounting.From(attempts),
        };
    }
}
