using Expt.Execution;
using Expt.Execution.Backends;
using Expt.Recording;
using Expt.Results;
using Expt.Slurm.Client;

namespace Expt.Slurm;

/// <summary>
/// Jobs as SLURM array tasks: submitted with sbatch, followed through their own start/end files and squeue, so
/// they outlive the process that submitted them (<c>--detach</c>, <c>expt watch</c>).
/// </summary>
/// <param name="client">How SLURM is asked (the real commands, or a fake in tests).</param>
public sealed class SlurmBackend(ISlurmClient client) : IExecutorBackend
{
    /// <summary>The SLURM backend's name.</summary>
    public const string BackendName = "slurm";

    /// <summary>A backend that runs the real SLURM commands.</summary>
    public SlurmBackend()
        : this(new SlurmCli())
    {
    }

    /// <inheritdoc />
    public string Name => BackendName;

    /// <inheritdoc />
    public IReadOnlyList<string> SettingKeys { get; } =
        ["partition", "account", "qos", "time", "mem", "cpus", "gpus", "array_limit", "sbatch", "poll_interval", "constraint"];

    /// <inheritdoc />
    public bool RunsOnThisMachine => false;

    /// <inheritdoc />
    public IExecutor CreateExecutor(TimeProvider time) => new SlurmExecutor(client, time);

    /// <inheritdoc />
    public string Banner(string experiment, int jobs, ExecutionOptions options) => $"Submitting {experiment} to SLURM: {jobs} job(s)";

    /// <inheritdoc />
    public async Task<RunStates> RefreshAsync(string runDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        var result = await SlurmRefresher.RefreshAsync(runDirectory, client, time, cancellationToken).ConfigureAwait(false);
        return new RunStates(result.Statuses, result.Problem) { NotSelected = result.NotSelected };
    }

    /// <inheritdoc />
    public async Task<string?> CancelAsync(string runDirectory, TimeProvider time, Action<string> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var result = await SlurmCanceller.CancelAsync(runDirectory, client, time, cancellationToken).ConfigureAwait(false);
        if (result.Problem is not null) return result.Problem;
        if (result.SlurmIds.Count == 0) report("Nothing to cancel: no job of the run waits or runs in SLURM.");
        else if (result.Deferred) report($"Cancelled SLURM job(s) {string.Join(' ', result.SlurmIds)}; the process following the run records them as cancelled.");
        else report($"Cancelled {result.Cancelled.ToString(System.Globalization.CultureInfo.InvariantCulture)} job(s) (scancel {string.Join(' ', result.SlurmIds)}).");
        return null;
    }

    /// <inheritdoc />
    public string? CannotFollow => null;

    /// <inheritdoc />
    public string FollowedWhere => "on SLURM";

    /// <inheritdoc />
    public async Task<FollowResult> FollowAsync(string runDirectory, IRunObserver observer, TimeProvider time, TimeSpan retryBackoff, CancellationToken stop)
    {
        var result = await SlurmWatcher.WatchAsync(runDirectory, client, observer, time, retryBackoff, stop).ConfigureAwait(false);
        return new FollowResult(result.Finished, result.Statuses, result.Problem);
    }

    /// <inheritdoc />
    public string? LiveJobsProblem(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        // A SLURM run's jobs run without a runner holding the lock; its files may say queued/running for jobs that still are.
        return run.Jobs.Any(j => j.State is JobState.Queued or JobState.Running)
            ? "its SLURM jobs may still be queued or running (check with expt status, or expt cancel it)"
            : null;
    }
}
