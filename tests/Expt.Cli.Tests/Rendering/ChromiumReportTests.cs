using Expt.Cli.Tests.Commands;
using Expt.Cli.Tests.Support;
using Microsoft.Playwright;
using SkiaSharp;

namespace Expt.Cli.Tests.Rendering;

/// <summary>The HTML report in a real headless Chromium: its inline SVG charts are laid out and painted, and nothing is fetched.</summary>
public sealed class ChromiumReportTests(StudyRuns runs) : IClassFixture<StudyRuns>, IDisposable
{
    private readonly TempDirectory _dir = new("expt-chromium");

    public void Dispose() => _dir.Dispose();

    [ChromiumFact]
    public async Task Given_the_html_report_of_a_sweep_when_chromium_renders_it_then_every_chart_is_laid_out_and_painted()
    {
        // Given
        var html = _dir.Combine("report.html");
        var report = await CliHarness.RunAsync("report", "sweep/s", "--format", "html", "-o", html, "--results", runs.Results);
        report.ExitCode.ShouldBe(0, report.Error);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.Executable, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);

        // When
        await page.GotoAsync(new Uri(html).AbsoluteUri);
        // EXPT_SCREENSHOTS=DIR keeps the screenshot, for a person to look at.
        var keep = Environment.GetEnvironmentVariable("EXPT_SCREENSHOTS");
        var screenshot = await page.ScreenshotAsync(new() { FullPage = true, Path = string.IsNullOrEmpty(keep) ? null : Path.Combine(keep, "report-chromium.png") });

        // Then: the sweep's one numeric factor (lr), its groups, and cost against accuracy.
        var charts = page.Locator("figure.chart");
        (await charts.EvaluateAllAsync<string[]>("fs => fs.map(f => f.id)")).ShouldBe(["chart-effect-lr", "chart-groups", "chart-cost"]);
        requests.ShouldBe([new Uri(html).AbsoluteUri], "the page is one file: nothing else is fetched");
        using var image = SKBitmap.Decode(screenshot);
        for (var i = 0; i < 3; i++)
        {
            var svg = charts.Nth(i).Locator("svg");
            // Relative to the document: the full-page screenshot starts at its top.
            var box = await svg.EvaluateAsync<double[]>("e => { const r = e.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }");
            box[2].ShouldBeGreaterThan(300, $"chart {i} width");
            box[3].ShouldBeGreaterThan(150, $"chart {i} height");
            (await svg.Locator("text").CountAsync()).ShouldBeGreaterThan(5);
            var (inked, colours, red) = Paint(image, box);
            inked.ShouldBeGreaterThan(0.02, $"chart {i}: share of pixels not white");
            colours.ShouldBeGreaterThan(3, $"chart {i}: distinct colours");
            if (i == 2) red.ShouldBeTrue("the cost chart's Pareto front is drawn in red");
        }
    }

    /// <summary>In the box: the share of pixels that are not white, how many colours, and whether a strong red is there.</summary>
    private static (double Inked, int Colours, bool Red) Paint(SKBitmap image, double[] box)
    {
        var (x0, y0) = ((int)box[0], (int)box[1]);
        var (x1, y1) = (Math.Min(image.Width, (int)(box[0] + box[2])), Math.Min(image.Height, (int)(box[1] + box[3])));
        var (inked, total, red) = (0, 0, false);
        var colours = new HashSet<uint>();
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                var c = image.GetPixel(x, y);
                total++;
                if (c.Red < 245 || c.Green < 245 || c.Blue < 245) inked++;
                colours.Add((uint)c);
                red |= c.Red > 180 && c.Green < 80 && c.Blue < 80;
            }
        }
        return (total == 0 ? 0 : (double)inked / total, colours.Count, red);
    }
}
