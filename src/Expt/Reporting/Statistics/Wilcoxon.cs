using MathNet.Numerics.Distributions;

namespace Expt.Reporting.Statistics;

/// <summary>The outcome of a Wilcoxon signed-rank test.</summary>
/// <param name="Statistic">min(R+, R−): the smaller of the rank sums of the positive and the negative differences.</param>
/// <param name="PValue">The two-sided p-value.</param>
/// <param name="Exact">Whether <paramref name="PValue"/> comes from the exact null distribution (else the normal approximation).</param>
/// <param name="N">How many non-zero differences were ranked.</param>
public readonly record struct WilcoxonResult(double Statistic, double PValue, bool Exact, int N);

/// <summary>
/// The Wilcoxon signed-rank test of paired differences, two-sided, with the defaults of <c>scipy.stats.wilcoxon</c>:
/// zero differences are dropped (<c>zero_method="wilcox"</c>), no continuity correction, and <c>method="auto"</c>:
/// the exact null distribution when there are at most <see cref="ExactLimit"/> differences, none zero and no two
/// equal in size; the normal approximation with the tie correction of the variance otherwise.
/// </summary>
/// <remarks>
/// This is scipy 1.10's default in every case but one: for tied differences without zeros at n ≤ 50, scipy 1.10 takes
/// the exact route too, rounding the tied rank sum down to a whole number, which is not the statistic's distribution;
/// here they get the normal approximation, what <c>method="approx"</c> computes. Later scipy releases run a
/// permutation test for small samples with ties or zeros, so their p-values differ there.
/// </remarks>
public static class Wilcoxon
{
    /// <summary>The most differences the exact distribution is used for.</summary>
    public const int ExactLimit = 50;

    /// <summary>Tests whether the differences are symmetric about zero; null when every difference is zero (or there are none).</summary>
    public static WilcoxonResult? Test(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var hasZero = differences.Any(d => d == 0);
        var d = differences.Where(x => x != 0).ToArray();
        var n = d.Length;
        if (n == 0) return null;
        var (ranks, tieGroups) = Rank(d.Select(Math.Abs).ToArray());
        double plus = 0, minus = 0;
        for (var i = 0; i < n; i++)
        {
            if (d[i] > 0) plus += ranks[i];
            else minus += ranks[i];
        }
        var statistic = Math.Min(plus, minus);
        if (differences.Count <= ExactLimit && !hasZero && tieGroups.Count == 0)
        {
            return new WilcoxonResult(statistic, ExactPValue(n, (int)plus), true, n);
        }
        var mean = n * (n + 1) / 4.0;
        var variance = n * (n + 1.0) * (2 * n + 1);
        foreach (var t in tieGroups) variance -= 0.5 * t * ((double)t * t - 1);
        var se = Math.Sqrt(variance / 24);
        var z = (statistic - mean) / se;
        var p = se == 0 ? 1 : Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
        return new WilcoxonResult(statistic, p, false, n);
    }

    /// <summary>Ranks from 1 (ties get their mean rank) and the sizes of the groups of ties.</summary>
    private static (double[] Ranks, List<int> TieGroups) Rank(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        var ties = new List<int>();
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = rank;
            if (end > start) ties.Add(end - start + 1);
            start = end + 1;
        }
        return (ranks, ties);
    }

    /// <summary>
    /// 2 · min(P(R+ ≤ r), P(R+ ≥ r)) under the exact null distribution of R+ (every sign pattern equally likely),
    /// 1 at its centre, as scipy computes it.
    /// </summary>
    private static double ExactPValue(int n, int rPlus)
    {
        var max = n * (n + 1) / 2;
        // counts[s]: how many subsets of the ranks 1..n sum to s; at most 2^50, exact in a double.
        var counts = new double[max + 1];
        counts[0] = 1;
        for (var k = 1; k <= n; k++)
        {
            for (var s = k * (k + 1) / 2; s >= k; s--) counts[s] += counts[s - k];
        }
        // scipy's centre test is on the whole-number half of the largest sum.
        if (rPlus == max / 2) return 1;
        double below = 0, above = 0;
        for (var s = 0; s <= rPlus; s++) below += counts[s];
        for (var s = rPlus; s <= max; s++) above += counts[s];
        return Math.Clamp(2 * Math.Min(below, above) / Math.Pow(2, n), 0, 1);
    }
}
