using Expt.Planning;
using Expt.Recording;

namespace Expt.Execution;

/// <summary>
/// Where jobs run. An executor receives plain job descriptions through the <see cref="RunSession"/> and
/// reports every transition back through it; the plan and the results layout do not depend on it.
/// </summary>
public interface IExecutor
{
    /// <summary>The executor's name as recorded in the manifest (<c>local</c>, <c>slurm</c>).</summary>
    string Name { get; }

    /// <summary>
    /// For a job an earlier runner left unfinished (<c>queued</c> or <c>running</c>): its real outcome if it
    /// ended, a handle if it still runs, or <c>lost</c> when it left no trace of an end.
    /// </summary>
    JobWork Reconcile(RunSession session, PlannedJob job, JobStatus status);

    /// <summary>Runs the jobs until each has ended or a stop is requested.</summary>
    Task<ExecutionResult> RunAsync(RunSession session, IReadOnlyList<JobWork> work, ExecutionOptions options, IRunObserver observer, RunStop stop);
}
