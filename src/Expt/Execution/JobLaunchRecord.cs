using System.Globalization;
using Expt.Planning;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Execution;

/// <summary>
/// What every attempt of one job runs, as plain data built once from the run and the plan: the command, the
/// environment, where it starts and what it needs. An executor turns it into one attempt's <see cref="JobLaunch"/>
/// without going back to the plan or the run.
/// </summary>
/// <param name="JobId">The job's id.</param>
/// <param name="JobDirectory">Absolute job directory (output_dir).</param>
/// <param name="WorkingDirectory">Where the command starts.</param>
/// <param name="Command">The shell command line.</param>
/// <param name="Environment">The job's EXPT_* variables, with the attempt still unset (<c>EXPT_ATTEMPT=0</c>).</param>
/// <param name="Resources">What each attempt needs.</param>
/// <param name="Timeout">Wall-clock limit of each attempt.</param>
public sealed record JobLaunchRecord(
    string JobId,
    string JobDirectory,
    string WorkingDirectory,
    string Command,
    IReadOnlyDictionary<string, string> Environment,
    ResourceRequest Resources,
    TimeSpan? Timeout)
{
    /// <summary>The record of <paramref name="job"/> in the run of <paramref name="session"/>.</summary>
    public static JobLaunchRecord For(RunSession session, PlannedJob job)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(job);
        var dir = session.JobDirectory(job);
        var command = CommandBuilder.Build(session.Plan, job, new JobPaths(session.Directory, dir));
        var env = JobEnvironment.Build(session, job, 0, Allocation.None, machineHasGpus: false);
        return new JobLaunchRecord(job.Id, dir, session.Plan.Definition.WorkingDirectory, command, env, job.Stage.Resources, job.Stage.Timeout);
    }

    /// <summary>
    /// One attempt of the job with what it was given: the attempt number, and the GPUs (CUDA_VISIBLE_DEVICES, set
    /// whenever the machine has GPUs so a job that asked for none sees none) and CPUs (OMP_NUM_THREADS) it holds.
    /// </summary>
    public JobLaunch ForAttempt(int attempt, Allocation allocation, bool machineHasGpus)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        // Setting a key already present keeps its place, so the variables keep the order JobEnvironment gives them.
        var env = new Dictionary<string, string>(Environment, StringComparer.Ordinal) { ["EXPT_ATTEMPT"] = attempt.ToString(CultureInfo.InvariantCulture) };
        if (allocation.Gpus.Count > 0 || machineHasGpus) env["CUDA_VISIBLE_DEVICES"] = string.Join(",", allocation.Gpus);
        if (allocation.Cpus > 0) env["OMP_NUM_THREADS"] = allocation.Cpus.ToString(CultureInfo.InvariantCulture);
        return new JobLaunch(JobId, JobDirectory, WorkingDirectory, Command, env, attempt, Timeout);
    }
}
