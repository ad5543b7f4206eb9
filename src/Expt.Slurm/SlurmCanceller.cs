using Expt.Recording;
using Expt.Slurm.Client;
using Expt.Slurm.Tracking;

namespace Expt.Slurm;

/// <summary>What <c>expt cancel</c> did.</summary>
/// <param name="Cancelled">Jobs marked <c>cancelled</c> now.</param>
/// <param name="SlurmIds">The ids given to scancel.</param>
/// <param name="Deferred">True when another process follows the run and records the cancellation itself.</param>
/// <param name="Problem">Why it failed, when so.</param>
public sealed record SlurmCancelResult(int Cancelled, IReadOnlyList<string> SlurmIds, bool Deferred, string? Problem);

/// <summary>
/// <c>expt cancel</c> for a SLURM run: one scancel for every array that still has a job waiting or running,
/// then each such job is recorded <c>cancelled</c> (a job that finished just before keeps its real outcome).
/// A cancel marker lets a follower in another process attribute what it sees to the cancel.
/// </summary>
public static class SlurmCanceller
{
    /// <summary>Cancels what is left of the run in <paramref name="runDirectory"/>.</summary>
    public static async Task<SlurmCancelResult> CancelAsync(string runDirectory, ISlurmClient client, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        var current = SlurmRefresher.ReadOnly(runDirectory, null);
        if (current.Statuses.Count == 0 && current.Problem is not null) return new SlurmCancelResult(0, [], false, current.Problem);
        var arrays = current.Statuses.Where(s => s.State is JobState.Queued or JobState.Running)
            .Select(s => SlurmIds.Of(s.Attempts.LastOrDefault())?.ArrayJobId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        // Refused before scancel, as a local cancel is: recording the cancel would write through the link.
        var linked = RunLinks.InRun(runDirectory) ?? RunLinks.InJobs(runDirectory, ManifestStore.Read(runDirectory)?.Jobs.Select(j => j.Dir) ?? []);
        if (linked is not null) return new SlurmCancelResult(0, [], false, linked);
        // Written first: a pending array task cancelled leaves no record in SLURM; the marker says who removed it.
        new CancelRequest(time.GetUtcNow(), $"{Environment.UserName}@{Environment.MachineName}").Write(runDirectory);
        var call = await client.CancelAsync(arrays, cancellationToken).ConfigureAwait(false);
        if (!call.Success) return new SlurmCancelResult(0, arrays, false, $"scancel failed: {call.Error}");

        using var run = RunStore.TryOpen(runDirectory, time, out _);
        if (run is null) return new SlurmCancelResult(0, arrays, true, null);
        // What really ended before the cancel keeps its outcome; what SLURM is still stopping is cancelled.
        var wasActive = current.Statuses.Where(s => s.State is JobState.Queued or JobState.Running).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        await new SlurmTracker(run, client, time).RefreshAsync(null, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var job in run.Jobs)
        {
            var status = run.Status(job);
            if (status.State is not (JobState.Queued or JobState.Running)) continue;
            var attempts = status.Attempts.ToList();
            if (attempts.Count > 0) attempts[^1] = attempts[^1] with { State = JobState.Cancelled, Reason = "cancelled by expt cancel", EndedAt = attempts[^1].StartedAt is null ? null : now };
            var next = status with { State = JobState.Cancelled, Reason = "cancelled by expt cancel", EndedAt = now, Attempts = attempts };
            run.Record(job, next);
            run.Log.Write("STATE_CHANGE", $"{job.Id} {status.State.Name()} -> cancelled", $"scancel {SlurmIds.Of(attempts.LastOrDefault())?.TaskId}", "cancelled by expt cancel");
        }
        var cancelled = run.Jobs.Count(j => wasActive.Contains(j.Id) && run.Status(j).State == JobState.Cancelled);
        run.Log.Write("RUN_CANCEL", $"{cancelled} job(s) cancelled", $"scancel {string.Join(' ', arrays)}");
        SlurmRefresher.CloseIfDone(run, run.Jobs.Select(run.Status).ToList(), time);
        return new SlurmCancelResult(cancelled, arrays, false, null);
    }
}
