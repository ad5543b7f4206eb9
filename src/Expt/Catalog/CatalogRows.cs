namespace Expt.Catalog;

/// <summary>One run as listed by <c>expt ls</c>.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="RunId">The run id.</param>
/// <param name="Commit">The full commit hash (<c>nogit</c> outside a repository).</param>
/// <param name="Dirty">Whether the working tree had changes.</param>
/// <param name="Branch">The branch.</param>
/// <param name="Host">Where it was started.</param>
/// <param name="Question">The research question.</param>
/// <param name="Executor">local or slurm.</param>
/// <param name="Created">When it was created (UTC, ISO 8601).</param>
/// <param name="Ended">When its last runner session ended.</param>
/// <param name="Duration">Seconds from creation to the end (or to the last update while it goes).</param>
/// <param name="Directory">Absolute directory of its files (the archive, when archived).</param>
/// <param name="ArchivedTo">Where it was archived, when it was.</param>
/// <param name="States">How many jobs are in each state.</param>
public sealed record RunRow(
    string Experiment,
    string RunId,
    string Commit,
    bool Dirty,
    string? Branch,
    string? Host,
    string? Question,
    string Executor,
    string Created,
    string? Ended,
    double? Duration,
    string Directory,
    string? ArchivedTo,
    IReadOnlyDictionary<string, int> States)
{
    /// <summary>Whether the run was archived (its pointer file is what is left in the results root).</summary>
    public bool Archived => ArchivedTo is not null;

    /// <summary>How many jobs it has (without those no runner selected).</summary>
    public int Jobs => States.Values.Sum();

    /// <summary>How many jobs of its spec no runner of the run selected (<c>--filter</c>, <c>--only</c>, <c>--skip</c>): not in <see cref="States"/>.</summary>
    public int NotSelected { get; init; }
}

/// <summary>One job as listed by <c>expt ls --jobs</c>.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="RunId">The run id.</param>
/// <param name="Id">The job id.</param>
/// <param name="Variant">The variant.</param>
/// <param name="Kind">The variant's kind.</param>
/// <param name="Stage">The stage.</param>
/// <param name="State">The state name.</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="ExitCode">Exit code of the last attempt.</param>
/// <param name="Started">When the last attempt started.</param>
/// <param name="Ended">When the job ended.</param>
/// <param name="Duration">Wall seconds over every attempt.</param>
/// <param name="Directory">Absolute job directory.</param>
/// <param name="Archived">Whether its run was archived.</param>
/// <param name="Params">Its params, by name.</param>
/// <param name="Metrics">Its scalar metrics, by name.</param>
public sealed record JobRow(
    string Experiment,
    string RunId,
    string Id,
    string Variant,
    string Kind,
    string Stage,
    string State,
    int Attempts,
    int? ExitCode,
    string? Started,
    string? Ended,
    double? Duration,
    string Directory,
    bool Archived,
    IReadOnlyDictionary<string, CatalogValue> Params,
    IReadOnlyDictionary<string, CatalogValue> Metrics)
{
    /// <summary>User + system CPU seconds over every attempt, when measured.</summary>
    public double? CpuSeconds { get; init; }

    /// <summary>GPU-seconds (wall × GPUs held) over every attempt.</summary>
    public double? GpuSeconds { get; init; }

    /// <summary>The largest peak resident memory of any attempt, MiB, when measured.</summary>
    public double? PeakRssMb { get; init; }

    /// <summary>Bytes under the job's directory when it ended, when recorded.</summary>
    public long? OutputBytes { get; init; }
}

/// <summary>What to list.</summary>
/// <param name="Experiment">Only this experiment, when given.</param>
/// <param name="Where">A <c>--where</c> expression, when given.</param>
/// <param name="Sort">A sort key (a field, param or metric; <c>-</c> first for descending), when given.</param>
/// <param name="Limit">At most this many rows, when given.</param>
public sealed record CatalogFilter(string? Experiment = null, string? Where = null, string? Sort = null, int? Limit = null);
