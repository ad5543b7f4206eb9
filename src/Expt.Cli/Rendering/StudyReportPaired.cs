using System.Globalization;
using System.Text;
using Expt.Internal;
using Expt.Reporting;
using Expt.Reporting.Paired;
using Expt.Reporting.Statistics;

namespace Expt.Cli.Rendering;

/// <summary>The "Paired comparisons" section of <c>expt report</c>'s Markdown (and so of its HTML).</summary>
internal static class StudyReportPaired
{
    /// <summary>Comparisons listed; the rest are counted (all are in the JSON form and significance.json).</summary>
    public const int MaxRows = 200;

    public static void Append(StringBuilder o, StudyReport r)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(r);
        if (r.Paired.Count == 0) return;
        o.Append("## Paired comparisons\n\n");
        var splits = r.Paired.Any(c => c.Split is not null);
        var table = new MarkdownTable(["a", "b", "why", "metric", .. splits ? ["split"] : Array.Empty<string>(), "n#", "mean diff (a − b)#", "95% CI#", "test", "p#", "p Holm#"]);
        foreach (var c in r.Paired.Take(MaxRows))
        {
            table.Add([c.A, c.B, c.Reason, c.Metric, .. splits ? [c.Split ?? "all"] : Array.Empty<string>(), N(c.N), CompactNumber.FormatSigned(c.MeanDiff),
                $"{CompactNumber.FormatSigned(c.Ci95[0])} … {CompactNumber.FormatSigned(c.Ci95[1])}", c.Test == "mcnemar" ? "McNemar" : "Wilcoxon", P(c.P), P(c.PHolm) + (c.Significant ? " *" : "")]);
        }
        o.Append(table).Append('\n');
        if (r.Paired.Count > MaxRows) o.Append($"… and {N(r.Paired.Count - MaxRows)} more comparison(s) (all in --format json and {SignificanceFile.FileName}).\n\n");
        var seeds = r.Paired.Max(c => c.Seeds);
        var pooling = seeds > 1
            ? $"within each of the {N(seeds)} values of {VisibleText.Escape(r.Over ?? "the replicate param")}, an item's difference averaged over the seeds both have: n counts items"
            : "within the same replicate";
        o.Append($"Items paired by id {pooling}. why: the winner (best mean over items) vs the runner-up (second best) or vs other (below).")
         .Append($" 95% CI: paired bootstrap of the mean difference, items resampled ({N(PairedBootstrap.Resamples)} resamples, percentile method, fixed seed).")
         .Append(" Test: McNemar's exact test when every item's score is 0 or 1 on both sides, else the Wilcoxon signed-rank test (two-sided) of the items' differences.")
         .Append($" p Holm: adjusted by Holm's method over the {N(r.Paired.Count)} comparisons of this report, `*` when below {BaselineTest.Alpha.ToString(CultureInfo.InvariantCulture)}.\n\n");
    }

    private static string P(double? p) => p switch
    {
        null => "n/a",
        < 0.0001 => "<0.0001",
        { } v => CompactNumber.Format(v),
    };

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
