using Expt.Planning;
using Expt.Recording;

namespace Expt.Execution.Local;

/// <summary>
/// One execution of a run on this machine, with all of its state in one object: the queue, the running attempts, the
/// statuses, the resource pool and what fail-fast saw. Lives for one <see cref="LocalExecutor.RunAsync"/> call.
/// </summary>
internal sealed partial class LocalRun
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(500);

    private readonly IJobLauncher _launcher;
    private readonly TimeProvider _time;
    private readonly RunSession _session;
    private readonly IReadOnlyList<JobWork> _work;
    private readonly ExecutionOptions _options;
    private readonly IRunObserver _observer;
    private readonly ResourcePool _pool;
    private readonly Dictionary<string, JobStatus> _statuses;
    private readonly JobQueue _queue;
    private readonly FailFast _failFast;
    private readonly Dictionary<Task<JobExit>, RunningAttempt> _running = [];
    private readonly HashSet<string> _runningIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobLaunchRecord> _launches = new(StringComparer.Ordinal);
    private bool _stopping;
    private bool _faulted;

    /// <summary>The execution of <paramref name="work"/> in <paramref name="session"/>; nothing happens before <see cref="RunAsync"/>.</summary>
    public LocalRun(IJobLauncher launcher, TimeProvider time, RunSession session, IReadOnlyList<JobWork> work, ExecutionOptions options, IRunObserver observer)
    {
        _launcher = launcher;
        _time = time;
        _session = session;
        _work = work;
        _options = options;
        _observer = observer;
        _pool = new ResourcePool(options.Gpus, options.TotalCpus, options.TotalMemoryMb);
        _statuses = work.ToDictionary(w => w.Job.Id, w => w.Status, StringComparer.Ordinal);
        // A job outside this execution either succeeded earlier or was left out by --only/--skip/--filter; the manifest knows.
        _queue = new JobQueue(work, id => session.Manifest.Find(id)?.State);
        _failFast = new FailFast(work.Select(w => w.Job), enabled: !options.KeepGoing);
    }

    /// <summary>Runs the work to completion or until <paramref name="stop"/> is requested.</summary>
    public async Task<ExecutionResult> RunAsync(RunStop stop)
    {
        foreach (var (w, reason) in _queue.BlockedAtStart) Finish(w.Job, JobState.Blocked, reason, decideDependants: false);
        foreach (var w in _work.Where(w => w.Adopted is not null)) Adopt(w);

        var stopTask = Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        var lastSample = DateTimeOffset.MinValue;
        while (true)
        {
            if (stop.Token.IsCancellationRequested && !_stopping)
            {
                _stopping = true;
                _session.Log.Write("RUN_STOP", $"stop requested ({stop.Reason}); terminating {_running.Count} running job(s)");
                foreach (var r in _running.Values) r.Cancelled = true;
                await Task.WhenAll(_running.Values.Select(r => r.Handle.TerminateAsync(_options.KillGrace))).ConfigureAwait(false);
            }

            var launched = 0;
            if (!_stopping && !_faulted)
            {
                _queue.Due(_time.GetUtcNow());
                launched = Launch();
            }

            if (!_faulted && _session.Fault is { } fault)
            {
                // Every job started now would write to a full disk, and the runner could not record it: none is started;
                // the running ones end on their own, and the run's end is recorded on the space the session kept back.
                _faulted = true;
                var waiting = _running.Count > 0 ? $"waiting for the {_running.Count} running job(s) to end" : "no job is running";
                _session.Log.Write("RUN_WRITE_FAILED", fault.Describe(), result: $"no more jobs are started; {waiting}");
                _observer.Message($"{fault.Describe()}; no more jobs are started, {waiting}{(_running.Count > 0 ? " (Ctrl-C stops them)" : "")}");
            }

            if (_running.Count == 0)
            {
                if (_stopping || _faulted || (_queue.ReadyCount == 0 && !_queue.HasRetries)) break;
                if (launched == 0 && !_queue.HasRetries)
                {
                    // Nothing runs and nothing could start: what is ready waits for resources no running job will release.
                    foreach (var w in _queue.Ready.ToList()) Finish(w.Job, JobState.Blocked, "the resources it needs never became free", decideDependants: true);
                    continue;
                }
            }

            if (_time.GetUtcNow() - lastSample >= SampleInterval)
            {
                RunningAttempt.SampleMemory(_running.Values);
                lastSample = _time.GetUtcNow();
            }
            await Task.WhenAny(Waits(stopTask)).ConfigureAwait(false);
            await EndCompletedAsync(stop).ConfigureAwait(false);
        }

        return new ExecutionResult(_statuses, _stopping, stop.Reason);
    }

    /// <summary>What the loop waits for: an attempt's end, a stop, the next memory sample, the next retry.</summary>
    private List<Task> Waits(Task stopTask)
    {
        var waits = _running.Keys.Cast<Task>().ToList();
        if (!_stopping) waits.Add(stopTask);
        if (_running.Count > 0) waits.Add(Task.Delay(SampleInterval, _time));
        if (!_stopping && !_faulted && _queue.NextRetry is { } next)
        {
            // A retry already due waits zero, never forever.
            var due = next - _time.GetUtcNow();
            waits.Add(Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, _time));
        }
        return waits;
    }

    private async Task EndCompletedAsync(RunStop stop)
    {
        foreach (var done in _running.Keys.Where(t => t.IsCompleted).ToList())
        {
            var r = _running[done];
            _running.Remove(done);
            _runningIds.Remove(r.Work.Job.Id);
            r.Timer?.Dispose();
            _pool.Release(r.Allocation);
            var exit = await done.ConfigureAwait(false);
            Completed(r, exit, _stopping ? stop.Reason : null);
            var final = _statuses[r.Work.Job.Id];
            if (final.State.IsFinished() && _failFast.Ended(r.Work.Job, final, () => LastErrorLine(r.Work.Job, final)) is { } decision)
            {
                StopStage(decision);
            }
        }
    }

    /// <summary>Waits for an attempt an earlier runner started and that still runs, instead of starting another.</summary>
    private void Adopt(JobWork w)
    {
        var attempt = w.Status.Attempts.LastOrDefault();
        var allocation = _pool.Claim(attempt?.Gpus ?? [], w.Job.Stage.Resources);
        var r = new RunningAttempt { Work = w, Handle = w.Adopted!, Allocation = allocation, Attempt = w.Status.Attempt };
        ArmTimeout(r);
        _running[w.Adopted!.Completion] = r;
        _runningIds.Add(w.Job.Id);
        _session.Log.Write("JOB_ADOPTED", $"{w.Job.Id} attempt {w.Status.Attempt} is still running (pid {w.Adopted.Pid}); waiting for it instead of starting another");
        _observer.Message($"adopted {w.Job.Id}: still running from an earlier runner (pid {w.Adopted.Pid})");
    }

    /// <summary>The job's command, environment and needs, built the first time it starts and reused by its retries.</summary>
    private JobLaunchRecord LaunchRecord(PlannedJob job)
    {
        if (!_launches.TryGetValue(job.Id, out var record)) _launches[job.Id] = record = JobLaunchRecord.For(_session, job);
        return record;
    }

    private void ArmTimeout(RunningAttempt r)
    {
        if (r.Work.Job.Stage.Timeout is not { } limit) return;
        var due = limit - (_time.GetUtcNow() - r.Handle.StartedAt);
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        var grace = _options.KillGrace;
        r.Timer = _time.CreateTimer(_ =>
        {
            r.TimedOut = true;
            _ = r.Handle.TerminateAsync(grace);
        }, null, due, Timeout.InfiniteTimeSpan);
    }
}
