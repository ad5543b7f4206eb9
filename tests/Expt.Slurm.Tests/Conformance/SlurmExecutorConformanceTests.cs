using Expt.Execution;
using Expt.Slurm.Client;
using Expt.Slurm.Tests.Support;

namespace Expt.Slurm.Tests.Conformance;

/// <summary>
/// The SLURM executor passes the same suite on the real cluster. Its timeout test costs about 100 s: SLURM
/// time limits are whole minutes, checked every 30 s (the one such test in the suite).
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmExecutorConformanceTests : ExecutorConformance
{
    protected override IExecutor CreateExecutor()
    {
        SlurmCluster.Require();
        return new SlurmExecutor(new SlurmCli(), TimeProvider.System);
    }

    protected override string ExecutorBlock => "executor: { type: slurm, poll_interval: 0.25s }\n";

    [SlurmFact]
    public override Task a_job_that_exits_zero_succeeds_with_its_output_kept() => Succeeds();

    [SlurmFact]
    public override Task a_failing_job_is_failed_with_its_exit_code() => FailsWithExitCode();

    [SlurmFact]
    public override Task a_job_gets_its_config_file_environment_flags_and_working_directory() => DeliversConfig();

    [SlurmFact]
    public override Task an_evaluation_waits_for_its_own_training_and_is_blocked_when_that_fails() => DependsPerVariant();

    [SlurmFact]
    public override Task a_job_past_its_timeout_is_timed_out() => TimesOut();

    [SlurmFact]
    public override Task resume_reruns_only_the_jobs_that_did_not_succeed() => ResumesOnlyUnfinished();
}
