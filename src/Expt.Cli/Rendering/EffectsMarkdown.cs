using System.Globalization;
using System.Text;
using Expt.Internal;
using Expt.Reporting;
using Expt.Reporting.Effects;

namespace Expt.Cli.Rendering;

/// <summary>The report's Effects section: main effects, interactions and the best level against the control, per metric.</summary>
internal static class EffectsMarkdown
{
    /// <summary>Metrics shown in Markdown; all are in the JSON form.</summary>
    public const int MaxMetrics = 3;

    public static void Write(StringBuilder o, StudyEffects effects, string? replicateLabel = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(effects);
        if (effects.Factors.Count == 0 || effects.Metrics.Count == 0) return;
        o.Append("## Effects\n\n");
        o.Append($"Factors: {VisibleText.Escape(string.Join(", ", effects.Factors))} (the params that vary among the variants that are not controls). ");
        o.Append(effects.Replicate is { } rep
            ? $"Each level's jobs are averaged within each {VisibleText.Escape(replicateLabel ?? rep)}, and the mean and 95% CI are over those {N(effects.Replicates)} replicates (n: replicates).\n\n"
            : "No replicate param varies, so n counts jobs and no interval is given.\n\n");
        foreach (var m in effects.Metrics.Take(MaxMetrics))
        {
            o.Append($"### {VisibleText.Escape(m.Metric)}: main effects\n\n");
            var main = new MarkdownTable("factor", "level", "n#", "mean#", "95% CI#");
            foreach (var f in m.Main)
            {
                foreach (var l in f.Levels) main.Add(f.Factor, l.Label, N(l.Stats.N), Num(l.Stats.Mean), Ci(l.Stats));
            }
            o.Append(main).Append('\n');
            foreach (var i in m.Interactions) Interaction(o, m.Metric, i);
            if (m.VsControl.Count > 0)
            {
                o.Append($"### {VisibleText.Escape(m.Metric)}: best level against the control\n\n");
                var table = new MarkdownTable("factor", "best level", "mean#", "control#", "difference#", "n#", "95% CI of the difference#");
                foreach (var c in m.VsControl)
                {
                    table.Add(c.Factor, c.BestLevel, Num(c.BestMean), Num(c.ControlMean), c.Difference is { } d ? CompactNumber.Format(d) : "-",
                        c.Paired is { } p ? N(p.N) : "-", c.Paired is { } q ? Ci(q) : "-");
                }
                o.Append(table).Append('\n');
                o.Append(effects.Replicate is null
                    ? "difference: best level − control (relative to the control).\n\n"
                    : $"difference: best level − control (relative to the control); its interval is over the {VisibleText.Escape(effects.Replicate)} values both have (paired).\n\n");
            }
        }
        if (effects.Metrics.Count > MaxMetrics) o.Append($"{N(effects.Metrics.Count - MaxMetrics)} more metric(s) in --format json.\n\n");
    }

    private static void Interaction(StringBuilder o, string metric, Interaction i)
    {
        o.Append($"### {VisibleText.Escape(metric)}: {VisibleText.Escape(i.A)} × {VisibleText.Escape(i.B)}\n\n");
        var columns = i.Cells.Select(c => c.B).Distinct(StringComparer.Ordinal).ToList();
        var table = new MarkdownTable([$"{i.A} \\ {i.B}", .. columns.Select(c => c + "#")]);
        foreach (var row in i.Cells.GroupBy(c => c.A))
        {
            table.Add([row.Key, .. columns.Select(c => row.FirstOrDefault(x => x.B == c) is { } cell ? Cell(cell.Stats) : "-")]);
        }
        o.Append(table).Append('\n');
        var missing = i.Cells.Select(c => c.A).Distinct(StringComparer.Ordinal).Count() * columns.Count - i.Cells.Count;
        if (missing > 0)
        {
            // An excluded combination leaves the design unbalanced: a level's main effect then averages over other levels
            // of the other factor than its neighbour's does.
            o.Append($"{N(missing)} pair(s) of levels have no job (`-`): the main effects of {VisibleText.Escape(i.A)} and {VisibleText.Escape(i.B)} average over different levels of each other; compare within this table.\n\n");
        }
    }

    private static string Cell(Sample s) => s.Mean is not { } mean ? "-"
        : s.CiLow is { } lo && s.CiHigh is { } hi ? $"{CompactNumber.Format(mean)} ({CompactNumber.Format(lo)} … {CompactNumber.Format(hi)})"
        : $"{CompactNumber.Format(mean)} (n={N(s.N)})";

    private static string Ci(Sample s) => s.CiLow is { } lo && s.CiHigh is { } hi ? $"{CompactNumber.Format(lo)} … {CompactNumber.Format(hi)}" : "-";

    private static string Num(double? value) => value is { } v ? CompactNumber.Format(v) : "-";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
