namespace Expt.Reporting;

/// <summary>A group against the baseline group for one metric.</summary>
/// <param name="Difference">Group mean − baseline mean, with the relative change against the baseline.</param>
/// <param name="Test">Welch's two-sided t-test; null when it cannot be computed (see <paramref name="NotTested"/>).</param>
/// <param name="NotTested">Why there is no test: <c>n&lt;2</c> (either side has fewer than two values) or <c>no variance</c>.</param>
public sealed record BaselineTest(Delta? Difference, WelchResult? Test, string? NotTested)
{
    /// <summary>The significance level a p-value is marked at.</summary>
    public const double Alpha = 0.05;

    /// <summary>Whether p &lt; <see cref="Alpha"/>.</summary>
    public bool Significant => Test is { PValue: < Alpha };

    /// <summary>Compares a group's values with the baseline's (both finite, both non-empty).</summary>
    public static BaselineTest Of(IReadOnlyList<double> group, IReadOnlyList<double> baseline)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(baseline);
        var difference = Delta.Of(Sample.Describe(baseline).Mean, Sample.Describe(group).Mean);
        if (group.Count < 2 || baseline.Count < 2) return new BaselineTest(difference, null, "n<2");
        var test = Welch.Test(group, baseline);
        return new BaselineTest(difference, test, test is null ? "no variance" : null);
    }
}
