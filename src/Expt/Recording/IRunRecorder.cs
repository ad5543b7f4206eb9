
namespace Expt.Recording;

/// <summary>
/// The run as the SLURM tracking code reads and writes it, by job id: through the runner's
/// <see cref="RunSession"/> during <c>expt run</c>, or straight from the run directory for
/// <c>expt status</c>, <c>watch</c> and <c>cancel</c>, which have no plan.
/// </summary>
internal interface IRunRecorder
{
    /// <summary>Absolute run directory.</summary>
    string RunDirectory { get; }

    /// <summary>The run id.</summary>
    string RunId { get; }

    /// <summary>run.log.</summary>
    RunLog Log { get; }

    /// <summary>Every job of the run, in plan order (needs before dependants).</summary>
    IReadOnlyList<ManifestJob> Jobs { get; }

    /// <summary>Looks a job up.</summary>
    ManifestJob? Find(string jobId);

    /// <summary>The job's current status (a fresh <c>pending</c> one when it has none).</summary>
    JobStatus Status(ManifestJob job);

    /// <summary>Records a new status: status.json (atomic) and the manifest.</summary>
    void Record(ManifestJob job, JobStatus status);
}

/// <summary>Helpers shared by the recorders.</summary>
internal static class Recorders
{
    public static string JobDirectory(this IRunRecorder run, ManifestJob job) =>
        Path.Combine(run.RunDirectory, job.Dir.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The manifest line of a job in a given status (as <see cref="RunSession.ToEntry"/> makes it).</summary>
    public static ManifestJob Entry(ManifestJob job, JobStatus status) => job with
    {
        State = status.State,
        Attempts = status.Attempts.Count,
        ExitCode = status.ExitCode,
        Started = status.StartedAt,
        Ended = status.EndedAt,
        Executor = status.Attempts.Count > 0 ? status.Attempts[^1].Executor : null,
    };

    /// <summary>A status for a job that has none on disk.</summary>
    public static JobStatus Fresh(ManifestJob job) => new()
    {
        Id = job.Id,
        Variant = job.Variant,
        Kind = job.Kind,
        Stage = job.Stage,
        Identity = job.Identity,
        State = JobState.Pending,
    };
}
