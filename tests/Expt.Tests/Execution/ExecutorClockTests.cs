using System.Collections.Concurrent;
using Expt.Execution;
using Expt.Execution.Local;
using Expt.Planning;
using Expt.Recording;
using Expt.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Expt.Tests.Execution;

/// <summary>
/// Retries and timeouts of the local executor on a fake clock and a fake launcher: minutes of backoff and time limits
/// pass as the test advances the clock, never on the wall clock.
/// </summary>
public sealed class ExecutorClockTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Given_a_job_that_fails_twice_when_retried_then_each_attempt_waits_the_doubled_backoff_on_the_clock()
    {
        // Given: attempts 1 and 2 fail, 3 succeeds; a two-minute backoff no test could wait for on the wall clock
        var launcher = new FakeLauncher(_time, launch => launch.Attempt < 3 ? 1 : 0);
        var observer = new Recorder();

        // When
        var outcome = await RunAsync("main: { run: \"true\", retries: 2 }", launcher, observer);

        // Then
        var status = outcome.Statuses["default/main"];
        status.State.ShouldBe(JobState.Succeeded);
        status.Attempts.Select(a => a.State).ShouldBe([JobState.Failed, JobState.Failed, JobState.Succeeded]);
        (status.Attempts[1].StartedAt!.Value - status.Attempts[0].EndedAt!.Value).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(2));
        (status.Attempts[2].StartedAt!.Value - status.Attempts[1].EndedAt!.Value).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(4));
        observer.Reasons.ShouldContain("attempt 1 failed (exit code 1); retry 2 of 3 in 2m");
    }

    [Fact]
    public async Task Given_a_job_that_never_ends_when_its_time_limit_passes_on_the_clock_then_it_is_killed_and_timed_out()
    {
        // Given: a job whose process only ends when it is terminated
        var launcher = new FakeLauncher(_time, _ => null);

        // When
        var outcome = await RunAsync("main: { run: \"true\", timeout: 30m }", launcher, new Recorder());

        // Then
        var status = outcome.Statuses["default/main"];
        status.State.ShouldBe(JobState.TimedOut);
        status.Reason.ShouldBe("killed after the 30m timeout");
        launcher.Terminated.ShouldBe(1);
        (status.EndedAt!.Value - status.StartedAt!.Value).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMinutes(30));
    }

    /// <summary>Runs one stage, advancing the fake clock a minute at a time until the run ends (bounded on the wall clock).</summary>
    private async Task<RunOutcome> RunAsync(string stage, FakeLauncher launcher, Recorder observer)
    {
        var plan = SpecText.Plan(_dir, $"experiment: clock\nargs: none\nstages:\n  {stage}\n");
        var engine = new RunEngine(new LocalExecutor(launcher, _time), NoGit.Instance, _time);
        var request = new RunRequest(_dir.Combine("results"), "r1", null, Force: false, SelectionNarrowed: false, "expt run (test)");
        var options = ExecutionOptions.ForThisMachine() with { Parallelism = 1, Gpus = [], RetryBackoff = TimeSpan.FromMinutes(2), KillGrace = TimeSpan.FromSeconds(5) };
        using var stop = new RunStop();
        var run = engine.RunAsync(plan, request, options, observer, stop);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!run.IsCompleted && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            await Task.WhenAny(run, Task.Delay(10));
        }
        run.IsCompleted.ShouldBeTrue("the run did not end within an hour of fake time per minute of polling");
        return await run;
    }

    /// <summary>Starts attempts on the fake clock; each ends at once with the exit code given, or (null) only when terminated.</summary>
    private sealed class FakeLauncher(TimeProvider time, Func<JobLaunch, int?> exitCode) : IJobLauncher
    {
        private int _terminated;

        public int Terminated => _terminated;

        public IJobHandle Launch(JobLaunch launch)
        {
            var now = time.GetUtcNow();
            var handle = new Handle(this, now, time);
            if (exitCode(launch) is { } code) handle.End(code);
            return handle;
        }

        public AdoptResult Adopt(JobLaunch launch) => AdoptResult.Nothing;

        private sealed class Handle(FakeLauncher owner, DateTimeOffset startedAt, TimeProvider time) : IJobHandle
        {
            private readonly TaskCompletionSource<JobExit> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public int Pid => 0;

            public DateTimeOffset StartedAt => startedAt;

            public Task<JobExit> Completion => _exit.Task;

            public void End(int code) => _exit.TrySetResult(new JobExit(code, startedAt, time.GetUtcNow(), Recorded: true));

            public Task TerminateAsync(TimeSpan grace)
            {
                Interlocked.Increment(ref owner._terminated);
                End(143);
                return Task.CompletedTask;
            }
        }
    }

    private sealed class Recorder : IRunObserver
    {
        public ConcurrentQueue<string> Reasons { get; } = new();

        public void JobUpdated(JobStatus status)
        {
            if (status.Reason is { } reason) Reasons.Enqueue(reason);
        }

        public void Message(string text)
        {
        }
    }
}
