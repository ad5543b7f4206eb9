using System.Text;
using System.Text.Json;
using Expt.Internal;

namespace Expt.Recording;

/// <summary>
/// Keeps manifest.json current without rewriting it per transition: each change is appended as one line to
/// <c>manifest.journal.jsonl</c> (flushed at least every <see cref="FlushInterval"/>), and the manifest is
/// rewritten only when the journal outgrows it and when the run ends. Readers replay the journal onto the
/// manifest, so the cost per transition stays constant however large the sweep. With a <see cref="WriteFaults"/>, a
/// failed write is reported there and what it would have written is kept, to be written by the next flush or
/// <see cref="Complete"/>; readers meanwhile see the files as they were before it, never half of a change.
/// </summary>
public sealed class ManifestStore : IDisposable
{
    /// <summary>The journal's file name.</summary>
    public const string JournalFileName = "manifest.journal.jsonl";

    /// <summary>How stale the files may be while a run goes.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(500);

    private readonly object _gate = new();
    private readonly string _runDir;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, int> _index;
    private readonly List<ManifestJob> _jobs;
    private readonly StringBuilder _pending = new();
    private readonly ITimer _timer;
    private readonly WriteFaults? _faults;
    private RunManifest _manifest;
    private int _journalLines;
    private bool _disposed;
    private bool _completeUnwritten;

    /// <summary>Starts a store for <paramref name="manifest"/>, writing it in full once (a failure of that first write throws).</summary>
    /// <param name="runDir">The run directory.</param>
    /// <param name="manifest">The manifest as it is now.</param>
    /// <param name="time">The clock.</param>
    /// <param name="faults">Where later failed writes are reported instead of thrown (the timer's flushes never throw).</param>
    public ManifestStore(string runDir, RunManifest manifest, TimeProvider time, WriteFaults? faults = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        _runDir = runDir;
        _time = time;
        _faults = faults;
        _manifest = manifest;
        _jobs = manifest.Jobs.ToList();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _jobs.Count; i++) _index[_jobs[i].Id] = i;
        WriteManifest();
        _timer = time.CreateTimer(_ => FlushQuietly(), null, FlushInterval, FlushInterval);
    }

    /// <summary>True when the files hold every change recorded (and the end, once <see cref="Complete"/> was called).</summary>
    public bool IsCurrent
    {
        get
        {
            lock (_gate) return _pending.Length == 0 && !_completeUnwritten;
        }
    }

    /// <summary>The manifest as it is now.</summary>
    public RunManifest Current
    {
        get
        {
            lock (_gate) return _manifest with { Jobs = _jobs.ToList(), Updated = _time.GetUtcNow() };
        }
    }

    /// <summary>Records a job's new state.</summary>
    public void Update(ManifestJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            if (_index.TryGetValue(job.Id, out var i)) _jobs[i] = job;
            else
            {
                _index[job.Id] = _jobs.Count;
                _jobs.Add(job);
            }
            _pending.Append(JsonFiles.Serialize(job, JsonFiles.Compact)).Append('\n');
            _journalLines++;
        }
    }

    /// <summary>Looks a job up.</summary>
    public ManifestJob? Find(string id)
    {
        lock (_gate) return _index.TryGetValue(id, out var i) ? _jobs[i] : null;
    }

    /// <summary>Appends pending journal lines; compacts when the journal has grown past the manifest's size.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_disposed) return;
            if (_completeUnwritten)
            {
                TryWrite(RunFiles.ManifestPath(_runDir), WriteManifest);
                return;
            }
            if (_pending.Length == 0) return;
            if (_journalLines > Math.Max(256, 4 * _jobs.Count))
            {
                TryWrite(RunFiles.ManifestPath(_runDir), WriteManifest);
                return;
            }
            var path = RunFiles.JournalPath(_runDir);
            TryWrite(path, () =>
            {
                // Unbuffered, so that a failed write surfaces here and the part of it that did land can be cut off again:
                // the lines are appended again, whole, by the next flush.
                using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                var start = stream.Length;
                try
                {
                    stream.Write(Encoding.UTF8.GetBytes(_pending.ToString()));
                }
                catch (IOException)
                {
                    stream.SetLength(start);
                    throw;
                }
                _pending.Clear();
            });
        }
    }

    /// <summary>Writes the final manifest and removes the journal.</summary>
    public void Complete(DateTimeOffset ended)
    {
        lock (_gate)
        {
            _manifest = _manifest with { Ended = ended };
            _completeUnwritten = true;
            TryWrite(RunFiles.ManifestPath(_runDir), WriteManifest);
        }
    }

    private void TryWrite(string path, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (_faults is not null && WriteFault.IsWriteFailure(e))
        {
            _faults.Report(path, e);
        }
    }

    /// <summary>The timer's flush: a failure leaves the lines pending for the next one, and must not end the process.</summary>
    private void FlushQuietly()
    {
        try
        {
            Flush();
        }
        catch (Exception e) when (WriteFault.IsWriteFailure(e))
        {
        }
    }

    private void WriteManifest()
    {
        _manifest = _manifest with { Jobs = _jobs.ToList(), Updated = _time.GetUtcNow() };
        JsonFiles.Write(RunFiles.ManifestPath(_runDir), _manifest, durable: true);
        // The manifest now holds everything the journal said; a crash before this delete only replays lines already applied.
        File.Delete(RunFiles.JournalPath(_runDir));
        _pending.Clear();
        _journalLines = 0;
        _completeUnwritten = false;
    }

    /// <summary>Reads a run's manifest with its journal replayed; null when there is none. Throws <see cref="JsonException"/> on a corrupt manifest.</summary>
    public static RunManifest? Read(string runDir)
    {
        var manifest = JsonFiles.Read<RunManifest>(RunFiles.ManifestPath(runDir));
        if (manifest is null) return null;
        if (manifest.SchemaVersion > RunManifest.CurrentSchemaVersion)
        {
            throw new JsonException($"{RunFiles.ManifestPath(runDir)} has schemaVersion {manifest.SchemaVersion}; this Expt reads up to {RunManifest.CurrentSchemaVersion}. Upgrade Expt.");
        }
        var journal = RunFiles.JournalPath(runDir);
        if (!File.Exists(journal)) return manifest;
        if (RegularFile.Problem(journal) is { } notRegular) throw new IOException($"{JournalFileName} {notRegular}");
        var jobs = manifest.Jobs.ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < jobs.Count; i++) index[jobs[i].Id] = i;
        using var reader = new StreamReader(new FileStream(journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            ManifestJob? job;
            try
            {
                job = JsonFiles.Deserialize<ManifestJob>(line, JsonFiles.Compact);
            }
            catch (JsonException)
            {
                continue; // a line cut short by a crash; the job's status.json still has the truth
            }
            if (job is null) continue;
            if (index.TryGetValue(job.Id, out var at)) jobs[at] = job;
            else
            {
                index[job.Id] = jobs.Count;
                jobs.Add(job);
            }
        }
        return manifest with { Jobs = jobs };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer.Dispose();
        Flush();
        lock (_gate) _disposed = true;
    }
}
