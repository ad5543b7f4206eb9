using MathNet.Numerics.Distributions;

namespace Expt.Reporting.Statistics;

/// <summary>
/// McNemar's exact test for paired 0/1 outcomes: of the discordant pairs (one side right, the other wrong), is the
/// split b : c further from even than chance allows? The two-sided exact binomial test of b successes in b + c trials
/// with p = ½, as statsmodels' <c>mcnemar(table, exact=True)</c> and <c>scipy.stats.binomtest(b, b + c, 0.5)</c>.
/// </summary>
public static class McNemar
{
    /// <summary>The two-sided p-value: 2 · P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), at most 1 (1 without discordant pairs).</summary>
    /// <param name="b">Pairs where the first side scored 1 and the second 0.</param>
    /// <param name="c">Pairs where the first side scored 0 and the second 1.</param>
    public static double PValue(int b, int c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        var n = b + c;
        if (n == 0) return 1;
        // The lower tail of the smaller count: with p = ½ the distribution is symmetric, so this doubled is the
        // two-sided p-value, and summing the small tail keeps the digits of a tiny one.
        return Math.Min(1, 2 * LowerTail(n, Math.Min(b, c)));
    }

    /// <summary>
    /// P(X ≤ m) for X ~ Binomial(n, ½). Up to 1,000 trials the terms are summed from 2⁻ⁿ, each from the one before
    /// (a few roundings, so 1 and ½ come out exact); beyond, 2⁻ⁿ would underflow and MathNet's regularized beta is used.
    /// </summary>
    private static double LowerTail(int n, int m)
    {
        if (n > 1000) return Binomial.CDF(0.5, n, m);
        var term = Math.Pow(2, -n);
        var sum = term;
        for (var k = 0; k < m; k++)
        {
            term = term * (n - k) / (k + 1);
            sum += term;
        }
        return sum;
    }
}
