using Expt.Planning;
using Expt.Recording;
using Expt.Reporting;

namespace Expt.Execution.Local;

/// <summary>How the local executor starts, ends and records each job.</summary>
public sealed partial class LocalExecutor
{
    /// <summary>Starts ready jobs in plan order while slots and resources allow; returns how many started.</summary>
    private int Launch(RunSession session, JobQueue queue, Dictionary<Task<JobExit>, Running> running, HashSet<string> runningIds,
        Dictionary<string, JobStatus> statuses, ResourcePool pool, ExecutionOptions options, IRunObserver observer)
    {
        var started = 0;
        var skipped = 0;
        foreach (var w in queue.Ready.ToList())
        {
            if (running.Count >= options.Parallelism || session.Fault is not null) break;
            if (pool.Impossible(w.Job.Stage.Resources) is { } impossible)
            {
                Finish(session, w.Job, statuses, observer, JobState.Blocked, impossible, queue);
                continue;
            }
            var allocation = pool.TryAcquire(w.Job.Stage.Resources);
            if (allocation is null)
            {
                // Look a little further for a job that fits the free resources, but not through the whole sweep.
                if (++skipped > 4 * options.Parallelism + 64) break;
                continue;
            }
            queue.Started(w);
            Start(session, w, allocation, pool.HasGpus, running, statuses, options, observer, queue);
            // A job that did not start (it could not, or a failed write stopped it) gives its resources back.
            if (statuses[w.Job.Id].State == JobState.Running) runningIds.Add(w.Job.Id);
            else pool.Release(allocation);
            started++;
        }
        return started;
    }

    private void Start(RunSession session, JobWork w, Allocation allocation, bool machineHasGpus, Dictionary<Task<JobExit>, Running> running,
        Dictionary<string, JobStatus> statuses, ExecutionOptions options, IRunObserver observer, JobQueue queue)
    {
        var job = w.Job;
        var status = statuses[job.Id];
        var attempt = status.Attempt + 1;
        var dir = session.JobDirectory(job);
        try
        {
            session.WriteConfig(job);
        }
        catch (Exception e) when (WriteFault.IsWriteFailure(e))
        {
            // Not started, so still pending for a resume; the fault stops the run from starting others.
            session.Faults.Report(Path.Combine(dir, "config.json"), e);
            return;
        }
        var attempts = RotateLogs(dir, status.Attempts);
        var command = CommandBuilder.Build(session.Plan, job, new JobPaths(session.Directory, dir));
        var env = JobEnvironment.Build(session, job, attempt, allocation, machineHasGpus);
        var launch = new JobLaunch(job.Id, dir, session.Plan.Definition.WorkingDirectory, command, env, attempt, job.Stage.Timeout);
        IJobHandle handle;
        try
        {
            handle = launcher.Launch(launch);
        }
        catch (Exception e) when (WriteFault.IsDiskFull(e))
        {
            // The job's own files did not fit: it did not start and stays pending for a resume, like the jobs after it.
            session.Faults.Report(null, e);
            return;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            var failed = JobTransitions.StartFailed(status, attempts, attempt, e.Message, time.GetUtcNow());
            Publish(session, job, failed, statuses, observer);
            session.Log.Write("JOB_START_FAILED", $"{job.Id} attempt {attempt}", result: e.Message);
            foreach (var (d, why) in queue.Ended(w, JobState.Failed)) Finish(session, d.Job, statuses, observer, JobState.Blocked, why);
            return;
        }
        var record = new AttemptRecord
        {
            Attempt = attempt,
            State = JobState.Running,
            StartedAt = handle.StartedAt,
            Pid = handle.Pid,
            Commit = session.Git.Commit,
            Host = Environment.MachineName,
            Stdout = "stdout.log",
            Stderr = "stderr.log",
            Gpus = allocation.Gpus.Count > 0 ? allocation.Gpus : null,
        };
        var next = JobTransitions.Started(status, attempts, record, job.Identity);
        Publish(session, job, next, statuses, observer);
        session.Log.Write("JOB_START", $"{job.Id} attempt {attempt} (pid {handle.Pid}{(allocation.Gpus.Count > 0 ? ", GPUs " + string.Join(",", allocation.Gpus) : "")})", details: command);
        var r = new Running { Work = w, Handle = handle, Allocation = allocation, Attempt = attempt };
        ArmTimeout(r, job.Stage.Timeout, options);
        running[handle.Completion] = r;
    }

    private void ArmTimeout(Running r, TimeSpan? timeout, ExecutionOptions options)
    {
        if (timeout is not { } limit) return;
        var elapsed = time.GetUtcNow() - r.Handle.StartedAt;
        var due = limit - elapsed;
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        r.Timer = time.CreateTimer(_ =>
        {
            r.TimedOut = true;
            _ = r.Handle.TerminateAsync(options.KillGrace);
        }, null, due, Timeout.InfiniteTimeSpan);
    }

