using Expt.Planning;
using Expt.Recording;

namespace Expt.Execution.Local;

/// <summary>
/// Runs jobs on this machine: at most N at once, each as soon as the jobs it needs (of the same variant)
/// succeeded, with GPU/CPU/memory slots, timeouts, retries with backoff, and a clean stop that terminates
/// every job's process tree. Every transition is written through the <see cref="RunSession"/>.
/// </summary>
public sealed partial class LocalExecutor(IJobLauncher launcher, TimeProvider time) : IExecutor
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
        status = JobTransitions.WithAttempt(status, attempt);
        if (found.Running is not null)
        {
            var adopted = JobTransitions.Adopted(status, found.Running.Pid, found.Running.StartedAt);
            session.Record(job, adopted);
            return new JobWork(job, adopted, found.Running);
        }
        if (found.Exit is { } exit)
        {
            var ended = JobTransitions.Recovered(status, exit);
            session.Record(job, ended);
            session.Log.Write("JOB_RECOVERED", $"{job.Id} attempt {attempt.Attempt} ended while no runner was watching", result: $"{ended.State.Name()} (exit {exit.ExitCode})");
            return new JobWork(job, ended);
        }
        var lostReason = found.Started ? "the runner stopped and the job's process vanished without recording an end" : "the runner stopped before the job's process started";
        var lost = JobTransitions.Lost(status, lostReason);
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
        var failFast = new FailFast(work.Select(w => w.Job), enabled: !options.KeepGoing);
        var stopping = false;
        var faulted = false;

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
            if (!stopping && !faulted)
            {
                queue.Due(time.GetUtcNow());
                launched = Launch(session, queue, running, runningIds, statuses, pool, options, observer);
            }

            if (!faulted && session.Fault is { } fault)
            {
                // Every job started now would write to a full disk, and the runner could not record it: none is started;
                // the running ones end on their own, and the run's end is recorded on the space the session kept back.
                faulted = true;
                var waiting = running.Count > 0 ? $"waiting for the {running.Count} running job(s) to end" : "no job is running";
                session.Log.Write("RUN_WRITE_FAILED", fault.Describe(), result: $"no more jobs are started; {waiting}");
                observer.Message($"{fault.Describe()}; no more jobs are started, {waiting}{(running.Count > 0 ? " (Ctrl-C stops them)" : "")}");
            }

            if (running.Count == 0)
            {
                if (stopping || faulted || (queue.ReadyCount == 0 && !queue.HasRetries)) break;
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
            if (!stopping && !faulted && queue.NextRetry is { } next)
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
                var final = statuses[r.Work.Job.Id];
                if (final.State.IsFinished() && failFast.Ended(r.Work.Job, final, () => LastErrorLine(session, r.Work.Job, final)) is { } decision)
                {
                    StopStage(session, decision, queue, statuses, observer);
                }
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
}
