using Expt.Planning;
using Expt.Recording;
using Expt.Reporting;

namespace Expt.Execution.Local;

/// <summary>How one local execution starts, ends and records each job.</summary>
internal sealed partial class LocalRun
{
    /// <summary>Starts ready jobs in plan order while slots and resources allow; returns how many started.</summary>
    private int Launch()
    {
        var started = 0;
        var skipped = 0;
        foreach (var w in _queue.Ready.ToList())
        {
            if (_running.Count >= _options.Parallelism || _session.Fault is not null) break;
            if (_pool.Impossible(w.Job.Stage.Resources) is { } impossible)
            {
                Finish(w.Job, JobState.Blocked, impossible, decideDependants: true);
                continue;
            }
            var allocation = _pool.TryAcquire(w.Job.Stage.Resources);
            if (allocation is null)
            {
                // Look a little further for a job that fits the free resources, but not through the whole sweep.
                if (++skipped > 4 * _options.Parallelism + 64) break;
                continue;
            }
            _queue.Started(w);
            Start(w, allocation);
            // A job that did not start (it could not, or a failed write stopped it) gives its resources back.
            if (_statuses[w.Job.Id].State == JobState.Running) _runningIds.Add(w.Job.Id);
            else _pool.Release(allocation);
            started++;
        }
        return started;
    }

    private void Start(JobWork w, Allocation allocation)
    {
        var job = w.Job;
        var status = _statuses[job.Id];
        var attempt = status.Attempt + 1;
        var dir = _session.JobDirectory(job);
        try
        {
            _session.WriteConfig(job);
        }
        catch (Exception e) when (WriteFault.IsWriteFailure(e))
        {
            // Not started, so still pending for a resume; the fault stops the run from starting others.
            _session.Faults.Report(RunFiles.ConfigPath(dir), e);
            return;
        }
        var attempts = RotateLogs(dir, status.Attempts);
        var launch = LaunchRecord(job).ForAttempt(attempt, allocation, _pool.HasGpus);
        // Recorded as running before it starts: a job whose wrapper costs one exec can be at work before the runner
        // could record it after, and a runner killed in between must leave a status that says it may run. Its pid is
        // in started-N.json from its first instant, and in status.json at its end: one status write per transition.
        var record = new AttemptRecord
        {
            Attempt = attempt,
            State = JobState.Running,
            StartedAt = _time.GetUtcNow(),
            Commit = _session.Git.Commit,
            Host = Environment.MachineName,
            Stdout = "stdout.log",
            Stderr = "stderr.log",
            Gpus = allocation.Gpus.Count > 0 ? allocation.Gpus : null,
        };
        Publish(job, JobTransitions.Started(status, attempts, record, job.Identity));
        IJobHandle handle;
        try
        {
            handle = _launcher.Launch(launch);
        }
        catch (Exception e) when (WriteFault.IsDiskFull(e))
        {
            // The job's own files did not fit: it did not start and stays pending for a resume, like the jobs after it.
            Publish(job, status);
            _session.Faults.Report(null, e);
            return;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            var failed = JobTransitions.StartFailed(status, attempts, attempt, e.Message, _time.GetUtcNow());
            Publish(job, failed);
            _session.Log.Write("JOB_START_FAILED", $"{job.Id} attempt {attempt}", result: e.Message);
            foreach (var (d, why) in _queue.Ended(w, JobState.Failed)) Finish(d.Job, JobState.Blocked, why, decideDependants: false);
            return;
        }
        _session.Log.Write("JOB_START", $"{job.Id} attempt {attempt} (pid {handle.Pid}{(allocation.Gpus.Count > 0 ? ", GPUs " + string.Join(",", allocation.Gpus) : "")})", details: launch.Command);
        var r = new RunningAttempt { Work = w, Handle = handle, Allocation = allocation, Attempt = attempt };
        ArmTimeout(r);
        _running[handle.Completion] = r;
    }

