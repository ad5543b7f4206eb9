using MathNet.Numerics.Distributions;

namespace Expt.Reporting;

/// <summary>The outcome of Welch's t-test.</summary>
/// <param name="T">The t statistic: (mean of a − mean of b) / its standard error.</param>
/// <param name="DegreesOfFreedom">The Welch–Satterthwaite degrees of freedom (not a whole number in general).</param>
/// <param name="PValue">The two-sided p-value.</param>
public readonly record struct WelchResult(double T, double DegreesOfFreedom, double PValue);

/// <summary>
/// Welch's two-sample t-test: are two means different, without assuming the two groups have the same variance
/// (seeds of two learning rates rarely do). Assumes each mean is roughly normally distributed.
/// </summary>
public static class Welch
{
    /// <summary>
    /// Tests whether <paramref name="a"/> and <paramref name="b"/> have different means. Null when either has fewer
    /// than two values, or when neither varies at all: there is then no spread to measure a difference against.
    /// </summary>
    public static WelchResult? Test(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count < 2 || b.Count < 2) return null;
        var (sa, sb) = (Sample.Describe(a), Sample.Describe(b));
        // Standard errors of the two means, and their shares of the larger one: the statistic and the
        // Welch–Satterthwaite degrees of freedom are ratios of these, which neither overflow nor underflow
        // whatever the metric's scale.
        var qa = sa.Std!.Value / Math.Sqrt(a.Count);
        var qb = sb.Std!.Value / Math.Sqrt(b.Count);
        var largest = Math.Max(qa, qb);
        if (largest == 0 || !double.IsFinite(largest)) return null;
        var (ra, rb) = (qa / largest, qb / largest);
        var shares = ra * ra + rb * rb;
        var t = (sa.Mean!.Value - sb.Mean!.Value) / (largest * Math.Sqrt(shares));
        var df = shares * shares / (Math.Pow(ra, 4) / (a.Count - 1) + Math.Pow(rb, 4) / (b.Count - 1));
        // 2·F(−|t|) rather than 2·(1 − F(|t|)): the lower tail keeps its digits for tiny p-values.
        var p = Math.Min(1, 2 * StudentT.CDF(0, 1, df, -Math.Abs(t)));
        return new WelchResult(t, df, p);
    }
}
