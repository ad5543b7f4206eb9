namespace Expt.Reporting;

/// <summary>
/// How text tables that mix params and metrics (<c>expt ls --jobs</c>, <c>expt show</c>, <c>expt compare</c>) label
/// them. A name that is both a param and a metric of the result set is <c>param.NAME</c> on the param and
/// <c>metric.NAME</c> on the metric, whether or not either column is shown: a table whose unchanging param column is
/// hidden must not present the metric as the param. A param or metric named like a built-in column
/// (<see cref="BuiltIn"/>: <c>state</c>, <c>job</c>, <c>time</c>…) is prefixed too, as <c>expt export</c> does.
/// </summary>
public sealed class ColumnLabels
{
    /// <summary>
    /// The built-in columns of the report tables and exports, in any letter case (table headers are upper case):
    /// <see cref="ExportTable.Fields"/>, plus <c>time</c> and <c>duration</c> (job tables), <c>metric</c> and
    /// <c>param</c> (compare's first columns).
    /// </summary>
    public static readonly IReadOnlySet<string> BuiltIn =
        new HashSet<string>([.. ExportTable.Fields, "time", "duration", "metric", "param"], StringComparer.OrdinalIgnoreCase);

    private readonly HashSet<string> _both;

    /// <summary>Labels for a result set with these params and metrics (every one, shown or not).</summary>
    public ColumnLabels(IEnumerable<string> paramNames, IEnumerable<string> metricNames)
    {
        ArgumentNullException.ThrowIfNull(paramNames);
        ArgumentNullException.ThrowIfNull(metricNames);
        _both = new HashSet<string>(paramNames, StringComparer.Ordinal);
        _both.IntersectWith(metricNames);
    }

    /// <summary>A param's label: its name, or <c>param.NAME</c> when it is also a metric or a built-in column's name.</summary>
    public string Param(string name) => Clashes(name) ? "param." + name : name;

    /// <summary>A metric's label: its name, or <c>metric.NAME</c> when it is also a param or a built-in column's name.</summary>
    public string Metric(string name) => Clashes(name) ? "metric." + name : name;

    private bool Clashes(string name) => _both.Contains(name) || BuiltIn.Contains(name);
}
