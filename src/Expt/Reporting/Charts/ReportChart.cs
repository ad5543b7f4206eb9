using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;

namespace Expt.Reporting.Charts;

/// <summary>One chart of a study report, drawn on demand as SVG (the HTML report) or PNG (beside a Markdown report).</summary>
/// <param name="Name">A file-safe name: <c>effect-lr</c>, <c>variants</c>, <c>cost</c>.</param>
/// <param name="Title">What the chart shows, for a caption or a link's text.</param>
/// <param name="Draw">Builds the plot; called once per rendering, so a rendering never sees another's state.</param>
public sealed partial record ReportChart(string Name, string Title, Func<Plot> Draw)
{
    /// <summary>The chart's width in pixels.</summary>
    public const int Width = 720;

    /// <summary>The chart's height in pixels.</summary>
    public const int Height = 420;

    /// <summary>
    /// The chart as an SVG document: the same report gives the same text, and its element ids start with the chart's
    /// name, so the charts of one HTML page never share an id.
    /// </summary>
    public string ToSvg()
    {
        var plot = Draw();
        var svg = plot.GetSvgXml(Width, Height);
        // The drawing library numbers clip paths with a counter shared by the whole process: the same chart drawn
        // twice would differ, and two charts inline in one page could point at each other's clip.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Ids().Matches(svg))
        {
            ids.TryAdd(m.Groups[1].Value, $"{Name}-clip{(ids.Count + 1).ToString(CultureInfo.InvariantCulture)}");
        }
        return ids.Count == 0 ? svg : References().Replace(svg, m => ids.TryGetValue(m.Groups[2].Value, out var id) ? m.Groups[1].Value + id + m.Groups[3].Value : m.Value);
    }

    /// <summary>The chart as a PNG image.</summary>
    public byte[] ToPng()
    {
        var plot = Draw();
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    [GeneratedRegex(@"\bid=""([^""]+)""")]
    private static partial Regex Ids();

    [GeneratedRegex(@"(\bid=""|url\(#|href=""#)([^"")]+)(""|\))")]
    private static partial Regex References();
}
