using Expt.Reporting.Effects;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Expt.Reporting.Charts;

/// <summary>A metric against a numeric factor: one line per level of another factor (or one line), with 95% CI bars.</summary>
internal static class FactorPlot
{
    public static Plot Draw(string metric, FactorEffect factor, Interaction? other)
    {
        var numbers = factor.Levels.Select(l => EffectsBuilder.NumberOf(l.Level)!.Value).ToList();
        var positive = numbers.All(n => n > 0);
        var log = positive && numbers.Max() / numbers.Min() >= ReportCharts.LogSpan;
        double X(double v) => log ? Math.Log10(v) : v;
        var xOf = factor.Levels.Select((l, i) => (l.Label, X: X(numbers[i]))).ToDictionary(p => p.Label, p => p.X, StringComparer.Ordinal);
        var intervals = factor.Levels.Any(l => l.Stats.CiHigh is not null);
        var plot = ReportCharts.NewPlot($"{metric} against {factor.Factor} ({(intervals ? "mean, 95% CI" : "mean; no replicates, no interval")})", factor.Factor + (log ? " (log scale)" : ""), metric);
        if (other is null) Line(plot, factor.Levels.Select(l => (xOf[l.Label], l.Stats)).ToList(), null, 0);
        else
        {
            var mine = other.A == factor.Factor;
            var series = other.Cells.GroupBy(c => mine ? c.B : c.A).ToList();
            for (var i = 0; i < series.Count; i++)
            {
                var points = series[i].Select(c => (xOf[mine ? c.A : c.B], c.Stats)).OrderBy(p => p.Item1).ToList();
                Line(plot, points, $"{(mine ? other.B : other.A)}={series[i].Key}", i);
            }
            // Below the axes: inside them it can hide a point.
            plot.ShowLegend(Edge.Bottom);
        }
        if (log)
        {
            plot.Axes.Bottom.TickGenerator = new NumericAutomatic
            {
                MinorTickGenerator = new LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = v => ReportCharts.Number(Math.Pow(10, v)),
            };
        }
        else
        {
            plot.Axes.Bottom.SetTicks(xOf.Values.ToArray(), xOf.Keys.ToArray());
        }
        return plot;
    }

    private static void Line(Plot plot, List<(double X, Sample Stats)> points, string? legend, int index)
    {
        var known = points.Where(p => p.Stats.Mean is not null).ToList();
        var color = new ScottPlot.Palettes.Category10().GetColor(index);
        var xs = known.Select(p => p.X).ToArray();
        var ys = known.Select(p => p.Stats.Mean!.Value).ToArray();
        var line = plot.Add.Scatter(xs, ys, color);
        line.LineWidth = 2;
        line.MarkerSize = 8;
        if (legend is not null) line.LegendText = legend;
        var errors = known.Select(p => p.Stats.CiHigh is { } hi ? hi - p.Stats.Mean!.Value : 0).ToArray();
        if (errors.Any(e => e > 0))
        {
            var bars = plot.Add.ErrorBar(xs, ys, errors);
            bars.Color = color;
        }
    }
}
