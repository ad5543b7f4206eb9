using Expt.Execution.Backends;
using Expt.Recording;
using Expt.Slurm.Client;
using Expt.Slurm.Tracking;

namespace Expt.Slurm;

/// <summary>The state of a run after a refresh.</summary>
/// <param name="Statuses">Every job's status, in plan order.</param>
/// <param name="Changed">How many jobs this refresh changed.</param>
/// <param name="ReadOnly">True when another process (a follower) holds the run: its files were read, not refreshed.</param>
/// <param name="Problem">Why nothing could be refreshed (not a run, queue unavailable), when so.</param>
/// <param name="Active">Jobs that still wait or run in SLURM.</param>
public sealed record SlurmRefreshResult(IReadOnlyList<JobStatus> Statuses, int Changed, bool ReadOnly, string? Problem, int Active)
{
    /// <summary>How many jobs of the spec no runner of the run selected: not among <see cref="Statuses"/> (see <see cref="JobSelection"/>).</summary>
    public int NotSelected { get; init; }
}

/// <summary>
/// <c>expt status</c> for a SLURM run: brings every job's status up to date from the jobs' own start/end
/// files and ONE squeue call for all of them, writes the changes (status.json, manifest, <c>STATE_CHANGE</c>
/// lines in run.log) and closes the run once nothing waits or runs any more. A run another process is
/// following is only read: that follower keeps its files current.
/// </summary>
public static class SlurmRefresher
{
    /// <summary>Refreshes the run in <paramref name="runDirectory"/>.</summary>
    public static async Task<SlurmRefreshResult> RefreshAsync(string runDirectory, ISlurmClient client, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(time);
        if (RunLock.IsHeld(runDirectory)) return ReadOnly(runDirectory, "the run is being followed by another process; showing its last recorded state");
        using var run = RunStore.TryOpen(runDirectory, time, out var problem);
        if (run is null) return ReadOnly(runDirectory, problem);
        var outcome = await new SlurmTracker(run, client, time).RefreshAsync(null, cancellationToken).ConfigureAwait(false);
        var selected = run.Jobs.Where(j => !JobSelection.IsUnselected(runDirectory, j)).ToList();
        var statuses = selected.Select(run.Status).ToList();
        CloseIfDone(run, statuses, time);
        return new SlurmRefreshResult(statuses, outcome.Changes.Count, false, outcome.QueueError is null ? null : $"squeue failed: {outcome.QueueError}", outcome.Active)
        {
            NotSelected = run.Jobs.Count - selected.Count,
        };
    }

    /// <summary>Every job's status as its files say, without asking SLURM.</summary>
    public static SlurmRefreshResult ReadOnly(string runDirectory, string? why)
    {
        var states = RunStates.Read(runDirectory, why);
        return new SlurmRefreshResult(states.Statuses, 0, true, states.Problem, states.Statuses.Count(s => s.State is JobState.Queued or JobState.Running)) { NotSelected = states.NotSelected };
    }

    /// <summary>Writes RUN_END and the manifest's end time once no job waits or runs (and none was closed before).</summary>
    internal static void CloseIfDone(RunStore run, IReadOnlyList<JobStatus> statuses, TimeProvider time)
    {
        if (statuses.Any(s => s.State is JobState.Queued or JobState.Running)) return;
        if (ManifestStore.Read(run.Directory)?.Ended is not null) return;
        var counts = string.Join(", ", statuses.GroupBy(s => s.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.Name()}"));
        run.Log.Write("RUN_END", $"run {run.RunId}: no job waits or runs in SLURM any more", result: counts);
        run.Manifest.Complete(time.GetUtcNow());
    }
}
