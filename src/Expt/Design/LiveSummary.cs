using Expt.Execution;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Design;

/// <summary>
/// Keeps a run directory's own <c>experiment_summary.md</c> current while the run goes: wraps the run's observer,
/// writes the summary when the run opens (jobs a resume finds finished show their state), rewrites it at most once
/// per <see cref="Interval"/> while jobs change, on a timer of the run's clock (never on a job's path), and once more
/// at <see cref="Complete"/> with the final states. The summary is a view, not a record: a write that fails (a full
/// disk) is said once, in run.log and to the wrapped observer, and never fails or slows the run; later writes try
/// again, so the final one can still land.
/// </summary>
public sealed class LiveSummary : IRunObserver, IDisposable
{
    /// <summary>The least time between two rewrites while the run goes.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly IRunObserver _inner;
    private readonly ExperimentDesign _design;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly object _writeGate = new();
    private readonly Dictionary<string, JobStatus> _statuses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _planned;
    private RunSession? _session;
    private ITimer? _timer;
    private bool _dirty;
    private bool _warned;
    private bool _completed;

    /// <summary>Wraps <paramref name="inner"/>; the summary is the one of <paramref name="design"/>.</summary>
    public LiveSummary(IRunObserver inner, ExperimentDesign design, TimeProvider time, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(time);
        _inner = inner;
        _design = design;
        _time = time;
        Interval = interval ?? DefaultInterval;
        _planned = design.Plan.Jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The least time between two rewrites while the run goes.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The summary's path, once the run is open.</summary>
    public string? Path => _session is { } s ? System.IO.Path.Combine(s.Directory, SummaryMarkdown.FileName) : null;

    /// <summary>How many times the summary was written.</summary>
    public int Writes { get; private set; }

    /// <inheritdoc />
    public void RunOpened(RunSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _inner.RunOpened(session);
        lock (_gate)
        {
            _session = session;
            // What the run's files say now: a resume's succeeded jobs get no other event, and the attempts it adopts
            // go on. Every other job of a resume runs again, so its earlier end is not its state in this run.
            foreach (var job in _design.Plan.Jobs)
            {
                if (session.Status(job) is { State: JobState.Succeeded or JobState.Running or JobState.Queued } status) _statuses[job.Id] = status;
            }
        }
        Write(final: false, force: true);
        lock (_gate)
        {
            if (!_completed) _timer = _time.CreateTimer(_ => Write(final: false, force: false), null, Interval, Interval);
        }
    }

    /// <inheritdoc />
    public void JobUpdated(JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _inner.JobUpdated(status);
        if (!_planned.Contains(status.Id)) return;
        lock (_gate)
        {
            _statuses[status.Id] = status;
            _dirty = true;
        }
    }

    /// <inheritdoc />
    public void Message(string text) => _inner.Message(text);

    /// <inheritdoc />
    public void JobsSkipped(int count) => _inner.JobsSkipped(count);

    /// <summary>Stops the rewrites and writes the summary with the final states (when the run was opened).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            _timer?.Dispose();
            _timer = null;
        }
        Write(final: true, force: true);
    }

    private void Write(bool final, bool force)
    {
        lock (_writeGate)
        {
            RunSession? session;
            Dictionary<string, JobStatus> snapshot;
            lock (_gate)
            {
                session = _session;
                // A tick that lost the race with Complete does not write after the final write.
                if (session is null || (!force && (!_dirty || _completed)) || (_completed && !final)) return;
                _dirty = false;
                snapshot = new Dictionary<string, JobStatus>(_statuses, StringComparer.Ordinal);
            }
            var path = System.IO.Path.Combine(session.Directory, SummaryMarkdown.FileName);
            try
            {
                AtomicFile.WriteAllText(path, SummaryMarkdown.Render(_design, snapshot));
                Writes++;
            }
#pragma warning disable CA1031 // the summary must never break a run: any failure is said once and the run goes on
            catch (Exception e)
#pragma warning restore CA1031
            {
                Warn(session, path, e);
            }
        }
    }

    private void Warn(RunSession session, string path, Exception e)
    {
        if (_warned) return;
        _warned = true;
        var what = WriteFault.IsWriteFailure(e) ? WriteFault.From(path, e).Describe() : $"{path}: {e.Message}";
        var text = $"warning: the run's {SummaryMarkdown.FileName} is not kept current: {what}";
        try
        {
            session.Log.Write("SUMMARY_WARNING", text, "the run goes on; its status.json files and 'expt status' stay the record");
        }
        catch (IOException)
        {
        }
        _inner.Message(text);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _completed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }
}
