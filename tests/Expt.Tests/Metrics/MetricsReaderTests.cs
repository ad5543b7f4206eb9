using Expt.Metrics;

namespace Expt.Tests.Metrics;

/// <summary>Finding and combining a job directory's metrics sources.</summary>
public sealed class MetricsReaderTests
{
    [Fact]
    public void Given_an_empty_job_directory_when_reading_then_there_is_nothing_and_no_warning()
    {
        // Given
        using var job = new TempJobDirectory();

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars.ShouldBeEmpty();
        metrics.Series.ShouldBeEmpty();
        metrics.InspectLogs.ShouldBeEmpty();
        metrics.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_missing_job_directory_when_reading_then_it_is_a_warning_not_an_exception()
    {
        // Given
        string missing = Path.Combine(Path.GetTempPath(), "expt-metrics-missing-" + Guid.NewGuid().ToString("N"));

        // When
        JobMetrics metrics = MetricsReader.Read(missing);

        // Then
        metrics.Scalars.ShouldBeEmpty();
        metrics.Warnings.ShouldHaveSingleItem().Message.ShouldBe("the job directory does not exist");
    }

    [Fact]
    public void Given_one_inspect_log_in_a_logs_folder_when_reading_then_its_metrics_are_scalars_without_prefix()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = job.CopyFixture(Fixtures.ReadSample, "logs/" + Fixtures.ReadSample);
        job.Write("config.json", """{"lr": 0.001}""");
        job.Write("status.json", """{"version": 1, "state": "succeeded"}""");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.InspectLogs.ShouldHaveSingleItem().Path.ShouldBe(path);
        metrics.Scalars.ShouldBe(
            new Dictionary<string, MetricValue>
            {
                ["match/accuracy"] = MetricValue.FromNumber(1.0),
                ["match/stderr"] = MetricValue.FromNumber(0.0),
            },
            ignoreOrder: true);
    }

    [Fact]
    public void Given_logs_of_two_tasks_when_reading_then_metrics_are_prefixed_with_the_task_and_logs_are_oldest_first()
    {
        // Given
        using var job = new TempJobDirectory();
        job.CopyFixture(Fixtures.ReadSample, "logs/a.eval");
        job.CopyFixture(Fixtures.InputTask, "logs/b.eval");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.InspectLogs.Select(l => l.Task).ShouldBe(["input_task", "popularity"]);
        metrics.Scalars.Keys.ShouldBe(
            ["input_task/model_graded_fact/accuracy", "input_task/model_graded_fact/stderr", "popularity/match/accuracy", "popularity/match/stderr"],
            ignoreOrder: true);
    }

    [Fact]
    public void Given_two_logs_of_the_same_task_when_reading_then_names_are_unprefixed_and_the_newer_log_wins()
    {
        // Given: an older finished json log and the newer real .eval of the same task.
        using var job = new TempJobDirectory();
        job.CopyFixture(Fixtures.ReadSample, "logs/z-newer.eval");
        job.Write("logs/a-older.json", InspectJsonLogs.Success.Replace("2025-07-05T09:59:48-04:00", "2025-01-01T00:00:00+00:00", StringComparison.Ordinal));

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.InspectLogs.Select(l => l.Format).ShouldBe([InspectLogFormat.Json, InspectLogFormat.Eval]);
        metrics.Scalars["match/accuracy"].AsNumber.ShouldBe(1.0);
        metrics.Scalars["includes/accuracy"].AsNumber.ShouldBe(1.0);
    }

    [Fact]
    public void Given_an_unfinished_eval_beside_a_finished_one_when_reading_then_both_are_listed_and_the_metrics_come_from_the_finished_one()
    {
        // Given
        using var job = new TempJobDirectory();
        job.CopyFixture(Fixtures.ReadSample, "logs/first.eval");
        job.CopyFixtureWithout(Fixtures.ReadSample, "logs/retry.eval", "header.json");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.InspectLogs.Select(l => l.Status).ShouldBe([InspectLogStatus.Success, InspectLogStatus.Started]);
        metrics.Scalars["match/accuracy"].AsNumber.ShouldBe(1.0);
    }

