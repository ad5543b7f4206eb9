using System.Net;
using Expt.Reporting;
using Expt.Reporting.Charts;
using Expt.Internal;
using Markdig;

namespace Expt.Cli.Rendering;

/// <summary><c>expt report --format html</c>: the Markdown report as one self-contained page (no scripts, no external files).</summary>
internal static class StudyReportHtml
{
    // Raw HTML in a question or a param value is shown as text, never interpreted.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    private const string Style = """
        body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; color: #1f2328; }
        table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
        th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.6rem; }
        th { background: #f6f8fa; }
        td { font-variant-numeric: tabular-nums; }
        code { background: #f6f8fa; padding: 0 0.2rem; }
        figure.chart { margin: 1rem 0; }
        figure.chart svg { max-width: 100%; height: auto; }
        figcaption { color: #59636e; font-size: 0.9rem; }
        """;

    // Stands where the charts go: a paragraph no escaped report text can be (it is never a block of its own).
    private const string ChartsMark = "EXPTCHARTSHERE";

    public static string ToText(StudyReport report, IReadOnlyList<ReportChart> charts)
    {
        ArgumentNullException.ThrowIfNull(report);
        var body = Markdown.ToHtml(StudyReportMarkdown.ToText(report, ChartsMark + "\n\n"), Pipeline)
            .Replace($"<p>{ChartsMark}</p>\n", ReportChartOutput.Html(charts), StringComparison.Ordinal);
        var title = WebUtility.HtmlEncode(VisibleText.Escape($"{report.Experiment} / {report.RunId}"));
        return $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n";
    }
}
