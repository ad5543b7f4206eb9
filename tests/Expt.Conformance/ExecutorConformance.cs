using Expt.Execution;
using Expt.Execution.Backends;
using Expt.Recording;

namespace Expt.Conformance;

/// <summary>
/// What every executor must do, whatever runs the jobs (Hydra's launcher conformance suite is the model):
/// each behaviour is an abstract test, so an executor cannot exist without deciding how it passes it.
/// Subclasses give the executor, the spec's <c>executor:</c> block and the test attribute.
/// </summary>
public abstract class ExecutorConformance : IDisposable
{
    private readonly List<ConformanceRun> _runs = [];

    /// <summary>The executor under test.</summary>
    protected abstract IExecutor CreateExecutor();

    /// <summary>The spec's <c>executor:</c> block for this executor (empty for local).</summary>
    protected abstract string ExecutorBlock { get; }

    /// <summary>The backends the specs may name: the test's own registry (by default only local).</summary>
    protected virtual ExecutorRegistry Executors { get; } = new();

    public abstract Task a_job_that_exits_zero_succeeds_with_its_output_kept();

    public abstract Task a_failing_job_is_failed_with_its_exit_code();

    public abstract Task a_job_gets_its_config_file_environment_flags_and_working_directory();

    public abstract Task an_evaluation_waits_for_its_own_training_and_is_blocked_when_that_fails();

    public abstract Task a_job_past_its_timeout_is_timed_out();

    public abstract Task resume_reruns_only_the_jobs_that_did_not_succeed();

    /// <summary>
    /// Called before a test's temp directories are deleted, with each run's results folder: a backend whose jobs
    /// can outlive a failed test (a scheduler's) stops them here.
    /// </summary>
    protected virtual void LeftBehind(string results)
    {
    }

    private ConformanceRun Spec(string yaml)
    {
        var run = new ConformanceRun(yaml.TrimEnd() + "\n" + ExecutorBlock, Executors);
        _runs.Add(run);
        return run;
    }

    protected async Task Succeeds()
    {
        // Given a job that prints and exits 0
        var run = Spec("""
            experiment: conformance
            args: none
            run: echo hello from the job
            """);

        // When it runs
        var outcome = await run.RunAsync(CreateExecutor());

        // Then it succeeded once, with exit code 0 and its stdout kept
        outcome.ExitCode.ShouldBe(0);
        var status = run.Status("default");
        status.State.ShouldBe(JobState.Succeeded);
        status.ExitCode.ShouldBe(0);
        status.Attempts.Count.ShouldBe(1);
        File.ReadAllText(run.JobFile("default", "stdout.log")).ShouldBe("hello from the job\n");
    }

    protected async Task FailsWithExitCode()
    {
        // Given a job that exits 3
        var run = Spec("""
            experiment: conformance
            args: none
            run: echo broken >&2; exit 3
            """);

        // When it runs
        var outcome = await run.RunAsync(CreateExecutor());

        // Then the run reports partial failure and the job is failed with exit code 3 and its stderr kept
        outcome.ExitCode.ShouldBe(1);
        var status = run.Status("default");
        status.State.ShouldBe(JobState.Failed);
        status.ExitCode.ShouldBe(3);
        File.ReadAllText(run.JobFile("default", "stderr.log")).ShouldBe("broken\n");
    }

