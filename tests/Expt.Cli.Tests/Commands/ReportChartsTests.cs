using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>expt report</c>'s effects and charts on a real sweep (lr × seed plus a control, one job failed).</summary>
public sealed partial class ReportChartsTests(StudyRuns runs) : IClassFixture<StudyRuns>, IDisposable
{
    private readonly TempDirectory _dir = new("expt-charts-t");

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> Expt(params string[] args) => CliHarness.RunAsync([.. args, "--results", runs.Results]);

    [GeneratedRegex(@"<figure class=""chart"" id=""chart-([^""]+)"">\n(<svg[\s\S]*?</svg>)")]
    private static partial Regex Figures();

    [Fact]
    public async Task Given_a_markdown_file_when_report_then_the_charts_are_pngs_beside_it_and_linked()
    {
        // When
        var file = _dir.Combine("study.md");
        var result = await Expt("report", "sweep/s", "-o", file);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var text = File.ReadAllText(file);
        foreach (var name in new[] { "effect-lr", "groups", "cost" })
        {
            text.ShouldContain($"(study.charts/{name}.png)");
            var png = File.ReadAllBytes(_dir.Combine("study.charts", name + ".png"));
            png.Take(4).ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47 });
        }
        Directory.GetFiles(_dir.Combine("study.charts")).Select(Path.GetFileName).Order().ToList().ShouldBe(["cost.png", "effect-lr.png", "groups.png"]); // no temporary file is left
    }

    [TmpfsFact]
    public async Task Given_a_disk_too_small_for_the_report_when_written_to_a_markdown_file_then_it_fails_and_leaves_no_chart_behind()
    {
        // Given: a real 64 KiB tmpfs, too small for the three PNGs and the report
        using var disk = new Tmpfs(_dir.Combine("small"), "64k");
        var file = Path.Combine(disk.Path, "study.md");

        // When
        var result = await Expt("report", "sweep/s", "-o", file);

        // Then: a clear error, and neither the report nor some of its charts
        result.ExitCode.ShouldBe(2, result.Out);
        result.Error.ShouldContain("No space left on device");
        File.Exists(file).ShouldBeFalse();
        Directory.GetFileSystemEntries(disk.Path).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_html_twice_when_report_then_the_charts_are_the_same_well_formed_inline_svg()
    {
        // When
        var first = await Expt("report", "sweep/s", "--format", "html");
        var second = await Expt("report", "sweep/s", "--format", "html");

        // Then
        first.ExitCode.ShouldBe(0, first.Error);
        var figures = Figures().Matches(first.Out).ToList();
        figures.Select(f => f.Groups[1].Value).ShouldBe(["effect-lr", "groups", "cost"]);
        foreach (var f in figures) XDocument.Parse(f.Groups[2].Value).Root!.Name.LocalName.ShouldBe("svg");
        first.Out.ShouldNotContain("<?xml");
        first.Out.ShouldNotContain("src=\"http");
        Figures().Matches(second.Out).Select(f => f.Groups[2].Value).ShouldBe(figures.Select(f => f.Groups[2].Value));
    }

    [Fact]
    public async Task Given_json_when_report_then_effects_has_the_level_means_and_the_best_level_against_the_control()
    {
        // When
        var result = await Expt("report", "sweep/s", "--format", "json");

        // Then: lr 0.3 lost seed 3 (its job failed), so its mean is over seeds 1 and 2: (0.8 + 0.81) / 2.
        result.ExitCode.ShouldBe(0, result.Error);
        var effects = JsonNode.Parse(result.Out)!["effects"]!;
        effects["replicate"]!.GetValue<string>().ShouldBe("seed");
        effects["factors"]!.AsArray().Select(f => f!.GetValue<string>()).ShouldBe(["lr"]);
        var accuracy = effects["metrics"]!.AsArray().Single(m => m!["metric"]!.GetValue<string>() == "accuracy")!;
        var levels = accuracy["main"]![0]!["levels"]!.AsArray();
        levels.Select(l => l!["label"]!.GetValue<string>()).ShouldBe(["0.1", "0.3"]);
        levels[1]!["stats"]!["mean"]!.GetValue<double>().ShouldBe(0.805, 1e-12);
        levels[1]!["stats"]!["n"]!.GetValue<int>().ShouldBe(2);
        var vsControl = accuracy["vsControl"]![0]!;
        vsControl["bestLevel"]!.GetValue<string>().ShouldBe("0.3");
        vsControl["controlMean"]!.GetValue<double>().ShouldBe(0.5, 1e-12);
        // Paired over seeds 1 and 2: 0.8 − 0.5 and 0.81 − 0.51.
        vsControl["paired"]!["mean"]!.GetValue<double>().ShouldBe(0.3, 1e-12);
    }

    [Fact]
    public async Task Given_stdout_when_report_then_it_says_where_the_charts_would_go()
    {
        // When
        var result = await Expt("report", "sweep/s");

        // Then
        result.Out.ShouldContain("3 chart(s) not drawn (effect-lr, groups, cost): the report went to stdout. With -o FILE.md they are written as PNGs in FILE.charts/");
    }
}
