using Expt.Recording;
using Expt.Reporting.Statistics;
using Expt.Results;
using Expt.Specs;

namespace Expt.Reporting.Paired;

/// <summary>
/// Compares groups item by item from their jobs' per-item tables: every group against the baseline, and the winner
/// of each score column against every other group, over all items and within each split. Items pair by id within the
/// same seed (the replicate param) and cell, and the pairs of every seed are pooled; where a group pools several
/// variants, an item's scores in one seed are averaged first.
/// </summary>
internal static class PairedAnalysis
{
    /// <summary>What was compared, and what was left out of the per-item tables.</summary>
    public sealed record Result(IReadOnlyList<PairedComparison> Comparisons, IReadOnlyList<string> Warnings, int Tables);

    /// <summary>Compares the groups of pooled <paramref name="runs"/> (a replicate is a run and seed: items pair within one).</summary>
    public static Result Build(IReadOnlyList<RunRecord> runs, string stage, StudyGrouping grouping, GroupSummary? baseline, string? idName)
    {
        var warnings = new List<string>();
        // group → column (cell-qualified) → (seed, item) → the item's scores there, summed to be averaged.
        var scores = new Dictionary<string, Dictionary<string, Dictionary<(string Seed, string Item), Score>>>(StringComparer.Ordinal);
        var columns = new List<string>();
        var splits = new List<string>();
        var seeds = new HashSet<string>(StringComparer.Ordinal);
        var tables = 0;
        var jobs = runs.SelectMany((run, index) => run.Jobs.Select(job => (Run: index, Job: job)));
        foreach (var (runIndex, job) in jobs.Where(j => j.Job.Entry.Stage == stage && j.Job.Status?.ShardIndex is null && j.Job.State == JobState.Succeeded))
        {
            if (!grouping.GroupOfVariant.TryGetValue(StudyGrouping.Key(runIndex, job.Entry.Variant), out var group)) continue;
            if (PerItemFiles.Read(job.Directory, idName, warnings) is not { } table) continue;
            tables++;
            var seedValue = grouping.Over is { } over && job.Params.TryGetValue(over, out var value) ? ParamValues.ToCompactJson(value) : "";
            // Pooled runs are replicates of their own: the same seed in two runs is two replicates, not one.
            var seed = runs.Count > 1 ? $"{runIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)}:{seedValue}" : seedValue;
            seeds.Add(seed);
            var cell = StudyReportBuilder.CellSuffix(job.Status?.Cell);
            var byColumn = scores.TryGetValue(group.Name, out var g) ? g : scores[group.Name] = new(StringComparer.Ordinal);
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var column = table.Columns[c] + cell;
                if (!columns.Contains(column)) columns.Add(column);
                var items = byColumn.TryGetValue(column, out var i) ? i : byColumn[column] = [];
                foreach (var row in table.Rows)
                {
                    if (row.Scores[c] is not { } x) continue;
                    if (row.Split is not null && !splits.Contains(row.Split)) splits.Add(row.Split);
                    var key = (seed, row.Id);
                    items[key] = items.TryGetValue(key, out var s) ? s.Add(x) : new Score(x, 1, row.Split);
                }
            }
        }
        var comparisons = new List<PairedComparison>();
        foreach (var column in columns)
        {
            var direction = MetricDirections.Default(column);
            var withData = grouping.Groups.Where(g => scores.GetValueOrDefault(g.Name)?.GetValueOrDefault(column)?.Count > 0).ToList();
            var pairs = new List<(GroupSummary A, GroupSummary B, string Reason)>();
            if (baseline is not null && withData.Contains(baseline))
            {
                pairs.AddRange(withData.Where(g => g != baseline).Select(g => (g, baseline, "vs baseline")));
            }
            double MeanOf(GroupSummary g) => scores[g.Name][column].Values.Average(s => s.Mean);
            // OrderBy is stable: on equal means the group listed first is taken.
            var ranked = direction == MetricDirection.Max ? withData.OrderByDescending(MeanOf).ToList() : withData.OrderBy(MeanOf).ToList();
            if (ranked.Count > 1)
            {
                var winner = ranked[0];
                foreach (var other in ranked.Skip(1).Where(o => !pairs.Any(p => (p.A == winner && p.B == o) || (p.A == o && p.B == winner))))
                {
                    pairs.Add((winner, other, "winner vs runner-up"));
                }
            }
            foreach (var (a, b, reason) in pairs)
            {
                foreach (var split in splits.Count > 0 ? [null, .. splits] : new string?[] { null })
                {
                    if (Compare(a.Name, b.Name, column, split, scores[a.Name][column], scores[b.Name][column]) is { } comparison)
                    {
                        comparisons.Add(comparison with { Reason = reason, Seeds = Math.Max(1, seeds.Count) });
                    }
                }
            }
        }
        var holm = Holm.Adjust(comparisons.Select(c => c.P).ToList());
        return new Result(comparisons.Select((c, i) => c with { PHolm = holm[i] }).ToList(), warnings, tables);
    }

    private static PairedComparison? Compare(string a, string b, string column, string? split,
        Dictionary<(string Seed, string Item), Score> left, Dictionary<(string Seed, string Item), Score> right)
    {
        var pairs = new List<(double A, double B)>();
        foreach (var (key, x) in left)
        {
            if (split is not null && x.Split != split) continue;
            if (right.TryGetValue(key, out var y)) pairs.Add((x.Mean, y.Mean));
        }
        if (pairs.Count == 0) return null;
        var differences = pairs.Select(p => p.A - p.B).ToList();
        var (low, high) = PairedBootstrap.Interval(differences);
        var binary = pairs.All(p => p.A is 0 or 1 && p.B is 0 or 1);
        double? p = binary
            ? McNemar.PValue(pairs.Count(q => q.A == 1 && q.B == 0), pairs.Count(q => q.A == 0 && q.B == 1))
            : Wilcoxon.Test(differences)?.PValue;
        return new PairedComparison(a, b, column, split, pairs.Count, differences.Average(), [low, high], binary ? "mcnemar" : "wilcoxon", p, null);
    }

    /// <summary>An item's scores within one seed: more than one where a group pools variants.</summary>
    private readonly record struct Score(double Sum, int Count, string? Split)
    {
        public double Mean => Sum / Count;

        public Score Add(double value) => this with { Sum = Sum + value, Count = Count + 1 };
    }
}
