using Expt.Planning;
using Expt.Recording;

namespace Expt.Execution;

/// <summary>
/// Stops a stage that fails systematically: when the first <see cref="Sample"/> jobs of a stage to end all failed with
/// the same exit code and the same last line of stderr (a typo in <c>run:</c>, a missing module), the rest of the stage
/// would fail the same way, so its jobs not yet started are not started. One job that succeeds, or ends in another way,
/// decides that the stage runs to its end. Only jobs that ran count; a stage of at most <see cref="Sample"/> jobs is
/// never stopped (there is nothing left to spare). <c>--keep-going</c> turns this off.
/// </summary>
public sealed class FailFast
{
    /// <summary>How many of a stage's first ended jobs decide.</summary>
    public const int Sample = 3;

    private const int MaxLineLength = 200;

    private readonly Dictionary<string, Stage> _stages;

    /// <summary>Watches the stages of <paramref name="jobs"/> (the jobs of this execution); none when not <paramref name="enabled"/>.</summary>
    public FailFast(IEnumerable<PlannedJob> jobs, bool enabled)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        _stages = enabled
            ? jobs.GroupBy(j => j.Stage.Name, StringComparer.Ordinal).Where(g => g.Count() > Sample).ToDictionary(g => g.Key, _ => new Stage(), StringComparer.Ordinal)
            : new Dictionary<string, Stage>(StringComparer.Ordinal);
    }

    /// <summary>
    /// Takes note of a job that ended for good (after its retries); returns the decision to stop the rest of its stage
    /// when this job makes it. <paramref name="lastErrorLine"/> (the last line of the job's stderr) is read only while
    /// the stage is undecided.
    /// </summary>
    public StageStop? Ended(PlannedJob job, JobStatus status, Func<string> lastErrorLine)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(lastErrorLine);
        if (!_stages.TryGetValue(job.Stage.Name, out var stage) || stage.Decided) return null;
        // Blocked and cancelled jobs did not run: they tell nothing about how the stage's jobs end.
        if (status.State is not (JobState.Succeeded or JobState.Failed or JobState.TimedOut or JobState.Lost)) return null;
        var failure = status.State == JobState.Failed
            ? new Failure(status.ExitCode is { } code ? $"exit code {code.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : status.Reason ?? "no exit code", Shorten(lastErrorLine()))
            : null;
        if (failure is null || (stage.Failure is not null && stage.Failure != failure))
        {
            stage.Decided = true;
            return null;
        }
        stage.Failure = failure;
        stage.Jobs.Add(job.Id);
        if (stage.Jobs.Count < Sample) return null;
        stage.Decided = true;
        return new StageStop(job.Stage.Name, stage.Jobs, failure.Exit, failure.LastErrorLine);
    }

    private static string Shorten(string line) => line.Length <= MaxLineLength ? line : line[..(MaxLineLength - 1)] + "…";

    private sealed record Failure(string Exit, string LastErrorLine);

    private sealed class Stage
    {
        public bool Decided { get; set; }

        public Failure? Failure { get; set; }

        public List<string> Jobs { get; } = [];
    }
}

/// <summary>The decision to start no more jobs of a stage whose first jobs all failed the same way.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Jobs">The jobs that failed, in the order they ended.</param>
/// <param name="Exit">How they ended: <c>exit code N</c>, or the reason when there was no exit code.</param>
/// <param name="LastErrorLine">The last line of their stderr (empty when there was none).</param>
public sealed record StageStop(string Stage, IReadOnlyList<string> Jobs, string Exit, string LastErrorLine)
{
    /// <summary>The whole story, said once (progress, run.log).</summary>
    public string Describe() =>
        $"the first {Jobs.Count} jobs of stage {Stage} ({string.Join(", ", Jobs)}) failed the same way ({Exit}{(LastErrorLine.Length == 0 ? ", nothing on stderr" : ": " + LastErrorLine)})";

    /// <summary>The reason recorded on each job not started.</summary>
    public string JobReason => $"not started: the first {Jobs.Count} jobs of stage {Stage} failed the same way ({Exit}); --keep-going runs every job";
}
