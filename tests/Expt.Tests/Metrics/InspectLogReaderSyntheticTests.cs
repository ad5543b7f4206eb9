using System.Text;
using Expt.Metrics;

namespace Expt.Tests.Metrics;

/// <summary>The reader against logs built for the cases the real fixtures do not cover.</summary>
public sealed class InspectLogReaderSyntheticTests
{
    private const string StartJson = """
        {"version": 2, "eval": {"created": "2025-07-05T09:59:48-04:00", "task": "popularity", "task_id": "abc",
          "dataset": {"name": "popularity", "samples": 100}, "model": "ollama/gemma3", "config": {}},
         "plan": {"name": "plan", "steps": [], "config": {}}}
        """;

    [Fact]
    public void Given_an_eval_without_header_json_when_reading_then_it_is_started_with_what_start_json_has()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.WriteZip(
            "logs/running.eval",
            ("_journal/start.json", StartJson),
            ("samples/1_epoch_1.json", "{}"),
            ("samples/2_epoch_1.json", "{}"),
            ("_journal/summaries/1.json", "[]"));
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldNotBeNull();
        warnings.ShouldBeEmpty();
        log.Status.ShouldBe(InspectLogStatus.Started);
        log.Task.ShouldBe("popularity");
        log.Model.ShouldBe("ollama/gemma3");
        log.DatasetSamples.ShouldBe(100);
        log.CompletedSamples.ShouldBe(2);
        log.CompletedAt.ShouldBeNull();
    }

    [Fact]
    public void Given_an_eval_with_neither_header_nor_start_when_reading_then_it_is_a_warning()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.WriteZip("odd.eval", ("samples/1_epoch_1.json", "{}"));
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldBeNull();
        warnings.ShouldHaveSingleItem().File.ShouldBe(path);
    }

    [Fact]
    public void Given_an_eval_that_is_not_a_zip_when_reading_then_it_is_a_warning_not_an_exception()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.Write("half-written.eval", "PK\u0003\u0004 not really a zip");
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldBeNull();
        warnings.ShouldHaveSingleItem().Message.ShouldStartWith("could not be read as an Inspect log");
    }

    [Fact]
    public void Given_an_old_format_json_log_when_reading_then_every_scorer_metric_is_extracted()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.Write("logs/2025-07-05T09-59-48-04-00_popularity_EgjQ.json", InspectJsonLogs.Success);
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldNotBeNull();
        warnings.ShouldBeEmpty();
        log.Format.ShouldBe(InspectLogFormat.Json);
        log.Status.ShouldBe(InspectLogStatus.Success);
        log.Task.ShouldBe("popularity");
        log.Model.ShouldBe("ollama/gemma3");
        log.TotalSamples.ShouldBe(2);
        log.Metrics.ShouldBe(
            new Dictionary<string, double> { ["match/accuracy"] = 0.5, ["match/stderr"] = 0.5, ["includes/accuracy"] = 1 },
            ignoreOrder: true);
    }

    [Fact]
    public void Given_an_error_log_when_reading_then_the_error_message_is_extracted_and_the_empty_completion_time_is_absent()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.Write("error.json", InspectJsonLogs.Error);
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldNotBeNull();
        warnings.ShouldBeEmpty();
        log.Status.ShouldBe(InspectLogStatus.Error);
        log.ErrorMessage.ShouldBe("RateLimitError('429 Too Many Requests')");
        log.CompletedAt.ShouldBeNull();
        log.Metrics.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_log_with_the_legacy_single_scorer_results_when_reading_then_its_metrics_are_extracted()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.Write("legacy.json", InspectJsonLogs.LegacyScorer);
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldNotBeNull();
        log.FormatVersion.ShouldBe(1);
        log.Metrics.ShouldBe(new Dictionary<string, double> { ["match/accuracy"] = 0.8 });
    }

    [Theory]
    [InlineData("""{"lr": 0.001, "batch_size": 32}""")]
    [InlineData("""{"version": "1.0", "truncation": null, "model": {}}""")]
    [InlineData("""{"version": 3, "state": "running"}""")]
    [InlineData("""[1, 2, 3]""")]
    [InlineData("")]
    public void Given_a_json_file_that_is_not_an_inspect_log_when_reading_then_it_is_skipped_silently(string content)
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.Write("config.json", content);
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldBeNull();
        warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_json_log_whose_samples_are_huge_and_broken_when_reading_then_reading_stops_before_them()
    {
        // Given: 8 MB of samples that end mid-value, as if the file were cut off; the header precedes them.
        int samplesAt = InspectJsonLogs.Success.IndexOf("\"samples\": [", StringComparison.Ordinal);
        var content = new StringBuilder(InspectJsonLogs.Success[..samplesAt]);
        content.Append("\"samples\": [");
        for (int i = 0; i < 80_000; i++)
        {
            content.Append("{\"id\": ").Append(i).Append(", \"input\": \"").Append('x', 80).Append("\"},");
        }

        using var job = new TempJobDirectory();
        string path = job.Write("big.json", content.ToString());
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldNotBeNull();
        warnings.ShouldBeEmpty();
        log.Metrics["match/accuracy"].ShouldBe(0.5);
    }

    [Fact]
    public void Given_a_json_log_cut_off_inside_its_header_when_reading_then_it_is_a_warning()
    {
        // Given
        int resultsAt = InspectJsonLogs.Success.IndexOf("\"results\"", StringComparison.Ordinal);
        using var job = new TempJobDirectory();
        string path = job.Write("cut.json", InspectJsonLogs.Success[..(resultsAt + 40)]);
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldBeNull();
        warnings.ShouldHaveSingleItem().Message.ShouldContain("not valid JSON");
    }

    [Fact]
    public void Given_a_header_whose_eval_spans_many_buffers_when_reading_then_it_is_read_whole()
    {
        // Given: a task_args value far larger than the reader's first buffer.
        string bigArgs = "\"task_args\": {\"prompt\": \"" + new string('p', 100_000) + "\"},";
        string content = InspectJsonLogs.Success.Replace("\"task_args\": {},", bigArgs, StringComparison.Ordinal);
        using var job = new TempJobDirectory();
        string path = job.Write("big-header.json", content);
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldNotBeNull();
        warnings.ShouldBeEmpty();
        log.Model.ShouldBe("ollama/gemma3");
        log.Metrics.Count.ShouldBe(3);
    }

    [Fact]
    public void Given_a_log_with_an_unknown_status_and_a_non_numeric_metric_when_reading_then_both_are_warnings()
    {
        // Given
        string content = InspectJsonLogs.Success
            .Replace("\"status\": \"success\"", "\"status\": \"paused\"", StringComparison.Ordinal)
            .Replace("\"value\": 1, \"params\"", "\"value\": {\"a\": 1}, \"params\"", StringComparison.Ordinal);
        using var job = new TempJobDirectory();
        string path = job.Write("odd.json", content);
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldNotBeNull();
        log.Status.ShouldBe(InspectLogStatus.Unknown);
        log.Metrics.ContainsKey("includes/accuracy").ShouldBeFalse();
        warnings.Select(w => w.Message).ShouldBe(
            ["unknown Inspect status 'paused'", "metric 'includes/accuracy' has a value that is not a number and was skipped"]);
    }

    [Fact]
    public void Given_a_json_log_with_a_byte_order_mark_when_reading_then_it_is_still_recognised()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.PathOf("bom.json");
        File.WriteAllText(path, InspectJsonLogs.Success, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldNotBeNull();
        log.Task.ShouldBe("popularity");
    }
}
