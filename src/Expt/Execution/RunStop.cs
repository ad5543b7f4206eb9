namespace Expt.Execution;

/// <summary>A request to stop a run, with the reason recorded on the jobs it cancels (e.g. <c>SIGINT</c>).</summary>
public sealed class RunStop : IDisposable
{
    private readonly CancellationTokenSource _source = new();

    /// <summary>Signalled when a stop is requested.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Why the run is stopping, once requested.</summary>
    public string? Reason { get; private set; }

    /// <summary>Requests the stop; the first reason wins.</summary>
    public void Request(string reason)
    {
        Reason ??= reason;
        _source.Cancel();
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
