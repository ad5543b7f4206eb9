using Expt.Recording;
using Expt.Slurm.Tests.Support;
using Expt.Slurm.Tracking;

namespace Expt.Slurm.Tests.Unit;

/// <summary>The SLURM executor and its follow-up commands against a fake cluster: submissions, refresh, requeue, retries, cancel.</summary>
public sealed class SlurmExecutorFakeTests : IDisposable
{
    private const string Pipeline = """
        experiment: fake
        params:
          n: { type: int, default: 0 }
        matrix:
          n: [0, 1, 2]
        name: "v{n}"
        args: none
        executor: { type: slurm, poll_interval: 0.1s }
        stages:
          train: { run: "true" }
          eval: { run: "true", needs: [train] }
        """;

    private readonly TestRun _run = new(Pipeline);
    private readonly FakeSlurm _slurm = new();

    public void Dispose() => _run.Dispose();

    private SlurmExecutor Executor() => new(_slurm, TimeProvider.System);

    private string Dir(string job) => Path.Combine(_run.RunDirectory(), job);

    [Fact]
    public async Task a_pipeline_is_submitted_as_one_array_per_stage_with_per_variant_dependencies()
    {
        // Given a 3-variant train → eval pipeline / When submitted detached
        var outcome = await _run.RunAsync(Executor(), detach: true);

        // Then two sbatch calls; the eval array waits task by task for the train array; every job is queued with its ids
        outcome.Detached.ShouldBeTrue();
        outcome.ExitCode.ShouldBe(0);
        _slurm.Submitted.Count.ShouldBe(2);
        FakeSlurm.Directives(_slurm.Submitted[1]).ShouldContain("--dependency=aftercorr:100");
        FakeSlurm.Directives(_slurm.Submitted[1]).ShouldContain("--array=0-2");
        _run.Status("v2/eval").State.ShouldBe(JobState.Queued);
        _run.Status("v2/eval").Attempts.Single().Executor!["slurmJobId"].ShouldBe("101_2");
        var manifest = ManifestStore.Read(_run.RunDirectory())!;
        manifest.Executor.ShouldBe("slurm");
        manifest.Jobs.Single(j => j.Id == "v1/train").Executor!["slurmJobId"].ShouldBe("100_1");
        File.Exists(Path.Combine(Dir("v1/train"), ".expt", "sbatch-1.sh")).ShouldBeTrue();
        File.ReadAllText(Path.Combine(_run.RunDirectory(), ".expt", "slurm", "array-0002.tsv")).ShouldContain($"1\t1\t{Dir("v1/eval")}\n");
    }

    [Fact]
    public async Task a_refresh_asks_the_queue_once_for_all_jobs_and_logs_state_changes()
    {
        // Given a submitted pipeline where one training finished and another failed
        await _run.RunAsync(Executor(), detach: true);
        JobFiles.Exit(Dir("v0/train"), 1, 0, cpu: "0m1.500s 0m0.250s", peakRssKb: "204800");
        _slurm.Set("100_0", "COMPLETED");
        JobFiles.Exit(Dir("v1/train"), 1, 3);
        _slurm.Set("100_1", "FAILED", "NonZeroExitCode");
        _slurm.Set("101_1", "CANCELLED", "DependencyNeverSatisfied");
        _slurm.Set("100_2", "RUNNING");
        JobFiles.Started(Dir("v2/train"), 1);

        // When status refreshes
        var result = await SlurmRefresher.RefreshAsync(_run.RunDirectory(), _slurm, TimeProvider.System, CancellationToken.None);

        // Then ONE squeue call covered every job, and each state is recorded and logged
        _slurm.QueueCalls.Count.ShouldBe(1);
        _slurm.QueueCalls[0].ShouldBe(["100", "101"], ignoreOrder: true);
        result.Statuses.Single(s => s.Id == "v0/train").State.ShouldBe(JobState.Succeeded);
        result.Statuses.Single(s => s.Id == "v0/train").Accounting!.CpuSeconds.ShouldBe(1.75);
        result.Statuses.Single(s => s.Id == "v0/train").Accounting!.PeakRssMb.ShouldBe(200);
        result.Statuses.Single(s => s.Id == "v1/train").Accounting!.PeakRssMb.ShouldBeNull("no sample, no number (never 0)");
        result.Statuses.Single(s => s.Id == "v1/train").ExitCode.ShouldBe(3);
        result.Statuses.Single(s => s.Id == "v1/eval").State.ShouldBe(JobState.Blocked);
        result.Statuses.Single(s => s.Id == "v1/eval").Reason.ShouldBe("needs v1/train, which ended failed");
        result.Statuses.Single(s => s.Id == "v2/train").State.ShouldBe(JobState.Running);
        result.Active.ShouldBe(3);
        var log = _run.RunLog();
        log.ShouldContain("STATE_CHANGE: v0/train queued -> succeeded");
        log.ShouldContain("STATE_CHANGE: v1/eval queued -> blocked");
        log.ShouldNotContain("RUN_END");
    }

