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
    /// Why the plan cannot run on this executor (e.g. a job needs more GPUs than this machine has, or a setting of the
    /// spec's <c>executor:</c> block is wrong, named as its field <c>executor.KEY</c> and located where the spec sets it
    /// — see <see cref="RunProblem.ExecutorSetting"/>); empty when it can. Checked before anything is written, because
    /// what is impossible depends on where the jobs run.
    /// </summary>
    IReadOnlyList<RunProblem> Validate(Plan plan, ExecutionOptions options);

    /// <summary>
    /// For jobs an earlier runner left unfinished, all at once (so a scheduler is asked once, not per job):
    /// each job's real outcome if it ended, work marked as adopted if it still runs or waits in a scheduler,
    /// or <c>lost</c> when it left no trace of an end. Returns one entry per input, in the same order.
    /// </summary>
    Task<IReadOnlyList<JobWork>> ReconcileAsync(RunSession session, IReadOnlyList<JobWork> unfinished, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the jobs until each has ended or a stop is requested; with <see cref="ExecutionOptions.Detach"/>,
    /// an executor that hands jobs to a scheduler may return as soon as they are submitted.
    /// </summary>
    Task<ExecutionResult> RunAsync(RunSession session, IReadOnlyList<JobWork> work, ExecutionOptions options, IRunObserver observer, RunStop stop);
}
