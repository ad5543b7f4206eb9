namespace Expt.Execution.Preparation;

/// <summary>
/// For <c>--dry-run --resume</c>: what the resume would find, and whether it would be refused (so a dry run never
/// promises a resume that the real one refuses).
/// </summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Differences">How the jobs of the spec now differ from the run's; empty when they do not.</param>
/// <param name="Succeeded">Jobs of the plan the run records as succeeded (and unchanged): the resume would skip them.</param>
/// <param name="Total">Jobs of the plan.</param>
public sealed record ResumePreview(string RunId, ResumeDifferences Differences, int Succeeded, int Total)
{
    /// <summary>Why the run to resume could not be read; the rest is empty then.</summary>
    public RunProblem? Problem { get; init; }

    /// <summary>True when the resume would be refused: the run is not readable, or the jobs differ without <c>--force</c>.</summary>
    public bool Refused(bool force) => Problem is not null || (!Differences.IsEmpty && !force);

    /// <summary>The run could not be read.</summary>
    internal static ResumePreview Unreadable(string message) => new("", new ResumeDifferences([], [], []), 0, 0) { Problem = new RunProblem(message) };
}
