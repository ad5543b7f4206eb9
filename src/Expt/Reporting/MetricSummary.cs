namespace Expt.Reporting;

/// <summary>One metric over every group: its statistics, the winner and each group against the baseline.</summary>
/// <param name="Name">The metric, with its cell for a stage that fans out (<c>accuracy[task=mmlu]</c>).</param>
/// <param name="Direction">Which way is better.</param>
/// <param name="Groups">One row per group, in the report's group order.</param>
/// <param name="Winner">The best group (the first co-winner on a tie); null when no group has a value.</param>
public sealed record MetricSummary(string Name, MetricDirection Direction, IReadOnlyList<GroupStats> Groups, Winner? Winner)
{
    /// <summary>True for the spec's primary metric (<c>metrics: { NAME: { primary: true } }</c>), which leads the report.</summary>
    public bool Primary { get; init; }

    /// <summary>True for a metric the spec marks <c>role: info</c>: shown, never compared (no winner, no test, no delta).</summary>
    public bool Info { get; init; }

    /// <summary>Every best group, in group order: more than one when their means tie (within a relative 1e-9).</summary>
    public IReadOnlyList<string> Winners { get; init; } = [];

    /// <summary>
    /// The metric the baseline's values come from when it is not this one: a control without one of the treatments'
    /// cell axes is compared on the axes they share (<c>accuracy[task=a]</c> for <c>accuracy[epoch=1,task=a]</c>).
    /// </summary>
    public string? BaselineMetric { get; init; }
}

/// <summary>A metric's values in one group.</summary>
/// <param name="Group">The group's name.</param>
/// <param name="Values">One value per replicate (seed, or run when runs are pooled): the mean of the group's variants in it, from the finite values of succeeded jobs.</param>
/// <param name="NonFinite">How many values were NaN or infinite (a diverged run): left out of the statistics.</param>
/// <param name="Stats">What the values say about the mean.</param>
/// <param name="VsBaseline">The comparison with the baseline group; null for the baseline itself, or without a baseline or values.</param>
public sealed record GroupStats(string Group, IReadOnlyList<double> Values, int NonFinite, Sample Stats, BaselineTest? VsBaseline);

/// <summary>The best group of a metric, and by how much it beats the next best.</summary>
/// <param name="Group">The best group (the first co-winner in group order on a tie).</param>
/// <param name="Mean">Its mean.</param>
/// <param name="RunnerUp">The best group that is not a co-winner; null when there is none.</param>
/// <param name="RunnerUpMean">Its mean.</param>
/// <param name="Margin">Best − runner-up, with the relative change against the runner-up.</param>
/// <param name="Test">Welch's test of best against runner-up; null when either has fewer than two values or neither varies.</param>
public sealed record Winner(string Group, double Mean, string? RunnerUp, double? RunnerUpMean, Delta? Margin, WelchResult? Test);
