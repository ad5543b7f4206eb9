using Expt.Recording;
using Expt.Results;

namespace Expt.Execution.Backends;

/// <summary>
/// Everything Expt does with one kind of executor, before, during and after a run: its <c>executor:</c> settings, the
/// executor itself, and what <c>expt status</c>, <c>cancel</c>, <c>watch</c> and <c>clean</c> need of a run it
/// started. Commands ask the <see cref="ExecutorRegistry"/> for a backend by name and never switch on names, so a
/// new backend is one new type and one registration.
/// </summary>
public interface IExecutorBackend
{
    /// <summary>The name in specs (<c>executor.type</c>), on <c>--executor</c> and in a run's manifest.</summary>
    string Name { get; }

    /// <summary>
    /// The keys of the spec's <c>executor:</c> block this backend reads, besides <c>type</c>. A spec may name the
    /// settings of any registered backend (so that <c>--executor</c> can switch); the values are checked when
    /// the executor validates a plan.
    /// </summary>
    IReadOnlyList<string> SettingKeys { get; }

    /// <summary>
    /// True when jobs run on this machine as children of the runner: they use this machine's GPUs and end with
    /// it (so <c>--detach</c> does not apply).
    /// </summary>
    bool RunsOnThisMachine { get; }

    /// <summary>The executor that runs a plan's jobs.</summary>
    IExecutor CreateExecutor(TimeProvider time);

    /// <summary>The first line of a run: what is about to happen to <paramref name="jobs"/> jobs of <paramref name="experiment"/>.</summary>
    string Banner(string experiment, int jobs, ExecutionOptions options);

    /// <summary>Every job's state of a run it started, brought up to date where the backend needs it (<c>expt status</c>).</summary>
    Task<RunStates> RefreshAsync(string runDirectory, TimeProvider time, CancellationToken cancellationToken);

    /// <summary>
    /// Stops what is left of a run (<c>expt cancel</c>), saying what it did through <paramref name="report"/> as it
    /// goes; returns why it could not, or null.
    /// </summary>
    Task<string?> CancelAsync(string runDirectory, TimeProvider time, Action<string> report, CancellationToken cancellationToken);

    /// <summary>Why this backend's runs cannot be followed by <c>expt watch</c>, or null when they can.</summary>
    string? CannotFollow { get; }

    /// <summary>How <c>expt watch</c> names where the jobs run (<c>on SLURM</c>).</summary>
    string FollowedWhere { get; }

    /// <summary>Follows a run until no job waits or runs or <paramref name="stop"/> is signalled (<c>expt watch</c>).</summary>
    Task<FollowResult> FollowAsync(string runDirectory, IRunObserver observer, TimeProvider time, TimeSpan retryBackoff, CancellationToken stop);

    /// <summary>Why live jobs of <paramref name="run"/> keep it from being deleted, or null when none may still run.</summary>
    string? LiveJobsProblem(RunRecord run);
}

/// <summary>How following a run ended.</summary>
/// <param name="Finished">True when no job waits or runs any more.</param>
/// <param name="Statuses">Every job's status, in plan order.</param>
/// <param name="Problem">Why the run could not be followed, when so.</param>
public sealed record FollowResult(bool Finished, IReadOnlyList<JobStatus> Statuses, string? Problem);
