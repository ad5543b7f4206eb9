using Expt.Recording;

namespace Expt.Execution;

/// <summary>What <c>expt run</c> was asked to do, beyond the plan itself.</summary>
/// <param name="ResultsRoot">Absolute results root.</param>
/// <param name="RunId">Explicit run id for a new run.</param>
/// <param name="Resume">Run to resume: a path, a run id or <c>latest</c>; null for a new run.</param>
/// <param name="Force">Resume even when the spec resolves to different jobs.</param>
/// <param name="SelectionNarrowed">True when --filter/--only/--skip narrowed the plan.</param>
/// <param name="CommandLine">The command line, recorded in the manifest.</param>
public sealed record RunRequest(string ResultsRoot, string? RunId, string? Resume, bool Force, bool SelectionNarrowed, string CommandLine);

/// <summary>The outcome of a run.</summary>
/// <param name="ExitCode">0 all succeeded, 1 some did not (or a write of the run's records failed), 2 invalid input (nothing ran); interruptions are reported through <paramref name="Interrupted"/>.</param>
/// <param name="Errors">Why nothing ran, when <paramref name="ExitCode"/> is 2.</param>
/// <param name="RunDirectory">The run directory, once created or opened.</param>
/// <param name="Statuses">Final status of every job in the plan.</param>
/// <param name="Skipped">Jobs not run because they had succeeded before.</param>
/// <param name="Interrupted">True when stopped by a signal.</param>
/// <param name="StopReason">The signal's name.</param>
/// <param name="Started">When this runner started.</param>
/// <param name="Ended">When it ended.</param>
public sealed record RunOutcome(
    int ExitCode,
    IReadOnlyList<RunProblem> Errors,
    string? RunDirectory,
    IReadOnlyDictionary<string, JobStatus> Statuses,
    IReadOnlyList<string> Skipped,
    bool Interrupted,
    string? StopReason,
    DateTimeOffset Started,
    DateTimeOffset Ended)
{
    /// <summary>True when the runner returned while jobs still wait or run in a scheduler (<c>--detach</c>); follow them with <c>expt watch</c>.</summary>
    public bool Detached { get; init; }

    /// <summary>
    /// The first write of the run's records that failed (a full disk): the runner started no job after it. The exit code
    /// is then 1; the jobs it did not start are left pending for a resume.
    /// </summary>
    public WriteFault? Fault { get; init; }

    /// <summary>True when, even at the end, some of the run's records could not be written (a resume rebuilds them from the jobs' own files).</summary>
    public bool RecordsIncomplete { get; init; }

    /// <summary>An outcome for input that was refused before anything was written.</summary>
    public static RunOutcome Invalid(IEnumerable<RunProblem> errors, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        return new RunOutcome(2, errors.ToList(), null, new Dictionary<string, JobStatus>(), [], false, null, now, now);
    }
}
