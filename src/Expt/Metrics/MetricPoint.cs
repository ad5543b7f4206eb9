namespace Expt.Metrics;

/// <summary>One value of a per-step series from <c>metrics.jsonl</c>.</summary>
/// <param name="Step">The line's <c>step</c>.</param>
/// <param name="Value">The metric's value at that step.</param>
public readonly record struct MetricPoint(long Step, MetricValue Value);