    private void Completed(RunningAttempt r, JobExit exit, string? stopReason)
    {
        var job = r.Work.Job;
        var outcome = JobTransitions.Outcome(exit, r.TimedOut, r.Cancelled, job.Stage.Timeout, stopReason);
        var state = outcome.State;
        var status = _statuses[job.Id];
        var attempts = status.Attempts.ToList();
        var current = attempts.Count > 0 && attempts[^1].Attempt == r.Attempt ? attempts[^1] : new AttemptRecord { Attempt = r.Attempt, StartedAt = r.Handle.StartedAt };
        current = current with { Pid = current.Pid ?? r.Handle.Pid };
        current = JobTransitions.AttemptEnded(current, exit, outcome, r.PeakRssMb, r.Allocation.Gpus.Count);
        if (attempts.Count > 0 && attempts[^1].Attempt == r.Attempt) attempts[^1] = current;
        else attempts.Add(current);

        // After a failed write the runner starts nothing, retries included: a resume gives the job its next attempt.
        var retry = !r.Cancelled && stopReason is null && _session.Fault is null && JobTransitions.Retries(state, r.Attempt, job.Stage.Retries, job.Stage.RetryOn);
        var duration = current.WallSeconds;
        if (retry)
        {
            var delay = JobTransitions.RetryDelay(_options.RetryBackoff, r.Attempt);
            Publish(job, JobTransitions.Retrying(status, attempts, job.Stage.Retries, delay));
            _session.Log.Write("JOB_RETRY", $"{job.Id} attempt {r.Attempt} {state.Name()}; retrying in {Specs.Durations.Format(delay)}", result: outcome.Reason);
            _queue.Retry(r.Work, _time.GetUtcNow() + delay);
            return;
        }
        // Its command and environment are for retries only; a sweep of 100,000 jobs must not keep them all.
        _launches.Remove(job.Id);
        var collected = Collect(job);
        var final = JobTransitions.Ended(status, attempts, collected);
        var reason = outcome.Reason;
        Publish(job, final);
        _session.Log.Write("JOB_END", $"{job.Id} attempt {r.Attempt}", result: $"{state.Name()}{(exit.ExitCode is { } code ? $" (exit {code})" : "")}{(duration is { } d ? $" in {Specs.Durations.Format(TimeSpan.FromSeconds(d))}" : "")}{(reason is not null && state != JobState.Failed ? $": {reason}" : "")}");
        // A stop leaves dependants pending, for a resume to run; any other end decides them now.
        if (stopReason is null)
        {
            foreach (var (dependant, why) in _queue.Ended(r.Work, state)) Finish(dependant.Job, JobState.Blocked, why, decideDependants: false);
        }
    }

    private IReadOnlyList<string>? Collect(PlannedJob job)
    {
        if (job.Stage.Collect is null) return null;
        try
        {
            var moved = FlatCollector.Collect(_session, job);
            if (moved.Count > 0) _session.Log.Write("COLLECT", $"{job.Id}: moved {moved.Count} file(s) to the flat folder", details: string.Join(", ", moved));
            return moved;
        }
        catch (IOException e)
        {
            _session.Log.Write("COLLECT_FAILED", job.Id, result: e.Message);
            return null;
        }
    }

    /// <summary>
    /// The first jobs of a stage all failed the same way (<see cref="FailFast"/>): its jobs not started yet are cancelled,
    /// with the reason, and their dependants blocked. Jobs waiting for a retry keep it.
    /// </summary>
    private void StopStage(StageStop decision)
    {
        var left = _queue.Unfinished(new HashSet<string>(StringComparer.Ordinal))
            .Where(w => w.Job.Stage.Name == decision.Stage && _statuses[w.Job.Id].State == JobState.Pending)
            .ToList();
        if (left.Count == 0) return;
        _session.Log.Write("STAGE_STOPPED", $"stage {decision.Stage}: {left.Count} job(s) not started", result: decision.Describe());
        _observer.Message($"{decision.Describe()}; the other {left.Count} job(s) of the stage are not started (--keep-going runs them)");
        foreach (var w in left)
        {
            if (_statuses[w.Job.Id].State == JobState.Pending) Finish(w.Job, JobState.Cancelled, decision.JobReason, decideDependants: true);
        }
    }

    /// <summary>The last line of the job's last attempt's stderr; empty when there is none.</summary>
    private string LastErrorLine(PlannedJob job, JobStatus status) =>
        LogTail.Read(Path.Combine(_session.JobDirectory(job), status.Attempts.LastOrDefault()?.Stderr ?? "stderr.log"), 1).FirstOrDefault() ?? "";

    /// <summary>Ends a job without running it; with <paramref name="decideDependants"/>, its dependants are decided too.</summary>
    private void Finish(PlannedJob job, JobState state, string reason, bool decideDependants)
    {
        var status = JobTransitions.EndedUnstarted(_statuses[job.Id], state, reason, _time.GetUtcNow());
        Publish(job, status);
        _session.Log.Write(state == JobState.Blocked ? "JOB_BLOCKED" : "JOB_END", job.Id, result: reason);
        if (!decideDependants) return;
        var work = new JobWork(job, status);
        foreach (var (d, why) in _queue.Ended(work, state)) Finish(d.Job, JobState.Blocked, why, decideDependants: false);
    }

    private void Publish(PlannedJob job, JobStatus status)
    {
        // As recorded: a job's end comes back with the bytes it left (OutputBytes).
        status = _session.Record(job, status);
        _statuses[job.Id] = status;
        _observer.JobUpdated(status);
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
