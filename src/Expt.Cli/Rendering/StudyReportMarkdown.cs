using Expt.Internal;
using System.Globalization;
using System.Text;
using Expt.Reporting;
using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>
/// <c>expt report</c>'s Markdown: the run and its question, a summary of winners, one table per metric with each
/// group against the baseline, the compute used, and the jobs left out.
/// </summary>
internal static class StudyReportMarkdown
{
    /// <summary>Failures listed by id; the rest are counted (all are in the JSON form).</summary>
    public const int MaxFailures = 20;

    /// <param name="report">The report.</param>
    /// <param name="charts">The Charts section (links, or a note where they would go); null for none.</param>
    public static string ToText(StudyReport report, string? charts = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var o = new StringBuilder();
        Header(o, report);
        Summary(o, report);
        Metrics(o, report);
        StudyReportPaired.Append(o, report);
        // Pooled runs: a replicate is a run and a seed, as in the metric tables.
        EffectsMarkdown.Write(o, report.Effects, report.Runs.Count > 1 ? report.Replicates : null);
        o.Append(charts);
        Cost(o, report);
        Failures(o, report);
        return o.ToString();
    }

    private static void Header(StringBuilder o, StudyReport r)
    {
        // Names, params, metrics and texts come from the spec and the jobs: each through the one escaper (tables escape their cells).
        o.Append($"# {VisibleText.Escape(r.Experiment)} / {VisibleText.Escape(r.RunId)}\n\n");
        Text(o, "Question", r.Question);
        Text(o, "Hypothesis", r.Hypothesis);
        Text(o, "Notes", r.Notes);
        var git = r.Git.Commit == "nogit" ? "none (not in a git repository)"
            : $"`{r.Git.Short}`{(r.Git.Branch is null ? "" : $" on {VisibleText.Escape(r.Git.Branch)}")}{(r.Git.Dirty ? ", dirty (uncommitted changes, see git.diff)" : "")}";
        if (r.Runs.Count > 1) o.Append($"- **Runs pooled:** {string.Join(", ", r.Runs.Select(Run))}\n");
        else o.Append($"- **Commit:** {git}\n");
        o.Append($"- **Created:** {ReportFormat.Time(r.Created)}; **ended:** {(r.Ended is { } e ? ReportFormat.Time(e) : "not yet")}\n");
        o.Append($"- **Jobs:** {string.Join(", ", r.States.Select(s => $"{N(s.Value)} {s.Key}"))}\n");
        var by = r.By.Count == 0 ? "each variant on its own" : $"by {string.Join(", ", r.By)}";
        var over = (r.Over, r.Pooled.Count) switch
        {
            (null, 0) => "no replicates pooled",
            (null, _) => $"averaging {string.Join(", ", r.Pooled)} within each {Replicate(r)}",
            (_, 0) => $"replicates over {r.Over}",
            _ => $"replicates over {r.Over}, averaging {string.Join(", ", r.Pooled)} within each {Replicate(r)}",
        };
        if (r.Over is null && r.Runs.Count > 1) over = over.Replace("no replicates pooled", "replicates over runs", StringComparison.Ordinal);
        else if (r.Over is not null && r.Runs.Count > 1) over = over.Replace($"replicates over {r.Over}", $"replicates over run × {r.Over}", StringComparison.Ordinal);
        o.Append($"- **Groups:** {VisibleText.Escape(by)}, {VisibleText.Escape(over)}; metrics of stage `{VisibleText.Escape(r.Stage)}`\n");
        o.Append($"- **Baseline:** {(r.Baseline is null ? "none" : VisibleText.Escape($"{r.Baseline} ({r.BaselineRule})"))}\n");
        foreach (var remark in r.Remarks) o.Append($"- **Note:** {VisibleText.Escape(remark)}\n");
        o.Append('\n');
    }

