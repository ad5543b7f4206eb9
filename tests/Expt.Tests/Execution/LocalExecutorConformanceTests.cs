using Expt.Conformance;
using Expt.Execution;
using Expt.Execution.Local;

namespace Expt.Tests.Execution;

/// <summary>The local executor passes the shared conformance suite.</summary>
public sealed class LocalExecutorConformanceTests : ExecutorConformance
{
    protected override IExecutor CreateExecutor() => new LocalExecutor(new ProcessJobLauncher(TimeProvider.System), TimeProvider.System);

    protected override string ExecutorBlock => "";

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
