using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Recording;
using Expt.Results;
using Expt.Specs;

namespace Expt.Reporting;

/// <summary>One job matched across the sides of a comparison.</summary>
/// <param name="Job">The job id relative to its run (the first present side's, when single jobs are compared).</param>
/// <param name="JobIds">Each side's job id; null where the side has no such job.</param>
/// <param name="States">Each side's state (snake_case); null where absent.</param>
/// <param name="Params">The params whose values differ between the sides that have the job (only those).</param>
/// <param name="Metrics">Every scalar metric any side has, sorted by name, with deltas against the first side.</param>
/// <param name="Compute">Wall, CPU and GPU seconds and peak RSS (MiB), with deltas against the first side.</param>
public sealed record JobComparison(
    string Job,
    IReadOnlyList<string?> JobIds,
    IReadOnlyList<string?> States,
    IReadOnlyList<ParamRow> Params,
    IReadOnlyList<MetricRow> Metrics,
    IReadOnlyList<MetricRow> Compute)
{
    /// <summary>The compute measures, in display order.</summary>
    public static readonly IReadOnlyList<string> ComputeNames = ["wall_seconds", "cpu_seconds", "gpu_seconds", "peak_rss_mb"];

    /// <summary>How many sides have the job.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int PresentCount => JobIds.Count(j => j is not null);

    /// <summary>Compares one job across sides (a null entry: the side has no such job).</summary>
    public static JobComparison Of(string job, IReadOnlyList<JobRecord?> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var metrics = jobs.Select(j => j?.ReadMetrics().Scalars).ToList();
        var names = metrics.Where(m => m is not null).SelectMany(m => m!.Keys).Distinct().Order(StringComparer.Ordinal);
        var metricRows = names.Select(n => MetricRow.Of(n, metrics.Select(m => m is not null && m.TryGetValue(n, out var v) ? v : (MetricValue?)null).ToList())).ToList();
        var compute = ComputeNames.Select(n => MetricRow.Of(n, jobs.Select(j => Measure(j, n) is { } d ? MetricValue.FromNumber(d) : (MetricValue?)null).ToList()))
            .Where(r => r.Values.Any(v => v is not null)).ToList();
        return new JobComparison(job, jobs.Select(j => j?.Id).ToList(), jobs.Select(j => j?.State.Name()).ToList(),
            DifferingParams(jobs.Select(j => j?.Params).ToList()), metricRows, compute);
    }

    /// <summary>
    /// The params that differ between the sides that have a value set: a param one side lacks differs; values are
    /// compared as JSON (<c>1</c> and <c>1.0</c> are equal). Sides with a null set (no such job) are ignored.
    /// Order: as in the first side's config, then params only later sides have.
    /// </summary>
    public static IReadOnlyList<ParamRow> DifferingParams(IReadOnlyList<IReadOnlyDictionary<string, JsonNode?>?> sides)
    {
        ArgumentNullException.ThrowIfNull(sides);
        var present = sides.Where(s => s is not null).Select(s => s!).ToList();
        var names = present.SelectMany(s => s.Keys).Distinct(StringComparer.Ordinal);
        var rows = new List<ParamRow>();
        foreach (var name in names)
        {
            var has = present.Select(s => s.ContainsKey(name)).ToList();
            var values = present.Where(s => s.ContainsKey(name)).Select(s => s[name]).ToList();
            var differs = has.Contains(false) || values.Skip(1).Any(v => !ParamValues.AreEqual(values[0], v));
            if (!differs) continue;
            rows.Add(new ParamRow(name,
                sides.Select(s => s is not null && s.TryGetValue(name, out var v) ? v?.DeepClone() : null).ToList(),
                sides.Select(s => s is not null && s.ContainsKey(name)).ToList()));
        }
        return rows;
    }

    private static double? Measure(JobRecord? job, string name) => job is null ? null : name switch
    {
        "wall_seconds" => job.WallSeconds,
        "cpu_seconds" => job.Status?.Accounting?.CpuSeconds,
        "gpu_seconds" => job.Status?.Accounting?.GpuSeconds,
        "peak_rss_mb" => job.Status?.Accounting?.PeakRssMb,
        _ => null,
    };
}
