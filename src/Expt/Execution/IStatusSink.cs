using Expt.Recording;

namespace Expt.Execution;

/// <summary>Receives every status change while a run is followed by its backend (the CLI's live table, tests).</summary>
public interface IStatusSink
{
    /// <summary>A job's status changed.</summary>
    void Updated(JobStatus status);

    /// <summary>A message worth showing (retries, queue outages).</summary>
    void Message(string text);
}

/// <summary>A sink that ignores everything.</summary>
public sealed class NullStatusSink : IStatusSink
{
    /// <summary>The shared instance.</summary>
    public static readonly NullStatusSink Instance = new();

    /// <inheritdoc />
    public void Updated(JobStatus status)
    {
    }

    /// <inheritdoc />
    public void Message(string text)
    {
    }
}
