namespace Expt.Reporting.Statistics;

/// <summary>
/// The paired bootstrap 95% confidence interval of a mean difference: the differences are resampled with replacement
/// <see cref="Resamples"/> times, and the interval is the 2.5th and 97.5th percentiles of the resampled means
/// (the percentile method; percentiles interpolated linearly between order statistics, as numpy's default
/// <c>percentile(..., method="linear")</c>). The generator has a fixed seed, so the same differences always give the
/// same interval.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>How many resamples.</summary>
    public const int Resamples = 10_000;

    /// <summary>The fixed seed of the generator.</summary>
    public const ulong Seed = 20_240_601;

    /// <summary>The confidence level.</summary>
    public const double Confidence = 0.95;

    /// <summary>The interval; (NaN, NaN) without differences; both ends the difference for one.</summary>
    public static (double Low, double High) Interval(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var n = differences.Count;
        if (n == 0) return (double.NaN, double.NaN);
        // An array, not the list: the loop below reads it 10,000 × n times.
        var values = differences.ToArray();
        var random = new SplitMix64(Seed);
        var means = new double[Resamples];
        for (var r = 0; r < Resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++) sum += values[random.Below(n)];
            means[r] = sum / n;
        }
        Array.Sort(means);
        var tail = (1 - Confidence) / 2;
        return (Percentile(means, tail), Percentile(means, 1 - tail));
    }

    /// <summary>The q-quantile of sorted values, interpolating linearly between the order statistics around (n − 1) · q.</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        var position = (sorted.Length - 1) * q;
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /// <summary>
    /// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose sequence is fixed by its definition, not by a
    /// runtime's version, so an interval computed today is the one computed after an upgrade.
    /// </summary>
    private struct SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        private ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        /// <summary>A uniform integer in [0, n): Lemire's multiply-shift on the high 32 bits (bias below 2⁻³² · n, nothing for n this small).</summary>
        public int Below(int n) => (int)(((Next() >> 32) * (ulong)n) >> 32);
    }
}
