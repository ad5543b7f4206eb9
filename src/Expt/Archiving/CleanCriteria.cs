using Expt.Recording;
using Expt.Results;

namespace Expt.Archiving;

/// <summary>Which runs <c>expt clean</c> deletes: those matching every criterion given.</summary>
/// <param name="Failed">Some job ended failed, timed_out, lost, blocked or cancelled.</param>
/// <param name="Incomplete">Some job has not finished.</param>
/// <param name="OlderThan">The run was created longer ago than this.</param>
/// <param name="Experiment">Only runs of this experiment (a scope, not a criterion).</param>
public sealed record CleanCriteria(bool Failed = false, bool Incomplete = false, TimeSpan? OlderThan = null, string? Experiment = null)
{
    /// <summary>Whether any criterion was given; without one, clean refuses rather than delete everything.</summary>
    public bool HasAny => Failed || Incomplete || OlderThan is not null;

    /// <summary>The job states that make a run failed.</summary>
    public static readonly IReadOnlySet<JobState> FailedStates =
        new HashSet<JobState> { JobState.Failed, JobState.TimedOut, JobState.Lost, JobState.Blocked, JobState.Cancelled };

    /// <summary>Why <paramref name="run"/> matches every criterion (one reason each), or null when it does not.</summary>
    public IReadOnlyList<string>? Match(RunRecord run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var reasons = new List<string>();
        if (Failed)
        {
            var failed = run.Jobs.Where(j => FailedStates.Contains(j.State)).ToList();
            if (failed.Count == 0) return null;
            reasons.Add(string.Join(", ", failed.GroupBy(j => j.State).Select(g => $"{g.Count()} {g.Key.Name()}")));
        }
        if (Incomplete)
        {
            var open = run.Jobs.Count(j => !j.State.IsFinished());
            if (open == 0) return null;
            reasons.Add($"{open} not finished");
        }
        if (OlderThan is { } age)
        {
            if (run.Manifest.Created >= now - age) return null;
            reasons.Add($"created {run.Manifest.Created.UtcDateTime:yyyy-MM-dd HH:mm}Z");
        }
        return reasons;
    }
}
