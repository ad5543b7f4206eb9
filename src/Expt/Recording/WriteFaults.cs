namespace Expt.Recording;

/// <summary>
/// The first failed write of a run's records, shared by the writers of one runner (status files, the manifest store,
/// run.log). A full disk thus becomes a value the runner acts on (it starts no more jobs and records the end on the
/// space it kept back) instead of an exception that kills it while its jobs run on. Thread-safe: the manifest is
/// flushed on a timer thread.
/// </summary>
public sealed class WriteFaults
{
    private WriteFault? _first;

    /// <summary>The first write that failed; null while every write succeeded.</summary>
    public WriteFault? First => Volatile.Read(ref _first);

    /// <summary>Records that writing <paramref name="path"/> failed with <paramref name="exception"/>; the first one is kept.</summary>
    public void Report(string? path, Exception exception) =>
        Interlocked.CompareExchange(ref _first, WriteFault.From(path, exception), null);
}
