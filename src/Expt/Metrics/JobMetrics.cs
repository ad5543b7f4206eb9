namespace Expt.Metrics;

/// <summary>
/// Everything <see cref="MetricsReader"/> found in one job directory.
/// </summary>
/// <param name="Scalars">
/// Final scalar metrics by name; see <see cref="MetricsReader.Read(string)"/> for where each comes from
/// and which source wins when two give the same name.
/// </param>
/// <param name="Series">The per-step series from <c>metrics.jsonl</c>, by metric name, in file order.</param>
/// <param name="InspectLogs">The Inspect AI logs found, oldest first.</param>
/// <param name="Warnings">Problems with the input; empty when everything was well formed.</param>
public sealed record JobMetrics(
    IReadOnlyDictionary<string, MetricValue> Scalars,
    IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> Series,
    IReadOnlyList<InspectLogSummary> InspectLogs,
    IReadOnlyList<MetricsWarning> Warnings)
{
    /// <summary>
    /// The names in <see cref="Scalars"/> whose value came from an Inspect log that did not succeed (status
    /// <c>error</c>, <c>cancelled</c>, <c>started</c> or unknown): partial results, not to be read as a finished
    /// evaluation's. Empty when every value came from elsewhere or from successful logs.
    /// </summary>
    public IReadOnlySet<string> FromUnsuccessfulLogs { get; init; } = EmptyNames;

    private static readonly IReadOnlySet<string> EmptyNames = new HashSet<string>();

    /// <summary>No metrics, no logs, no warnings.</summary>
    public static JobMetrics Empty { get; } = new(
        new Dictionary<string, MetricValue>(),
        new Dictionary<string, IReadOnlyList<MetricPoint>>(),
        [],
        []);
}
