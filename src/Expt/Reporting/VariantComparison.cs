using Expt.Metrics;
using Expt.Results;

namespace Expt.Reporting;

/// <summary>One variant across the runs of a comparison: every metric of its jobs, a value per run and the deltas.</summary>
/// <param name="Variant">The variant's name.</param>
/// <param name="Metrics">One row per metric the table has (see <see cref="RunComparison.VariantMetrics"/>), in that order; values are null where a run has none.</param>
public sealed record VariantComparison(string Variant, IReadOnlyList<MetricRow> Metrics)
{
    /// <summary>
    /// The variant table of run comparisons: one row per variant (in the order of the first run that has it), one
    /// numeric metric per (stage,) name and cell, taken from the jobs matched across runs. A metric's name is qualified
    /// by its cell (<c>accuracy[task=a]</c>, as in <c>expt report</c>) and, when several stages have a metric of that
    /// name, by its stage (<c>eval.loss</c>). Shards are left out: the merge job speaks for them.
    /// </summary>
    internal static (List<VariantComparison> Rows, List<string> Names) Of(IReadOnlyList<(IReadOnlyList<JobRecord?> Jobs, JobComparison Comparison)> matched)
    {
        var entries = matched.Select(m => (Job: m.Jobs.First(j => j is not null)!, m.Comparison))
            .Where(m => m.Job.Status?.ShardIndex is null && m.Comparison.Metrics.Count > 0).ToList();
        // A stage's name is added only where two stages have a metric of the same name (train's loss, eval's loss).
        var stagesOf = entries.SelectMany(e => e.Comparison.Metrics.Select(m => (Name: m.Name + StudyReportBuilder.CellSuffix(e.Job.Status?.Cell), e.Job.Entry.Stage)))
            .GroupBy(x => x.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Stage).Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
        var names = new List<string>();
        var byVariant = new Dictionary<string, Dictionary<string, MetricRow>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (job, comparison) in entries)
        {
            var variant = job.Entry.Variant;
            if (!byVariant.TryGetValue(variant, out var rows))
            {
                byVariant[variant] = rows = new Dictionary<string, MetricRow>(StringComparer.Ordinal);
                order.Add(variant);
            }
            var suffix = StudyReportBuilder.CellSuffix(job.Status?.Cell);
            // Numbers only, as in expt report: a text metric (a task's name) has no delta to show.
            foreach (var metric in comparison.Metrics.Where(m => m.Values.Any(v => v?.AsNumber is not null)))
            {
                var name = (stagesOf[metric.Name + suffix] > 1 ? job.Entry.Stage + "." : "") + metric.Name + suffix;
                if (!names.Contains(name, StringComparer.Ordinal)) names.Add(name);
                rows.TryAdd(name, metric with { Name = name });
            }
        }
        names.Sort(StringComparer.Ordinal);
        var sides = matched.Count == 0 ? 0 : matched[0].Jobs.Count;
        var table = order.Select(v => new VariantComparison(v, names
            .Select(n => byVariant[v].TryGetValue(n, out var row) ? row : MetricRow.Of(n, Enumerable.Repeat<MetricValue?>(null, sides).ToList()))
            .ToList())).ToList();
        return (table, names);
    }
}
