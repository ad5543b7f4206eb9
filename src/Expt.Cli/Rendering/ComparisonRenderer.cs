using Expt.Internal;
using Expt.Reporting;

namespace Expt.Cli.Rendering;

/// <summary>
/// <c>expt compare</c>'s text: the sides, the params that set the runs apart, then for runs one table with a row per
/// variant (each metric's value per run and its delta against A, <c>+0.1 (+20%)</c>); with <c>--jobs</c>, and for
/// single jobs, one table per matched job with every metric and the compute used.
/// </summary>
internal static class ComparisonRenderer
{
    public static void Write(TextWriter output, RunComparison comparison, string cwd, bool jobs = false)
    {
        var sides = comparison.Sides;
        var labels = new ColumnLabels(comparison.ParamNames, comparison.Jobs.SelectMany(j => j.Metrics.Select(m => m.Name)));
        foreach (var side in sides) output.WriteLine(VisibleText.Escape($"{side.Label}  {side.Name}  ({SummaryRenderer.Display(cwd, side.Directory)})"));
        if (comparison.NotSelected.Count > 0)
        {
            // Said before the tables: a job that never ran on one side is no difference between the runs.
            output.WriteLine($"Left out: {string.Join("; ", comparison.NotSelected.Select(n => $"{n.Jobs.ToString(System.Globalization.CultureInfo.InvariantCulture)} job(s) not selected in {n.Side}"))} (--filter, --only or --skip); compared on no side");
        }

        if (comparison.CommonParams.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Params that differ (the same way in every matched job):");
            var table = new TextTable(["PARAM", .. sides.Select(s => s.Label)]);
            foreach (var p in comparison.CommonParams) table.Add([labels.Param(p.Name), .. p.Values.Select((v, i) => ReportFormat.Param(v, p.Present[i]))]);
            ReportFormat.WriteIndented(output, table);
        }

        if (sides[0].Job is null && !jobs) VariantTable(output, comparison, labels);
        else JobTables(output, comparison, labels);

        if (comparison.Unmatched.Count > 0)
        {
            output.WriteLine();
            foreach (var group in comparison.Unmatched.GroupBy(u => u.Side))
            {
                output.WriteLine(VisibleText.Escape($"Only in {group.Key}: {string.Join(", ", group.Select(u => u.Job))}"));
            }
        }
    }

    private static void VariantTable(TextWriter output, RunComparison comparison, ColumnLabels labels)
    {
        var sides = comparison.Sides;
        output.WriteLine();
        if (comparison.Variants.Count == 0)
        {
            output.WriteLine("No metrics in the jobs the runs share.");
            return;
        }
        var headers = new List<string> { "VARIANT" };
        // Long names (metrics of cells: eval.accuracy[epoch=1,task=arith]) are numbered, with a legend below, so
        // that each run's column stays as narrow as its numbers.
        var names = comparison.VariantMetrics.Select(labels.Metric).ToList();
        var numbered = names.Any(n => n.Length > MaxHeader);
        for (var m = 0; m < names.Count; m++)
        {
            var label = numbered ? $"#{(m + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}" : names[m];
            headers.Add($"{label} A");
            for (var i = 1; i < sides.Count; i++) headers.AddRange([$"{label} {sides[i].Label}", sides.Count == 2 ? "Δ" : $"Δ{sides[i].Label}"]);
        }
        var table = new TextTable([.. headers]);
        foreach (var variant in comparison.Variants)
        {
            var cells = new List<string> { variant.Variant };
            foreach (var row in variant.Metrics) cells.AddRange(Cells(row, sides.Count));
            table.Add([.. cells]);
        }
        output.WriteLine("Metrics by variant (Δ: against A; expt compare --jobs shows each job with its compute):");
        ReportFormat.WriteIndented(output, table);
        if (!numbered) return;
        for (var m = 0; m < names.Count; m++) output.WriteLine(VisibleText.Escape($"  #{(m + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}  {names[m]}"));
    }

    /// <summary>The longest metric name a column header holds; longer ones are numbered.</summary>
    private const int MaxHeader = 24;

    private static List<string> Cells(MetricRow row, int sides)
    {
        var cells = new List<string> { ReportFormat.Metric(row.Values[0]) };
        for (var i = 1; i < sides; i++)
        {
            cells.Add(ReportFormat.Metric(row.Values[i]));
            cells.Add(row.Deltas[i] is { } d ? CompactNumber.Format(d) : "");
        }
        return cells;
    }

    private static void JobTables(TextWriter output, RunComparison comparison, ColumnLabels labels)
    {
        var sides = comparison.Sides;
        foreach (var job in comparison.Jobs)
        {
            output.WriteLine();
            var states = string.Join(", ", sides.Select((s, i) => $"{s.Label} {job.States[i] ?? "absent"}"));
            output.WriteLine(VisibleText.Escape(sides[0].Job is null ? $"Job {job.Job}: {states}" : $"Jobs: {states}"));
            foreach (var p in job.Params)
            {
                output.WriteLine($"  param {VisibleText.Escape(p.Name)}: {string.Join("  ", sides.Select((s, i) => $"{s.Label}={VisibleText.Escape(ReportFormat.Param(p.Values[i], p.Present[i]))}"))}");
            }
            // Metrics are labelled like columns elsewhere (metric.lr beside a param lr, metric.wall_seconds beside the compute row).
            var rows = job.Metrics.Select(m => m with { Name = labels.Metric(m.Name) }).Concat(job.Compute).ToList();
            if (rows.Count == 0)
            {
                output.WriteLine("  (no metrics)");
                continue;
            }
            var headers = new List<string> { "METRIC", "A" };
            for (var i = 1; i < sides.Count; i++) headers.AddRange([sides[i].Label, sides.Count == 2 ? "Δ" : $"Δ{sides[i].Label}"]);
            var table = new TextTable([.. headers]);
            foreach (var row in rows) table.Add([row.Name, .. Cells(row, sides.Count)]);
            ReportFormat.WriteIndented(output, table);
        }
    }
}
