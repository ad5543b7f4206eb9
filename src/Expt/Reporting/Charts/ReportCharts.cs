using System.Globalization;
using System.Text;
using Expt.Reporting.Effects;
using ScottPlot;

namespace Expt.Reporting.Charts;

/// <summary>
/// The charts of a study report, all of its primary (first) metric: the metric against each numeric factor, every
/// group with its interval and the baseline marked, and cost against the metric with the Pareto front.
/// </summary>
public static class ReportCharts
{
    /// <summary>Levels spanning this ratio or more (two decades) get a logarithmic axis.</summary>
    public const double LogSpan = 100;

    private static readonly Color Ink = Color.FromHex("#1f2328");
    private static readonly Color Muted = Color.FromHex("#8c959f");
    private static readonly Color Highlight = Color.FromHex("#cf222e");
    private static readonly Color Bar = Color.FromHex("#0969da");

    /// <summary>The charts <paramref name="report"/> can draw; empty when no metric has a value.</summary>
    public static IReadOnlyList<ReportChart> Of(StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // The primary metric leads the report; an info metric (an item count) is never what a chart compares.
        var metric = report.Metrics.FirstOrDefault(m => !m.Info && m.Groups.Any(g => g.Stats.Mean is not null));
        if (metric is null) return [];
        var charts = new List<ReportChart>();
        var effects = report.Effects.Metrics.FirstOrDefault(e => e.Metric == metric.Name);
        if (effects is not null)
        {
            foreach (var factor in effects.Main.Where(f => f.Numeric && f.Levels.Count(l => l.Stats.Mean is not null) >= 2))
            {
                var other = effects.Interactions.FirstOrDefault(i => i.A == factor.Factor || i.B == factor.Factor);
                charts.Add(new ReportChart($"effect-{FileName(factor.Factor)}", $"{metric.Name} against {factor.Factor}", () => FactorPlot.Draw(metric.Name, factor, other)));
            }
        }
        charts.Add(new ReportChart("groups", $"{metric.Name} of every group", () => GroupsPlot(report, metric)));
        if (CostPoints(report, metric).Count >= 2)
        {
            charts.Add(new ReportChart("cost", $"wall time against {metric.Name}", () => CostPlot(report, metric)));
        }
        return charts;
    }

    // Horizontal bars: group names are long (every param of the group), and read best on the left axis.
    private static Plot GroupsPlot(StudyReport report, MetricSummary metric)
    {
        var rows = metric.Groups.Where(g => g.Stats.Mean is not null).ToList();
        var plot = NewPlot($"{metric.Name} by group ({(rows.Any(g => g.Stats.CiHigh is not null) ? "mean, 95% CI" : "mean; no replicates, no interval")})", metric.Name, "");
        // The first group on top, as in the tables.
        double Position(int i) => rows.Count - 1 - i;
        var bars = rows.Select((g, i) => new ScottPlot.Bar
        {
            Position = Position(i),
            Value = g.Stats.Mean!.Value,
            FillColor = g.Group == report.Baseline ? Muted : Bar,
            LineWidth = 0,
        }).ToList();
        plot.Add.Bars(bars).Horizontal = true;
        // The interval as a line with end caps across each bar's end (the bars' own error marks are vertical only).
        foreach (var (g, i) in rows.Select((g, i) => (g, i)).Where(p => p.g.Stats.CiLow is not null && p.g.Stats.CiHigh is not null))
        {
            var (lo, hi, y) = (g.Stats.CiLow!.Value, g.Stats.CiHigh!.Value, Position(i));
            foreach (var (x1, y1, x2, y2) in new[] { (lo, y, hi, y), (lo, y - 0.15, lo, y + 0.15), (hi, y - 0.15, hi, y + 0.15) })
            {
                var segment = plot.Add.Line(x1, y1, x2, y2);
                segment.LineColor = Ink;
                segment.LineWidth = 1.5f;
                segment.MarkerSize = 0;
            }
        }
        if (rows.FirstOrDefault(g => g.Group == report.Baseline) is { } baseline)
        {
            var line = plot.Add.VerticalLine(baseline.Stats.Mean!.Value, 1.5f, Highlight, LinePattern.Dashed);
            line.LegendText = $"baseline ({baseline.Group})";
            plot.ShowLegend(Edge.Bottom);
        }
        plot.Axes.Left.SetTicks(rows.Select((_, i) => Position(i)).ToArray(), rows.Select(g => Short(g.Group)).ToArray());
        plot.Axes.Margins(left: 0);
        return plot;
    }

