namespace Expt.Reporting.Pooling;

/// <summary>The best groups of a metric: co-winners when their means tie.</summary>
internal static class Ranking
{
    /// <summary>
    /// Means within this relative distance of each other tie: <c>1291/1350</c> summed in two orders differs in its
    /// last bit, which is no win.
    /// </summary>
    public const double RelativeTie = 1e-9;

    /// <summary>Whether two means tie: |a − b| ≤ 1e-9 · max(|a|, |b|) (so equal means, zeros included, tie).</summary>
    public static bool Tie(double a, double b) => a == b || Math.Abs(a - b) <= RelativeTie * Math.Max(Math.Abs(a), Math.Abs(b));

    /// <summary>
    /// The metric's summary with its winner: the first co-winner (in group order), the co-winners all named in
    /// <see cref="MetricSummary.Winners"/>, and the margin and Welch's test against the best group that is not one.
    /// </summary>
    public static MetricSummary Summarize(string name, MetricDirection direction, IReadOnlyList<GroupStats> rows)
    {
        // OrderBy is stable: co-winners keep their group order.
        var ranked = rows.Where(r => r.Stats.Mean is not null);
        ranked = direction == MetricDirection.Max ? ranked.OrderByDescending(r => r.Stats.Mean) : ranked.OrderBy(r => r.Stats.Mean);
        var list = ranked.ToList();
        if (list.Count == 0) return new MetricSummary(name, direction, rows, null);
        var best = list[0].Stats.Mean!.Value;
        var winners = list.TakeWhile(r => Tie(r.Stats.Mean!.Value, best)).ToList();
        // Co-winners in group order, not in the order their last bits happened to sort them.
        winners = [.. winners.OrderBy(w => rows.ToList().IndexOf(w))];
        var first = winners[0];
        var runnerUp = list.Skip(winners.Count).FirstOrDefault();
        var winner = runnerUp is null
            ? new Winner(first.Group, first.Stats.Mean!.Value, null, null, null, null)
            : new Winner(first.Group, first.Stats.Mean!.Value, runnerUp.Group, runnerUp.Stats.Mean,
                Delta.Of(runnerUp.Stats.Mean, first.Stats.Mean), Welch.Test(first.Values, runnerUp.Values));
        return new MetricSummary(name, direction, rows, winner) { Winners = winners.Select(w => w.Group).ToList() };
    }
}
