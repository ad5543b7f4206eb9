using Expt.Execution;
using System.Globalization;
using Expt.Recording;
using Expt.Slurm.Tests.Support;
using Expt.Slurm.Tracking;
using Expt.Testing;

namespace Expt.Slurm.Tests.Cluster;

/// <summary>The SLURM executor against the real single-node cluster: what the issue's "done when" list asks.</summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmClusterTests : IDisposable
{
    private const string Executor = "executor: { type: slurm, poll_interval: 0.25s }\n";
    private readonly List<TestRun> _runs = [];

    public SlurmClusterTests() => SlurmCluster.Require();

    public void Dispose()
    {
        foreach (var run in _runs) run.Dispose();
    }

    private TestRun Spec(string yaml)
    {
        var run = new TestRun(yaml.TrimEnd() + "\n" + Executor, onCluster: true);
        _runs.Add(run);
        return run;
    }

    /// <summary>Every job that did not succeed, with why, for assertion messages.</summary>
    private static string Unsuccessful(IEnumerable<JobStatus> statuses) =>
        string.Join("; ", statuses.Where(s => s.State != JobState.Succeeded).Select(s => $"{s.Id} {s.State.Name()}: {s.Reason} [{string.Join(", ", s.Attempts.Select(a => $"{a.Attempt} {a.State.Name()} {a.Executor?.GetValueOrDefault("slurmJobId")}"))}]"));

    private static Task<SlurmRefreshResult> Refresh(TestRun run) =>
        SlurmRefresher.RefreshAsync(run.RunDirectory(), new Client.SlurmCli(), TimeProvider.System, CancellationToken.None);

    private static async Task<JobStatus> WaitFor(TestRun run, string job, Func<JobStatus, bool> condition, int seconds, string what)
    {
        JobStatus? last = null;
        await Eventually.Until(async () =>
        {
            last = (await Refresh(run)).Statuses.Single(s => s.Id == job);
            return condition(last);
        }, TimeSpan.FromSeconds(seconds), () => $"{job} {what} (last seen: {last?.State.Name()} {last?.Reason}; {string.Join(", ", last?.Attempts.Select(a => $"attempt {a.Attempt} {a.State.Name()}") ?? [])})");
        return last!;
    }

    [SlurmFact]
    public async Task a_pipeline_of_twenty_variants_evaluates_fast_variants_while_a_slow_training_still_runs()
    {
        // Given 20 variants; variant 0 trains until an evaluation of another variant has started (at most 60 s, then it fails),
        // so on a slow machine the test waits as long as the cluster needs and no longer, and evaluations that wait for
        // all training make it fail
        using var marker = new TempDirectory();
        var evaluated = marker.Combine("an-evaluation-started");
        var run = Spec($$"""
            experiment: pipeline
            params:
              n: { type: int, default: 0 }
            matrix:
              n: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
            name: "v{n}"
            args: none
            stages:
              train: { run: "if [ {n} = 0 ]; then for i in $(seq 600); do [ -e '{{evaluated}}' ] && exit 0; sleep 0.1; done; exit 1; fi" }
              eval: { run: "touch '{{evaluated}}'; echo evaluated", needs: [train] }
            """);
        var slurm = new CountingSlurm();

        // When it runs on the cluster
        var outcome = await run.RunAsync(new SlurmExecutor(slurm, TimeProvider.System));

        // Then all 40 jobs succeeded from two sbatch calls, and evaluations of fast variants started before the slow training ended
        outcome.ExitCode.ShouldBe(0, Unsuccessful(outcome.Statuses.Values));
        outcome.Statuses.Count.ShouldBe(40);
        slurm.Submits.ShouldBe(2);
        var slowEnd = run.Status("v0/train").EndedAt!.Value;
        var early = Enumerable.Range(1, 19).Select(n => run.Status($"v{n}/eval")).Where(s => s.StartedAt < slowEnd).ToList();
        early.ShouldNotBeEmpty();
        run.Status("v0/eval").StartedAt!.Value.ShouldBeGreaterThanOrEqualTo(slowEnd.AddMilliseconds(-50));
    }

    [SlurmFact]
    public async Task a_failed_training_with_retries_is_resubmitted_and_its_evaluation_waits_for_the_retry()
    {
        // Given a training that fails on its first attempt and may be retried once
        var run = Spec("""
            experiment: retried
            args: none
            stages:
              train: { run: "test $EXPT_ATTEMPT -ge 2", retries: 1 }
              eval: { run: "true", needs: [train] }
            """);
        var slurm = new CountingSlurm();

        // When it runs
        var outcome = await run.RunAsync(new SlurmExecutor(slurm, TimeProvider.System));

        // Then attempt 2 succeeded, the evaluation SLURM had cancelled was re-linked to it and ran once
        outcome.ExitCode.ShouldBe(0, Unsuccessful(outcome.Statuses.Values));
        run.Status("default/train").Attempts.Select(a => a.State).ShouldBe([JobState.Failed, JobState.Succeeded]);
        run.Status("default/eval").Attempts.Count.ShouldBe(1);
        slurm.Submits.ShouldBe(4);
        run.RunLog().ShouldContain("JOB_RETRY: default/train attempt 1 failed; resubmitting as attempt 2 of 2");
    }

    [SlurmFact]
    public async Task a_job_cancelled_with_scancel_is_cancelled_and_its_evaluation_blocked()
    {
        // Given a long training submitted detached and running
        var run = Spec("""
            experiment: scancelled
            args: none
            stages:
              train: { run: "sleep 120" }
              eval: { run: "true", needs: [train] }
            """);
        await run.RunAsync(new SlurmExecutor(new Client.SlurmCli(), TimeProvider.System), detach: true);
        var running = await WaitFor(run, "default/train", s => s.State == JobState.Running && s.StartedAt is not null, 30, "runs");

        // When someone scancels it outside Expt
        var task = running.Attempts[^1].Executor!["slurmJobId"];
        (await SlurmCluster.Run("scancel", [task])).ExitCode.ShouldBe(0);

        // Then it ends cancelled and its evaluation blocked
        var cancelled = await WaitFor(run, "default/train", s => s.State.IsFinished(), 30, "ends");
        cancelled.State.ShouldBe(JobState.Cancelled);
        cancelled.Reason!.ShouldContain("cancelled in SLURM");
        (await WaitFor(run, "default/eval", s => s.State.IsFinished(), 30, "ends")).State.ShouldBe(JobState.Blocked);
    }

    [SlurmFact]
    public async Task a_node_failure_requeues_a_running_job_as_a_new_attempt_and_a_job_that_may_not_be_requeued_is_lost()
    {
        // Given two running jobs, one of which asked SLURM never to requeue it
        const string Spec1 = """
            experiment: nodefail
            args: none
            run: "sleep 6"
            """;
        var requeued = Spec(Spec1);
        var notRequeued = new TestRun(Spec1.TrimEnd() + "\nexecutor: { type: slurm, poll_interval: 0.25s, sbatch: [--no-requeue] }\n", onCluster: true);
        _runs.Add(notRequeued);
        await requeued.RunAsync(new SlurmExecutor(new Client.SlurmCli(), TimeProvider.System), detach: true);
        await notRequeued.RunAsync(new SlurmExecutor(new Client.SlurmCli(), TimeProvider.System), detach: true);
        await WaitFor(requeued, "default", s => s.State == JobState.Running && s.StartedAt is not null, 30, "runs");
        await WaitFor(notRequeued, "default", s => s.State == JobState.Running && s.StartedAt is not null, 30, "runs");

        try
        {
            // When the node goes DOWN under them
            (await SlurmCluster.Run("scontrol", ["update", "nodename=localhost", "state=down", "reason=expt-test-node-failure"])).ExitCode.ShouldBe(0);

            // Then the requeued job's first attempt is lost and a second waits (SLURM holds it back ~2 min with BeginTime)
            var waiting = await WaitFor(requeued, "default", s => s.Attempts.Count == 2, 30, "is requeued");
            waiting.State.ShouldBe(JobState.Queued);
            waiting.Attempts[0].State.ShouldBe(JobState.Lost);
            waiting.Reason!.ShouldStartWith("SLURM PENDING");
            // And the job SLURM may not requeue is NODE_FAIL: lost, for resume to rerun
            var lost = await WaitFor(notRequeued, "default", s => s.State.IsFinished(), 30, "ends");
            lost.State.ShouldBe(JobState.Lost);
            lost.Reason!.ShouldContain("NODE_FAIL");
        }
        finally
        {
            await SlurmCluster.RunScriptAsync("start-cluster.sh");
        }

        // When the node is back and the requeued job may start now. (Not in the same second as the kill: slurmd
        // compares credential times in whole seconds and refuses a relaunch as "Job credential revoked", which
        // SLURM's own ~2 min BeginTime normally avoids.)
        await Task.Delay(TimeSpan.FromSeconds(2));
        var task = requeued.Status("default").Attempts[^1].Executor!["slurmJobId"];
        (await SlurmCluster.Run("scontrol", ["update", $"jobid={task}", "starttime=now"])).ExitCode.ShouldBe(0);

        // Then it runs again as attempt 2 (EXPT_ATTEMPT follows SLURM_RESTART_COUNT) and succeeds
        var done = await WaitFor(requeued, "default", s => s.State.IsFinished(), 60, "ends");
        done.State.ShouldBe(JobState.Succeeded, $"{done.Reason}; {string.Join(", ", done.Attempts.Select(a => $"{a.Attempt} {a.State.Name()} {a.Reason}"))}");
        done.Attempts.Select(a => a.State).ShouldBe([JobState.Lost, JobState.Succeeded]);
        File.Exists(requeued.JobFile("default", ".expt/started-2.json")).ShouldBeTrue();
        requeued.RunLog().ShouldContain("STATE_CHANGE: default running -> queued (attempt 2)");
    }

    [SlurmFact]
    public async Task detach_status_and_watch_converge_on_the_same_outcome()
    {
        // Given a pipeline submitted with --detach
        var run = Spec("""
            experiment: detached
            params:
              n: { type: int, default: 0 }
            matrix:
              n: [0, 1, 2, 3]
            name: "v{n}"
            args: none
            stages:
              train: { run: "sleep 2; test {n} != 3" }
              eval: { run: "true", needs: [train] }
            """);
        var slurm = new CountingSlurm();
        var submitted = await run.RunAsync(new SlurmExecutor(slurm, TimeProvider.System), detach: true);
        submitted.Detached.ShouldBeTrue();
        submitted.Statuses.Values.ShouldAllBe(s => s.State == JobState.Queued);

        // When status looks right away, then watch follows to the end, then status looks again
        var early = await SlurmRefresher.RefreshAsync(run.RunDirectory(), slurm, TimeProvider.System, CancellationToken.None);
        var queueCalls = slurm.Queues;
        var watched = await SlurmWatcher.WatchAsync(run.RunDirectory(), slurm, NullRunObserver.Instance, TimeProvider.System, TimeSpan.Zero, CancellationToken.None);
        var late = await SlurmRefresher.RefreshAsync(run.RunDirectory(), slurm, TimeProvider.System, CancellationToken.None);

        // Then the early status still saw work in SLURM (one squeue call for all 8 jobs); watch and the later status agree
        queueCalls.ShouldBe(1);
        early.Active.ShouldBeGreaterThan(0);
        watched.Finished.ShouldBeTrue();
        late.Active.ShouldBe(0);
        late.Statuses.Select(s => (s.Id, s.State)).ShouldBe(watched.Statuses.Select(s => (s.Id, s.State)));
        late.Statuses.Count(s => s.State == JobState.Succeeded).ShouldBe(6);
        run.Status("v3/eval").State.ShouldBe(JobState.Blocked);
        run.Status("v0/train").Accounting!.CpuSeconds.ShouldNotBeNull("the wrapper measures the command's CPU time");
        run.Status("v0/train").Accounting!.PeakRssMb.ShouldNotBeNull("the wrapper samples the command's memory").ShouldBeGreaterThan(0);
        ManifestStore.Read(run.RunDirectory())!.Ended.ShouldNotBeNull();
        run.RunLog().ShouldContain("STATE_CHANGE: v0/train");
        run.RunLog().ShouldContain("RUN_END");
    }

    [SlurmFact]
    public async Task resume_after_a_controller_restart_adopts_what_still_runs_and_resubmits_only_what_did_not_finish()
    {
        // Given a detached pipeline: v0 done, v1 still training (until the test opens its gate), v2 failed (until a file exists)
        var run = Spec("""
            experiment: restarted
            params:
              n: { type: int, default: 0 }
            matrix:
              n: [0, 1, 2]
            name: "v{n}"
            args: none
            stages:
              train: { run: "if [ {n} = 1 ]; then while [ ! -f gate ]; do sleep 0.2; done; fi; test {n} != 2 || test -f ready" }
              eval: { run: "true", needs: [train] }
            """);
        await run.RunAsync(new SlurmExecutor(new Client.SlurmCli(), TimeProvider.System), detach: true);
        await WaitFor(run, "v0/eval", s => s.State == JobState.Succeeded, 30, "succeeds");
        await WaitFor(run, "v2/eval", s => s.State == JobState.Blocked, 30, "is blocked");
        var training = await WaitFor(run, "v1/train", s => s.State == JobState.Running && s.StartedAt is not null, 30, "runs");

        // When slurmctld restarts, the cause is fixed and the run is resumed (v1's training finishing only once the resume follows it)
        await SlurmCluster.RunScriptAsync("restart-controller.sh");
        File.WriteAllText(Path.Combine(run.Root, "ready"), "");
        var slurm = new CountingSlurm();
        var resuming = run.RunAsync(new SlurmExecutor(slurm, TimeProvider.System), resume: run.RunDirectory());
        await Eventually.Until(() => run.RunLog().Contains("RUN_RESUME", StringComparison.Ordinal) || resuming.IsCompleted, TimeSpan.FromSeconds(30), "the resume has settled the jobs");
        File.WriteAllText(Path.Combine(run.Root, "gate"), "");
        var outcome = await resuming;

        // Then v0 was skipped, v1 was followed without a second submission, only v2 went out again (two arrays), and all succeeded
        outcome.ExitCode.ShouldBe(0, Unsuccessful(outcome.Statuses.Values));
        outcome.Skipped.ShouldBe(["v0/train", "v0/eval"], ignoreOrder: true);
        slurm.Submits.ShouldBe(2);
        var v1 = run.Status("v1/train");
        v1.Attempts.Count.ShouldBe(1);
        v1.Attempts[0].Executor!["slurmJobId"].ShouldBe(training.Attempts[0].Executor!["slurmJobId"]);
        run.Status("v1/eval").Attempts.Count.ShouldBe(1);
        run.Status("v2/train").Attempts.Count.ShouldBe(2);
        run.Status("v2/eval").State.ShouldBe(JobState.Succeeded);
    }

    [SlurmFact]
    public async Task a_submission_the_runner_never_recorded_is_found_in_the_queue_on_resume_and_each_job_runs_once()
    {
        // Given a detached pipeline whose recorded job ids are then lost, as when the runner is killed right after sbatch
        var run = Spec("""
            experiment: unrecorded
            params:
              n: { type: int, default: 0 }
            matrix:
              n: [0, 1, 2]
            name: "v{n}"
            args: none
            stages:
              train: { run: "echo {n} >> trained.log; sleep 2" }
              eval: { run: "echo {n} >> evaluated.log", needs: [train] }
            """);
        await run.RunAsync(new SlurmExecutor(new Client.SlurmCli(), TimeProvider.System), detach: true);
        run.ForgetJobStatuses();

        // When the run is resumed and followed to the end
        var slurm = new CountingSlurm();
        var outcome = await run.RunAsync(new SlurmExecutor(slurm, TimeProvider.System), resume: run.RunDirectory());

        // Then the arrays already in SLURM were followed, nothing went out again, and every job ran exactly once
        outcome.ExitCode.ShouldBe(0, Unsuccessful(outcome.Statuses.Values));
        slurm.Submits.ShouldBe(0);
        run.RunLog().ShouldContain("SLURM_RECOVERED: array 1");
        File.ReadAllLines(Path.Combine(run.Root, "trained.log")).Order().ShouldBe(["0", "1", "2"]);
        File.ReadAllLines(Path.Combine(run.Root, "evaluated.log")).Order().ShouldBe(["0", "1", "2"]);
    }

    [SlurmFact]
    public async Task a_thousand_variants_go_out_in_two_sbatch_calls()
    {
        // Given 1,000 variants of a two-stage pipeline of trivial jobs
        var levels = string.Join(", ", Enumerable.Range(0, 1000).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        var run = Spec($$"""
            experiment: thousand
            params:
              n: { type: int, default: 0 }
            matrix:
              n: [{{levels}}]
            name: "v{n}"
            args: none
            stages:
              train: { run: "true" }
              eval: { run: "true", needs: [train] }
            """);
        var slurm = new CountingSlurm();

        // When submitted
        var outcome = await run.RunAsync(new SlurmExecutor(slurm, TimeProvider.System), detach: true);

        // Then 2,000 jobs went out in two sbatch calls, each job with its own task id
        slurm.Submits.ShouldBe(2);
        outcome.Statuses.Count.ShouldBe(2000);
        outcome.Statuses.Values.ShouldAllBe(s => s.State == JobState.Queued || s.State == JobState.Running || s.State == JobState.Succeeded);
        outcome.Statuses.Values.Select(s => s.Attempts[^1].Executor!["slurmJobId"]).Distinct().Count().ShouldBe(2000);

        // And cancelling what is left takes one scancel and ends every job
        var cancel = await SlurmCanceller.CancelAsync(run.RunDirectory(), slurm, TimeProvider.System, CancellationToken.None);
        cancel.SlurmIds.Count.ShouldBeLessThanOrEqualTo(2);
        slurm.Cancels.ShouldBe(1);
        SlurmRefresher.ReadOnly(run.RunDirectory(), null).Statuses.ShouldAllBe(s => s.State.IsFinished());
    }
}
