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
    public IReadOnlyList<string> Validate(Plan plan, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var pool = new ResourcePool(options.Gpus, options.TotalCpus, options.TotalMemoryMb);
        // Resources are declared per stage: one line per stage, not one per job.
        return plan.Jobs.GroupBy(j => j.Stage.Name, StringComparer.Ordinal)
            .Select(g => (Stage: g.Key, Jobs: g.ToList(), Problem: pool.Impossible(g.First().Stage.Resources)))
            .Where(x => x.Problem is not null)
            .Select(x => $"stage {x.Stage} ({x.Jobs.Count} job(s), e.g. {x.Jobs[0].Id}): {x.Problem}")
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
        if (last is null || last.Attempt != number) status = status with { Attempts = [.. status.Attempts, attempt] };
        if (found.Running is not null)
        {
            var adopted = status with { State = JobState.Running, StartedAt = found.Running.StartedAt, Attempts = status.Attempts.Select(a => a.Attempt == number ? a with { Pid = found.Running.Pid } : a).ToList() };
            session.Record(job, adopted);
            return new JobWork(job, adopted, found.Running);
        }
        var attempts = status.Attempts.ToList();
        if (found.Exit is { } exit)
        {
            var state = exit.ExitCode == 0 ? JobState.Succeeded : JobState.Failed;
            var reason = state == JobState.Succeeded ? null : $"exit code {exit.ExitCode}";
            attempts[^1] = attempt with { State = state, EndedAt = exit.EndedAt, ExitCode = exit.ExitCode, StartedAt = exit.StartedAt ?? attempt.StartedAt, Reason = reason };
            var ended = status with { State = state, Reason = reason, EndedAt = exit.EndedAt, ExitCode = exit.ExitCode, Attempts = attempts, DurationSeconds = attempts[^1].WallSeconds };
            session.Record(job, ended);
            session.Log.Write("JOB_RECOVERED", $"{job.Id} attempt {attempt.Attempt} ended while no runner was watching", result: $"{state.Name()} (exit {exit.ExitCode})");
            return new JobWork(job, ended);
        }
        var lostReason = found.Started ? "the runner stopped and the job's process vanished without recording an end" : "the runner stopped before the job's process started";
        attempts[^1] = attempt with { State = JobState.Lost, Reason = lostReason };
        var lost = status with { State = JobState.Lost, Reason = lostReason, Attempts = attempts };
        session.Record(job, lost);
        session.Log.Write("JOB_LOST", $"{job.Id} attempt {attempt.Attempt}", result: lostReason);
        return new JobWork(job, lost);
    }

    private sealed class Running
    {
        public required JobWork Work { get; init; }
        public required IJobHandle Handle { get; init; }
        public required Allocation Allocation { get; init; }
        public required int Attempt { get; init; }
        public ITimer? Timer { get; set; }
        public double? PeakRssMb { get; set; }
        public volatile bool TimedOut;
        public volatile bool Cancelled;
    }

    /// <summary>Runs <paramref name="work"/> to completion or until <paramref name="stop"/> is requested.</summary>
    public async Task<ExecutionResult> RunAsync(RunSession session, IReadOnlyList<JobWork> work, ExecutionOptions options, IRunObserver observer, RunStop stop)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(stop);

        var pool = new ResourcePool(options.Gpus, options.TotalCpus, options.TotalMemoryMb);
        var statuses = work.ToDictionary(w => w.Job.Id, w => w.Status, StringComparer.Ordinal);
        // A job outside this execution either succeeded earlier or was left out by --only/--skip/--filter; the manifest knows.
        var queue = new JobQueue(work, id => session.Manifest.Find(id)?.State);
        var running = new Dictionary<Task<JobExit>, Running>();
        var runningIds = new HashSet<string>(StringComparer.Ordinal);
        var stopping = false;

        foreach (var (w, reason) in queue.BlockedAtStart) Finish(session, w.Job, statuses, observer, JobState.Blocked, reason);
        foreach (var w in work.Where(w => w.Adopted is not null))
        {
            var attempt = w.Status.Attempts.LastOrDefault();
            var allocation = pool.Claim(attempt?.Gpus ?? [], w.Job.Stage.Resources);
            var r = new Running { Work = w, Handle = w.Adopted!, Allocation = allocation, Attempt = w.Status.Attempt };
            ArmTimeout(r, w.Job.Stage.Timeout, options);
            running[w.Adopted!.Completion] = r;
            runningIds.Add(w.Job.Id);
            session.Log.Write("JOB_ADOPTED", $"{w.Job.Id} attempt {w.Status.Attempt} is still running (pid {w.Adopted.Pid}); waiting for it instead of starting another");
            observer.Message($"adopted {w.Job.Id}: still running from an earlier runner (pid {w.Adopted.Pid})");
        }

        var stopTask = Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        var lastSample = DateTimeOffset.MinValue;
        while (true)
        {
            if (stop.Token.IsCancellationRequested && !stopping)
            {
                stopping = true;
                session.Log.Write("RUN_STOP", $"stop requested ({stop.Reason}); terminating {running.Count} running job(s)");
                foreach (var r in running.Values) r.Cancelled = true;
                await Task.WhenAll(running.Values.Select(r => r.Handle.TerminateAsync(options.KillGrace))).ConfigureAwait(false);
            }

            var launched = 0;
            if (!stopping)
            {
                queue.Due(time.GetUtcNow());
                launched = Launch(session, queue, running, runningIds, statuses, pool, options, observer);
            }

            if (running.Count == 0)
            {
                if (stopping || (queue.ReadyCount == 0 && !queue.HasRetries)) break;
                if (launched == 0 && !queue.HasRetries)
                {
                    // Nothing runs and nothing could start: what is ready waits for resources no running job will release.
                    foreach (var w in queue.Ready.ToList())
                    {
                        Finish(session, w.Job, statuses, observer, JobState.Blocked, "the resources it needs never became free", queue);
                    }
                    continue;
                }
            }

            if (time.GetUtcNow() - lastSample >= SampleInterval)
            {
                SampleMemory(running.Values);
                lastSample = time.GetUtcNow();
            }
            var waits = running.Keys.Cast<Task>().ToList();
            if (!stopping) waits.Add(stopTask);
            if (running.Count > 0) waits.Add(Task.Delay(SampleInterval, time));
            if (!stopping && queue.NextRetry is { } next)
            {
                // A retry already due waits zero, never forever.
                var due = next - time.GetUtcNow();
                waits.Add(Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, time));
            }
            await Task.WhenAny(waits).ConfigureAwait(false);

            foreach (var done in running.Keys.Where(t => t.IsCompleted).ToList())
            {
                var r = running[done];
                running.Remove(done);
                runningIds.Remove(r.Work.Job.Id);
                r.Timer?.Dispose();
                pool.Release(r.Allocation);
                var exit = await done.ConfigureAwait(false);
                Completed(session, r, exit, stopping ? stop.Reason : null, queue, statuses, options, observer);
            }
        }

        return new ExecutionResult(statuses, stopping, stop.Reason);
    }

    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Peak memory of each running job's whole tree, from one /proc scan for all jobs.</summary>
    private static void SampleMemory(IEnumerable<Running> running)
    {
        var list = running.ToList();
        if (list.Count == 0) return;
        var processes = ProcessTree.All().Where(p => p.State is not ('Z' or 'X')).ToList();
        foreach (var r in list)
        {
            var members = ProcessTree.Members(r.Handle.Pid, processes);
            var rss = processes.Where(p => members.Contains(p.Pid)).Sum(p => p.RssPages) * Environment.SystemPageSize / (1024.0 * 1024.0);
            if (rss > 0 && rss > (r.PeakRssMb ?? 0)) r.PeakRssMb = Math.Round(rss, 1);
        }
    }

    /// <summary>Starts ready jobs in plan order while slots and resources allow; returns how many started.</summary>
    private int Launch(RunSession session, JobQueue queue, Dictionary<Task<JobExit>, Running> running, HashSet<string> runningIds,
        Dictionary<string, JobStatus> statuses, ResourcePool pool, ExecutionOptions options, IRunObserver observer)
    {
        var started = 0;
        var skipped = 0;
        foreach (var w in queue.Ready.ToList())
        {
            if (running.Count >= options.Parallelism) break;
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
            if (statuses[w.Job.Id].State == JobState.Running) runningIds.Add(w.Job.Id);
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
        session.WriteConfig(job);
        var attempts = RotateLogs(dir, status.Attempts);
        var command = CommandBuilder.Build(session.Plan, job, new JobPaths(session.Directory, dir));
        var env = JobEnvironment.Build(session, job, attempt, allocation, machineHasGpus);
        var launch = new JobLaunch(job.Id, dir, session.Plan.Definition.WorkingDirectory, command, env, attempt, job.Stage.Timeout);
        IJobHandle handle;
        try
        {
            handle = launcher.Launch(launch);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            var failed = status with
            {
                State = JobState.Failed,
                Reason = $"could not start: {e.Message}",
                EndedAt = time.GetUtcNow(),
                Attempts = [.. attempts, new AttemptRecord { Attempt = attempt, State = JobState.Failed, Reason = $"could not start: {e.Message}", EndedAt = time.GetUtcNow() }],
            };
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
        var next = status with
        {
            State = JobState.Running,
            Reason = null,
            StartedAt = handle.StartedAt,
            EndedAt = null,
            ExitCode = null,
            DurationSeconds = null,
            Identity = job.Identity,
            Attempts = [.. attempts, record],
        };
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
        var (state, reason) = r switch
        {
            { TimedOut: true } => (JobState.TimedOut, $"killed after the {Specs.Durations.Format(job.Stage.Timeout ?? TimeSpan.Zero)} timeout"),
            { Cancelled: true } => (JobState.Cancelled, $"cancelled by {stopReason ?? "a stop request"}"),
            _ when exit.Lost => (JobState.Lost, "the process ended without recording an exit code"),
            _ when exit.ExitCode == 0 => (JobState.Succeeded, (string?)null),
            _ => (JobState.Failed, $"exit code {exit.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}"),
        };
        var status = statuses[job.Id];
        var attempts = status.Attempts.ToList();
        var current = attempts.Count > 0 && attempts[^1].Attempt == r.Attempt ? attempts[^1] : new AttemptRecord { Attempt = r.Attempt, StartedAt = r.Handle.StartedAt };
        var ended = exit.EndedAt;
        // Sampling sees the whole tree at once but only at instants; the kernel sees every instant, one process at a time.
        current = current with { State = state, EndedAt = ended, ExitCode = exit.ExitCode, Reason = reason, StartedAt = exit.StartedAt ?? current.StartedAt, CpuSeconds = exit.CpuSeconds, PeakRssMb = new[] { r.PeakRssMb, exit.PeakRssMb }.Max() };
        current = current with { GpuSeconds = current.WallSeconds is { } wall ? Math.Round(wall * r.Allocation.Gpus.Count, 3) : null };
        if (attempts.Count > 0 && attempts[^1].Attempt == r.Attempt) attempts[^1] = current;
        else attempts.Add(current);

        var retry = !r.Cancelled && stopReason is null && state != JobState.Succeeded
            && r.Attempt <= job.Stage.Retries && job.Stage.RetryOn.Contains(state.Name());
        var duration = current.WallSeconds;
        if (retry)
        {
            var delay = TimeSpan.FromTicks(Math.Min(options.RetryBackoff.Ticks * (1L << Math.Min(r.Attempt - 1, 20)), TimeSpan.FromMinutes(5).Ticks));
            var waiting = status with { Accounting = JobAccounting.From(attempts), State = JobState.Queued, Reason = $"attempt {r.Attempt} {state.Name()} ({reason}); retry {r.Attempt + 1} of {job.Stage.Retries + 1} in {Specs.Durations.Format(delay)}", Attempts = attempts, ExitCode = exit.ExitCode, DurationSeconds = duration };
            Publish(session, job, waiting, statuses, observer);
            session.Log.Write("JOB_RETRY", $"{job.Id} attempt {r.Attempt} {state.Name()}; retrying in {Specs.Durations.Format(delay)}", result: reason);
            queue.Retry(r.Work, time.GetUtcNow() + delay);
            return;
        }
        var collected = Collect(session, job);
        var final = status with { State = state, Reason = reason, EndedAt = ended, ExitCode = exit.ExitCode, DurationSeconds = duration, Attempts = attempts, Accounting = JobAccounting.From(attempts), Collected = collected };
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

    /// <summary>Ends a job without running it; with a queue, its dependants are decided too.</summary>
    private void Finish(RunSession session, PlannedJob job, Dictionary<string, JobStatus> statuses, IRunObserver observer, JobState state, string reason, JobQueue? queue = null)
    {
        var status = statuses[job.Id] with { State = state, Reason = reason, EndedAt = time.GetUtcNow() };
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
