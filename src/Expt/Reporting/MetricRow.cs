using Expt.Metrics;

namespace Expt.Reporting;

/// <summary>A number (metric or compute) on every side, with its delta against the first side.</summary>
/// <param name="Name">The metric, or the compute measure (<c>wall_seconds</c>…).</param>
/// <param name="Values">One value per side; null where the side has none.</param>
/// <param name="Deltas">One per side against side 0 (side 0's own is null); null unless both are numbers.</param>
public sealed record MetricRow(string Name, IReadOnlyList<MetricValue?> Values, IReadOnlyList<Delta?> Deltas)
{
    /// <summary>The row of one name, its deltas computed against the first value.</summary>
    public static MetricRow Of(string name, IReadOnlyList<MetricValue?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var reference = values.Count > 0 ? values[0]?.AsNumber : null;
        var deltas = values.Select((v, i) => i == 0 ? null : Delta.Of(reference, v?.AsNumber)).ToList();
        return new MetricRow(name, values, deltas);
    }
}
