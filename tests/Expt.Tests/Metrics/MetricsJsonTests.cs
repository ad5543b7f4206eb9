using Expt.Metrics;

namespace Expt.Tests.Metrics;

/// <summary>Reading a job's metrics.json through <see cref="MetricsReader"/>.</summary>
public sealed class MetricsJsonTests
{
    [Fact]
    public void Given_a_flat_metrics_json_when_reading_then_numbers_strings_and_booleans_keep_their_types()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.json", """{"loss": 0.25, "epochs": 3, "best": "ckpt-7", "converged": true, "skipped": null}""");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.Scalars.ShouldBe(
            new Dictionary<string, MetricValue>
            {
                ["loss"] = MetricValue.FromNumber(0.25),
                ["epochs"] = MetricValue.FromNumber(3),
                ["best"] = MetricValue.FromText("ckpt-7"),
                ["converged"] = MetricValue.FromBoolean(true),
            },
            ignoreOrder: true);
        metrics.Series.ShouldBeEmpty();
        metrics.InspectLogs.ShouldBeEmpty();
    }

    [Fact]
    public void Given_nested_objects_when_reading_then_names_are_flattened_with_dots()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.json", """{"eval": {"loss": 1.5, "acc": {"top1": 0.7, "top5": 0.9}}, "train": {"loss": 0.5}}""");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars.Keys.ShouldBe(["eval.loss", "eval.acc.top1", "eval.acc.top5", "train.loss"], ignoreOrder: true);
        metrics.Scalars["eval.acc.top5"].AsNumber.ShouldBe(0.9);
    }

    [Fact]
    public void Given_non_ascii_and_escaped_metric_names_when_reading_then_they_are_decoded()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.json", """{"précision": 0.5, "损失": {"验证": 2}, "\u00e9cart": 1, "emoji🙂": true}""");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.Scalars.Keys.ShouldBe(["précision", "损失.验证", "écart", "emoji🙂"], ignoreOrder: true);
    }

    [Fact]
    public void Given_python_nan_and_infinity_literals_when_reading_then_they_are_non_finite_numbers()
    {
        // Given: what json.dump writes for a diverged run; the string "NaN" stays a string.
        using var job = new TempJobDirectory();
        job.Write("metrics.json", """{"loss": NaN, "grad_norm": Infinity, "min": -Infinity, "note": "NaN here", "ok": 1}""");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        double.IsNaN(metrics.Scalars["loss"].AsNumber!.Value).ShouldBeTrue();
        metrics.Scalars["grad_norm"].AsNumber.ShouldBe(double.PositiveInfinity);
        metrics.Scalars["min"].AsNumber.ShouldBe(double.NegativeInfinity);
        metrics.Scalars["note"].AsText.ShouldBe("NaN here");
        metrics.Scalars["ok"].AsNumber.ShouldBe(1);
    }

    [Fact]
    public void Given_a_malformed_metrics_json_when_reading_then_it_is_one_warning_with_its_line_and_no_values()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.Write("metrics.json", "{\n  \"loss\": 0.5,\n  \"acc\" 0.9\n}");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars.ShouldBeEmpty();
        MetricsWarning warning = metrics.Warnings.ShouldHaveSingleItem();
        warning.File.ShouldBe(path);
        warning.Line.ShouldBe(3);
        warning.Message.ShouldStartWith("invalid JSON");
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("[0.5, 0.6]", "is not a JSON object")]
    [InlineData("0.5", "is not a JSON object")]
    public void Given_a_metrics_json_that_is_not_an_object_when_reading_then_it_is_a_warning(string content, string message)
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.json", content);

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars.ShouldBeEmpty();
        metrics.Warnings.ShouldHaveSingleItem().Message.ShouldBe(message);
    }

    [Fact]
    public void Given_an_array_value_when_reading_then_it_is_skipped_with_a_warning_and_the_rest_is_kept()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.json", """{"per_class": [0.1, 0.2], "acc": 0.9}""");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars.Keys.ShouldBe(["acc"]);
        metrics.Warnings.ShouldHaveSingleItem().Message.ShouldContain("'per_class'");
    }

    [Fact]
    public void Given_a_byte_order_mark_when_reading_then_it_is_ignored()
    {
        // Given
        using var job = new TempJobDirectory();
        File.WriteAllText(job.PathOf("metrics.json"), """{"acc": 0.9}""", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.Scalars["acc"].AsNumber.ShouldBe(0.9);
    }
}
