using Expt.Recording;

namespace Expt.Execution;

/// <summary>
/// Receives progress from a run, whether it is executed (<c>expt run</c>) or followed without a plan (<c>expt watch</c>,
/// a backend following its jobs); the CLI renders it, tests record it. Called from several threads.
/// </summary>
public interface IRunObserver
{
    /// <summary>A job's status changed; the status names the job (its id, variant and stage).</summary>
    void JobUpdated(JobStatus status);

    /// <summary>A message worth showing (adoptions, retries, queue outages, warnings).</summary>
    void Message(string text);

    /// <summary>
    /// The run's directory is open and every job's status.json is written; jobs start after this returns.
    /// Observers that keep their own record of the run (the catalog) start here.
    /// </summary>
    void RunOpened(RunSession session)
    {
    }

    /// <summary>A resume found <paramref name="count"/> jobs already succeeded: they count as done and get no other event.</summary>
    void JobsSkipped(int count)
    {
    }
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullRunObserver : IRunObserver
{
    /// <summary>The shared instance.</summary>
    public static readonly NullRunObserver Instance = new();

    /// <inheritdoc />
    public void JobUpdated(JobStatus status)
    {
    }

    /// <inheritdoc />
    public void Message(string text)
    {
    }
}
