using Expt.Slurm.Client;

namespace Expt.Slurm.Tests.Support;

/// <summary>Passes every call to the real cluster and counts them (how many sbatch, squeue and scancel calls a run costs).</summary>
internal sealed class CountingSlurm(ISlurmClient inner) : ISlurmClient
{
    private int _submits;
    private int _queues;
    private int _cancels;

    public CountingSlurm() : this(new SlurmCli()) { }

    public int Submits => _submits;

    public int Queues => _queues;

    public int Cancels => _cancels;

    public Task<SubmitResult> SubmitAsync(string scriptPath, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _submits);
        return inner.SubmitAsync(scriptPath, cancellationToken);
    }

    public Task<QueueSnapshot> QueueAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queues);
        return inner.QueueAsync(jobIds, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>?> ScriptsAsync(string folder, CancellationToken cancellationToken) =>
        inner.ScriptsAsync(folder, cancellationToken);

    public Task<SlurmCallResult> CancelAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _cancels);
        return inner.CancelAsync(jobIds, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>?> ShowAsync(string entity, string? id, CancellationToken cancellationToken) =>
        inner.ShowAsync(entity, id, cancellationToken);
}
