namespace Expt.Slurm.Client;

/// <summary>
/// The few SLURM commands Expt needs, each one call however many jobs it concerns. The real implementation
/// runs <c>sbatch</c>, <c>squeue</c>, <c>scancel</c> and <c>scontrol</c>; unit tests use a fake.
/// </summary>
public interface ISlurmClient
{
    /// <summary>Submits a batch script (<c>sbatch --parsable SCRIPT</c>); every option is in the script itself.</summary>
    Task<SubmitResult> SubmitAsync(string scriptPath, CancellationToken cancellationToken);

    /// <summary>
    /// The queue's view of the given jobs or arrays, finished ones included, array tasks expanded
    /// (<c>squeue -h -t all -r -j ID,ID,… -O …</c>): one call for all of them.
    /// </summary>
    Task<QueueSnapshot> QueueAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);

    /// <summary>
    /// The user's jobs whose batch script lies in <paramref name="folder"/>, finished ones included, in one call
    /// (<c>squeue -h -t all --me -O ArrayJobID,Command</c>): array (or job) id → script path. Null when the queue
    /// could not be read. Finds what was submitted even when the job id sbatch returned was never recorded.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>?> ScriptsAsync(string folder, CancellationToken cancellationToken);

    /// <summary>Cancels jobs, arrays or array tasks (<c>scancel ID ID …</c>) in one call.</summary>
    Task<SlurmCallResult> CancelAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);

    /// <summary>
    /// <c>scontrol -o show ENTITY [ID]</c> as key/value pairs, e.g. <c>("job", "42_7")</c> for a job's
    /// ExitCode or <c>("config", null)</c> for MaxArraySize; null when SLURM does not know it.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>?> ShowAsync(string entity, string? id, CancellationToken cancellationToken);
}

/// <summary>What a SLURM command line did.</summary>
/// <param name="Success">True when it exited 0.</param>
/// <param name="Error">Its error output when it did not.</param>
public sealed record SlurmCallResult(bool Success, string? Error);

/// <summary>The outcome of one <c>sbatch</c> call.</summary>
/// <param name="JobId">The job (or array) id SLURM assigned; null when the submission failed.</param>
/// <param name="Error">Why it failed, as sbatch said it.</param>
public sealed record SubmitResult(string? JobId, string? Error)
{
    /// <summary>True when SLURM accepted the job.</summary>
    public bool Success => JobId is not null;
}

/// <summary>One job or array task as <c>squeue</c> shows it.</summary>
/// <param name="Id">The id as the queue prints it: <c>42_7</c> for an array task, <c>42</c> otherwise.</param>
/// <param name="State">The state word, e.g. <c>PENDING</c>, <c>CANCELLED</c> (a suffix such as <c>by 0</c> removed).</param>
/// <param name="Reason">The scheduler's reason, e.g. <c>Dependency</c>, <c>DependencyNeverSatisfied</c>, <c>BeginTime</c>.</param>
/// <param name="RawJobId">The task's own job id (an array task has one besides <c>A_i</c>).</param>
/// <param name="Node">The node it runs or ran on, when any.</param>
/// <param name="RestartCount">How often SLURM requeued it (node failure, preemption): each restart is a new attempt.</param>
public sealed record QueueEntry(string Id, string State, string Reason, string? RawJobId, string? Node, int RestartCount = 0);

/// <summary>The answer of one queue query.</summary>
/// <param name="Entries">Known jobs by <see cref="QueueEntry.Id"/>.</param>
/// <param name="Error">Set when the queue could not be read at all (controller down): then nothing may be concluded from absent jobs.</param>
public sealed record QueueSnapshot(IReadOnlyDictionary<string, QueueEntry> Entries, string? Error)
{
    /// <summary>True when the queue answered.</summary>
    public bool Answered => Error is null;

    /// <summary>An answer that knows none of the asked jobs.</summary>
    public static QueueSnapshot Empty { get; } = new(new Dictionary<string, QueueEntry>(), null);
}