    private void Completed(RunSession session, Running r, JobExit exit, string? stopReason, JobQueue queue,
        Dictionary<string, JobStatus> statuses, ExecutionOptions options, IRunObserver observer)
    {
        var job = r.Work.Job;
        var outcome = JobTransitions.Outcome(exit, r.TimedOut, r.Cancelled, job.Stage.Timeout, stopReason);
        var state = outcome.State;
        var status = statuses[job.Id];
        var attempts = status.Attempts.ToList();
        var current = attempts.Count > 0 && attempts[^1].Attempt == r.Attempt ? attempts[^1] : new AttemptRecord { Attempt = r.Attempt, StartedAt = r.Handle.StartedAt };
        current = JobTransitions.AttemptEnded(current, exit, outcome, r.PeakRssMb, r.Allocation.Gpus.Count);
        if (attempts.Count > 0 && attempts[^1].Attempt == r.Attempt) attempts[^1] = current;
        else attempts.Add(current);

        // After a failed write the runner starts nothing, retries included: a resume gives the job its next attempt.
        var retry = !r.Cancelled && stopReason is null && session.Fault is null && JobTransitions.Retries(state, r.Attempt, job.Stage.Retries, job.Stage.RetryOn);
        var duration = current.WallSeconds;
        if (retry)
        {
            var delay = JobTransitions.RetryDelay(options.RetryBackoff, r.Attempt);
            Publish(session, job, JobTransitions.Retrying(status, attempts, job.Stage.Retries, delay), statuses, observer);
            session.Log.Write("JOB_RETRY", $"{job.Id} attempt {r.Attempt} {state.Name()}; retrying in {Specs.Durations.Format(delay)}", result: outcome.Reason);
            queue.Retry(r.Work, time.GetUtcNow() + delay);
            return;
        }
        var collected = Collect(session, job);
        var final = JobTransitions.Ended(status, attempts, collected);
        var reason = outcome.Reason;
        Publish(session, job, final, statuses, observer);
        session.Log.Write("JOB_END", $"{job.Id} attempt {r.Attempt}", result: $"{state.Name()}{(exit.ExitCode is { } code ? $" (exit {code})" : "")}{(duration is { } d ? $" in {Specs.Durations.Format(TimeSpan.FromSeconds(d))}" : "")}{(reason is not null && state != JobState.Failed ? $": {reason}" : "")}");
        // A stop leaves dependants pending, for a resume to run; any other end decides them now.
        if (stopReason is null)
        {
            foreach (var (dependant, why) in queue.Ended(r.Work, state)) Finish(session, dependant.Job, statuses, observer, JobState.Blocked, why);
        }
    }

    private static IReadOnlyList<string>? Collect(RunSession session, PlannedJob job)
    {
        if (job.Stage.Collect is null) return null;
        try
        {
            var moved = FlatCollector.Collect(session, job);
            if (moved.Count > 0) session.Log.Write("COLLECT", $"{job.Id}: moved {moved.Count} file(s) to the flat folder", details: string.Join(", ", moved));
            return moved;
        }
        catch (IOException e)
        {
            session.Log.Write("COLLECT_FAILED", job.Id, result: e.Message);
            return null;
        }
    }

    /// <summary>
    /// The first jobs of a stage all failed the same way (<see cref="FailFast"/>): its jobs not started yet are cancelled,
    /// with the reason, and their dependants blocked. Jobs waiting for a retry keep it.
    /// </summary>
    private void StopStage(RunSession session, StageStop decision, JobQueue queue, Dictionary<string, JobStatus> statuses, IRunObserver observer)
    {
        var left = queue.Unfinished(new HashSet<string>(StringComparer.Ordinal))
            .Where(w => w.Job.Stage.Name == decision.Stage && statuses[w.Job.Id].State == JobState.Pending)
            .ToList();
        if (left.Count == 0) return;
        session.Log.Write("STAGE_STOPPED", $"stage {decision.Stage}: {left.Count} job(s) not started", result: decision.Describe());
        observer.Message($"{decision.Describe()}; the other {left.Count} job(s) of the stage are not started (--keep-going runs them)");
        foreach (var w in left)
        {
            if (statuses[w.Job.Id].State == JobState.Pending) Finish(session, w.Job, statuses, observer, JobState.Cancelled, decision.JobReason, queue);
        }
    }

    /// <summary>The last line of the job's last attempt's stderr; empty when there is none.</summary>
    private static string LastErrorLine(RunSession session, PlannedJob job, JobStatus status) =>
        LogTail.Read(Path.Combine(session.JobDirectory(job), status.Attempts.LastOrDefault()?.Stderr ?? "stderr.log"), 1).FirstOrDefault() ?? "";

    /// <summary>Ends a job without running it; with a queue, its dependants are decided too.</summary>
    private void Finish(RunSession session, PlannedJob job, Dictionary<string, JobStatus> statuses, IRunObserver observer, JobState state, string reason, JobQueue? queue = null)
    {
        var status = JobTransitions.EndedUnstarted(statuses[job.Id], state, reason, time.GetUtcNow());
        Publish(session, job, status, statuses, observer);
        session.Log.Write(state == JobState.Blocked ? "JOB_BLOCKED" : "JOB_END", job.Id, result: reason);
        if (queue is null) return;
        var work = new JobWork(job, status);
        foreach (var (d, why) in queue.Ended(work, state)) Finish(session, d.Job, statuses, observer, JobState.Blocked, why);
    }

    private static void Publish(RunSession session, PlannedJob job, JobStatus status, Dictionary<string, JobStatus> statuses, IRunObserver observer)
    {
        statuses[job.Id] = status;
        session.Record(job, status);
        observer.JobUpdated(job, status);
    }

    /// <summary>Keeps every attempt's logs: the previous attempt's stdout.log becomes stdout.N.log.</summary>
    private static List<AttemptRecord> RotateLogs(string dir, IReadOnlyList<AttemptRecord> attempts)
    {
        var list = attempts.ToList();
        if (list.Count == 0) return list;
        var last = list[^1];
        var n = last.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string? Move(string name)
        {
            var from = Path.Combine(dir, name + ".log");
            if (!File.Exists(from)) return null;
            var to = $"{name}.{n}.log";
            File.Move(from, Path.Combine(dir, to), overwrite: true);
            return to;
        }
        list[^1] = last with { Stdout = Move("stdout") ?? last.Stdout, Stderr = Move("stderr") ?? last.Stderr };
        return list;
    }
}
