using Expt.Execution;
using Expt.Execution.Local;
using Expt.Recording;
using Expt.Tests.Support;

namespace Expt.Tests.Execution;

/// <summary>The local executor when a job cannot be started at all.</summary>
public sealed class LaunchFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Given_a_job_that_cannot_start_when_it_held_the_only_gpu_then_the_gpu_is_given_back_and_the_next_job_runs()
    {
        // Given: two jobs that each need the machine's one GPU; the first cannot be started
        var plan = SpecText.Plan(_dir, """
            experiment: lf
            params:
              i: { type: int, default: 0 }
            matrix: { i: [0, 1] }
            name: "v{i}"
            stages:
              main: { run: "true", resources: { gpus: 1 } }
            """);
        var executor = new LocalExecutor(new FailingFirstLauncher(), TimeProvider.System);
        var engine = new RunEngine(executor, NoGit.Instance, TimeProvider.System);
        var request = new RunRequest(_dir.Combine("results"), "r1", null, Force: false, SelectionNarrowed: false, "expt run (test)");
        var options = ExecutionOptions.ForThisMachine() with { Parallelism = 2, Gpus = ["0"] };
        using var stop = new RunStop();

        // When (bounded: a GPU never given back leaves the second job waiting for ever)
        var outcome = await engine.RunAsync(plan, request, options, NullRunObserver.Instance, stop).WaitAsync(TimeSpan.FromSeconds(60));

        // Then
        outcome.Statuses["v0/main"].State.ShouldBe(JobState.Failed);
        outcome.Statuses["v0/main"].Reason.ShouldBe("could not start: setsid did not start");
        outcome.Statuses["v1/main"].State.ShouldBe(JobState.Succeeded);
    }

    private sealed class FailingFirstLauncher : IJobLauncher
    {
        public IJobHandle Launch(JobLaunch launch)
        {
            if (launch.JobId == "v0/main") throw new InvalidOperationException("setsid did not start");
            var now = DateTimeOffset.UtcNow;
            return new Handle(now, Task.FromResult(new JobExit(0, now, now, Recorded: true)));
        }

        public AdoptResult Adopt(JobLaunch launch) => AdoptResult.Nothing;
    }

    private sealed class Handle(DateTimeOffset startedAt, Task<JobExit> completion) : IJobHandle
    {
        public int Pid => 0;

        public DateTimeOffset StartedAt => startedAt;

        public Task<JobExit> Completion => completion;

        public Task TerminateAsync(TimeSpan grace) => Task.CompletedTask;
    }
}
