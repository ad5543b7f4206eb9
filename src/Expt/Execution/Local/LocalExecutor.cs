using Expt.Planning;
using Expt.Recording;

namespace Expt.Execution.Local;

/// <summary>
/// Runs jobs on this machine: at most N at once, each as soon as the jobs it needs (of the same variant)
/// succeeded, with GPU/CPU/memory slots, timeouts, retries with backoff, and a clean stop that terminates
/// every job's process tree. Every transition is written through the <see cref="RunSession"/>.
/// </summary>
public sealed class LocalExecutor(IJobLauncher launcher, TimeProvider time) : IExecutor
{
    /// <inheritdoc />
    public string Name => "local";

    /// <inheritdoc />
    public IReadOnlyList<RunProblem> Validate(Plan plan, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var pool = new ResourcePool(options.Gpus, options.TotalCpus, options.TotalMemoryMb);
        // Resources are declared per stage: one line per stage, not one per job.
        return plan.Jobs.GroupBy(j => j.Stage.Name, StringComparer.Ordinal)
            .Select(g => (Stage: g.Key, Jobs: g.ToList(), Problem: pool.Impossible(g.First().Stage.Resources)))
            .Where(x => x.Problem is not null)
            .Select(x => new RunProblem($"stage {x.Stage} ({x.Jobs.Count} job(s), e.g. {x.Jobs[0].Id}): {x.Problem}"))
            .ToList();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<JobWork>> ReconcileAsync(RunSession session, IReadOnlyList<JobWork> unfinished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unfinished);
        // Local attempts are found in /proc and the jobs' own files; one job at a time is as cheap as a batch.
        IReadOnlyList<JobWork> result = unfinished.Select(w => Reconcile(session, w.Job, w.Status)).ToList();
        return Task.FromResult(result);
    }

    /// <summary>
    /// For a job an earlier runner left unfinished (<c>queued</c> or <c>running</c>): its real outcome if it
    /// ended, a handle if it still runs, or <c>lost</c> when it left no trace of an end.
    /// </summary>
    public JobWork Reconcile(RunSession session, PlannedJob job, JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        var dir = session.JobDirectory(job);
        var last = status.Attempts.LastOrDefault();
        // A runner killed between starting a process and recording it leaves a live attempt with no record: look one ahead.
        var number = last is { State: JobState.Running or JobState.Queued } ? last.Attempt : status.Attempt + 1;
        var probe = new JobLaunch(job.Id, dir, session.Plan.Definition.WorkingDirectory, "", new Dictionary<string, string>(), number, job.Stage.Timeout);
        var found = launcher.Adopt(probe);
        if (found.Running is null && found.Exit is null && (last is null || last.State is not (JobState.Running or JobState.Queued)))
        {
            return new JobWork(job, status);
        }
        var attempt = last is not null && last.Attempt == number ? last : new AttemptRecord { Attempt = number, State = JobState.Running, StartedAt = found.Running?.StartedAt, Stdout = "stdout.log", Stderr = "stderr.log", Host = Environment.MachineName };
        status = JobTransitions.WithAttempt(status, attempt);
        if (found.Running is not null)
        {
            var adopted = JobTransitions.Adopted(status, found.Running.Pid, found.Running.StartedAt);
            session.Record(job, adopted);
            return new JobWork(job, adopted, found.Running);
        }
        if (found.Exit is { } exit)
        {
            var ended = session.Record(job, JobTransitions.Recovered(status, exit));
            session.Log.Write("JOB_RECOVERED", $"{job.Id} attempt {attempt.Attempt} ended while no runner was watching", result: $"{ended.State.Name()} (exit {exit.ExitCode})");
            return new JobWork(job, ended);
        }
        var lostReason = found.Started ? "the runner stopped and the job's process vanished without recording an end" : "the runner stopped before the job's process started";
        var lost = session.Record(job, JobTransitions.Lost(status, lostReason));
        session.Log.Write("JOB_LOST", $"{job.Id} attempt {attempt.Attempt}", result: lostReason);
        return new JobWork(job, lost);
    }

    /// <summary>Runs <paramref name="work"/> to completion or until <paramref name="stop"/> is requested.</summary>
    public Task<ExecutionResult> RunAsync(RunSession session, IReadOnlyList<JobWork> work, ExecutionOptions options, IRunObserver observer, RunStop stop)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(stop);

        return new LocalRun(launcher, time, session, work, options, observer).RunAsync(stop);
    }
}
