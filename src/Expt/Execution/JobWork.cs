using Expt.Planning;
using Expt.Recording;

namespace Expt.Execution;

/// <summary>A job the executor must bring to an end: its current status, and how an earlier runner's attempt is still alive.</summary>
/// <param name="Job">The job.</param>
/// <param name="Status">Its current status.</param>
/// <param name="Adopted">The still-running process of an earlier local runner's attempt.</param>
/// <param name="AdoptedInScheduler">True when the earlier attempt still waits or runs in a scheduler (SLURM): it is followed, not resubmitted.</param>
public sealed record JobWork(PlannedJob Job, JobStatus Status, IJobHandle? Adopted = null, bool AdoptedInScheduler = false)
{
    /// <summary>True when an earlier attempt is still alive somewhere and this runner only follows it.</summary>
    public bool IsAdopted => Adopted is not null || AdoptedInScheduler;
}

/// <summary>What an execution ended with.</summary>
/// <param name="Statuses">Final status of every job that was worked on.</param>
/// <param name="Interrupted">True when a stop was requested.</param>
/// <param name="StopReason">The stop's reason (SIGINT, SIGTERM).</param>
/// <param name="Detached">True when the executor returned while jobs still wait or run in a scheduler (<c>--detach</c>, or a stop that leaves them running).</param>
public sealed record ExecutionResult(IReadOnlyDictionary<string, JobStatus> Statuses, bool Interrupted, string? StopReason, bool Detached = false);
