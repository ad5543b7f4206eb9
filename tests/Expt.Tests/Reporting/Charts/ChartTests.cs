using System.Text.Json.Nodes;
using System.Xml.Linq;
using Expt.Reporting;
using Expt.Reporting.Charts;
using Expt.Reporting.Effects;

namespace Expt.Tests.Reporting.Charts;

/// <summary>The report's charts: which are drawn, well-formed and deterministic SVG, PNG images, the log axis.</summary>
public sealed class ChartTests
{
    /// <summary>A report of lr × model over two seeds plus a control; its groups cost 10 s per job times their lr index.</summary>
    private static StudyReport Report(double[] lrs, string controlName = "control")
    {
        var jobs = new List<EffectObservation>();
        var groups = new List<GroupSummary>();
        var stats = new List<GroupStats>();
        void Group(string name, string kind, double cost, double[] values)
        {
            groups.Add(new GroupSummary(name, kind, new Dictionary<string, JsonNode?>(), [name], new CostSummary(2, cost * 2, null, null, null)));
            stats.Add(new GroupStats(name, values, 0, Sample.Describe(values), null));
        }
        for (var i = 0; i < lrs.Length; i++)
        {
            foreach (var model in new[] { "mlp", "cnn" })
            {
                var values = new[] { 0.5 + 0.1 * i + (model == "cnn" ? 0.05 : 0), 0.52 + 0.1 * i + (model == "cnn" ? 0.05 : 0) };
                Group($"lr={lrs[i]}, model={model}", "default", 10 * (i + 1) + (model == "cnn" ? 5 : 0), values);
                for (var s = 0; s < 2; s++)
                {
                    jobs.Add(new EffectObservation("default", new Dictionary<string, JsonNode?> { ["lr"] = lrs[i], ["model"] = model, ["seed"] = s },
                        new Dictionary<string, double> { ["accuracy"] = values[s] }));
                }
            }
        }
        Group(controlName, "control", 1, [0.4, 0.41]);
        var effects = EffectsBuilder.Compute(jobs, [("accuracy", MetricDirection.Max)], ["lr", "model", "seed"], "seed");
        return new StudyReport
        {
            Experiment = "sweep", RunId = "r", Directory = "runs/sweep/r", Git = new StudyGit("nogit", "nogit", null, false),
            States = new Dictionary<string, int> { ["succeeded"] = jobs.Count }, Stage = "main", By = ["lr", "model"], Over = "seed",
            Baseline = controlName, BaselineRule = "kind control", Groups = groups,
            Metrics = [new MetricSummary("accuracy", MetricDirection.Max, stats, null)], OmittedMetrics = [],
            Total = new CostSummary(jobs.Count, 100, null, null, null), Failures = [], Remarks = [], Effects = effects,
        };
    }

    [Fact]
    public void Given_a_numeric_factor_with_a_control_when_charts_then_the_factor_the_groups_and_the_cost_are_drawn()
    {
        // When
        var charts = ReportCharts.Of(Report([0.01, 0.1]));

        // Then: model is not numeric, so it has no line chart of its own (it gives lr's chart one line per model).
        charts.Select(c => c.Name).ShouldBe(["effect-lr", "groups", "cost"]);
    }

    [Fact]
    public void Given_a_report_when_each_chart_is_drawn_twice_then_the_svg_is_well_formed_and_the_same()
    {
        foreach (var chart in ReportCharts.Of(Report([0.01, 0.1])))
        {
            // When
            var first = chart.ToSvg();
            var second = ReportCharts.Of(Report([0.01, 0.1])).Single(c => c.Name == chart.Name).ToSvg();

            // Then
            var svg = XDocument.Parse(first).Root!;
            svg.Name.LocalName.ShouldBe("svg");
            svg.Descendants().Count().ShouldBeGreaterThan(10);
            second.ShouldBe(first, chart.Name);
        }
    }

    [Fact]
    public void Given_levels_that_span_two_decades_when_the_factor_is_drawn_then_its_axis_is_logarithmic()
    {
        // When
        var log = ReportCharts.Of(Report([0.001, 0.01, 0.1])).Single(c => c.Name == "effect-lr").ToSvg();
        var linear = ReportCharts.Of(Report([0.02, 0.1, 0.5])).Single(c => c.Name == "effect-lr").ToSvg();

        // Then
        Texts(log).ShouldContain("lr (log scale)");
        Texts(log).ShouldContain("0.001");
        Texts(linear).ShouldContain("lr");
        Texts(linear).ShouldNotContain("lr (log scale)");
        Texts(linear).ShouldContain("0.02");
    }

    [Fact]
    public void Given_markup_in_a_group_name_when_drawn_then_the_svg_stays_well_formed_and_shows_the_name()
    {
        // When
        var svg = ReportCharts.Of(Report([0.01, 0.1], controlName: "a<b & \"c\"")).Single(c => c.Name == "groups").ToSvg();

        // Then
        Texts(svg).ShouldContain("a<b & \"c\"");
    }

    [Fact]
    public void Given_a_report_when_a_chart_is_drawn_as_png_then_it_is_a_png_image()
    {
        // When
        var png = ReportCharts.Of(Report([0.01, 0.1]))[0].ToPng();

        // Then
        png.Take(8).ShouldBe(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        png.Length.ShouldBeGreaterThan(5_000);
    }

    [Fact]
    public void Given_no_metric_with_a_value_when_charts_then_none()
    {
        var report = Report([0.01, 0.1]);
        ReportCharts.Of(report with { Metrics = [] }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(MetricDirection.Max, new[] { 0, 2, 3 })]
    [InlineData(MetricDirection.Min, new[] { 0, 1 })]
    public void Given_points_when_pareto_front_then_only_the_undominated_ones_by_ascending_cost(MetricDirection direction, int[] expected)
    {
        // Given: (cost, metric); for a higher-is-better metric point 1 costs more than 0 and scores less, point 4 costs as much as 3 and scores less.
        (double, double)[] points = [(1, 0.5), (2, 0.4), (3, 0.7), (5, 0.9), (5, 0.8)];

        // Then
        Pareto.Front(points, direction).ShouldBe(expected);
    }

    [Theory]
    [InlineData("lr", "lr")]
    [InlineData("opt/β 2", "opt___2")]
    public void Given_a_factor_name_when_file_name_then_only_safe_characters(string name, string expected) =>
        ReportCharts.FileName(name).ShouldBe(expected);

    private static List<string> Texts(string svg) =>
        XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
}