    protected async Task DeliversConfig()
    {
        // Given a job that records its environment and working directory, with flags appended
        var run = Spec("""
            experiment: conformance
            params:
              lr: { type: float, default: 0.1 }
              tags: { type: list<string>, default: [] }
            run: 'env | grep "^EXPT_" | sort > "$EXPT_OUTPUT_DIR/env.txt"; pwd > "$EXPT_OUTPUT_DIR/pwd.txt"; echo'
            """);

        // When it runs
        (await run.RunAsync(CreateExecutor())).ExitCode.ShouldBe(0);

        // Then config.json, EXPT_* and the flags all carry the same values, and it started next to the spec
        var dir = Path.Combine(run.RunDirectory(), "default");
        var config = File.ReadAllText(Path.Combine(dir, "config.json"));
        config.ShouldContain("\"lr\": 0.1");
        config.ShouldContain("\"tags\": []");
        config.ShouldContain($"\"output_dir\": \"{dir}\"");
        var env = File.ReadAllLines(Path.Combine(dir, "env.txt"));
        env.ShouldContain($"EXPT_CONFIG={dir}/config.json");
        env.ShouldContain($"EXPT_OUTPUT_DIR={dir}");
        env.ShouldContain($"EXPT_RUN_DIR={run.RunDirectory()}");
        env.ShouldContain("EXPT_EXPERIMENT=conformance");
        env.ShouldContain("EXPT_VARIANT=default");
        env.ShouldContain("EXPT_ATTEMPT=1");
        env.ShouldContain("EXPT_SHARD_INDEX=0");
        env.ShouldContain("EXPT_SHARD_COUNT=1");
        env.ShouldContain("EXPT_GIT_COMMIT=nogit");
        File.ReadAllText(Path.Combine(dir, "stdout.log")).ShouldBe($"--lr 0.1 --tags [] --seed 42 --output_dir {dir}\n");
        File.ReadAllText(Path.Combine(dir, "pwd.txt")).Trim().ShouldBe(run.Root);
    }

    protected async Task DependsPerVariant()
    {
        // Given two variants whose evaluation needs their own training, and one training that fails
        var run = Spec("""
            experiment: conformance
            params:
              ok: { type: int, default: 1 }
            matrix:
              ok: [1, 0]
            name: "v{ok}"
            args: none
            stages:
              train: { run: "sleep 1; test {ok} = 1" }
              eval: { run: "echo evaluated", needs: [train] }
            """);

        // When it runs
        var outcome = await run.RunAsync(CreateExecutor());

        // Then the good variant is evaluated after its own training; the other evaluation is blocked and never ran
        outcome.ExitCode.ShouldBe(1);
        var train = run.Status("v1/train");
        var eval = run.Status("v1/eval");
        eval.State.ShouldBe(JobState.Succeeded);
        eval.StartedAt!.Value.ShouldBeGreaterThanOrEqualTo(train.EndedAt!.Value.AddMilliseconds(-50));
        run.Status("v0/train").State.ShouldBe(JobState.Failed);
        var blocked = run.Status("v0/eval");
        blocked.State.ShouldBe(JobState.Blocked);
        blocked.Reason!.ShouldContain("v0/train");
        File.Exists(run.JobFile("v0/eval", "stdout.log")).ShouldBeFalse();
    }

    protected async Task TimesOut()
    {
        // Given a job that would sleep ten minutes with a one-second timeout
        var run = Spec("""
            experiment: conformance
            args: none
            stages:
              work: { run: "sleep 600", timeout: 1s }
            """);

        // When it runs
        var outcome = await run.RunAsync(CreateExecutor());

        // Then it was killed and recorded as timed out, not failed
        outcome.ExitCode.ShouldBe(1);
        var status = run.Status("default/work");
        status.State.ShouldBe(JobState.TimedOut);
        status.EndedAt.ShouldNotBeNull();
    }

    protected async Task ResumesOnlyUnfinished()
    {
        // Given three variants, one of which fails until a file exists
        var run = Spec("""
            experiment: conformance
            params:
              n: { type: int, default: 1 }
            matrix:
              n: [1, 2, 3]
            name: "v{n}"
            args: none
            run: "test {n} != 2 || test -f ready"
            """);
        (await run.RunAsync(CreateExecutor())).ExitCode.ShouldBe(1);
        var before = run.Status("v1");

        // When the cause is fixed and the run resumed
        File.WriteAllText(Path.Combine(run.Root, "ready"), "");
        var outcome = await run.RunAsync(CreateExecutor(), resume: run.RunDirectory());

        // Then only the failed job ran again, as attempt 2; the others kept their single attempt
        outcome.ExitCode.ShouldBe(0);
        outcome.Skipped.ShouldBe(["v1", "v3"], ignoreOrder: true);
        run.Status("v2").Attempts.Select(a => a.State).ShouldBe([JobState.Failed, JobState.Succeeded]);
        var after = run.Status("v1");
        after.Attempts.Count.ShouldBe(1);
        after.StartedAt.ShouldBe(before.StartedAt);
    }

    public void Dispose()
    {
        foreach (var run in _runs)
        {
            LeftBehind(run.Results);
            run.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
