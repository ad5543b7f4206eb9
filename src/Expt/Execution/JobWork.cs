using Expt.Planning;
using Expt.Recording;

namespace Expt.Execution;

/// <summary>A job the executor must bring to an end: its current status, and a handle when an earlier runner's attempt is still running.</summary>
public sealed record JobWork(PlannedJob Job, JobStatus Status, IJobHandle? Adopted = null);

/// <summary>What an execution ended with.</summary>
/// <param name="Statuses">Final status of every job that was worked on.</param>
/// <param name="Interrupted">True when a stop was requested.</param>
/// <param name="StopReason">The stop's reason (SIGINT, SIGTERM).</param>
public sealed record ExecutionResult(IReadOnlyDictionary<string, JobStatus> Statuses, bool Interrupted, string? StopReason);
