namespace Expt.Reporting;

/// <summary>Which way a metric is better.</summary>
public enum MetricDirection
{
    /// <summary>Higher is better (accuracy, reward).</summary>
    Max,

    /// <summary>Lower is better (loss, error, time).</summary>
    Min,
}

/// <summary>The direction of a metric nobody gave one for.</summary>
public static class MetricDirections
{
    /// <summary>Parts of a name that mean lower is better; anything else is taken as higher is better.</summary>
    public static readonly IReadOnlyList<string> LowerIsBetter = ["loss", "err", "perplexity", "ppl", "nll", "mse", "mae", "regret", "time", "latency", "seconds", "duration"];

    /// <summary>
    /// <see cref="MetricDirection.Min"/> when the metric's name (without a cell qualifier such as
    /// <c>[task=timeline]</c>) contains one of <see cref="LowerIsBetter"/>, ignoring case; else
    /// <see cref="MetricDirection.Max"/>.
    /// </summary>
    public static MetricDirection Default(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var cut = metric.IndexOf('[', StringComparison.Ordinal);
        var name = cut > 0 ? metric[..cut] : metric;
        return LowerIsBetter.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)) ? MetricDirection.Min : MetricDirection.Max;
    }
}
