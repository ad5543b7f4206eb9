using ScottPlot;

namespace Expt.Reporting.Charts;

/// <summary>One chart of a study report, drawn on demand as SVG (the HTML report) or PNG (beside a Markdown report).</summary>
/// <param name="Name">A file-safe name: <c>effect-lr</c>, <c>variants</c>, <c>cost</c>.</param>
/// <param name="Title">What the chart shows, for a caption or a link's text.</param>
/// <param name="Draw">Builds the plot; called once per rendering, so a rendering never sees another's state.</param>
public sealed record ReportChart(string Name, string Title, Func<Plot> Draw)
{
    /// <summary>The chart's width in pixels.</summary>
    public const int Width = 720;

    /// <summary>The chart's height in pixels.</summary>
    public const int Height = 420;

    /// <summary>The chart as an SVG document: the same report gives the same text.</summary>
    public string ToSvg()
    {
        var plot = Draw();
        return plot.GetSvgXml(Width, Height);
    }

    /// <summary>The chart as a PNG image.</summary>
    public byte[] ToPng()
    {
        var plot = Draw();
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
