using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Catalog;
using Microsoft.Data.Sqlite;

namespace Expt.Design;

/// <summary>
/// The history <c>expt design</c> estimates from: every succeeded job of the same experiment in the catalog of the
/// results root, with its params and what it cost. The catalog is brought up to date from the files first, as every
/// listing does.
/// </summary>
public static class JobHistory
{
    /// <summary>The most jobs read; the newest runs' are kept.</summary>
    public const int MaxJobs = 50_000;

    /// <summary>
    /// Every succeeded job of <paramref name="experiment"/>'s runs under <paramref name="resultsRoot"/>, newest runs
    /// first, at most <see cref="MaxJobs"/>. A results root that does not exist, or holds no run of the experiment,
    /// gives an empty history (nothing is created); a catalog that cannot be read gives an empty history and a warning.
    /// A job without a recorded wall time is left out.
    /// </summary>
    public static HistoryRead Read(string resultsRoot, string experiment) => Read(resultsRoot, experiment, MaxJobs);

    /// <summary><see cref="Read(string, string)"/> with another bound (tests).</summary>
    internal static HistoryRead Read(string resultsRoot, string experiment, int maxJobs)
    {
        ArgumentNullException.ThrowIfNull(resultsRoot);
        ArgumentNullException.ThrowIfNull(experiment);
        // Nothing ran here yet: no reason to create a results root and a catalog to say so.
        if (!Directory.Exists(resultsRoot)) return HistoryRead.Empty;
        try
        {
            return CatalogStore.Use(resultsRoot, (store, refresh) =>
            {
                var warnings = new List<string>();
                if (store.Warning is { } warning) warnings.Add(warning);
                warnings.AddRange(refresh.Problems.Select(p => $"a run could not be read, its jobs are not in the history: {p}"));
                // Newest runs first; one row more than kept tells whether any was cut.
                var rows = CatalogQuery.Jobs(store, new CatalogFilter(experiment, "state = succeeded", "-created", maxJobs + 1));
                return FromRows(rows, maxJobs, warnings);
            });
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return HistoryRead.Empty with { Warnings = [$"the catalog of {resultsRoot} could not be read, so no earlier run is used: {e.Message}"] };
        }
    }

    private static HistoryRead FromRows(IReadOnlyList<JobRow> rows, int maxJobs, List<string> warnings)
    {
        var jobs = new List<HistoryJob>(Math.Min(rows.Count, maxJobs));
        var runs = new HashSet<string>(StringComparer.Ordinal);
        var noWall = 0;
        foreach (var row in rows.Take(maxJobs))
        {
            if (row.Duration is not { } wall)
            {
                noWall++;
                continue;
            }
            runs.Add(row.RunId);
            jobs.Add(new HistoryJob(row.RunId, row.Id, row.Stage, Params(row), new JobMeasures(wall, row.CpuSeconds, row.GpuSeconds, row.PeakRssMb, row.OutputBytes)));
        }
        if (rows.Count > maxJobs)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"only the newest {maxJobs} succeeded jobs of the experiment are used; older ones are left out"));
        }
        if (noWall > 0) warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{noWall} succeeded job(s) have no recorded wall time and are not used"));
        return new HistoryRead(jobs, runs.Count, warnings);
    }

    private static Dictionary<string, JsonNode?> Params(JobRow row)
    {
        var values = new Dictionary<string, JsonNode?>(row.Params.Count, StringComparer.Ordinal);
        foreach (var (name, value) in row.Params)
        {
            try
            {
                values[name] = value.ToJson();
            }
            catch (JsonException)
            {
                // A list or map whose stored JSON does not parse: as its text rather than not at all.
                values[name] = JsonValue.Create(value.Text);
            }
        }
        return values;
    }
}
