using Expt.Metrics;

namespace Expt.Tests.Metrics;

/// <summary>The reader against real logs written by Inspect itself.</summary>
public sealed class InspectLogReaderFixtureTests
{
    [Fact]
    public void Given_the_read_sample_log_when_reading_then_its_header_and_match_metrics_are_extracted()
    {
        // Given
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(Fixtures.PathOf(Fixtures.ReadSample), warnings);

        // Then
        log.ShouldNotBeNull();
        warnings.ShouldBeEmpty();
        log.Format.ShouldBe(InspectLogFormat.Eval);
        log.FormatVersion.ShouldBe(2);
        log.Status.ShouldBe(InspectLogStatus.Success);
        log.Task.ShouldBe("popularity");
        log.TaskId.ShouldBe("EgjQRZxk6Gcz2GUJgtUV6u");
        log.Model.ShouldBe("ollama/gemma3");
        log.Created.ShouldBe(new DateTimeOffset(2025, 7, 5, 9, 59, 48, TimeSpan.FromHours(-4)));
        log.StartedAt.ShouldBe(new DateTimeOffset(2025, 7, 5, 9, 59, 48, TimeSpan.FromHours(-4)));
        log.CompletedAt.ShouldBe(new DateTimeOffset(2025, 7, 5, 9, 59, 49, TimeSpan.FromHours(-4)));
        log.DatasetSamples.ShouldBe(100);
        log.TotalSamples.ShouldBe(1);
        log.CompletedSamples.ShouldBe(1);
        log.Metrics.ShouldBe(new Dictionary<string, double> { ["match/accuracy"] = 1.0, ["match/stderr"] = 0.0 }, ignoreOrder: true);
        log.ErrorMessage.ShouldBeNull();
    }

    [Fact]
    public void Given_the_input_task_log_when_reading_then_the_model_graded_scorer_and_timing_are_extracted()
    {
        // Given
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(Fixtures.PathOf(Fixtures.InputTask), warnings);

        // Then
        log.ShouldNotBeNull();
        warnings.ShouldBeEmpty();
        log.Status.ShouldBe(InspectLogStatus.Success);
        log.Task.ShouldBe("input_task");
        log.Model.ShouldBe("openai/gpt-4o-mini");
        log.DatasetSamples.ShouldBe(1);
        (log.CompletedAt - log.StartedAt).ShouldBe(TimeSpan.FromSeconds(24));
        log.Metrics.Keys.ShouldBe(["model_graded_fact/accuracy", "model_graded_fact/stderr"], ignoreOrder: true);
        log.Metrics["model_graded_fact/accuracy"].ShouldBe(1.0);
    }

    [Fact]
    public void Given_the_unscored_log_when_reading_then_it_succeeds_with_samples_but_no_metrics()
    {
        // Given
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(Fixtures.PathOf(Fixtures.Unscored), warnings);

        // Then
        log.ShouldNotBeNull();
        warnings.ShouldBeEmpty();
        log.Status.ShouldBe(InspectLogStatus.Success);
        log.Task.ShouldBe("popularity");
        log.Model.ShouldBe("openai/gpt-4o-mini");
        log.DatasetSamples.ShouldBe(100);
        log.TotalSamples.ShouldBe(10);
        log.CompletedSamples.ShouldBe(10);
        log.Metrics.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_real_log_with_its_header_removed_when_reading_then_it_is_started_with_samples_counted_from_the_zip()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.CopyFixtureWithout(Fixtures.Unscored, "running.eval", "header.json", "summaries.json");
        var warnings = new List<MetricsWarning>();

        // When
        InspectLogSummary? log = InspectLogReader.Read(path, warnings);

        // Then
        log.ShouldNotBeNull();
        warnings.ShouldBeEmpty();
        log.Status.ShouldBe(InspectLogStatus.Started);
        log.Task.ShouldBe("popularity");
        log.Model.ShouldBe("openai/gpt-4o-mini");
        log.Created.ShouldBe(new DateTimeOffset(2025, 2, 11, 15, 17, 0, TimeSpan.FromHours(-5)));
        log.StartedAt.ShouldBeNull();
        log.DatasetSamples.ShouldBe(100);
        log.TotalSamples.ShouldBeNull();
        log.CompletedSamples.ShouldBe(10);
        log.Metrics.ShouldBeEmpty();
    }

    [Fact]
    public void Given_the_shared_fixtures_beside_the_repository_when_comparing_then_the_copies_are_identical()
    {
        // Given
        string? shared = Fixtures.FindSharedOriginals();
        if (shared is null)
        {
            // Checked out without the shared folder beside it: the copies are all there is to compare.
            return;
        }

        foreach (string name in Fixtures.All)
        {
            // When
            byte[] original = File.ReadAllBytes(Path.Combine(shared, name));
            byte[] copy = File.ReadAllBytes(Fixtures.PathOf(name));

            // Then
            copy.ShouldBe(original, $"{name} differs from {shared}");
        }
    }
}
