namespace Expt.Metrics;

/// <summary>
/// What Expt keeps of one Inspect AI log: identity, status, timing, sample counts and the
/// scorers' aggregate metrics. Samples are never read.
/// </summary>
public sealed record InspectLogSummary
{
    /// <summary>The log file's path as given to <see cref="InspectLogReader"/>; a full path when found by <see cref="MetricsReader"/>.</summary>
    public required string Path { get; init; }

    /// <summary>The file format.</summary>
    public required InspectLogFormat Format { get; init; }

    /// <summary>The evaluation's status.</summary>
    public required InspectLogStatus Status { get; init; }

    /// <summary>The log format version (Inspect's <c>version</c> field, 2 for current logs).</summary>
    public int? FormatVersion { get; init; }

    /// <summary>The task name (<c>eval.task</c>), e.g. <c>popularity</c>.</summary>
    public string? Task { get; init; }

    /// <summary>Inspect's unique task id (<c>eval.task_id</c>).</summary>
    public string? TaskId { get; init; }

    /// <summary>The model (<c>eval.model</c>), e.g. <c>openai/gpt-4o-mini</c>.</summary>
    public string? Model { get; init; }

    /// <summary>When the evaluation was created (<c>eval.created</c>).</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>When the evaluation started (<c>stats.started_at</c>); absent for a <see cref="InspectLogStatus.Started"/> log.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the evaluation completed (<c>stats.completed_at</c>).</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The number of samples in the dataset (<c>eval.dataset.samples</c>), before any limit.</summary>
    public int? DatasetSamples { get; init; }

    /// <summary>Samples evaluated, dataset samples times epochs (<c>results.total_samples</c>).</summary>
    public int? TotalSamples { get; init; }

    /// <summary>
    /// Samples completed (<c>results.completed_samples</c>). For a <see cref="InspectLogStatus.Started"/>
    /// <c>.eval</c> it is the number of <c>samples/</c> entries written so far (one per sample and epoch),
    /// counted from the zip directory without decompressing anything.
    /// </summary>
    public int? CompletedSamples { get; init; }

    /// <summary>
    /// Every scorer's aggregate metrics, named <c>{score}/{metric}</c>, e.g. <c>match/accuracy</c>.
    /// <c>{score}</c> is the score's <c>name</c>, which Inspect keeps unique within a log even when one
    /// scorer is used twice. Empty when the log has no results (still running, failed, or unscored).
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = EmptyMetrics;

    /// <summary>The error message (<c>error.message</c>) when <see cref="Status"/> is <see cref="InspectLogStatus.Error"/>.</summary>
    public string? ErrorMessage { get; init; }

    private static readonly IReadOnlyDictionary<string, double> EmptyMetrics = new Dictionary<string, double>();
}
