using MathNet.Numerics.Distributions;

namespace Expt.Reporting;

/// <summary>What a sample of replicate values says about its mean.</summary>
/// <param name="N">How many values.</param>
/// <param name="Mean">Their mean; null without values.</param>
/// <param name="Variance">The sample variance (divided by n − 1); null below two values, or when it is too large or too small for a double although the values vary (the standard deviation still is one).</param>
/// <param name="Std">The sample standard deviation; null below two values.</param>
/// <param name="CiLow">Lower end of the confidence interval of the mean; null below two values.</param>
/// <param name="CiHigh">Upper end of the confidence interval of the mean; null below two values.</param>
/// <param name="Min">The smallest value; null without values.</param>
/// <param name="Max">The largest value; null without values.</param>
public sealed record Sample(int N, double? Mean, double? Variance, double? Std, double? CiLow, double? CiHigh, double? Min, double? Max)
{
    /// <summary>The confidence level of <see cref="CiLow"/> and <see cref="CiHigh"/>.</summary>
    public const double Confidence = 0.95;

    /// <summary>
    /// Describes finite values. The interval is mean ± t(n − 1) · s / √n with Student's t quantile: wider than the
    /// normal one for few seeds, as it should be.
    /// </summary>
    public static Sample Describe(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = values.Count;
        if (n == 0) return new Sample(0, null, null, null, null, null, null, null);
        // Computed on values divided by the largest magnitude, so metrics near 1e300 or 1e-300 (a diverged
        // perplexity, a tiny probability) neither overflow nor underflow on the way to their spread.
        var scale = values.Max(Math.Abs);
        if (scale == 0) return n == 1 ? new Sample(1, 0, null, null, null, null, 0, 0) : Spread(n, 0, 0, 0, 0);
        var scaled = values.Select(v => v / scale).ToList();
        var m = scaled.Average();
        var mean = m * scale;
        if (n == 1) return new Sample(1, mean, null, null, null, null, mean, mean);
        var (min, max) = (values.Min(), values.Max());
        // Equal values have no spread; summing their rounded differences from the mean would invent a tiny one.
        var std = min == max ? 0 : Math.Sqrt(scaled.Sum(x => (x - m) * (x - m)) / (n - 1)) * scale;
        return Spread(n, mean, std, min, max);
    }

    private static Sample Spread(int n, double mean, double std, double min, double max)
    {
        var variance = std * std;
        double? representable = double.IsFinite(variance) && (variance > 0 || std == 0) ? variance : null;
        var half = StudentT.InvCDF(0, 1, n - 1, 1 - (1 - Confidence) / 2) * std / Math.Sqrt(n);
        return new Sample(n, mean, representable, std, mean - half, mean + half, min, max);
    }
}
