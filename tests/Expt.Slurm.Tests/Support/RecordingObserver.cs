using System.Collections.Concurrent;
using Expt.Execution;
using Expt.Planning;
using Expt.Recording;
using Expt.Slurm.Tracking;

namespace Expt.Slurm.Tests.Support;

/// <summary>Keeps every update and message, for assertions.</summary>
internal sealed class RecordingObserver : IRunObserver
{
    public ConcurrentQueue<JobStatus> Updates { get; } = new();

    public ConcurrentQueue<string> Messages { get; } = new();

    public void JobUpdated(JobStatus status) => Updates.Enqueue(status);

    public void Message(string text) => Messages.Enqueue(text);
}