    private static List<(string Group, double Cost, double Mean)> CostPoints(StudyReport report, MetricSummary metric)
    {
        var groups = report.Groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        return metric.Groups.Where(g => g.Stats.Mean is not null && groups[g.Group].Cost is { WallSeconds: { } w, Jobs: > 0 })
            .Select(g => (g.Group, groups[g.Group].Cost.WallSeconds!.Value / groups[g.Group].Cost.Jobs, g.Stats.Mean!.Value)).ToList();
    }

    private static Plot CostPlot(StudyReport report, MetricSummary metric)
    {
        var points = CostPoints(report, metric);
        var plot = NewPlot($"cost against {metric.Name} (Pareto front in red)", "wall seconds per job", metric.Name);
        var all = plot.Add.ScatterPoints(points.Select(p => p.Cost).ToArray(), points.Select(p => p.Mean).ToArray(), Muted);
        all.MarkerSize = 9;
        var front = Pareto.Front(points.Select(p => (p.Cost, p.Mean)).ToList(), metric.Direction);
        var line = plot.Add.Scatter(front.Select(i => points[i].Cost).ToArray(), front.Select(i => points[i].Mean).ToArray(), Highlight);
        line.MarkerSize = 11;
        line.LineWidth = 2;
        line.LegendText = "Pareto front";
        // Only the front is labelled: the points worth choosing, and fewer labels to collide.
        var (cheapest, costliest) = (points.Min(p => p.Cost), points.Max(p => p.Cost));
        foreach (var p in front.Select(i => points[i]))
        {
            var label = plot.Add.Text(Short(p.Group), p.Cost, p.Mean);
            label.LabelFontSize = 11;
            label.LabelFontColor = Ink;
            // Labels of the costlier half go to the left of their point, so none runs off the right edge; above or below
            // it on the side the front's line does not pass (it rises to the right when higher is better).
            var left = costliest > cheapest && p.Cost > (cheapest + costliest) / 2;
            var rising = metric.Direction == MetricDirection.Max;
            label.LabelAlignment = (left, rising) switch
            {
                (true, true) => Alignment.LowerRight,
                (true, false) => Alignment.UpperRight,
                (false, true) => Alignment.UpperLeft,
                (false, false) => Alignment.LowerLeft,
            };
            label.LabelOffsetX = left ? -6 : 6;
        }
        plot.ShowLegend(Edge.Bottom);
        // Room on the right for the labels of the costliest points.
        plot.Axes.Margins(horizontal: 0.25, vertical: 0.1);
        return plot;
    }

    /// <summary>A plot with the report's look: a title, labelled axes, fixed fonts (the same input draws the same picture).</summary>
    internal static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title, 15);
        plot.XLabel(x, 13);
        plot.YLabel(y, 13);
        return plot;
    }

    /// <summary>A name safe in a file name and a URL: letters, digits, <c>-</c> and <c>_</c>; others become <c>_</c>.</summary>
    public static string FileName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var o = new StringBuilder();
        foreach (var c in name) o.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        return o.Length == 0 ? "_" : o.ToString();
    }

    /// <summary>A label short enough for an axis: long group names are cut with an ellipsis.</summary>
    internal static string Short(string label) => label.Length <= 40 ? label : label[..39] + "…";

    internal static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
