using Expt.Reporting.Statistics;

namespace Expt.Tests.Reporting.Statistics;

/// <summary>
/// McNemar, Wilcoxon and Holm against known answers. The scipy values were computed with Debian's python3-scipy 1.10.1:
/// <c>python3 -c "from scipy.stats import binomtest, wilcoxon; print(binomtest(b, b + c, 0.5).pvalue, wilcoxon(d).pvalue)"</c>.
/// </summary>
public sealed class PairedTestsTests
{
    [Theory]
    [InlineData(3, 9, 0.14599609375)]
    [InlineData(0, 5, 0.0625)]
    [InlineData(12, 12, 1.0)]
    [InlineData(40, 20, 0.01348929373119186)]
    [InlineData(1, 0, 1.0)]
    [InlineData(2, 0, 0.5)]
    public void Given_discordant_counts_when_mcnemar_tested_then_p_is_scipys_exact_binomial_test(int b, int c, double expected)
    {
        // binomtest(b, b + c, 0.5).pvalue, as statsmodels' mcnemar(exact=True) for the table [[., b], [c, .]].
        McNemar.PValue(b, c).ShouldBe(expected, 1e-12);
        McNemar.PValue(c, b).ShouldBe(expected, 1e-12);
    }

    [Theory]
    [InlineData(700, 800, 0.01055925546671162)]
    [InlineData(400, 700, 1.1735888055606002e-19)]
    public void Given_more_than_a_thousand_discordant_pairs_when_mcnemar_tested_then_p_is_still_scipys(int b, int c, double expected)
    {
        Math.Abs(McNemar.PValue(b, c) - expected).ShouldBeLessThanOrEqualTo(1e-9 * expected);
    }

    [Fact]
    public void Given_no_discordant_pair_when_mcnemar_tested_then_p_is_one()
    {
        McNemar.PValue(0, 0).ShouldBe(1.0);
    }

    public static TheoryData<string, double[], double, double, bool> WilcoxonCases => new()
    {
        // wilcoxon(d): n ≤ 50, no zeros, no ties: the exact distribution.
        { "small exact", [1.5, -0.3, 2.2, 0.8, -1.1, 3.4, 0.6, 1.9], 5.0, 0.078125, true },
        { "all positive", [0.1, 0.2, 0.3, 0.4, 0.5], 0.0, 0.0625, true },
        // R+ = 17, R− = 19 of 0…36: near the centre.
        { "near the centre", [1, -2, -3, 4, 5, -6, 7, -8], 17.0, 0.9453125, true },
        // R+ = 10 = 21 // 2, what scipy takes as the centre of an odd range: p = 1.
        { "at the centre", [1, -2, 3, -4, -5, 6], 10.0, 1.0, true },
        // Zeros: dropped, and the normal approximation (scipy warns and switches).
        { "with zeros", [0, 0, 1.2, -0.4, 2.5, 0.9, -1.7, 3.1, 0.0, 1.1, 2.2], 6.0, 0.09289194088370532, false },
        // Ties without zeros: wilcoxon(d, method="approx") (scipy 1.10's default would take the exact route here,
        // 0.048828125 from a rounded-down statistic; see Wilcoxon's remarks).
        { "with ties", [1, 1, 2, -1, 3, 3, 3, -2, 4, 1], 8.0, 0.044720756798576525, false },
        // n > 50: the normal approximation (with the tie correction; a few sizes repeat). The values are
        // numpy.round(numpy.random.default_rng(7).normal(0.3, 1.0, 60), 3).
        { "n = 60", [0.301, 0.599, 0.026, -0.591, -0.155, -0.692, 0.36, 1.64, -0.192, -0.32, 0.79, 0.657, 0.405, -0.63, 0.271, 0.995, -1.044, -0.158, -1.601, -0.99,
            -1.542, 0.065, -0.967, 0.571, 0.457, 0.113, -2.217, -0.239, 0.251, 0.413, -1.23, -0.178, -0.679, -0.509, 1.361, -0.508, 0.267, 1.184, -0.284, 0.188,
            0.41, 0.364, -0.925, 0.376, 1.659, -1.247, 1.159, 0.419, -0.341, 2.3, 1.062, -0.899, 0.375, 0.877, 0.111, 0.983, 0.233, 0.967, 1.739, -0.376],
            795.0, 0.37702108493804265, false },
    };

    [Theory]
    [MemberData(nameof(WilcoxonCases))]
    public void Given_differences_when_wilcoxon_tested_then_statistic_and_p_are_scipys(string name, double[] differences, double statistic, double p, bool exact)
    {
        var result = Wilcoxon.Test(differences)!.Value;

        result.Statistic.ShouldBe(statistic, name);
        result.PValue.ShouldBe(p, 1e-9, name);
        result.Exact.ShouldBe(exact, name);
    }

    [Fact]
    public void Given_only_zero_differences_when_wilcoxon_tested_then_there_is_no_test()
    {
        // scipy raises "zero_method 'wilcox' ... do not work if x - y is zero for all elements".
        Wilcoxon.Test([0.0, 0.0, 0.0]).ShouldBeNull();
        Wilcoxon.Test([]).ShouldBeNull();
    }

    [Fact]
    public void Given_four_p_values_when_holm_adjusted_then_each_is_the_hand_computed_step_down_value()
    {
        // Sorted: 0.01 (×4 = 0.04), 0.02 (×3 = 0.06), 0.03 (×2 = 0.06), 0.5 (×1 = 0.5); made non-decreasing; the null
        // is no test and does not count in m = 4.
        var adjusted = Holm.Adjust([0.03, null, 0.01, 0.5, 0.02]);

        adjusted.Count.ShouldBe(5);
        adjusted[0]!.Value.ShouldBe(0.06, 1e-12);
        adjusted[1].ShouldBeNull();
        adjusted[2]!.Value.ShouldBe(0.04, 1e-12);
        adjusted[3]!.Value.ShouldBe(0.5, 1e-12);
        adjusted[4]!.Value.ShouldBe(0.06, 1e-12);
    }

    [Fact]
    public void Given_large_p_values_when_holm_adjusted_then_they_are_capped_at_one_and_stay_monotone()
    {
        // 0.4 × 3 = 1.2 → 1; 0.6 × 2 = 1.2 → 1 (not below the previous); 0.7 × 1 = 0.7 → raised to 1.
        Holm.Adjust([0.7, 0.4, 0.6]).ShouldBe([1.0, 1.0, 1.0]);
    }
}
