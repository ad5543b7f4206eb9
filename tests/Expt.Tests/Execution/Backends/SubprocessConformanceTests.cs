using Expt.Conformance;
using Expt.Execution;
using Expt.Execution.Backends;

namespace Expt.Tests.Execution.Backends;

/// <summary>
/// A backend registered by a test runs the shared executor conformance suite: its spec names it
/// (<c>executor.type: subprocess</c>, checked by the spec loader through the registry) and the registry makes it.
/// </summary>
public sealed class SubprocessConformanceTests : ExecutorConformance
{
    public SubprocessConformanceTests() => Executors.Register(SubprocessBackend.BackendName, () => new SubprocessBackend());

    /// <summary>This test's own registry: local, and the backend under test.</summary>
    protected override ExecutorRegistry Executors { get; } = new();

    protected override IExecutor CreateExecutor() =>
        Executors.Find(SubprocessBackend.BackendName)!.CreateExecutor(TimeProvider.System);

    protected override string ExecutorBlock => "executor: { type: subprocess, shell: sh }\n";

    [Fact]
    public override Task a_job_that_exits_zero_succeeds_with_its_output_kept() => Succeeds();

    [Fact]
    public override Task a_failing_job_is_failed_with_its_exit_code() => FailsWithExitCode();

    [Fact]
    public override Task a_job_gets_its_config_file_environment_flags_and_working_directory() => DeliversConfig();

    [Fact]
    public override Task an_evaluation_waits_for_its_own_training_and_is_blocked_when_that_fails() => DependsPerVariant();

    [Fact]
    public override Task a_job_past_its_timeout_is_timed_out() => TimesOut();

    [Fact]
    public override Task resume_reruns_only_the_jobs_that_did_not_succeed() => ResumesOnlyUnfinished();
}
