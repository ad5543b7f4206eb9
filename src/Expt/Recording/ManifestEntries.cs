using Expt.Planning;

namespace Expt.Recording;

/// <summary>
/// The one mapping between a job's status and its manifest line: every writer of a run (the runner, SLURM tracking,
/// <c>expt status</c>, <c>cancel</c>, <c>watch</c>) makes the line a status gives through here.
/// </summary>
public static class ManifestEntries
{
    /// <summary>The line of a planned job that has not run.</summary>
    public static ManifestJob New(PlannedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new ManifestJob
        {
            Id = job.Id,
            Variant = job.Variant.Name,
            Kind = job.Variant.Kind,
            Stage = job.Stage.Name,
            Dir = job.RelativeDirectory,
            Identity = job.Identity,
            Needs = job.Needs.Count == 0 ? null : job.Needs,
            State = JobState.Pending,
        };
    }

    /// <summary>The line of a planned job in a given status.</summary>
    public static ManifestJob For(PlannedJob job, JobStatus status) => With(New(job), status);

    /// <summary><paramref name="line"/> with what <paramref name="status"/> says of the job's state, attempts and results.</summary>
    public static ManifestJob With(ManifestJob line, JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(status);
        return line with
        {
            State = status.State,
            Attempts = status.Attempts.Count,
            ExitCode = status.ExitCode,
            Started = status.StartedAt,
            Ended = status.EndedAt,
            Executor = status.Attempts.Count > 0 ? status.Attempts[^1].Executor : null,
            Collected = status.Collected is { Count: > 0 } c ? c : null,
        };
    }

    /// <summary>A <c>pending</c> status for a job that has no status.json.</summary>
    public static JobStatus PendingStatus(ManifestJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobStatus
        {
            Id = job.Id,
            Variant = job.Variant,
            Kind = job.Kind,
            Stage = job.Stage,
            Identity = job.Identity,
            State = JobState.Pending,
        };
    }
}
