namespace Expt.Specs;

/// <summary>Which way a metric declared in the spec is better.</summary>
public enum MetricGoal
{
    /// <summary>Higher is better.</summary>
    Max,

    /// <summary>Lower is better.</summary>
    Min,
}

/// <summary>
/// One entry of the spec's <c>metrics:</c> block: how reports treat a metric the jobs write. Metrics no entry
/// names keep the report's name-based direction rules.
/// </summary>
/// <param name="Name">The metric's name as the jobs write it (without a cell suffix: it covers every cell).</param>
/// <param name="Goal">Which way is better; null to leave it to the name rules.</param>
/// <param name="Primary">True for the one metric every summary leads with.</param>
/// <param name="Info">True for a metric that is shown but never compared (an item count, a dataset size).</param>
/// <param name="Location">Where the entry is declared.</param>
public sealed record MetricDefinition(string Name, MetricGoal? Goal, bool Primary, bool Info, SourceLocation Location);
