namespace Expt.Reporting.Charts;

/// <summary>The Pareto front of cost against a metric: the points no other point beats on both.</summary>
public static class Pareto
{
    /// <summary>
    /// Indices of the points on the front, by ascending cost: a point is on it when no other costs no more and scores
    /// at least as well, being strictly better on one of the two.
    /// </summary>
    public static IReadOnlyList<int> Front(IReadOnlyList<(double Cost, double Metric)> points, MetricDirection direction)
    {
        ArgumentNullException.ThrowIfNull(points);
        double Score(int i) => direction == MetricDirection.Max ? points[i].Metric : -points[i].Metric;
        bool Dominates(int a, int b) => points[a].Cost <= points[b].Cost && Score(a) >= Score(b) && (points[a].Cost < points[b].Cost || Score(a) > Score(b));
        return Enumerable.Range(0, points.Count).Where(i => !Enumerable.Range(0, points.Count).Any(j => j != i && Dominates(j, i)))
            .OrderBy(i => points[i].Cost).ThenByDescending(Score).ToList();
    }
}
