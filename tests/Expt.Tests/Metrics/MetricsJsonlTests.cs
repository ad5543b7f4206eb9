using System.Text;
using Expt.Metrics;

namespace Expt.Tests.Metrics;

/// <summary>Reading a job's metrics.jsonl through <see cref="MetricsReader"/>.</summary>
public sealed class MetricsJsonlTests
{
    [Fact]
    public void Given_a_jsonl_when_reading_then_each_name_is_a_series_and_its_last_value_a_scalar()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.jsonl", """
            {"step": 0, "loss": 2.0, "lr": 0.001}
            {"step": 10, "loss": 1.5}
            {"step": 20, "loss": 1.0, "eval": {"acc": 0.6}}

            """);

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.Series["loss"].ShouldBe([
            new MetricPoint(0, MetricValue.FromNumber(2.0)),
            new MetricPoint(10, MetricValue.FromNumber(1.5)),
            new MetricPoint(20, MetricValue.FromNumber(1.0)),
        ]);
        metrics.Series["lr"].ShouldBe([new MetricPoint(0, MetricValue.FromNumber(0.001))]);
        metrics.Series["eval.acc"].ShouldBe([new MetricPoint(20, MetricValue.FromNumber(0.6))]);
        metrics.Series.ContainsKey("step").ShouldBeFalse();
        metrics.Scalars["loss"].AsNumber.ShouldBe(1.0);
        metrics.Scalars["lr"].AsNumber.ShouldBe(0.001);
        metrics.Scalars.ContainsKey("step").ShouldBeFalse();
    }

    [Fact]
    public void Given_a_truncated_jsonl_line_when_reading_then_it_is_ignored()
    {
        // Given: the job is still writing its last line.
        using var job = new TempJobDirectory();
        job.Write("metrics.jsonl", "{\"step\": 1, \"loss\": 1.0}\n{\"step\": 2, \"loss\": 0.9}\n{\"step\": 3, \"lo");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.Series["loss"].Count.ShouldBe(2);
        metrics.Scalars["loss"].AsNumber.ShouldBe(0.9);
    }

    [Fact]
    public void Given_a_complete_last_line_without_a_newline_when_reading_then_it_is_kept()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.jsonl", "{\"step\": 1, \"loss\": 1.0}\n{\"step\": 2, \"loss\": 0.9}");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Series["loss"].Count.ShouldBe(2);
    }

    [Fact]
    public void Given_bad_lines_when_reading_then_each_is_a_warning_with_its_line_number_and_the_rest_is_kept()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.Write("metrics.jsonl", """
            {"step": 1, "loss": 1.0}
            {"step": 2, "loss": }

            not json at all
            [1, 2]
            {"loss": 0.7}
            {"step": 2.5, "loss": 0.6}
            {"step": 6, "loss": 0.5, "hist": [1, 2]}
            {"step": 7, "loss": 0.4}

            """);

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.Select(w => (w.File, w.Line)).ShouldBe([
            (path, 2), (path, 4), (path, 5), (path, 6), (path, 7), (path, 8),
        ]);
        metrics.Warnings[3].Message.ShouldBe("has no \"step\"");
        metrics.Warnings[4].Message.ShouldBe("\"step\" is 2.5, not a whole number");
        metrics.Series["loss"].Select(p => p.Step).ShouldBe([1L, 6L, 7L]);
    }

    [Fact]
    public void Given_windows_line_endings_and_blank_lines_when_reading_then_they_are_handled()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.jsonl", "{\"step\": 1, \"loss\": 1.0}\r\n\r\n   \r\n{\"step\": 2, \"loss\": 0.5}\r\n");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.Series["loss"].Count.ShouldBe(2);
    }

    [Fact]
    public void Given_non_ascii_names_and_nan_values_in_jsonl_when_reading_then_they_are_series()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.jsonl", "{\"step\": 1, \"损失\": 1.0, \"précision\": NaN}\n{\"step\": 2, \"损失\": 0.5, \"précision\": 0.5}\n");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.Series["损失"].Count.ShouldBe(2);
        double.IsNaN(metrics.Series["précision"][0].Value.AsNumber!.Value).ShouldBeTrue();
    }

    [Fact]
    public void Given_a_line_longer_than_the_read_buffer_when_reading_then_it_is_read_whole()
    {
        // Given: a 200 KB line (the reader starts with 64 KB).
        using var job = new TempJobDirectory();
        job.Write("metrics.jsonl", $"{{\"step\": 1, \"note\": \"{new string('n', 200_000)}\", \"loss\": 3.0}}\n{{\"step\": 2, \"loss\": 2.0}}\n");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.Series["note"][0].Value.AsText!.Length.ShouldBe(200_000);
        metrics.Series["loss"].Count.ShouldBe(2);
    }

    [Fact]
    public void Given_many_lines_when_reading_then_every_point_is_kept_in_order()
    {
        // Given
        var content = new StringBuilder();
        for (int step = 0; step < 50_000; step++)
        {
            content.Append("{\"step\": ").Append(step).Append(", \"loss\": ").Append(1.0 / (step + 1)).Append("}\n");
        }

        using var job = new TempJobDirectory();
        job.Write("metrics.jsonl", content.ToString());

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Series["loss"].Count.ShouldBe(50_000);
        metrics.Series["loss"][^1].Step.ShouldBe(49_999);
        metrics.Scalars["loss"].AsNumber.ShouldBe(1.0 / 50_000);
    }

    [Fact]
    public void Given_a_file_of_garbage_when_reading_then_warnings_are_capped_with_a_count_of_the_rest()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.jsonl", string.Concat(Enumerable.Repeat("garbage\n", 1000)));

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.Count.ShouldBe(21);
        metrics.Warnings[^1].Message.ShouldBe("980 more problems in this file were not listed");
    }

    [Fact]
    public void Given_metrics_json_and_jsonl_with_the_same_name_when_reading_then_metrics_json_wins()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.json", """{"loss": 0.42}""");
        job.Write("metrics.jsonl", "{\"step\": 1, \"loss\": 1.0, \"lr\": 0.1}\n{\"step\": 2, \"loss\": 0.5}\n");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars["loss"].AsNumber.ShouldBe(0.42);
        metrics.Scalars["lr"].AsNumber.ShouldBe(0.1);
        metrics.Series["loss"].Count.ShouldBe(2);
    }

    [Fact]
    public void Given_a_byte_order_mark_when_reading_jsonl_then_the_first_line_is_kept()
    {
        // Given
        using var job = new TempJobDirectory();
        File.WriteAllText(job.PathOf("metrics.jsonl"), "{\"step\": 1, \"loss\": 1.0}\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.Series["loss"].Count.ShouldBe(1);
    }
}
