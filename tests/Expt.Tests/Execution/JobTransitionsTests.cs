using Expt.Execution;
using Expt.Recording;

namespace Expt.Tests.Execution;

/// <summary>The pure status changes of a job, without files, clock or processes.</summary>
public sealed class JobTransitionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static JobStatus Pending() => new() { Id = "v0/train", Variant = "v0", Stage = "train", State = JobState.Pending };

    private static AttemptRecord Attempt(int n, DateTimeOffset startedAt) =>
        new() { Attempt = n, State = JobState.Running, StartedAt = startedAt, Pid = 42, Stdout = "stdout.log", Stderr = "stderr.log" };

    [Fact]
    public void Given_a_job_that_failed_before_when_its_next_attempt_starts_then_it_runs_and_the_old_end_is_cleared()
    {
        var failed = Pending() with { State = JobState.Failed, Reason = "exit code 1", EndedAt = T0, ExitCode = 1, DurationSeconds = 3, Attempts = [Attempt(1, T0) with { State = JobState.Failed }] };

        var next = JobTransitions.Started(failed, failed.Attempts, Attempt(2, T0.AddMinutes(1)), "id-2");

        next.State.ShouldBe(JobState.Running);
        next.StartedAt.ShouldBe(T0.AddMinutes(1));
        next.Reason.ShouldBeNull();
        next.EndedAt.ShouldBeNull();
        next.ExitCode.ShouldBeNull();
        next.DurationSeconds.ShouldBeNull();
        next.Identity.ShouldBe("id-2");
        next.Attempts.Select(a => a.Attempt).ShouldBe([1, 2]);
    }

    [Fact]
    public void Given_a_job_that_cannot_start_when_recorded_then_job_and_attempt_say_why()
    {
        var next = JobTransitions.StartFailed(Pending(), [], 1, "setsid did not start", T0);

        next.State.ShouldBe(JobState.Failed);
        next.Reason.ShouldBe("could not start: setsid did not start");
        next.EndedAt.ShouldBe(T0);
        next.Attempts.ShouldHaveSingleItem().State.ShouldBe(JobState.Failed);
    }

    [Theory]
    [InlineData(true, false, 0, false, "timed_out", "killed after the 30s timeout")]
    [InlineData(false, true, 143, false, "cancelled", "cancelled by SIGINT")]
    [InlineData(false, false, null, true, "lost", "the process ended without recording an exit code")]
    [InlineData(false, false, 0, false, "succeeded", null)]
    [InlineData(false, false, 3, false, "failed", "exit code 3")]
    public void Given_how_an_attempt_ended_when_judged_then_the_timeout_and_the_stop_come_before_the_exit_code(
        bool timedOut, bool cancelled, int? exitCode, bool lost, string state, string? reason)
    {
        var exit = new JobExit(exitCode, T0, T0.AddSeconds(5), Recorded: !lost, Lost: lost);

        var (s, r) = JobTransitions.Outcome(exit, timedOut, cancelled, TimeSpan.FromSeconds(30), "SIGINT");

        s.Name().ShouldBe(state);
        r.ShouldBe(reason);
    }

    [Fact]
    public void Given_an_attempt_that_held_two_gpus_when_it_ends_then_it_counts_gpu_seconds_and_the_larger_peak_memory()
    {
        var exit = new JobExit(0, T0, T0.AddSeconds(10), Recorded: true, CpuSeconds: 7, PeakRssMb: 100);

        var ended = JobTransitions.AttemptEnded(Attempt(1, T0), exit, (JobState.Succeeded, null), sampledPeakRssMb: 250, gpus: 2);

        ended.State.ShouldBe(JobState.Succeeded);
        ended.EndedAt.ShouldBe(T0.AddSeconds(10));
        ended.GpuSeconds.ShouldBe(20);
        ended.PeakRssMb.ShouldBe(250);
        ended.CpuSeconds.ShouldBe(7);
    }

    [Theory]
    [InlineData("failed", 1, 2, true)]
    [InlineData("failed", 3, 2, false)]
    [InlineData("succeeded", 1, 2, false)]
    [InlineData("cancelled", 1, 2, false)]
    public void Given_a_stage_with_retries_when_an_attempt_ends_then_only_states_in_retry_on_within_the_count_are_retried(string state, int attempt, int retries, bool expected) =>
        JobTransitions.Retries(JobStates.Parse(state)!.Value, attempt, retries, ["failed", "timed_out", "lost"]).ShouldBe(expected);

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(30, 300)]
    public void Given_a_backoff_of_two_seconds_when_attempt_n_ended_then_the_wait_doubles_up_to_five_minutes(int attempt, int seconds) =>
        JobTransitions.RetryDelay(TimeSpan.FromSeconds(2), attempt).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Given_a_failed_first_attempt_when_it_is_retried_then_the_job_is_queued_with_the_reason_and_no_end()
    {
        var attempts = new[] { Attempt(1, T0) with { State = JobState.Failed, Reason = "exit code 1", ExitCode = 1, EndedAt = T0.AddSeconds(4) } };

        var next = JobTransitions.Retrying(Pending() with { State = JobState.Running }, attempts, retries: 2, TimeSpan.FromSeconds(2));

        next.State.ShouldBe(JobState.Queued);
        next.Reason.ShouldBe("attempt 1 failed (exit code 1); retry 2 of 3 in 2.0s");
        next.EndedAt.ShouldBeNull();
        next.ExitCode.ShouldBe(1);
        next.DurationSeconds.ShouldBe(4);
        next.Accounting!.WallSeconds.ShouldBe(4);
    }

    [Fact]
    public void Given_an_ended_last_attempt_when_the_job_ends_then_it_takes_the_attempts_state_times_and_exit()
    {
        var attempts = new[] { Attempt(1, T0) with { State = JobState.TimedOut, Reason = "killed after the 1s timeout", ExitCode = 143, EndedAt = T0.AddSeconds(1) } };

        var next = JobTransitions.Ended(Pending() with { State = JobState.Running }, attempts, ["flat/a.json"]);

        next.State.ShouldBe(JobState.TimedOut);
        next.Reason.ShouldBe("killed after the 1s timeout");
        next.EndedAt.ShouldBe(T0.AddSeconds(1));
        next.ExitCode.ShouldBe(143);
        next.DurationSeconds.ShouldBe(1);
        next.Collected.ShouldBe(["flat/a.json"]);
    }

    [Fact]
    public void Given_a_pending_job_when_cancelled_before_it_started_then_it_ends_cancelled_with_no_attempt()
    {
        var next = CancelledBeforeStart.Cancel(Pending(), T0);

        next.State.ShouldBe(JobState.Cancelled);
        next.Reason.ShouldBe(CancelledBeforeStart.Reason);
        next.EndedAt.ShouldBe(T0);
        next.Attempts.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_pending_job_when_blocked_then_it_ends_blocked_with_the_reason()
    {
        var next = JobTransitions.EndedUnstarted(Pending(), JobState.Blocked, "needs v0/prep, which ended failed", T0);

        next.State.ShouldBe(JobState.Blocked);
        next.Reason.ShouldBe("needs v0/prep, which ended failed");
        next.EndedAt.ShouldBe(T0);
    }

    [Fact]
    public void Given_an_attempt_an_earlier_runner_left_running_when_adopted_then_the_job_runs_with_the_found_pid()
    {
        var status = JobTransitions.WithAttempt(Pending() with { State = JobState.Queued }, Attempt(1, T0) with { Pid = null });

        var next = JobTransitions.Adopted(status, pid: 777, startedAt: T0);

        next.State.ShouldBe(JobState.Running);
        next.Attempts.ShouldHaveSingleItem().Pid.ShouldBe(777);
    }

    [Fact]
    public void Given_a_recorded_attempt_when_the_same_number_is_added_again_then_it_is_kept_not_doubled()
    {
        var status = Pending() with { Attempts = [Attempt(1, T0)] };

        JobTransitions.WithAttempt(status, Attempt(1, T0.AddHours(1))).Attempts.ShouldHaveSingleItem().StartedAt.ShouldBe(T0);
        JobTransitions.WithAttempt(status, Attempt(2, T0)).Attempts.Count.ShouldBe(2);
    }

    [Fact]
    public void Given_an_attempt_that_ended_while_no_runner_watched_when_recovered_then_the_job_ends_as_its_exit_says()
    {
        var status = Pending() with { State = JobState.Running, Attempts = [Attempt(1, T0)] };

        var next = JobTransitions.Recovered(status, new JobExit(2, T0, T0.AddSeconds(9), Recorded: true));

        next.State.ShouldBe(JobState.Failed);
        next.Reason.ShouldBe("exit code 2");
        next.DurationSeconds.ShouldBe(9);
        next.Attempts[^1].State.ShouldBe(JobState.Failed);
    }

    [Fact]
    public void Given_an_attempt_with_no_trace_of_an_end_when_lost_then_job_and_attempt_are_lost_with_the_reason()
    {
        var next = JobTransitions.Lost(Pending() with { State = JobState.Running, Attempts = [Attempt(1, T0)] }, "the runner stopped");

        next.State.ShouldBe(JobState.Lost);
        next.Attempts[^1].State.ShouldBe(JobState.Lost);
        next.Attempts[^1].Reason.ShouldBe("the runner stopped");
    }

    [Fact]
    public void Given_a_requeued_attempt_when_the_scheduler_starts_the_next_then_the_old_one_is_lost_and_the_new_one_keeps_the_ids()
    {
        var first = Attempt(1, T0) with { Executor = new Dictionary<string, string> { ["slurm_job_id"] = "12_0" } };

        var old = JobTransitions.Requeued(first, "SLURM");
        var next = JobTransitions.NextAttempt(first, JobState.Queued);

        old.State.ShouldBe(JobState.Lost);
        old.Reason.ShouldBe("SLURM requeued the job (node failure or preemption); it continues as attempt 2");
        next.Attempt.ShouldBe(2);
        next.State.ShouldBe(JobState.Queued);
        next.Executor!["slurm_job_id"].ShouldBe("12_0");
        next.StartedAt.ShouldBeNull();
    }
}
