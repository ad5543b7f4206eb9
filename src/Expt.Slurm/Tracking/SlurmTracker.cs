using System.Globalization;
using Expt.Execution;
using Expt.Recording;
using Expt.Slurm.Client;

namespace Expt.Slurm.Tracking;

/// <summary>A job whose status a refresh changed.</summary>
/// <param name="Job">The job.</param>
/// <param name="Before">Its status before.</param>
/// <param name="After">Its status now.</param>
internal sealed record StatusChange(ManifestJob Job, JobStatus Before, JobStatus After);

/// <summary>What one refresh did.</summary>
/// <param name="Changes">Jobs whose status changed.</param>
/// <param name="QueueError">Why the queue could not be read (then nothing was concluded).</param>
/// <param name="Active">Jobs still queued or running in SLURM.</param>
internal sealed record RefreshOutcome(IReadOnlyList<StatusChange> Changes, string? QueueError, int Active);

/// <summary>
/// Brings the recorded status of every job that waits or runs in SLURM up to date: ONE <c>squeue</c> call for
/// all of them, then each job's own start/end files. Writes every change (status.json, manifest) and a
/// <c>STATE_CHANGE</c> line in run.log. A job SLURM requeued becomes a new attempt; a job that left the queue
/// without recording an end is <c>lost</c>; a job SLURM killed for a failed upstream is <c>blocked</c>.
/// </summary>
internal sealed class SlurmTracker(RunStore run, ISlurmClient client, TimeProvider time)
{
    private string? _lastQueueError;

    /// <summary>Refreshes the jobs in <paramref name="scope"/> (all jobs of the run when null).</summary>
    public async Task<RefreshOutcome> RefreshAsync(IReadOnlySet<string>? scope, CancellationToken cancellationToken)
    {
        var active = run.Jobs.Where(j => scope is null || scope.Contains(j.Id))
            .Select(j => (Job: j, Status: run.Status(j)))
            .Where(x => x.Status.State is JobState.Queued or JobState.Running && SlurmIds.Of(x.Status.Attempts.LastOrDefault()) is not null)
            .ToList();
        if (active.Count == 0) return new RefreshOutcome([], null, 0);
        var arrays = active.Select(x => SlurmIds.Of(x.Status.Attempts[^1])!.ArrayJobId).Distinct(StringComparer.Ordinal).ToList();
        // Read the queue before the files: anything the queue reports as ended has written its files already.
        var snapshot = await client.QueueAsync(arrays, cancellationToken).ConfigureAwait(false);
        if (!snapshot.Answered)
        {
            if (_lastQueueError != snapshot.Error) run.Log.Write("SLURM_QUEUE_UNAVAILABLE", $"squeue failed; {active.Count} job(s) keep their last known state until it answers", result: snapshot.Error);
            _lastQueueError = snapshot.Error;
            return new RefreshOutcome([], snapshot.Error, active.Count);
        }
        _lastQueueError = null;
        var cancel = CancelRequest.Read(run.Directory);
        var now = time.GetUtcNow();
        var changes = new List<StatusChange>();
        var stale = new List<string>();
        foreach (var (job, status) in active)
        {
            var ids = SlurmIds.Of(status.Attempts[^1])!;
            var entry = snapshot.Entries.GetValueOrDefault(ids.TaskId);
            var covered = cancel is not null && cancel.Covers(SlurmIds.SubmittedAt(status.Attempts[^1]));
            var next = Update(run.JobDirectory(job), status, entry, covered, now);
            if (next.State == JobState.Blocked)
            {
                next = next with { Reason = BlockedReason(job) };
                // Without kill_invalid_depend SLURM would keep it pending forever.
                if (entry is not null && SlurmStates.IsWaiting(entry.State)) stale.Add(ids.TaskId);
            }
            if (Same(status, next)) continue;
            next = run.Record(job, next);
            changes.Add(new StatusChange(job, status, next));
            if (status.State != next.State || status.Attempt != next.Attempt) LogChange(job, status, next, ids, entry);
        }
        if (stale.Count > 0) await client.CancelAsync(stale, cancellationToken).ConfigureAwait(false);
        var stillActive = active.Count(x => run.Status(x.Job).State is JobState.Queued or JobState.Running);
        return new RefreshOutcome(changes, null, stillActive);
    }