    private static void Summary(StringBuilder o, StudyReport r)
    {
        o.Append("## Summary\n\n");
        var won = r.Metrics.Where(m => m.Winner is not null).ToList();
        // Co-winners are all named: a tie is a finding, not a missing answer.
        static string Best(MetricSummary m) => m.Winners.Count > 1 ? $"{string.Join(", ", m.Winners)} (tie)" : m.Winner!.Group;
        if (won.Count == 0)
        {
            o.Append("No metric has a value to compare.\n\n");
            return;
        }
        var table = new MarkdownTable("metric", "better", "best", "mean#", "runner-up", "mean#", "margin#", "p#");
        foreach (var m in won)
        {
            var w = m.Winner!;
            table.Add(m.Name, m.Direction == MetricDirection.Max ? "higher" : "lower", Best(m), Num(w.Mean), w.RunnerUp ?? "-", Num(w.RunnerUpMean),
                w.Margin is { } d ? CompactNumber.Format(d) : "-", w.RunnerUp is null ? "-" : P(w.Test, w.Test is null ? NotTested(m, w) : null));
        }
        o.Append(table).Append('\n');
        o.Append("margin: best − runner-up (relative to the runner-up); p: Welch's t-test of the two.\n\n");
    }

    private static string Replicate(StudyReport r) => r.Replicates == "none" ? "group" : r.Replicates;

    private static string Run(Expt.Reporting.Pooling.PooledRun run) =>
        $"`{VisibleText.Escape(run.RunId)}` ({(run.Commit == "nogit" ? "no git" : run.Commit[..Math.Min(7, run.Commit.Length)])}{(run.Dirty ? ", dirty" : "")})";

    private static string NotTested(MetricSummary m, Winner w)
    {
        var n = m.Groups.Where(g => g.Group == w.Group || g.Group == w.RunnerUp).Min(g => g.Stats.N);
        return n < 2 ? "n<2" : "no variance";
    }

    private static void Metrics(StringBuilder o, StudyReport r)
    {
        if (r.Metrics.Count == 0 && r.OmittedMetrics.Count == 0) return;
        o.Append("## Metrics\n\n");
        var kinds = r.Groups.Select(g => g.Kind).Distinct(StringComparer.Ordinal).Count() > 1;
        var groups = r.Groups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        // A param column named like one of the table's own columns (n, mean…) or like a metric reads as that: prefix it.
        var metricNames = r.Metrics.Select(m => m.Name).Concat(r.OmittedMetrics).Select(n => n.Split('[', 2)[0]).ToHashSet(StringComparer.Ordinal);
        var byLabels = r.By.Select(p => OwnColumns.Contains(p) || ColumnLabels.BuiltIn.Contains(p) || metricNames.Contains(p) ? "param." + p : p).ToList();
        foreach (var m in r.Metrics)
        {
            o.Append($"### {VisibleText.Escape(m.Name)} ({Role(m)})\n\n");
            // An info metric is shown, never compared: no column against the baseline.
            var vsBaseline = r.Baseline is not null && !m.Info;
            string[] head = ["group", .. kinds ? ["kind"] : Array.Empty<string>(), .. byLabels, "n#", "mean#", "std#", "95% CI#", "min#", "max#",
                .. vsBaseline ? ["vs baseline#", "p#"] : Array.Empty<string>()];
            var table = new MarkdownTable(head);
            foreach (var g in m.Groups)
            {
                var group = groups[g.Group];
                var s = g.Stats;
                string[] vs = !vsBaseline ? [] : g.Group == r.Baseline ? ["baseline", ""] : g.VsBaseline is not { } b ? ["-", "-"]
                    : [b.Difference is { } d ? CompactNumber.Format(d) : "-", P(b.Test, b.NotTested)];
                table.Add([g.Group, .. kinds ? [group.Kind] : Array.Empty<string>(), .. r.By.Select(p => group.Params.TryGetValue(p, out var v) ? ParamValues.ToDisplay(v) : "-"),
                    N(s.N), Num(s.Mean), Num(s.Std), s.CiLow is { } lo && s.CiHigh is { } hi ? $"{CompactNumber.Format(lo)} … {CompactNumber.Format(hi)}" : "-",
                    Num(s.Min), Num(s.Max), .. vs]);
            }
            o.Append(table).Append('\n');
            if (m.BaselineMetric is not null) o.Append($"The baseline's values are those of {VisibleText.Escape(m.BaselineMetric)}: compared on the axes it shares with this cell.\n\n");
        }
        o.Append(r.Pooled.Count == 0 && r.Runs.Count <= 1 ? "n: succeeded jobs with a value." : $"n: {(r.Replicates == "none" ? "1 (no replicates)" : $"replicates with a value (each a {VisibleText.Escape(r.Replicates)})")}{(r.Pooled.Count > 0 ? "; the variants a group pools are averaged within each replicate first" : "")}.");
        o.Append(" 95% CI: Student's t interval of the mean (needs n ≥ 2).");
        if (r.Baseline is not null)
        {
            o.Append(" vs baseline: group mean − baseline mean (relative to the baseline). p: Welch's two-sided t-test against the baseline,")
             .Append(" `*` when p < 0.05; not corrected for multiple comparisons.");
        }
        o.Append("\n\n");
        if (r.OmittedMetrics.Count > 0)
        {
            o.Append($"{N(r.OmittedMetrics.Count)} more metric(s) not shown: {VisibleText.Escape(string.Join(", ", r.OmittedMetrics.Take(20)))}{(r.OmittedMetrics.Count > 20 ? ", …" : "")}; name them with --metric.\n\n");
        }
    }

