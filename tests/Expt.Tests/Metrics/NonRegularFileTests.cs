using Expt.Metrics;
using Expt.Recording;
using Expt.Reporting;
using Expt.Results;

namespace Expt.Tests.Metrics;

/// <summary>
/// A job can leave a named pipe (or a link to a device) where Expt expects a file. Opening a FIFO blocks until a
/// writer comes, so every reader checks the type first and skips anything but a regular file with a warning naming
/// it. The FIFOs here are real (<c>mkfifo</c>), and every read is bounded so a reader that blocks fails its test.
/// </summary>
public sealed class NonRegularFileTests
{
    [Fact]
    public void Given_fifos_named_like_every_metrics_file_when_reading_the_job_then_it_returns_with_one_warning_per_fifo()
    {
        // Given
        using var job = new TempJobDirectory();
        string[] fifos =
        [
            Fifo.Make(job.PathOf("metrics.json")),
            Fifo.Make(job.PathOf("metrics.jsonl")),
            Fifo.Make(job.PathOf("logs/run.eval")),
            Fifo.Make(job.PathOf("logs/run.json")),
        ];
        job.CopyFixture(Fixtures.ReadSample, "logs/" + Fixtures.ReadSample);

        // When
        JobMetrics metrics = Fifo.Within(() => MetricsReader.Read(job.Path), fifos);

        // Then
        metrics.InspectLogs.ShouldHaveSingleItem().Task.ShouldBe("popularity");
        metrics.Warnings.Select(w => w.File).ShouldBe(fifos, ignoreOrder: true);
        metrics.Warnings.ShouldAllBe(w => w.NotRead && w.Message.Contains("not a regular file"));
    }

    [Fact]
    public void Given_a_moved_inspect_log_that_is_a_fifo_when_reading_the_job_then_it_is_skipped_with_a_warning()
    {
        // Given
        using var job = new TempJobDirectory();
        using var flat = new TempJobDirectory();
        string fifo = Fifo.Make(flat.PathOf("abc1234_v_log.eval"));

        // When
        JobMetrics metrics = Fifo.Within(() => MetricsReader.Read(job.Path, [fifo]), fifo);

        // Then
        metrics.Warnings.ShouldHaveSingleItem().File.ShouldBe(fifo);
    }

    [Fact]
    public void Given_symbolic_links_to_a_fifo_and_to_a_regular_file_when_reading_then_the_fifo_is_skipped_and_the_file_is_read()
    {
        // Given
        using var job = new TempJobDirectory();
        using var elsewhere = new TempJobDirectory();
        string fifo = Fifo.Make(elsewhere.PathOf("pipe"));
        File.CreateSymbolicLink(job.PathOf("metrics.jsonl"), fifo);
        File.CreateSymbolicLink(job.PathOf("metrics.json"), elsewhere.Write("final.json", """{"loss": 0.5}"""));

        // When
        JobMetrics metrics = Fifo.Within(() => MetricsReader.Read(job.Path), fifo);

        // Then
        metrics.Scalars["loss"].ShouldBe(MetricValue.FromNumber(0.5));
        MetricsWarning warning = metrics.Warnings.ShouldHaveSingleItem();
        warning.File.ShouldBe(job.PathOf("metrics.jsonl"));
        warning.Message.ShouldContain("symbolic link to something that is not a regular file");
    }

    [Fact]
    public void Given_a_metrics_json_linked_to_dev_zero_when_reading_then_the_endless_device_is_not_read()
    {
        // Given
        using var job = new TempJobDirectory();
        File.CreateSymbolicLink(job.PathOf("metrics.json"), "/dev/zero");

        // When
        JobMetrics metrics = Fifo.Within(() => MetricsReader.Read(job.Path));

        // Then
        metrics.Warnings.ShouldHaveSingleItem().NotRead.ShouldBeTrue();
    }

    [Fact]
    public void Given_status_and_config_that_are_fifos_when_reading_the_job_then_it_returns_and_names_both_as_not_read()
    {
        // Given
        using var results = new TempDirectory("expt-fifo");
        string run = Catalog.RunFiles.Sweep(results.Path);
        string jobDir = Path.Combine(run, "lr0.001_r4");
        File.Delete(Path.Combine(jobDir, JobStatus.FileName));
        File.Delete(Path.Combine(jobDir, "config.json"));
        string[] fifos = [Fifo.Make(Path.Combine(jobDir, JobStatus.FileName)), Fifo.Make(Path.Combine(jobDir, "config.json"))];

        // When
        RunRecord? record = Fifo.Within(() => RunReader.Read(run, out _), fifos);

        // Then
        JobRecord job = record.ShouldNotBeNull().Jobs.Single(j => j.Id == "lr0.001_r4");
        job.Status.ShouldBeNull();
        job.Params.ShouldBeEmpty();
        job.NotRead.Count.ShouldBe(2);
        job.NotRead.ShouldAllBe(n => n.Contains("not a regular file"));
        job.NotRead.ShouldContain(n => n.StartsWith(fifos[0] + ":", StringComparison.Ordinal));
        job.NotRead.ShouldContain(n => n.StartsWith(fifos[1] + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_manifest_journal_that_is_a_fifo_when_reading_the_run_then_the_run_is_a_problem_naming_it()
    {
        // Given
        using var results = new TempDirectory("expt-fifo");
        string run = Catalog.RunFiles.Sweep(results.Path);
        string fifo = Fifo.Make(Path.Combine(run, ManifestStore.JournalFileName));

        // When
        (RunRecord? Record, string? Problem) read = Fifo.Within(() => (RunReader.Read(run, out var problem), problem), fifo);

        // Then
        read.Record.ShouldBeNull();
        read.Problem.ShouldNotBeNull().ShouldContain(ManifestStore.JournalFileName + " is not a regular file");
    }

    [Fact]
    public void Given_a_stderr_log_that_is_a_fifo_when_its_tail_is_read_then_the_tail_says_so_instead_of_blocking()
    {
        // Given
        using var job = new TempJobDirectory();
        string fifo = Fifo.Make(job.PathOf("stderr.log"));

        // When
        IReadOnlyList<string> tail = Fifo.Within(() => LogTail.Read(fifo, 5), fifo);

        // Then
        tail.ShouldHaveSingleItem().ShouldStartWith("(stderr.log is not a regular file");
    }
}