    /// <summary>The new status of one job from the queue's entry and its files. Pure apart from reading the job's files.</summary>
    internal static JobStatus Update(string jobDir, JobStatus status, QueueEntry? entry, bool cancelRequested, DateTimeOffset now)
    {
        var attempts = status.Attempts.ToList();
        var current = attempts[^1];
        // SLURM requeued the job (node failure, preemption) and it started again as the next attempt.
        while (AttemptMarkers.HasStarted(jobDir, current.Attempt + 1))
        {
            attempts[^1] = Requeued(jobDir, current, now);
            current = JobTransitions.NextAttempt(current, JobState.Running);
            attempts.Add(current);
        }
        // SLURM requeued it and it waits to start again. Only the restart count proves it: a task seen PENDING by
        // squeue may well have started by the time its files are read. The attempt that ran is over (its wrapper
        // may even have recorded the SIGTERM it got as an exit); the next one waits.
        var restarted = entry is null || SlurmIds.Of(current) is not { } ids ? current.Attempt : ids.SubmittedAttempt + entry.RestartCount;
        while (current.Attempt < restarted)
        {
            attempts[^1] = Requeued(jobDir, current, now);
            current = JobTransitions.NextAttempt(current, JobState.Queued);
            attempts.Add(current);
        }
        var markers = AttemptMarkers.Read(jobDir, current.Attempt);
        var verdict = SlurmStates.Judge(entry, markers, cancelRequested);
        var finished = verdict.State.IsFinished();
        var executor = current.Executor is null ? null : new Dictionary<string, string>(current.Executor, StringComparer.Ordinal);
        var rawId = markers.SlurmJobId ?? (entry is not null && !SlurmStates.IsWaiting(entry.State) ? entry.RawJobId : null);
        if (executor is not null && rawId is not null) executor[SlurmIds.RawJobIdKey] = rawId;
        var startedAt = markers.StartedAt ?? current.StartedAt;
        var endedAt = finished ? markers.EndedAt ?? now : (DateTimeOffset?)null;
        current = current with
        {
            State = verdict.State,
            Reason = verdict.Reason,
            StartedAt = startedAt,
            EndedAt = startedAt is null ? null : endedAt,
            ExitCode = finished ? markers.ExitCode : null,
            CpuSeconds = finished ? markers.CpuSeconds : null,
            PeakRssMb = finished ? markers.PeakRssMb : null,
            Host = markers.Host ?? entry?.Node ?? current.Host,
            Executor = executor,
            Stdout = current.Stdout ?? "stdout.log",
            Stderr = current.Stderr ?? "stderr.log",
        };
        attempts[^1] = current;
        return JobTransitions.Observed(status, attempts, endedAt);
    }

    private static AttemptRecord Requeued(string jobDir, AttemptRecord attempt, DateTimeOffset now)
    {
        var markers = AttemptMarkers.Read(jobDir, attempt.Attempt);
        return JobTransitions.Requeued(attempt, "SLURM") with
        {
            StartedAt = markers.StartedAt ?? attempt.StartedAt,
            EndedAt = markers.EndedAt ?? now,
            ExitCode = markers.ExitCode,
            CpuSeconds = markers.CpuSeconds,
            PeakRssMb = markers.PeakRssMb,
            Host = markers.Host ?? attempt.Host,
            Stdout = File.Exists(Path.Combine(jobDir, $"stdout.{attempt.Attempt}.log")) ? $"stdout.{attempt.Attempt}.log" : attempt.Stdout,
            Stderr = File.Exists(Path.Combine(jobDir, $"stderr.{attempt.Attempt}.log")) ? $"stderr.{attempt.Attempt}.log" : attempt.Stderr,
        };
    }

    private string BlockedReason(ManifestJob job)
    {
        foreach (var need in job.Needs ?? [])
        {
            var upstream = run.Find(need);
            if (upstream is null) continue;
            var state = run.Status(upstream).State;
            if (state != JobState.Succeeded) return $"needs {need}, which {(state == JobState.Blocked ? "is blocked" : state.IsFinished() ? "ended " + state.Name() : "did not succeed")}";
        }
        return "SLURM cancelled it because a job it needs did not succeed (DependencyNeverSatisfied)";
    }

    private void LogChange(ManifestJob job, JobStatus before, JobStatus after, SlurmIds ids, QueueEntry? entry)
    {
        var slurm = entry is null ? $"SLURM {ids.TaskId} not in the queue" : $"SLURM {ids.TaskId} {entry.State} ({entry.Reason}){(entry.Node is null ? "" : " on " + entry.Node)}";
        var attempt = before.Attempt != after.Attempt ? $" (attempt {after.Attempt.ToString(CultureInfo.InvariantCulture)})" : "";
        var result = after.Reason ?? (after.ExitCode is { } code ? $"exit {code.ToString(CultureInfo.InvariantCulture)}" : null);
        run.Log.Write("STATE_CHANGE", $"{job.Id} {before.State.Name()} -> {after.State.Name()}{attempt}", slurm, result);
    }

    private static bool Same(JobStatus a, JobStatus b) =>
        a.State == b.State && a.Reason == b.Reason && a.StartedAt == b.StartedAt && a.Attempts.Count == b.Attempts.Count
        && a.Attempts.Count > 0 && SameAttempt(a.Attempts[^1], b.Attempts[^1]);

    private static bool SameAttempt(AttemptRecord a, AttemptRecord b) =>
        a.State == b.State && a.Reason == b.Reason && a.StartedAt == b.StartedAt && a.EndedAt == b.EndedAt && a.ExitCode == b.ExitCode && a.Host == b.Host
        && (a.Executor ?? []).Count == (b.Executor ?? []).Count && (a.Executor ?? []).All(kv => b.Executor!.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