    private static string Role(MetricSummary m) =>
        m.Info ? "information only, not compared" : $"{(m.Direction == MetricDirection.Max ? "higher" : "lower")} is better{(m.Primary ? "; primary metric" : "")}";

    private static readonly HashSet<string> OwnColumns = new(["group", "n", "mean", "std", "95% CI", "min", "max", "vs baseline", "p"], StringComparer.OrdinalIgnoreCase);

    private static void Cost(StringBuilder o, StudyReport r)
    {
        o.Append("## Cost\n\n");
        var table = new MarkdownTable("group", "jobs#", "wall#", "CPU s#", "GPU s#", "peak RSS MiB#");
        foreach (var g in r.Groups) table.Add([g.Name, .. Cells(g.Cost)]);
        table.Add(["**total**", .. Cells(r.Total)]);
        o.Append(table).Append('\n');
        o.Append("Every job of the group's variants, all stages and attempts: wall and CPU seconds and GPU-seconds summed, peak RSS the largest; - where no job recorded it.\n\n");
    }

    private static string[] Cells(CostSummary c) =>
        [N(c.Jobs), c.WallSeconds is { } w ? Durations.Format(TimeSpan.FromSeconds(w)) : "-", Num(c.CpuSeconds), Num(c.GpuSeconds), Num(c.PeakRssMb)];

    private static void Failures(StringBuilder o, StudyReport r)
    {
        if (r.Failures.Count == 0) return;
        o.Append("## Failures\n\n");
        o.Append($"{N(r.Failures.Count)} job(s) did not succeed; their metrics are not in the statistics above.\n\n");
        foreach (var f in r.Failures.Take(MaxFailures)) o.Append($"- `{VisibleText.Escape(f.Id)}`: {f.State}{(f.Reason is null ? "" : $" ({VisibleText.Escape(f.Reason)})")}\n");
        if (r.Failures.Count > MaxFailures) o.Append($"- … and {N(r.Failures.Count - MaxFailures)} more (all in --format json)\n");
        o.Append('\n');
    }

    /// <summary>A p-value with its marker, or why there is none; never an invented number.</summary>
    private static string P(WelchResult? test, string? notTested)
    {
        if (test is not { } t) return $"n/a ({notTested ?? "n<2"})";
        var p = t.PValue < 0.0001 ? "<0.0001" : CompactNumber.Format(t.PValue);
        return t.PValue < BaselineTest.Alpha ? p + " *" : p;
    }

    // A multi-line text keeps its lines: a backslash at a line's end is a hard break in CommonMark.
    private static void Text(StringBuilder o, string label, string? text)
    {
        if (text is null) return;
        o.Append($"- **{label}:** {string.Join("\\\n  ", text.Split('\n').Select(l => VisibleText.Escape(l.TrimEnd())))}\n");
    }

    private static string Num(double? value) => value is { } v ? CompactNumber.Format(v) : "-";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
