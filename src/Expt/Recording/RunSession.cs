using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Planning;
using Expt.Specs;

namespace Expt.Recording;

/// <summary>
/// A run directory opened by one runner: it holds the run lock, the manifest store, run.log and the reserve
/// (<see cref="RunReserve"/>), and writes each job's config.json and status.json. Every write is atomic. A failed write
/// of a status, the manifest or run.log does not throw: it is kept in <see cref="Faults"/> and what it would have
/// written stays in memory, written again by <see cref="RetryUnsaved"/> and the manifest's completion.
/// </summary>
public sealed partial class RunSession : IDisposable
{
    private readonly RunLock _lock;
    private readonly Dictionary<string, JobStatus> _statuses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unsaved = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    private RunSession(string directory, Plan plan, RunLock runLock, ManifestStore store, RunLog log, GitInfo git, TimeProvider time, WriteFaults faults)
    {
        Directory = directory;
        Plan = plan;
        _lock = runLock;
        Manifest = store;
        Log = log;
        Git = git;
        Time = time;
        Faults = faults;
    }

    /// <summary>Absolute run directory.</summary>
    public string Directory { get; }

    /// <summary>The run id (the directory's name).</summary>
    public string RunId => Path.GetFileName(Directory);

    /// <summary>The plan being run.</summary>
    public Plan Plan { get; }

    /// <summary>The manifest store.</summary>
    public ManifestStore Manifest { get; }

    /// <summary>run.log.</summary>
    public RunLog Log { get; }

    /// <summary>Git provenance of the run.</summary>
    public GitInfo Git { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Failed writes of the run's records; executors stop starting jobs once there is one.</summary>
    public WriteFaults Faults { get; }

    /// <summary>The first write of the run's records that failed, if any.</summary>
    public WriteFault? Fault => Faults.First;

    /// <summary>True when every status, run.log entry and manifest change recorded so far is in the files.</summary>
    public bool IsSaved
    {
        get
        {
            lock (_gate)
            {
                if (_unsaved.Count > 0) return false;
            }
            return Log.IsCurrent && Manifest.IsCurrent;
        }
    }

    /// <summary>The absolute directory of a job.</summary>
    public string JobDirectory(PlannedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return Path.Combine(Directory, job.RelativeDirectory.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>The job's status as last written (read from disk once).</summary>
    public JobStatus? Status(PlannedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            if (_statuses.TryGetValue(job.Id, out var s)) return s;
        }
        var read = JsonFiles.TryRead<JobStatus>(Path.Combine(JobDirectory(job), JobStatus.FileName));
        if (read is not null)
        {
            lock (_gate) _statuses[job.Id] = read;
        }
        return read;
    }

    /// <summary>A fresh status for a job that has not run.</summary>
    public static JobStatus NewStatus(PlannedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobStatus
        {
            Id = job.Id,
            Variant = job.Variant.Name,
            Kind = job.Variant.Kind,
            Stage = job.Stage.Name,
            Cell = job.Cell.Count == 0 ? null : new JsonObject(job.Cell.Select(kv => KeyValuePair.Create(kv.Key, ParamValues.Clone(kv.Value)))),
            ShardIndex = job.ShardCount > 1 && !job.IsMerge ? job.ShardIndex : null,
            ShardCount = job.ShardCount > 1 ? job.ShardCount : null,
            Identity = job.Identity,
            State = JobState.Pending,
        };
    }

    /// <summary>Writes config.json: every resolved param and cell value, plus <c>output_dir</c>.</summary>
    public string WriteConfig(PlannedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var dir = JobDirectory(job);
        System.IO.Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "config.json");
        var values = job.Config.Append(KeyValuePair.Create("output_dir", (JsonNode?)JsonValue.Create(dir)));
        AtomicFile.WriteAllText(path, ParamValues.ToIndentedJson(values));
        return path;
    }

    /// <summary>
    /// Records a job's new status: status.json (atomic), the manifest, and nothing else. A status.json that cannot be
    /// written is reported in <see cref="Faults"/> and written by <see cref="RetryUnsaved"/>; the manifest has it meanwhile.
    /// </summary>
    public void Record(PlannedJob job, JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        lock (_gate) _statuses[job.Id] = status;
        var saved = TryWriteStatus(job, status);
        lock (_gate)
        {
            if (saved) _unsaved.Remove(job.Id);
            else _unsaved.Add(job.Id);
        }
        Manifest.Update(ToEntry(job, status));
    }

    /// <summary>Writes the status files whose last write failed; true when none is left unwritten.</summary>
    public bool RetryUnsaved()
    {
        List<(PlannedJob Job, JobStatus Status)> unsaved;
        lock (_gate)
        {
            if (_unsaved.Count == 0) return true;
        }
        lock (_gate) unsaved = Plan.AllJobs.Where(j => _unsaved.Contains(j.Id)).Select(j => (j, _statuses[j.Id])).ToList();
        foreach (var (job, status) in unsaved)
        {
            if (!TryWriteStatus(job, status)) continue;
            lock (_gate)
            {
                // Unless a newer status came meanwhile and failed in turn.
                if (ReferenceEquals(_statuses[job.Id], status)) _unsaved.Remove(job.Id);
            }
        }
        lock (_gate) return _unsaved.Count == 0;
    }

    /// <summary>Gives back the space kept for recording the end of the run (see <see cref="RunReserve"/>).</summary>
    public void GiveBackReserve() => RunReserve.GiveBack(Directory);

    private bool TryWriteStatus(PlannedJob job, JobStatus status)
    {
        var path = Path.Combine(JobDirectory(job), JobStatus.FileName);
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            JsonFiles.Write(path, status);
            return true;
        }
        catch (Exception e) when (WriteFault.IsWriteFailure(e))
        {
            Faults.Report(path, e);
            return false;
        }
    }

    /// <summary>The manifest line for a job in a given status.</summary>
    public static ManifestJob ToEntry(PlannedJob job, JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        return NewEntry(job) with
        {
            State = status.State,
            Attempts = status.Attempts.Count,
            ExitCode = status.ExitCode,
            Started = status.StartedAt,
            Ended = status.EndedAt,
            Executor = status.Attempts.Count > 0 ? status.Attempts[^1].Executor : null,
            Collected = status.Collected is { Count: > 0 } c ? c : null,
        };
    }

    private static ManifestJob NewEntry(PlannedJob job) => new()
    {
        Id = job.Id,
        Variant = job.Variant.Name,
        Kind = job.Variant.Kind,
        Stage = job.Stage.Name,
        Dir = job.RelativeDirectory,
        Identity = job.Identity,
        Needs = job.Needs.Count == 0 ? null : job.Needs,
        State = JobState.Pending,
    };


    /// <inheritdoc />
    public void Dispose()
    {
        Manifest.Dispose();
        RunReserve.GiveBack(Directory);
        _lock.Dispose();
    }
}
