namespace Expt.Reporting;

/// <summary>A metric asked for by name, with the direction that makes it better when given.</summary>
/// <param name="Name">The metric's name, cell-qualified (<c>accuracy[task=mmlu]</c>) or not (every cell).</param>
/// <param name="Direction">Which way is better; null for the default of <see cref="MetricDirections.Default"/>.</param>
public sealed record MetricRequest(string Name, MetricDirection? Direction)
{
    /// <summary>Reads <c>NAME</c>, <c>NAME:max</c> or <c>NAME:min</c>.</summary>
    public static MetricRequest Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.LastIndexOf(':');
        if (cut > 0)
        {
            var suffix = text[(cut + 1)..];
            if (suffix.Equals("max", StringComparison.OrdinalIgnoreCase)) return new MetricRequest(text[..cut], MetricDirection.Max);
            if (suffix.Equals("min", StringComparison.OrdinalIgnoreCase)) return new MetricRequest(text[..cut], MetricDirection.Min);
        }
        return new MetricRequest(text, null);
    }
}

/// <summary>What a study report covers and how it groups; every field is optional.</summary>
public sealed record StudyOptions
{
    /// <summary>How many metrics a report shows when none are named.</summary>
    public const int DefaultMaxMetrics = 8;

    /// <summary>The metrics to report, in this order; empty for every numeric metric (at most <see cref="MaxMetrics"/>).</summary>
    public IReadOnlyList<MetricRequest> Metrics { get; init; } = [];

    /// <summary>Params that make up a group; empty for every param that varies, except <see cref="Over"/>.</summary>
    public IReadOnlyList<string> By { get; init; } = [];

    /// <summary>The replicate param whose values are pooled in a group; null for <c>seed</c> when it varies.</summary>
    public string? Over { get; init; }

    /// <summary>A variant or group name, or <c>kind:KIND</c>; null for the variants of kind <c>control</c>.</summary>
    public string? Baseline { get; init; }

    /// <summary>The stage whose jobs' metrics are reported; null for the last stage with metrics.</summary>
    public string? Stage { get; init; }

    /// <summary>How many metrics a report shows when none are named.</summary>
    public int MaxMetrics { get; init; } = DefaultMaxMetrics;
}