    [Fact]
    public async Task a_failed_sbatch_is_logged_its_jobs_fail_their_dependants_are_blocked_and_resume_resubmits_them()
    {
        // Given sbatch refuses the first submission
        _slurm.FailSubmission = n => n == 1 ? "sbatch: error: Batch job submission failed: Invalid partition name specified" : null;

        // When the run is submitted
        var outcome = await _run.RunAsync(Executor(), detach: true);

        // Then the error is in run.log, trainings failed, evaluations blocked, and nothing was submitted against a missing array
        outcome.ExitCode.ShouldBe(1);
        _slurm.Submitted.Count.ShouldBe(1);
        _run.RunLog().ShouldContain("SLURM_SUBMIT_FAILED: array 1 of stage train: 3 job(s)");
        _run.RunLog().ShouldContain("Invalid partition name specified");
        _run.Status("v0/train").State.ShouldBe(JobState.Failed);
        _run.Status("v0/train").Reason!.ShouldStartWith("could not submit to SLURM");
        _run.Status("v0/eval").State.ShouldBe(JobState.Blocked);

        // When resumed with a cluster that accepts
        var resumed = await _run.RunAsync(Executor(), resume: _run.RunDirectory(), detach: true);

        // Then every job is submitted again, as attempt 1
        resumed.ExitCode.ShouldBe(0);
        _slurm.Submitted.Count.ShouldBe(3);
        _run.Status("v0/train").State.ShouldBe(JobState.Queued);
        _run.Status("v0/eval").Attempts.Single().Attempt.ShouldBe(1);
    }

    [Fact]
    public async Task arrays_slurm_accepted_but_the_run_never_recorded_are_followed_on_resume_not_submitted_again()
    {
        // Given a submission whose answers were lost: the runner died after sbatch, before writing any job's ids
        await _run.RunAsync(Executor(), detach: true);
        _run.ForgetJobStatuses();

        // When resumed
        var resumed = await _run.RunAsync(Executor(), resume: _run.RunDirectory(), detach: true);

        // Then nothing is submitted again: every job follows the task it already has in SLURM
        resumed.ExitCode.ShouldBe(0);
        _slurm.Submitted.Count.ShouldBe(2);
        _run.Status("v1/eval").State.ShouldBe(JobState.Queued);
        _run.Status("v1/eval").Attempts.Single().Executor!["slurmJobId"].ShouldBe("101_1");
        _run.Status("v2/train").Attempts.Single().Executor!["slurmJobId"].ShouldBe("100_2");
        _run.RunLog().ShouldContain("SLURM_RECOVERED: array 1 is in SLURM as job 100 but its submission was never recorded; following its 3 job(s)");
    }

    [Fact]
    public async Task a_job_id_from_sbatch_goes_only_to_the_jobs_of_that_call()
    {
        // Given two independent stages and a first sbatch call that fails
        using var run = new TestRun(Pipeline.Replace(", needs: [train]", "", StringComparison.Ordinal));
        _slurm.FailSubmission = n => n == 1 ? "sbatch: error: Socket timed out" : null;

        // When submitted
        await run.RunAsync(Executor(), detach: true);

        // Then the id of the second call belongs to the second stage's jobs only
        run.Status("v0/train").Attempts.ShouldBeEmpty();
        run.Status("v0/train").State.ShouldBe(JobState.Failed);
        run.Status("v0/eval").Attempts.Single().Executor!["slurmJobId"].ShouldBe("100_0");
        run.RunLog().ShouldContain("SLURM_SUBMIT: array 2 of stage eval: 3 job(s) as SLURM job 100");
    }

    [Fact]
    public async Task a_job_slurm_requeues_after_a_node_failure_continues_as_a_new_attempt()
    {
        // Given a training that started, then SLURM requeued it (its node went down)
        await _run.RunAsync(Executor(), detach: true);
        JobFiles.Started(Dir("v0/train"), 1);
        _slurm.Set("100_0", "PENDING", "BeginTime", restarts: 1);

        // When status refreshes
        await SlurmRefresher.RefreshAsync(_run.RunDirectory(), _slurm, TimeProvider.System, CancellationToken.None);

        // Then attempt 1 is lost and attempt 2 waits
        var requeued = _run.Status("v0/train");
        requeued.State.ShouldBe(JobState.Queued);
        requeued.Attempts.Select(a => a.State).ShouldBe([JobState.Lost, JobState.Queued]);
        requeued.Attempts[0].Reason!.ShouldContain("requeued");

        // When the requeued job runs (SLURM_RESTART_COUNT=1 makes it attempt 2) and succeeds
        JobFiles.Exit(Dir("v0/train"), 2, 0);
        _slurm.Set("100_0", "COMPLETED", restarts: 1);
        await SlurmRefresher.RefreshAsync(_run.RunDirectory(), _slurm, TimeProvider.System, CancellationToken.None);

        // Then the job succeeded on attempt 2 and still has the SLURM id it always had
        var done = _run.Status("v0/train");
        done.State.ShouldBe(JobState.Succeeded);
        done.Attempts.Count.ShouldBe(2);
        done.Attempts[1].Executor!["slurmJobId"].ShouldBe("100_0");
    }

