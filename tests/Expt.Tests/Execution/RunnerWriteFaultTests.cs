using System.Collections.Concurrent;
using Expt.Execution;
using Expt.Execution.Local;
using Expt.Planning;
using Expt.Recording;
using Expt.Tests.Support;

namespace Expt.Tests.Execution;

/// <summary>
/// The runner when a write of the run's records fails, with real jobs: one job turns the path of its own status.json
/// into a directory, so the runner's next write of it fails as a write to a full disk does.
/// </summary>
public sealed class RunnerWriteFaultTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private string RunDir => Path.Combine(Results, "wf", "r1");

    // v0 runs until the runner has logged the failed write (an entry, not the command text run.log also holds), so that it
    // is running then; v1 breaks its status.json.
    private const string Spec = """
        experiment: wf
        params:
          i: { type: int, default: 0 }
        matrix: { i: [0, 1, 2, 3] }
        name: "v{i}"
        run: >-
          echo {i} >> ran.log;
          if [ {i} = 0 ]; then n=0; until grep -q '^\[[^]]*\] RUN_WRITE_FAILED' "$EXPT_RUN_DIR/run.log"; do n=$((n+1)); [ $n -lt 1200 ] || exit 9; sleep 0.05; done; fi;
          if [ {i} = 1 ]; then rm -f "$EXPT_OUTPUT_DIR/status.json"; mkdir "$EXPT_OUTPUT_DIR/status.json"; fi
        args: none
        """;

    private async Task<RunOutcome> RunAsync(Plan plan, string? resume, IRunObserver observer)
    {
        var engine = new RunEngine(new LocalExecutor(new ProcessJobLauncher(TimeProvider.System), TimeProvider.System), NoGit.Instance, TimeProvider.System);
        var request = new RunRequest(Results, resume is null ? "r1" : null, resume, Force: false, SelectionNarrowed: false, "expt run (test)");
        var options = ExecutionOptions.ForThisMachine() with { Parallelism = 2, RetryBackoff = TimeSpan.Zero };
        using var stop = new RunStop();
        return await engine.RunAsync(plan, request, options, observer, stop);
    }

    [Fact]
    public async Task Given_a_status_write_that_fails_mid_run_when_run_then_no_job_starts_after_it_the_running_one_ends_the_records_agree_and_a_resume_finishes()
    {
        // Given
        var plan = SpecText.Plan(_dir, Spec);
        var observer = new MessageObserver();

        // When
        var outcome = await RunAsync(plan, resume: null, observer);

        // Then: exit 1, the fault named with its file, and no job started after it
        outcome.ExitCode.ShouldBe(1);
        outcome.Errors.ShouldBeEmpty();
        outcome.Fault.ShouldNotBeNull();
        outcome.Fault.Path.ShouldBe(Path.Combine(RunDir, "v1", JobStatus.FileName));
        outcome.Fault.DiskFull.ShouldBeFalse();
        observer.Messages.ShouldContain(m => m.Contains($"cannot write {outcome.Fault.Path}", StringComparison.Ordinal) && m.Contains("no more jobs are started", StringComparison.Ordinal));
        File.ReadAllLines(_dir.Combine("ran.log")).Order().ShouldBe(["0", "1"]);
        // The job running when the write failed was let finish, and recorded.
        outcome.Statuses["v0"].State.ShouldBe(JobState.Succeeded);
        outcome.Statuses["v1"].State.ShouldBe(JobState.Succeeded);
        outcome.Statuses["v2"].State.ShouldBe(JobState.Pending);
        outcome.Statuses["v3"].State.ShouldBe(JobState.Pending);
        // The manifest (with its journal) agrees with what happened; only v1's status.json could not be written.
        var manifest = ManifestStore.Read(RunDir)!;
        manifest.Ended.ShouldNotBeNull();
        manifest.Jobs.Select(j => (j.Id, j.State)).ShouldBe([("v0", JobState.Succeeded), ("v1", JobState.Succeeded), ("v2", JobState.Pending), ("v3", JobState.Pending)]);
        Internal.JsonFiles.Read<JobStatus>(Path.Combine(RunDir, "v0", JobStatus.FileName))!.State.ShouldBe(JobState.Succeeded);
        outcome.RecordsIncomplete.ShouldBeTrue();
        var log = File.ReadAllText(Path.Combine(RunDir, RunLog.FileName));
        log.ShouldContain("RUN_WRITE_FAILED");
        log.ShouldContain("RUN_END");

        // And when the fault is gone, a resume runs only the jobs that never started (v1's end is recovered from its own files)
        Directory.Delete(Path.Combine(RunDir, "v1", JobStatus.FileName));
        var resumed = await RunAsync(SpecText.Plan(_dir, Spec), resume: "r1", NullRunObserver.Instance);
        resumed.ExitCode.ShouldBe(0);
        resumed.Fault.ShouldBeNull();
        File.ReadAllLines(_dir.Combine("ran.log")).Order().ShouldBe(["0", "1", "2", "3"]);
        ManifestStore.Read(RunDir)!.Jobs.ShouldAllBe(j => j.State == JobState.Succeeded);
    }

    private sealed class MessageObserver : IRunObserver
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => [.. _messages];

        public void JobUpdated(JobStatus status)
        {
        }

        public void Message(string text) => _messages.Enqueue(text);
    }
}
