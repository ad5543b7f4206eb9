using Expt.Internal;
using Expt.Recording;
using Expt.Reporting;
using Expt.Results;
using Expt.Tests.Archiving;

namespace Expt.Tests.Reporting;

public sealed class FailureReportTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-failure");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Given_a_job_whose_attempt_never_started_when_its_failure_is_reported_then_no_log_path_is_given()
    {
        // Given: a submission that failed before the job ran: an attempt is recorded, its stderr.log never written.
        var run = FakeRun.Create(_dir.Path, "r", DateTimeOffset.UtcNow, JobState.Failed);
        JsonFiles.Write(Path.Combine(run, "v0", JobStatus.FileName), new JobStatus
        {
            Id = "v0", Variant = "v0", Stage = "main", State = JobState.Failed, Reason = "sbatch failed: invalid partition",
            Attempts = [new AttemptRecord { Attempt = 1, State = JobState.Failed, Stdout = "stdout.log", Stderr = "stderr.log" }],
        });
        var record = RunReader.Read(run, out var problem) ?? throw new InvalidOperationException(problem);

        // When
        var failure = RunReport.From(record).Failures.ShouldHaveSingleItem();

        // Then
        File.Exists(Path.Combine(run, "v0", "stderr.log")).ShouldBeFalse();
        failure.Stderr.ShouldBeNull();
        failure.StderrTail.ShouldBeEmpty();
        failure.Reason.ShouldBe("sbatch failed: invalid partition");
    }
}
