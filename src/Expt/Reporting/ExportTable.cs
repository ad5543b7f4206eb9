using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Recording;
using Expt.Results;

namespace Expt.Reporting;

/// <summary>Where an export column's values come from.</summary>
public enum ExportColumnSource
{
    /// <summary>A fixed field of every job (experiment, run, job, state, …).</summary>
    Field,

    /// <summary>A param from the job's config.json.</summary>
    Param,

    /// <summary>A scalar metric.</summary>
    Metric,
}

/// <summary>One column of an export.</summary>
/// <param name="Name">The column's name in the file.</param>
/// <param name="Source">Where its values come from.</param>
/// <param name="Key">The field, param or metric name it holds.</param>
public sealed record ExportColumn(string Name, ExportColumnSource Source, string Key);

/// <summary>
/// <c>expt export</c>'s table: one row per job of a run. Columns, in this order: the fixed fields
/// (<see cref="Fields"/>), the params in spec order, the metrics sorted by name. A param is named as it is, a metric
/// too, except on a clash: a param that has a fixed field's name becomes <c>param.NAME</c>, and a metric whose
/// name is already a column (a fixed field or a param) becomes <c>metric.NAME</c>.
/// </summary>
/// <param name="Columns">The union of every job's columns, in the stable order above.</param>
/// <param name="Rows">One per job in manifest order: column name → typed value (null when the job has none).</param>
public sealed record ExportTable(IReadOnlyList<ExportColumn> Columns, IReadOnlyList<IReadOnlyDictionary<string, JsonNode?>> Rows)
{
    /// <summary>The fixed fields, in column order.</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        "experiment", "run", "job", "variant", "kind", "stage", "state", "attempts", "exit_code", "started", "ended",
        "wall_seconds", "cpu_seconds", "gpu_seconds", "peak_rss_mb",
    ];

    /// <summary>Files of the run's jobs left unread, each as <c>path: why</c> (see <see cref="JobRecord.FilesNotRead"/>).</summary>
    public IReadOnlyList<string> NotRead { get; init; } = [];

    /// <summary>The table of a run (reads every job's metrics).</summary>
    public static ExportTable From(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var read = run.Jobs.Select(j => j.ReadMetrics()).ToList();
        var metrics = read.Select(m => m.Scalars).ToList();
        var specOrder = RunSpecText.Read(run.Directory).ParamOrder;
        var paramNames = specOrder.Where(p => run.Jobs.Any(j => j.Params.ContainsKey(p)))
            .Concat(run.Jobs.SelectMany(j => j.Params.Keys)).Distinct(StringComparer.Ordinal).ToList();
        var metricNames = metrics.SelectMany(m => m.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var columns = Layout(paramNames, metricNames);

        var rows = new List<IReadOnlyDictionary<string, JsonNode?>>();
        for (var i = 0; i < run.Jobs.Count; i++)
        {
            var job = run.Jobs[i];
            var row = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var column in columns)
            {
                row[column.Name] = column.Source switch
                {
                    ExportColumnSource.Field => Field(run, job, column.Key),
                    ExportColumnSource.Param => job.Params.TryGetValue(column.Key, out var p) ? p?.DeepClone() : null,
                    _ => metrics[i].TryGetValue(column.Key, out var m) ? ToJson(m) : null,
                };
            }
            rows.Add(row);
        }
        return new ExportTable(columns, rows) { NotRead = run.Jobs.SelectMany((j, i) => j.FilesNotRead(read[i])).ToList() };
    }

    /// <summary>Names the columns (see the type's summary for the rule).</summary>
    public static IReadOnlyList<ExportColumn> Layout(IReadOnlyList<string> paramNames, IReadOnlyList<string> metricNames)
    {
        ArgumentNullException.ThrowIfNull(paramNames);
        ArgumentNullException.ThrowIfNull(metricNames);
        var columns = Fields.Select(f => new ExportColumn(f, ExportColumnSource.Field, f)).ToList();
        var taken = new HashSet<string>(Fields, StringComparer.Ordinal);
        foreach (var p in paramNames) columns.Add(new ExportColumn(Claim(taken, "param.", p), ExportColumnSource.Param, p));
        foreach (var m in metricNames) columns.Add(new ExportColumn(Claim(taken, "metric.", m), ExportColumnSource.Metric, m));
        return columns;
    }

    /// <summary>
    /// A metric value as typed JSON; NaN and infinities as the strings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> (JSON
    /// has no such numbers). A number the job wrote as a whole number stays an integer (<c>5</c>), any other stays a float
    /// (<c>5.0</c>), so a reader gets the type the job wrote.
    /// </summary>
    public static JsonNode ToJson(MetricValue value) => value.Kind switch
    {
        MetricKind.Number when value.IsInteger => JsonValue.Create((long)value.AsNumber!.Value),
        MetricKind.Number when double.IsFinite(value.AsNumber!.Value) => JsonValue.Create(value.AsNumber.Value),
        MetricKind.Number => JsonValue.Create(Specs.ParamValues.FormatDouble(value.AsNumber!.Value, forJson: true)),
        MetricKind.Boolean => JsonValue.Create(value.AsBoolean!.Value),
        _ => JsonValue.Create(value.AsText!),
    };

    /// <summary>An instant as exported: ISO 8601 in UTC with milliseconds (<c>2026-11-29T21:12:00.123Z</c>).</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // Prefixing again on a second clash (a metric literally named "metric.x" beside a metric column "metric.x") keeps names unique.
    private static string Claim(HashSet<string> taken, string prefix, string name)
    {
        var column = name;
        while (!taken.Add(column)) column = prefix + column;
        return column;
    }

    private static JsonNode? Field(RunRecord run, JobRecord job, string field)
    {
        var s = job.Status;
        var accounting = s?.Accounting;
        return field switch
        {
            "experiment" => run.Experiment,
            "run" => run.RunId,
            "job" => job.Id,
            "variant" => job.Entry.Variant,
            "kind" => s?.Kind ?? job.Entry.Kind,
            "stage" => job.Entry.Stage,
            "state" => job.State.Name(),
            "attempts" => s?.Attempt ?? job.Entry.Attempts,
            "exit_code" => s?.ExitCode ?? job.Entry.ExitCode,
            "started" => (s?.StartedAt ?? job.Entry.Started) is { } started ? FormatTime(started) : null,
            "ended" => (s?.EndedAt ?? job.Entry.Ended) is { } ended ? FormatTime(ended) : null,
            "wall_seconds" => job.WallSeconds,
            "cpu_seconds" => accounting?.CpuSeconds,
            "gpu_seconds" => accounting?.GpuSeconds,
            "peak_rss_mb" => accounting?.PeakRssMb,
            _ => null,
        };
    }
}
