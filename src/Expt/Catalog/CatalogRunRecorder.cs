using Expt.Execution;
using Expt.Metrics;
using Expt.Planning;
using Expt.Recording;
using Expt.Results;

namespace Expt.Catalog;

/// <summary>
/// Keeps the catalog current while a run goes: wraps the run's observer, collects job transitions and writes them
/// in one transaction every <see cref="ManifestStore.FlushInterval"/> and at the end, on a timer thread, never on a
/// job's path. The catalog is an index, not a record: any failure writes one warning to run.log and stops updating
/// it (<c>expt ls</c> re-reads the run from its files later), and never fails or slows the run.
/// </summary>
public sealed class CatalogRunRecorder : IRunObserver, IDisposable
{
    private readonly IRunObserver _inner;
    private readonly string _root;
    private readonly object _gate = new();
    private readonly object _flushGate = new();
    private readonly ITimer _timer;
    private Dictionary<string, JobStatus> _pending = new(StringComparer.Ordinal);
    private Dictionary<string, PlannedJob>? _planned;
    private Dictionary<string, int>? _ordinals;
    private RunSession? _session;
    private CatalogStore? _store;
    private bool _indexRun;
    private bool _failed;

    /// <summary>Wraps <paramref name="inner"/>; the catalog is the one of <paramref name="resultsRoot"/>.</summary>
    public CatalogRunRecorder(IRunObserver inner, string resultsRoot, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(time);
        _inner = inner;
        _root = Path.GetFullPath(resultsRoot);
        _timer = time.CreateTimer(_ => Flush(), null, ManifestStore.FlushInterval, ManifestStore.FlushInterval);
    }

    /// <inheritdoc />
    public void JobUpdated(JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _inner.JobUpdated(status);
        lock (_gate) _pending[status.Id] = status;
    }

    /// <inheritdoc />
    public void Message(string text) => _inner.Message(text);

    /// <inheritdoc />
    public void JobsSkipped(int count) => _inner.JobsSkipped(count);

    /// <inheritdoc />
    public void RunOpened(RunSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _inner.RunOpened(session);
        lock (_gate)
        {
            _session = session;
            _indexRun = true;
            _ordinals = session.Plan.AllJobs.Select((j, i) => (j.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
            _planned = session.Plan.AllJobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
        }
    }

    /// <summary>Writes what is pending and records the run's final manifest stamp, so the next listing trusts the catalog.</summary>
    public void Complete()
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Flush(final: true);
    }

    /// <summary>Writes pending transitions to the catalog.</summary>
    public void Flush() => Flush(final: false);

    private void Flush(bool final)
    {
        lock (_flushGate)
        {
            RunSession? session;
            Dictionary<string, JobStatus> pending;
            bool indexRun;
            lock (_gate)
            {
                session = _session;
                if (_failed || session is null) return;
                // Taken before the run's files are read: what is read is then at least as new as every update taken.
                pending = _pending;
                _pending = new(StringComparer.Ordinal);
                indexRun = _indexRun;
                _indexRun = false;
            }
            try
            {
                Write(session, pending, indexRun, final);
            }
#pragma warning disable CA1031 // the catalog must never break a run: any failure is reported once and ends its updates
            catch (Exception e)
#pragma warning restore CA1031
            {
                lock (_gate) _failed = true;
                try
                {
                    session.Log.Write("CATALOG_WARNING", $"the catalog ({CatalogStore.PathFor(_root)}) is not updated during this run: {e.Message}",
                        "the run's files are unaffected; 'expt ls' or 'expt reindex' brings the catalog up to date from them");
                }
                catch (IOException)
                {
                }
                _store?.Dispose();
                _store = null;
            }
        }
    }

    private void Write(RunSession session, Dictionary<string, JobStatus> pending, bool indexRun, bool final)
    {
        if (pending.Count == 0 && !indexRun && !final) return;
        if (_store is null)
        {
            _store = CatalogStore.OpenExisting(_root);
            // A catalog that does not exist yet (or that was just started afresh, or is only in memory because its
            // file is not Expt's) is built whole by the next listing; there is nothing to keep current.
            if (_store is null || _store.NeedsFullIndex)
            {
                lock (_gate) _failed = true;
                _store?.Dispose();
                _store = null;
                return;
            }
        }
        var location = CatalogIndexer.LocationKey(_root, session.Directory);
        using var writer = new CatalogWriter(_store.Connection);
        if (indexRun)
        {
            foreach (var run in CatalogIndexer.Read(_root, [session.Directory], out _)) writer.ReplaceRun(run);
        }
        var runId = writer.FindRun(location);
        if (runId is null)
        {
            var head = RunReader.ReadManifest(session.Directory, out _);
            if (head is null) return;
            runId = writer.UpsertRunFields(CatalogIndexer.ToRun(_root, session.Directory, "", head.Value with { Archive = null }, null));
        }
        foreach (var status in pending.Values)
        {
            // Every job a runner reports is planned; the plan gives the line and the configuration the catalog keeps.
            if (_planned!.GetValueOrDefault(status.Id) is not { } job) continue;
            var dir = session.JobDirectory(job);
            var metrics = status.State.IsFinished() && Directory.Exists(dir) ? MetricsReader.Read(dir, RunReader.CollectedPaths(_root, status.Collected)) : JobMetrics.Empty;
            var ordinal = _ordinals!.GetValueOrDefault(job.Id, int.MaxValue);
            writer.UpsertJob(runId.Value, CatalogIndexer.FromStatus(ManifestEntries.For(job, status), status, ordinal, job.Config.Select(kv => CatalogValue.FromParam(kv.Key, kv.Value)), metrics));
        }
        if (final)
        {
            // The run is closed: its manifest is final, and the catalog now says what it says.
            var stamp = RunStamp.Of(session.Directory);
            var head = RunReader.ReadManifest(session.Directory, out _);
            if (head is not null) writer.UpsertRunFields(CatalogIndexer.ToRun(_root, session.Directory, stamp, head.Value with { Archive = null }, null));
        }
        else
        {
            // The files may still lag the catalog by a manifest flush; if they change after this stamp, the next
            // listing re-reads the run from them, and if they do not, the catalog already says at least what they say.
            writer.UpdateStamp(runId.Value, RunStamp.Of(session.Directory));
        }
        writer.Commit();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer.Dispose();
        _store?.Dispose();
    }
}
