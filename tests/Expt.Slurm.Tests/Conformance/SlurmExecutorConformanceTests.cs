using Expt.Conformance;
using Expt.Execution;
using Expt.Execution.Backends;
using Expt.Recording;
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

    protected override ExecutorRegistry Executors { get; } = SlurmRegistration.Executors();

    /// <summary>Cancels whatever a failed test left waiting or running in SLURM, so no job outlives its temp directory.</summary>
    protected override void LeftBehind(string results)
    {
        var runs = Directory.Exists(results) ? Directory.EnumerateDirectories(results).SelectMany(Directory.EnumerateDirectories).ToList() : [];
        var leftovers = runs.Where(r => Directory.Exists(Path.Combine(r, ".expt", "slurm")))
            .SelectMany(r => SlurmRefresher.ReadOnly(r, null).Statuses)
            .Where(s => s.State is JobState.Queued or JobState.Running)
            .Select(s => s.Attempts.LastOrDefault()?.Executor?.GetValueOrDefault("slurmArrayJobId"))
            .OfType<string>().Distinct().ToList();
        if (leftovers.Count > 0) new SlurmCli().CancelAsync(leftovers, CancellationToken.None).GetAwaiter().GetResult();
    }

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
