namespace Expt.Metrics;

/// <summary>The JSON type a metric value had when it was read.</summary>
public enum MetricKind
{
    /// <summary>A number (JSON number, or Python's <c>NaN</c>/<c>Infinity</c> literals).</summary>
    Number,

    /// <summary>A string.</summary>
    Text,

    /// <summary>A boolean.</summary>
    Boolean,
}
