using System.Text.Json.Serialization;

namespace Expt.Reporting.Paired;

/// <summary>Two groups compared item by item on one score column (<c>paired</c> in the JSON report, <c>significance.json</c>).</summary>
/// <param name="A">The group compared (a variant, or the winner).</param>
/// <param name="B">The group it is compared with (the baseline, or another group when A is the winner).</param>
/// <param name="Metric">The score column.</param>
/// <param name="Split">The split the items are of; null for every item.</param>
/// <param name="N">How many items both scored in at least one common seed: the unit of the interval and the test.</param>
/// <param name="MeanDiff">The mean over the items of a − b, an item's difference averaged over the seeds both scored it in.</param>
/// <param name="Ci95">The paired bootstrap 95% interval of <paramref name="MeanDiff"/>: [low, high].</param>
/// <param name="Test"><c>mcnemar</c> when every item's score of both (averaged over seeds) is 0 or 1, else <c>wilcoxon</c>.</param>
/// <param name="P">The test's two-sided p-value; null when it cannot be computed (every difference zero, for Wilcoxon).</param>
/// <param name="PHolm">The p-value adjusted by Holm's method over every comparison of the report.</param>
public sealed record PairedComparison(string A, string B, string Metric, string? Split, int N, double MeanDiff, IReadOnlyList<double> Ci95, string Test, double? P, double? PHolm)
{
    /// <summary>Why the two groups are compared: <c>vs baseline</c>, <c>winner vs runner-up</c> (the second best) or <c>winner vs other</c>.</summary>
    [JsonPropertyName("why")]
    public string Reason { get; init; } = "";

    /// <summary>How many seeds (replicates) the pairs come from.</summary>
    [JsonIgnore]
    public int Seeds { get; init; } = 1;

    /// <summary>Whether the adjusted p-value is below <see cref="BaselineTest.Alpha"/>.</summary>
    [JsonIgnore]
    public bool Significant => PHolm is < BaselineTest.Alpha;
}
