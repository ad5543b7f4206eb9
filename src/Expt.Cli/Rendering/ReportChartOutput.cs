using System.Globalization;
using System.Net;
using System.Text;
using Expt.Internal;
using Expt.Reporting.Charts;

namespace Expt.Cli.Rendering;

/// <summary>Where a report's charts go: inline SVG in HTML, PNG files beside a Markdown file, a note on stdout.</summary>
internal static class ReportChartOutput
{
    /// <summary>The folder of a Markdown report's PNGs: <c>report.md</c> → <c>report.charts</c>, beside it.</summary>
    public static string FolderOf(string markdownFile)
    {
        ArgumentNullException.ThrowIfNull(markdownFile);
        var full = Path.GetFullPath(markdownFile);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".charts");
    }

    /// <summary>
    /// Writes each chart as <c>NAME.png</c> into <paramref name="folder"/> (each file atomically, so a reader never
    /// sees half an image) and returns the Markdown section that links them, relative to the report's folder.
    /// </summary>
    /// <exception cref="IOException">A file could not be written.</exception>
    public static string WritePngs(IReadOnlyList<ReportChart> charts, string folder, out Action undo)
    {
        ArgumentNullException.ThrowIfNull(charts);
        undo = () => { };
        if (charts.Count == 0) return "";
        var created = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        var o = new StringBuilder("## Charts\n\n");
        var relative = Path.GetFileName(folder);
        var written = new List<string>();
        try
        {
            foreach (var chart in charts)
            {
                var path = Path.Combine(folder, chart.Name + ".png");
                var isNew = !File.Exists(path);
                AtomicFile.WriteAllBytes(path, chart.ToPng());
                if (isNew) written.Add(path);
                o.Append($"![{Alt(chart.Title)}]({Uri.EscapeDataString(relative)}/{chart.Name}.png)\n\n");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Remove(written, folder, created);
            throw;
        }
        undo = () => Remove(written, folder, created);
        return o.ToString();
    }

    /// <summary>
    /// A report that is not written leaves none of its new charts: no folder of some PNGs beside nothing. A chart an
    /// earlier report wrote stays, so that report's links still resolve.
    /// </summary>
    private static void Remove(List<string> written, string folder, bool created)
    {
        foreach (var path in written) File.Delete(path);
        if (created && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
    }

    /// <summary>The section of a Markdown report printed to stdout: it says where the charts would go.</summary>
    public static string NotDrawn(IReadOnlyList<ReportChart> charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        if (charts.Count == 0) return "";
        return "## Charts\n\n"
            + $"{charts.Count.ToString(CultureInfo.InvariantCulture)} chart(s) not drawn ({string.Join(", ", charts.Select(c => c.Name))}): the report went to stdout. "
            + "With -o FILE.md they are written as PNGs in FILE.charts/ beside it and linked; --format html embeds them.\n\n";
    }

    /// <summary>The charts as HTML figures with inline SVG: nothing to fetch, the page stays one file.</summary>
    public static string Html(IReadOnlyList<ReportChart> charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        if (charts.Count == 0) return "";
        var o = new StringBuilder("<h2>Charts</h2>\n");
        foreach (var chart in charts)
        {
            var svg = chart.ToSvg();
            // An XML declaration is not allowed inside an HTML document.
            if (svg.StartsWith("<?xml", StringComparison.Ordinal)) svg = svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..].TrimStart();
            o.Append($"<figure class=\"chart\" id=\"chart-{chart.Name}\">\n{svg}\n<figcaption>{WebUtility.HtmlEncode(VisibleText.Escape(chart.Title))}</figcaption>\n</figure>\n");
        }
        return o.ToString();
    }

    // Brackets would end a link's text early.
    private static string Alt(string title) => VisibleText.Escape(title).Replace("[", "(", StringComparison.Ordinal).Replace("]", ")", StringComparison.Ordinal);
}
