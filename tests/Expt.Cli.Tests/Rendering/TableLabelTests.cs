using System.Text.Json.Nodes;
using Expt.Catalog;
using Expt.Cli.Rendering;
using Expt.Metrics;
using Expt.Reporting;
using static Expt.Cli.Tests.Rendering.RenderInputs;

namespace Expt.Cli.Tests.Rendering;

/// <summary>Labels that cannot be misread: metric.NAME beside a param NAME, and beside a built-in column.</summary>
public sealed class TableLabelTests
{
    [Fact]
    public void Given_a_param_and_a_metric_both_named_lr_and_the_param_hidden_when_ls_jobs_is_rendered_then_the_metric_is_labelled_metric_lr()
    {
        // Given: the param lr is 0.003 in both rows (so its column is hidden); the metric lr is the scheduler's value.
        var text = Ls(
            Row("a", [Param("lr", 0.003), Param("seed", 1), Metric("lr", 0.006), Metric("state", "warm")]),
            Row("b", [Param("lr", 0.003), Param("seed", 2), Metric("lr", 0.006), Metric("state", "cold")]));

        // Then
        var header = text.Split('\n')[0];
        header.ShouldMatch(@"^RUN +JOB +STATE +DURATION +seed +metric\.lr +metric\.state$");
    }

    [Fact]
    public void Given_a_run_with_param_lr_and_metric_lr_when_show_renders_the_job_table_then_the_metric_column_is_metric_lr()
    {
        // Given
        var metrics = new Dictionary<string, MetricValue> { ["acc"] = MetricValue.FromNumber(0.5), ["lr"] = MetricValue.FromNumber(0.006), ["stage"] = MetricValue.FromNumber(2) };
        var report = ShowReport([new JobReport("r1", "r1", "default", "main", "succeeded", 1, 0, 1, metrics)]) with { ParamNames = ["lr", "seed"] };

        // When
        var text = Show(report);

        // Then
        text.ShouldContain("JOB  KIND     STAGE  STATE      ATTEMPTS  TIME  acc  metric.lr  metric.stage\n");
    }

    [Fact]
    public void Given_a_metric_named_like_a_param_and_a_text_metric_with_a_newline_when_compared_then_labels_are_prefixed_and_the_value_escaped()
    {
        // Given
        var sides = new[] { new ComparisonSide("A", "x/a", "x", "a", "/r/a", null), new ComparisonSide("B", "x/b", "x", "b", "/r/b", null) };
        var job = new JobComparison("r1", ["r1", "r1"], ["succeeded", "succeeded"], [],
            [
                MetricRow.Of("lr", [MetricValue.FromNumber(0.006), MetricValue.FromNumber(0.002)]),
                MetricRow.Of("note", [MetricValue.FromText("a, b\nc"), MetricValue.FromText("d")]),
                MetricRow.Of("wall_seconds", [MetricValue.FromNumber(7), MetricValue.FromNumber(7)]),
            ],
            [MetricRow.Of("wall_seconds", [MetricValue.FromNumber(2), MetricValue.FromNumber(2)])]);
        var common = new ParamRow("lr", [JsonValue.Create(0.003), JsonValue.Create(0.001)], [true, true]);
        var comparison = new RunComparison(sides, [common], [job], []) { ParamNames = ["lr"] };

        // When
        var output = new StringWriter();
        ComparisonRenderer.Write(output, comparison, "/", jobs: true);
        var text = output.ToString();

        // Then
        text.ShouldMatch(@"(?m)^  param\.lr +0\.003 +0\.001$");
        text.ShouldMatch(@"(?m)^  metric\.lr +0\.006 +0\.002 +-0\.004 \(-66\.7%\)$");
        text.ShouldMatch(@"(?m)^  note +a, b\\nc +d$");
        text.ShouldMatch(@"(?m)^  metric\.wall_seconds +7 +7 +0$");
        text.ShouldMatch(@"(?m)^  wall_seconds +2 +2 +0$");
    }

    [Fact]
    public void Given_metrics_of_cells_with_long_names_when_runs_are_compared_then_the_variant_table_numbers_them_with_a_legend()
    {
        // Given
        var sides = new[] { new ComparisonSide("A", "x/a", "x", "a", "/r/a", null), new ComparisonSide("B", "x/b", "x", "b", "/r/b", null) };
        string[] names = ["accuracy[epoch=1,task=arith]", "loss"];
        var row = new VariantComparison("r2", [MetricRow.Of(names[0], [MetricValue.FromNumber(0.8), MetricValue.FromNumber(0.9)]), MetricRow.Of(names[1], [MetricValue.FromNumber(1), null])]);
        var comparison = new RunComparison(sides, [], [], []) { Variants = [row], VariantMetrics = names };

        // When
        var output = new StringWriter();
        ComparisonRenderer.Write(output, comparison, "/");
        var text = output.ToString();

        // Then
        text.ShouldMatch(@"(?m)^  VARIANT +#1 A +#1 B +Δ +#2 A +#2 B +Δ$");
        text.ShouldMatch(@"(?m)^  r2 +0\.8 +0\.9 +\+0\.1 \(\+12\.5%\) +1 +- *$");
        text.ShouldMatch(@"(?m)^  #1  accuracy\[epoch=1,task=arith\]$");
        text.ShouldMatch(@"(?m)^  #2  loss$");
        text.ShouldNotContain("Job r2");
    }
}