    [Fact]
    public void Given_metrics_json_naming_an_inspect_metric_when_reading_then_metrics_json_wins()
    {
        // Given
        using var job = new TempJobDirectory();
        job.CopyFixture(Fixtures.ReadSample, Fixtures.ReadSample);
        job.Write("metrics.json", """{"match/accuracy": 0.25}""");
        job.Write("metrics.jsonl", "{\"step\": 1, \"match/stderr\": 9}\n");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars["match/accuracy"].AsNumber.ShouldBe(0.25);
        metrics.Scalars["match/stderr"].AsNumber.ShouldBe(0.0);
    }

    [Fact]
    public void Given_logs_at_several_depths_when_reading_then_only_those_within_three_levels_are_found()
    {
        // Given
        using var job = new TempJobDirectory();
        job.CopyFixture(Fixtures.ReadSample, "top.eval");
        job.CopyFixture(Fixtures.ReadSample, "a/b/c/deepest-found.eval");
        job.CopyFixture(Fixtures.ReadSample, "a/b/c/d/too-deep.eval");
        job.CopyFixture(Fixtures.ReadSample, ".hidden/skipped.eval");
        job.CopyFixture(Fixtures.ReadSample, "__pycache__/skipped.eval");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.InspectLogs.Select(l => Path.GetRelativePath(job.Path, l.Path).Replace('\\', '/'))
            .ShouldBe(["a/b/c/deepest-found.eval", "top.eval"]);
    }

    [Fact]
    public void Given_metrics_files_in_a_subfolder_when_reading_then_only_the_top_level_ones_are_the_jobs_metrics()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("sub/metrics.json", """{"loss": 1}""");
        job.Write("sub/metrics.jsonl", "{\"step\": 1, \"loss\": 1}\n");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars.ShouldBeEmpty();
        metrics.Series.ShouldBeEmpty();
        metrics.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_job_directory_that_is_itself_a_link_to_a_tree_when_reading_then_only_its_top_level_is_read_with_a_warning()
    {
        // Given: the job directory links to a tree (a dataset, or /) with a log three levels down.
        using var target = new TempJobDirectory();
        target.Write("metrics.json", "{\"acc\": 0.5}");
        target.CopyFixture(Fixtures.ReadSample, "data/shard/logs/run.eval");
        using var parent = new TempJobDirectory();
        string link = parent.PathOf("job");
        Directory.CreateSymbolicLink(link, target.Path);

        // When
        JobMetrics metrics = MetricsReader.Read(link);

        // Then
        metrics.Scalars["acc"].ShouldBe(MetricValue.FromNumber(0.5));
        metrics.InspectLogs.ShouldBeEmpty("a linked job directory is not walked");
        metrics.Warnings.Single().ToString().ShouldBe($"{link}: the job directory is a symbolic link (to {target.Path}): only its top level is read, its subdirectories are not searched for Inspect logs");
    }

    [Fact]
    public void Given_a_directory_symlink_loop_when_reading_then_it_is_not_followed()
    {
        // Given
        using var job = new TempJobDirectory();
        job.CopyFixture(Fixtures.ReadSample, "logs/run.eval");
        try
        {
            Directory.CreateSymbolicLink(job.PathOf("logs/loop"), job.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Windows without the symlink privilege: nothing to test.
            return;
        }

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.InspectLogs.Count.ShouldBe(1);
    }

    [Fact]
    public void Given_a_corrupt_eval_beside_good_metrics_when_reading_then_the_rest_is_still_read()
    {
        // Given
        using var job = new TempJobDirectory();
        string bad = job.Write("logs/broken.eval", "not a zip");
        job.Write("metrics.json", """{"acc": 0.9}""");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars["acc"].AsNumber.ShouldBe(0.9);
        metrics.Warnings.ShouldHaveSingleItem().File.ShouldBe(bad);
    }
}
