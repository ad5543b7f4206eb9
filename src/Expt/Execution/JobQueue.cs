using Expt.Recording;

namespace Expt.Execution;

/// <summary>
/// Which jobs may start now. Keeps, per job, the number of needs not yet succeeded and who depends on it, the
/// ready jobs in plan order and the retry schedule, so that each transition costs O(its dependants), not
/// O(all jobs): a 100,000-job sweep does not slow down as it goes.
/// </summary>
public sealed class JobQueue
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<JobWork> _work;
    private readonly int[] _unmet;
    private readonly List<int>?[] _dependants;
    private readonly bool[] _done;
    private readonly SortedSet<int> _ready = [];
    private readonly PriorityQueue<int, DateTimeOffset> _retries = new();
    private readonly List<(JobWork Work, string Reason)> _blockedAtStart = [];

    /// <summary>Builds the queue; <paramref name="outside"/> tells the state of needed jobs not in <paramref name="work"/>.</summary>
    public JobQueue(IReadOnlyList<JobWork> work, Func<string, JobState?> outside)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(outside);
        _work = [.. work];
        _unmet = new int[_work.Count];
        _dependants = new List<int>?[_work.Count];
        _done = new bool[_work.Count];
        for (var i = 0; i < _work.Count; i++) _index[_work[i].Job.Id] = i;
        var dead = new List<(int Job, string Reason)>();
        for (var i = 0; i < _work.Count; i++)
        {
            var w = _work[i];
            if (w.Adopted is not null) continue; // running already; its needs were met when it started
            foreach (var need in w.Job.Needs)
            {
                if (_index.TryGetValue(need, out var n))
                {
                    _unmet[i]++;
                    (_dependants[n] ??= []).Add(i);
                    continue;
                }
                var state = outside(need);
                if (state == JobState.Succeeded) continue;
                dead.Add((i, state is null or JobState.Pending
                    ? $"needs {need}, which is not part of this run's selection and has no earlier result"
                    : $"needs {need}, which ended {state.Value.Name()}"));
            }
        }
        foreach (var (job, reason) in dead)
        {
            if (_done[job]) continue;
            _done[job] = true;
            _blockedAtStart.Add((_work[job], reason));
            _blockedAtStart.AddRange(BlockDependants(job, "is blocked"));
        }
        for (var i = 0; i < _work.Count; i++)
        {
            if (!_done[i] && _unmet[i] == 0 && _work[i].Adopted is null) _ready.Add(i);
        }
    }

    /// <summary>Jobs that can never run because a need outside this execution did not succeed (and their dependants).</summary>
    public IReadOnlyList<(JobWork Work, string Reason)> BlockedAtStart => _blockedAtStart;

    /// <summary>Ready jobs in plan order.</summary>
    public IEnumerable<JobWork> Ready => _ready.Select(i => _work[i]);

    /// <summary>How many jobs are ready.</summary>
    public int ReadyCount => _ready.Count;

    /// <summary>Whether a retry is scheduled.</summary>
    public bool HasRetries => _retries.Count > 0;

    /// <summary>When the earliest retry is due.</summary>
    public DateTimeOffset? NextRetry => _retries.TryPeek(out _, out var at) ? at : null;

    /// <summary>Marks a ready job as started.</summary>
    public void Started(JobWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _ready.Remove(_index[work.Job.Id]);
    }

    /// <summary>Schedules another attempt of a job at <paramref name="at"/>.</summary>
    public void Retry(JobWork work, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(work);
        _retries.Enqueue(_index[work.Job.Id], at);
    }

    /// <summary>Moves retries that are due into the ready set.</summary>
    public void Due(DateTimeOffset now)
    {
        while (_retries.TryPeek(out var job, out var at) && at <= now)
        {
            _retries.Dequeue();
            _ready.Add(job);
        }
    }

    /// <summary>
    /// Records a job's final state. Success releases its dependants; any other end returns the jobs that can
    /// now never run (dependants, transitively) with the reason, already marked done.
    /// </summary>
    public IReadOnlyList<(JobWork Work, string Reason)> Ended(JobWork work, JobState state)
    {
        ArgumentNullException.ThrowIfNull(work);
        var i = _index[work.Job.Id];
        _done[i] = true;
        _ready.Remove(i);
        if (state != JobState.Succeeded) return BlockDependants(i, state == JobState.Blocked ? "is blocked" : $"ended {state.Name()}");
        foreach (var d in _dependants[i] ?? [])
        {
            if (--_unmet[d] == 0 && !_done[d]) _ready.Add(d);
        }
        return [];
    }

    /// <summary>Jobs not yet ended and not running: the ready ones and those waiting for needs or a retry.</summary>
    public IEnumerable<JobWork> Unfinished(ISet<string> running) =>
        _work.Where((w, i) => !_done[i] && !running.Contains(w.Job.Id));

    private List<(JobWork, string)> BlockDependants(int job, string how)
    {
        var blocked = new List<(JobWork, string)>();
        var stack = new Stack<int>();
        stack.Push(job);
        while (stack.Count > 0)
        {
            var j = stack.Pop();
            foreach (var d in _dependants[j] ?? [])
            {
                if (_done[d]) continue;
                _done[d] = true;
                _ready.Remove(d);
                blocked.Add((_work[d], $"needs {_work[j].Job.Id}, which {(j == job ? how : "is blocked")}"));
                stack.Push(d);
            }
        }
        return blocked;
    }
}