    [Fact]
    public async Task a_task_seen_pending_that_started_before_its_files_were_read_is_running_not_requeued()
    {
        // Given squeue still shows the task PENDING (no restart) but it started right after the query
        await _run.RunAsync(Executor(), detach: true);
        JobFiles.Started(Dir("v0/train"), 1);

        // When status refreshes
        await SlurmRefresher.RefreshAsync(_run.RunDirectory(), _slurm, TimeProvider.System, CancellationToken.None);

        // Then it is still one attempt: only SLURM's restart count makes a requeue
        _run.Status("v0/train").Attempts.Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_queue_outage_concludes_nothing_and_is_logged_once()
    {
        // Given submitted jobs and a controller that does not answer
        await _run.RunAsync(Executor(), detach: true);
        _slurm.QueueError = "slurm_load_jobs error: Unable to contact slurm controller";

        // When status refreshes
        var result = await SlurmRefresher.RefreshAsync(_run.RunDirectory(), _slurm, TimeProvider.System, CancellationToken.None);

        // Then no job became lost: they keep their last known state
        result.Problem!.ShouldContain("Unable to contact");
        result.Statuses.ShouldAllBe(s => s.State == JobState.Queued);
        _run.RunLog().ShouldContain("SLURM_QUEUE_UNAVAILABLE");
    }

    [Fact]
    public async Task a_failed_job_with_retries_is_resubmitted_after_a_backoff_with_the_jobs_that_wait_for_it()
    {
        // Given trainings that may be retried once
        using var run = new TestRun(Pipeline.Replace("train: { run: \"true\" }", "train: { run: \"true\", retries: 1 }", StringComparison.Ordinal));
        await run.RunAsync(Executor(), detach: true);
        var dir = Path.Combine(run.RunDirectory(), "v1/train");
        JobFiles.Exit(dir, 1, 9);
        _slurm.Set("100_1", "FAILED", "NonZeroExitCode");

        // When a follower (expt watch) sees the failure, then everything else succeeds
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var sink = new RecordingObserver();
        var watch = SlurmWatcher.WatchAsync(run.RunDirectory(), _slurm, sink, TimeProvider.System, TimeSpan.FromSeconds(5), stop.Token);
        while (_slurm.Submitted.Count < 4 && !stop.IsCancellationRequested) await Task.Delay(20);
        foreach (var job in new[] { "v0/train", "v2/train", "v0/eval", "v2/eval", "v1/train", "v1/eval" })
        {
            var attempt = run.Status(job).Attempts[^1];
            JobFiles.Exit(Path.Combine(run.RunDirectory(), job), attempt.Attempt, 0);
            _slurm.Set(attempt.Executor!["slurmJobId"], "COMPLETED");
        }
        var result = await watch;

        // Then attempt 2 went out with a 5 s --begin, its evaluation was re-linked to it, and the run ended well
        FakeSlurm.Directives(_slurm.Submitted[2]).ShouldContain("--begin=now+5");
        FakeSlurm.Directives(_slurm.Submitted[3]).ShouldContain("--dependency=aftercorr:102");
        _slurm.CancelCalls.ShouldContain(c => c.Contains("101_1"));
        result.Finished.ShouldBeTrue();
        result.Statuses.ShouldAllBe(s => s.State == JobState.Succeeded);
        run.Status("v1/train").Attempts.Select(a => a.State).ShouldBe([JobState.Failed, JobState.Succeeded]);
        run.Status("v1/eval").Attempts.Single().Attempt.ShouldBe(1);
        run.RunLog().ShouldContain("JOB_RETRY: v1/train attempt 1 failed; resubmitting as attempt 2 of 2");
        run.RunLog().ShouldContain("RUN_END");
        sink.Messages.First().ShouldStartWith("following run r1: 0 of 6 job(s) done; refreshing every");
    }

    [Fact]
    public async Task cancel_scancels_each_array_once_and_records_what_is_left_as_cancelled()
    {
        // Given a pipeline whose first training already succeeded
        await _run.RunAsync(Executor(), detach: true);
        JobFiles.Exit(Dir("v0/train"), 1, 0);
        _slurm.Set("100_0", "COMPLETED");
        _slurm.Set("100_1", "RUNNING");
        JobFiles.Started(Dir("v1/train"), 1);

        // When the run is cancelled
        var result = await SlurmCanceller.CancelAsync(_run.RunDirectory(), _slurm, TimeProvider.System, CancellationToken.None);

        // Then one scancel named the two arrays; the finished job kept its outcome, the rest are cancelled
        _slurm.CancelCalls.ShouldHaveSingleItem().ShouldBe(["100", "101"], ignoreOrder: true);
        result.Cancelled.ShouldBe(5);
        _run.Status("v0/train").State.ShouldBe(JobState.Succeeded);
        _run.Status("v1/train").State.ShouldBe(JobState.Cancelled);
        _run.Status("v2/eval").Reason.ShouldBe("cancelled by expt cancel");
        _run.RunLog().ShouldContain("RUN_CANCEL: 5 job(s) cancelled");
        ManifestStore.Read(_run.RunDirectory())!.Ended.ShouldNotBeNull();
    }
}
