using Expt.Execution;
using System.Globalization;
using Expt.Recording;
using Expt.Slurm.Client;
using Expt.Slurm.Submission;
using Expt.Specs;

namespace Expt.Slurm.Tracking;

/// <summary>
/// Follows submitted jobs until none waits or runs any more: one refresh (one squeue call) per poll interval,
/// then retries. A job that ended in a state its stage retries (<c>retry_on</c>) with attempts left is
/// resubmitted with a growing <c>--begin</c> delay, together with the jobs that wait for it (SLURM cancelled
/// or will cancel them, since their upstream failed), which are re-linked to the new attempt.
/// </summary>
internal sealed class SlurmFollower(RunStore run, ISlurmClient client, SlurmRunInfo info, TimeProvider time, TimeSpan retryBackoff)
{
    private readonly SlurmTracker _tracker = new(run, client, time);

    /// <summary>Follows the jobs in <paramref name="scope"/>; true when they all ended, false when stopped first.</summary>
    public async Task<bool> FollowAsync(IReadOnlySet<string> scope, IRunObserver observer, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(observer);
        string? lastError = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var outcome = await _tracker.RefreshAsync(scope, stop).ConfigureAwait(false);
                if (outcome.QueueError is not null && outcome.QueueError != lastError) observer.Message($"squeue failed; retrying: {outcome.QueueError}");
                lastError = outcome.QueueError;
                foreach (var change in outcome.Changes) observer.JobUpdated(change.After);
                foreach (var change in await RetryAsync(scope, observer, stop).ConfigureAwait(false)) observer.JobUpdated(change.After);
                if (scope.All(id => run.Find(id) is not { } j || run.Status(j).State is not (JobState.Queued or JobState.Running))) return true;
                await Task.Delay(info.PollInterval, time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>Resubmits jobs that may be retried, with the jobs waiting for them.</summary>
    public async Task<IReadOnlyList<StatusChange>> RetryAsync(IReadOnlySet<string> scope, IRunObserver observer, CancellationToken cancellationToken)
    {
        var retry = new List<(ManifestJob Job, JobStatus Status)>();
        foreach (var id in scope)
        {
            var job = run.Find(id);
            if (job is null) continue;
            var status = run.Status(job);
            var last = status.Attempts.LastOrDefault();
            var stage = info.Stages.GetValueOrDefault(job.Stage);
            if (stage is null || last is null || last.StartedAt is null || SlurmIds.Of(last) is null) continue;
            if (!status.State.IsFinished() || status.State is JobState.Succeeded or JobState.Blocked) continue;
            if (last.Attempt > stage.Retries || !stage.RetryOn.Contains(status.State.Name(), StringComparer.Ordinal)) continue;
            retry.Add((job, status));
        }
        if (retry.Count == 0) return [];

        var requests = new List<SubmitRequest>();
        foreach (var (job, status) in retry)
        {
            var attempt = status.Attempts[^1].Attempt;
            var delay = (int)Math.Ceiling(Math.Min(retryBackoff.TotalSeconds * Math.Pow(2, attempt - 1), 300));
            requests.Add(new SubmitRequest(job.Id, Retry: true, BeginDelay: delay > 0 ? delay : null));
            var stage = info.Stages[job.Stage];
            var message = $"{job.Id} attempt {attempt.ToString(CultureInfo.InvariantCulture)} {status.State.Name()}; resubmitting as attempt {(attempt + 1).ToString(CultureInfo.InvariantCulture)} of {(stage.Retries + 1).ToString(CultureInfo.InvariantCulture)} in {Durations.Format(TimeSpan.FromSeconds(delay))}";
            run.Log.Write("JOB_RETRY", message, result: status.Reason);
            observer.Message("retry " + message);
        }
        // Jobs that wait for a retried job were (or are about to be) cancelled by SLURM: they follow it again.
        var relink = Dependants(retry.Select(r => r.Job.Id), scope);
        var stale = new List<string>();
        foreach (var job in relink)
        {
            var status = run.Status(job);
            var last = status.Attempts.LastOrDefault();
            if (status.State == JobState.Queued && last?.StartedAt is null && SlurmIds.Of(last) is { } ids) stale.Add(ids.TaskId);
            requests.Add(new SubmitRequest(job.Id));
        }
        if (stale.Count > 0) await client.CancelAsync(stale, cancellationToken).ConfigureAwait(false);
        return await new SlurmSubmitter(run, client, info, time).SubmitAsync(requests, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Jobs downstream of <paramref name="roots"/> that never started: blocked, or still waiting.</summary>
    private List<ManifestJob> Dependants(IEnumerable<string> roots, IReadOnlySet<string> scope)
    {
        var affected = new HashSet<string>(roots, StringComparer.Ordinal);
        var result = new List<ManifestJob>();
        foreach (var job in run.Jobs)
        {
            if (!scope.Contains(job.Id) || affected.Contains(job.Id) || !(job.Needs ?? []).Any(affected.Contains)) continue;
            var status = run.Status(job);
            var notStarted = status.State == JobState.Blocked || (status.State == JobState.Queued && status.Attempts.LastOrDefault()?.StartedAt is null);
            if (!notStarted) continue;
            affected.Add(job.Id);
            result.Add(job);
        }
        return result;
    }
}
