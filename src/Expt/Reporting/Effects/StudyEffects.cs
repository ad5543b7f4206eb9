using System.Text.Json.Nodes;

namespace Expt.Reporting.Effects;

/// <summary>
/// What each factor does to each reported metric: the mean per level (main effects), the mean per pair of levels of
/// every two factors (interactions), and how the best level of each factor compares with the control.
/// </summary>
/// <param name="Replicate">The param whose values are the replicates (<c>seed</c>); null without replicates, when intervals are not given.</param>
/// <param name="Replicates">How many distinct replicate values the treatment jobs have (0 without a replicate param).</param>
/// <param name="Factors">The params that vary among the variants that are not controls (less the replicate param), in the report's param order.</param>
/// <param name="Metrics">One entry per reported metric, in the report's metric order.</param>
public sealed record StudyEffects(string? Replicate, int Replicates, IReadOnlyList<string> Factors, IReadOnlyList<MetricEffects> Metrics)
{
    /// <summary>No factor, no metric.</summary>
    public static StudyEffects None { get; } = new(null, 0, [], []);
}

/// <summary>The effects of every factor on one metric.</summary>
/// <param name="Metric">The metric (with its cell, <c>accuracy[task=mmlu]</c>).</param>
/// <param name="Direction">Which way is better.</param>
/// <param name="Main">One entry per factor: the metric's mean at each level.</param>
/// <param name="Interactions">One entry per pair of factors: the metric's mean at each pair of levels.</param>
/// <param name="VsControl">For each factor, its best level against the control; empty without a control.</param>
public sealed record MetricEffects(string Metric, MetricDirection Direction, IReadOnlyList<FactorEffect> Main, IReadOnlyList<Interaction> Interactions, IReadOnlyList<ControlEffect> VsControl);

/// <summary>A factor's main effect: the metric averaged over every other factor, at each of its levels.</summary>
/// <param name="Factor">The param.</param>
/// <param name="Numeric">Whether every level is a number (a chart can put it on an axis).</param>
/// <param name="Levels">Its levels: ascending for numbers, else in plan order.</param>
public sealed record FactorEffect(string Factor, bool Numeric, IReadOnlyList<LevelMean> Levels);

/// <summary>The metric at one level of a factor.</summary>
/// <param name="Level">The level as the spec gives it.</param>
/// <param name="Label">The level as reports print it.</param>
/// <param name="Stats">
/// Over replicates: within each replicate the level's jobs are averaged, and the interval is over those replicate
/// means (n = replicates). Without replicates: over the jobs, with no interval.
/// </param>
public sealed record LevelMean(JsonNode? Level, string Label, Sample Stats);

/// <summary>Two factors together: the metric at each pair of their levels.</summary>
/// <param name="A">The first factor (rows).</param>
/// <param name="B">The second factor (columns).</param>
/// <param name="Cells">Every pair of levels that has values, rows in <see cref="A"/>'s level order, then <see cref="B"/>'s.</param>
public sealed record Interaction(string A, string B, IReadOnlyList<InteractionCell> Cells);

/// <summary>The metric at one level of each of two factors.</summary>
/// <param name="A">The level of the first factor, as printed.</param>
/// <param name="B">The level of the second factor, as printed.</param>
/// <param name="Stats">As for <see cref="LevelMean.Stats"/>.</param>
public sealed record InteractionCell(string A, string B, Sample Stats);

/// <summary>The best level of a factor against the control.</summary>
/// <param name="Factor">The factor.</param>
/// <param name="BestLevel">Its level with the best mean, as printed (the first in level order on a tie).</param>
/// <param name="BestMean">That level's mean.</param>
/// <param name="ControlMean">The control's mean (its jobs averaged within each replicate, then over replicates).</param>
/// <param name="Difference">Best level − control, with the change relative to the control.</param>
/// <param name="Paired">
/// The per-replicate differences (best level − control in each replicate both have): their mean and 95% interval;
/// null without replicates.
/// </param>
public sealed record ControlEffect(string Factor, string BestLevel, double BestMean, double ControlMean, Delta? Difference, Sample? Paired);
