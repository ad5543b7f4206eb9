using Expt.Archiving;
using Expt.Internal;
using Expt.Metrics;
using Expt.Recording;
using Expt.Reporting;
using Expt.Results;
using Expt.Tests.Archiving;
using Expt.Tests.Metrics;

namespace Expt.Tests.Reporting;

/// <summary>Inspect logs that did not succeed: listed by show with their status, flagged, and left out of report statistics.</summary>
public sealed class InspectLogReportTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-inspect-report");

    public void Dispose() => _dir.Dispose();

    // The success log's results, as a log that stopped with an error after scoring some samples would hold them.
    private static readonly string ErroredWithResults = InspectJsonLogs.Success
        .Replace("\"status\": \"success\"", "\"status\": \"error\"", StringComparison.Ordinal)
        .Replace("\"stats\":", "\"error\": {\"message\": \"RateLimitError('429')\\nretry later\", \"traceback\": \"...\"},\n  \"stats\":", StringComparison.Ordinal);

    [Fact]
    public void Given_an_errored_inspect_log_with_results_when_metrics_are_read_then_its_scorer_metrics_are_named_as_unsuccessful()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("logs/run.json", ErroredWithResults);

        // When
        var metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars["match/accuracy"].AsNumber.ShouldBe(0.5);
        metrics.FromUnsuccessfulLogs.ShouldBe(["includes/accuracy", "match/accuracy", "match/stderr"], ignoreOrder: true);
    }

    [Fact]
    public void Given_metrics_json_overriding_an_errored_log_when_read_then_the_value_is_not_flagged()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("logs/run.json", ErroredWithResults);
        job.Write("metrics.json", """{"match/accuracy": 0.9}""");

        // When
        var metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Scalars["match/accuracy"].AsNumber.ShouldBe(0.9);
        metrics.FromUnsuccessfulLogs.ShouldNotContain("match/accuracy");
        metrics.FromUnsuccessfulLogs.ShouldContain("match/stderr");
    }

    [Fact]
    public void Given_jobs_with_a_successful_an_errored_and_an_unfinished_log_when_reported_then_each_log_is_listed_with_its_status()
    {
        // Given
        var run = FakeRun.Create(_dir.Path, "r", DateTimeOffset.UtcNow, JobState.Succeeded, JobState.Succeeded, JobState.Succeeded);
        File.Copy(Fixtures.PathOf(Fixtures.ReadSample), Directory.CreateDirectory(Path.Combine(run, "v0", "logs")).FullName + "/ok.eval");
        FakeRun.Write(run, "v1/logs/run.json", ErroredWithResults);
        using (var zip = System.IO.Compression.ZipFile.Open(Path.Combine(run, "v2", "running.eval"), System.IO.Compression.ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("_journal/start.json").Open());
            writer.Write("""{"version": 2, "eval": {"task": "popularity", "model": "ollama/gemma3", "created": "2025-07-05T09:59:48-04:00", "dataset": {"samples": 4}}}""");
        }

        // When
        var report = RunReport.From(RunReader.Read(run, out var problem) ?? throw new InvalidOperationException(problem));

        // Then
        report.InspectLogs.Select(l => (l.Job, l.Task, l.Model, l.Status, l.Path)).ShouldBe([
            ("v0", "popularity", "ollama/gemma3", "success", "v0/logs/ok.eval"),
            ("v1", "popularity", "ollama/gemma3", "error", "v1/logs/run.json"),
            ("v2", "popularity", "ollama/gemma3", "started", "v2/running.eval"),
        ]);
        report.InspectLogs[0].CompletedAt.ShouldNotBeNull();
        report.InspectLogs[1].Error.ShouldBe("RateLimitError('429')\nretry later");
        report.Jobs[0].FromUnsuccessfulLogs.ShouldBeNull();
        report.Jobs[1].FromUnsuccessfulLogs.ShouldBe(["includes/accuracy", "match/accuracy", "match/stderr"]);
        var json = System.Text.Json.JsonSerializer.Serialize(report, ReportJson.Options);
        json.ShouldContain("\"inspectLogs\"");
        json.ShouldContain("\"fromUnsuccessfulLogs\"");
    }

    [Fact]
    public void Given_a_succeeded_job_whose_metric_came_from_an_errored_log_when_a_study_report_is_built_then_that_value_is_left_out_with_a_note()
    {
        // Given: two replicates of one variant; seed 2's accuracy is from an errored Inspect log.
        var run = FakeRun.Create(_dir.Path, "s", DateTimeOffset.UtcNow, JobState.Succeeded, JobState.Succeeded);
        FakeRun.Write(run, "v0/config.json", """{"seed": 1}""");
        FakeRun.Write(run, "v1/config.json", """{"seed": 2}""");
        FakeRun.Write(run, "v0/metrics.json", """{"acc/accuracy": 0.8}""");
        FakeRun.Write(run, "v1/metrics.json", "{}");
        FakeRun.Write(run, "v1/logs/run.json", ErroredWithResults.Replace("\"name\": \"match\", \"scorer\"", "\"name\": \"acc\", \"scorer\"", StringComparison.Ordinal));
        var record = RunReader.Read(run, out var problem) ?? throw new InvalidOperationException(problem);

        // When
        var report = StudyReport.From(record, new StudyOptions());

        // Then
        report.Remarks.ShouldContain(r => r.Contains("from Inspect logs that did not succeed", StringComparison.Ordinal) && r.Contains("v1 (acc/accuracy)", StringComparison.Ordinal));
        report.Metrics.Single(m => m.Name == "acc/accuracy").Groups.ShouldHaveSingleItem().Values.ShouldBe([0.8]);
        report.Metrics.ShouldNotContain(m => m.Name == "includes/accuracy");
    }
}
