using Expt.Archiving;
using Expt.Execution.Backends;
using Expt.Recording;
using Expt.Results;

namespace Expt.Execution.Local;

/// <summary>
/// Jobs as child processes of the runner on this machine. The run's files are current while the runner lives; once
/// it died, <see cref="OrphanedJobs"/> says what its jobs recorded as running really are.
/// </summary>
public sealed class LocalBackend : IExecutorBackend
{
    /// <summary>The local backend's name.</summary>
    public const string BackendName = "local";

    /// <inheritdoc />
    public string Name => BackendName;

    /// <inheritdoc />
    public IReadOnlyList<string> SettingKeys => [];

    /// <inheritdoc />
    public bool RunsOnThisMachine => true;

    /// <inheritdoc />
    public IExecutor CreateExecutor(TimeProvider time) => new LocalExecutor(new ProcessJobLauncher(time), time);

    /// <inheritdoc />
    public string Banner(string experiment, int jobs, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"Running {experiment}: {jobs} job(s), up to {options.Parallelism} at once";
    }

    /// <inheritdoc />
    public Task<RunStates> RefreshAsync(string runDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        // The runner writes the files as jobs change: nothing to ask, only what a dead runner left to explain.
        var states = RunStates.Read(runDirectory, null);
        if (states.Statuses.All(s => s.State != JobState.Running)) return Task.FromResult(states);
        // The directories of the manifest the states were read from: the manifest is read once.
        return Task.FromResult(states with { Orphans = OrphanedJobs.Describe(runDirectory, states.Statuses, states.JobDirectories) });
    }

    /// <inheritdoc />
    public Task<string?> CancelAsync(string runDirectory, TimeProvider time, Action<string> report, CancellationToken cancellationToken) =>
        LocalCancel.CancelAsync(runDirectory, time, report, cancellationToken);

    /// <inheritdoc />
    public string? CannotFollow => "expt watch follows SLURM runs; a local run is followed by the expt run that started it";

    /// <inheritdoc />
    public string FollowedWhere => "on this machine";

    /// <inheritdoc />
    public Task<FollowResult> FollowAsync(string runDirectory, IRunObserver observer, TimeProvider time, TimeSpan retryBackoff, CancellationToken stop) =>
        Task.FromResult(new FollowResult(false, [], CannotFollow));

    /// <inheritdoc />
    public string? LiveJobsProblem(RunRecord run) =>
        // A local run whose runner was killed: its jobs may still run on their own, writing into the run.
        LiveJobs.Of(run) is { Count: > 0 } live ? $"{LiveJobs.Describe(live)}; clean it after they end (expt status shows them)" : null;
}
