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
    /// <summary>No metrics, no logs, no warnings.</summary>
    public static JobMetrics Empty { get; } = new(
        new Dictionary<string, MetricValue>(),
        new Dictionary<string, IReadOnlyList<MetricPoint>>(),
        [],
        []);
}
