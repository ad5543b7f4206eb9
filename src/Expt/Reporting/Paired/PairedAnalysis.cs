using Expt.Recording;
using Expt.Reporting.Statistics;
using Expt.Results;
using Expt.Specs;

namespace Expt.Reporting.Paired;

/// <summary>
/// Compares groups item by item from their jobs' per-item tables: every group against the baseline, and the winner
/// of each score column against every other group, over all items and within each split. The item is the unit: an
/// item's difference is taken within each seed (the replicate param) and cell both sides scored it in, then averaged
/// over those seeds, so the interval and the test see one difference per item (the same item in three seeds is not
/// three independent items). Where a group pools several variants, an item's scores in one seed are averaged first.
/// </summary>
internal static class PairedAnalysis
{
    /// <summary>The <c>why</c> of the winner's pair with the second best group.</summary>
    public const string RunnerUp = "winner vs runner-up";

    /// <summary>The <c>why</c> of the winner's pair with a group ranked below the second.</summary>
    public const string Other = "winner vs other";

    /// <summary>What was compared, and what was left out of the per-item tables.</summary>
    public sealed record Result(IReadOnlyList<PairedComparison> Comparisons, IReadOnlyList<string> Warnings, int Tables);

    /// <summary>
    /// Compares the groups of pooled <paramref name="runs"/> (a replicate is a run and seed: items pair within one);
    /// <paramref name="direction"/> says which way is better for a (cell-qualified) score column: the report's
    /// direction where the spec's <c>metrics:</c> or <c>--metric</c> name the column, else the name rules.
    /// </summary>
    public static Result Build(IReadOnlyList<RunRecord> runs, string stage, StudyGrouping grouping, GroupSummary? baseline, string? idName,
        Func<string, MetricDirection> direction)
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
            var better = direction(column);
            var withData = grouping.Groups.Where(g => scores.GetValueOrDefault(g.Name)?.GetValueOrDefault(column)?.Count > 0).ToList();
            var pairs = new List<(GroupSummary A, GroupSummary B, string Reason)>();
            if (baseline is not null && withData.Contains(baseline))
            {
                pairs.AddRange(withData.Where(g => g != baseline).Select(g => (g, baseline, "vs baseline")));
            }
            double MeanOf(GroupSummary g) => scores[g.Name][column].Values.Average(s => s.Mean);
            // OrderBy is stable: on equal means the group listed first is taken.
            var ranked = better == MetricDirection.Max ? withData.OrderByDescending(MeanOf).ToList() : withData.OrderBy(MeanOf).ToList();
            if (ranked.Count > 1)
            {
                var winner = ranked[0];
                // Only the second best is the runner-up; the winner's pairs with the rest are "winner vs other".
                foreach (var (other, rank) in ranked.Select((g, i) => (g, i)).Skip(1).Where(o => !pairs.Any(p => (p.A == winner && p.B == o.g) || (p.A == o.g && p.B == winner))))
                {
                    pairs.Add((winner, other, rank == 1 ? RunnerUp : Other));
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
        // item → the sums over the seeds both sides scored it in; the item's split is the one the first group gives it.
        var items = new Dictionary<string, (double A, double B, int Seeds)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (key, x) in left)
        {
            if (split is not null && x.Split != split) continue;
            if (!right.TryGetValue(key, out var y)) continue;
            if (items.TryGetValue(key.Item, out var sum)) items[key.Item] = (sum.A + x.Mean, sum.B + y.Mean, sum.Seeds + 1);
            else
            {
                items[key.Item] = (x.Mean, y.Mean, 1);
                order.Add(key.Item);
            }
        }
        if (order.Count == 0) return null;
        var pairs = order.Select(i => items[i]).Select(s => (A: s.A / s.Seeds, B: s.B / s.Seeds)).ToList();
        var differences = pairs.Select(p => p.A - p.B).ToList();
        var (low, high) = PairedBootstrap.Interval(differences);
        // With several seeds an item's mean is 0/1 only where every seed agrees; otherwise the differences go to Wilcoxon.
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
