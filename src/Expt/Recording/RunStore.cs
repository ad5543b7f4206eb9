using System.Text.Json;

namespace Expt.Recording;

/// <summary>
/// The one writer of a run directory: it holds the run lock, the manifest store and run.log, and records each job's
/// status (status.json, atomic, and the manifest line <see cref="ManifestEntries.With"/> makes of it). It needs no plan:
/// the runner's <see cref="RunSession"/> works through one, and so do SLURM tracking, <c>expt status</c>,
/// <c>cancel</c> and <c>watch</c>, which open one with <see cref="TryOpen"/>. Thread-safe.
/// </summary>
/// <remarks>
/// With <see cref="Faults"/> (a runner's store), a status.json that cannot be written does not throw: it is reported
/// there and kept, written again by <see cref="RetryUnsaved"/>; the manifest has the status meanwhile. Without (a
/// command's store), a failed write throws, as the command has no jobs running to carry on for.
/// </remarks>
public sealed class RunStore : IDisposable
{
    private readonly RunLock _lock;
    private readonly Dictionary<string, ManifestJob> _byId;
    private readonly Dictionary<string, JobStatus> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ManifestJob> _unsaved = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly Lazy<HashSet<string>> _jobDirectories;

    /// <summary>A store over an opened run.</summary>
    /// <param name="directory">The run directory.</param>
    /// <param name="runLock">The run's lock, held by this store from now on.</param>
    /// <param name="manifest">The manifest store.</param>
    /// <param name="log">run.log.</param>
    /// <param name="faults">Where failed writes go; null when they throw.</param>
    /// <param name="jobs">The line of each job that its records are made from, in plan order.</param>
    internal RunStore(string directory, RunLock runLock, ManifestStore manifest, RunLog log, WriteFaults? faults, IReadOnlyList<ManifestJob> jobs)
    {
        Directory = directory;
        _lock = runLock;
        Manifest = manifest;
        Log = log;
        Faults = faults;
        Jobs = jobs;
        _byId = jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
        // Every job's directory, so a job's measure leaves out the jobs nested in it (a merge job's shards).
        _jobDirectories = new(() => jobs.Select(j => Path.TrimEndingDirectorySeparator(RunFiles.JobDirectory(directory, j.Dir))).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Absolute run directory.</summary>
    public string Directory { get; }

    /// <summary>The run id (the directory's name).</summary>
    public string RunId => Path.GetFileName(Directory);

    /// <summary>The manifest store.</summary>
    public ManifestStore Manifest { get; }

    /// <summary>run.log.</summary>
    public RunLog Log { get; }

    /// <summary>Failed writes of the run's records; null when a failed write throws instead.</summary>
    public WriteFaults? Faults { get; }

    /// <summary>Every job of the run, in plan order (needs before dependants), as the store was opened with them.</summary>
    public IReadOnlyList<ManifestJob> Jobs { get; }

    /// <summary>True when this store took the run's reserve (<see cref="RunReserve"/>) and gives it back when disposed.</summary>
    internal bool HoldsReserve { get; init; }

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

    /// <summary>
    /// Opens a run for writing without its plan; null with the reason when another process holds it, it is not a run, or
    /// a place it may write is a symbolic link (<see cref="RunLinks"/>). The manifest is read once, with its journal.
    /// A failed write of the returned store throws.
    /// </summary>
    public static RunStore? TryOpen(string runDirectory, TimeProvider time, out string? problem)
    {
        RunManifest? manifest;
        try
        {
            manifest = ManifestStore.Read(runDirectory);
        }
        catch (JsonException e)
        {
            problem = $"{RunFiles.ManifestPath(runDirectory)} is not readable: {e.Message}";
            return null;
        }
        if (manifest is null)
        {
            problem = $"{runDirectory} has no {RunManifest.FileName}";
            return null;
        }
        // Every place the store may write, looked at once: status refreshes and cancels never write through a link.
        problem = RunLinks.InRun(runDirectory) ?? RunLinks.InJobs(runDirectory, manifest.Jobs.Select(j => j.Dir));
        if (problem is not null) return null;
        var runLock = RunLock.TryAcquire(runDirectory, out var holder);
        if (runLock is null)
        {
            problem = $"the run is in use by another process ({holder})";
            return null;
        }
        problem = null;
        return new RunStore(runDirectory, runLock, new ManifestStore(runDirectory, manifest, time), new RunLog(runDirectory, time), null, manifest.Jobs);
    }

    /// <summary>Looks a job up.</summary>
    public ManifestJob? Find(string jobId) => _byId.GetValueOrDefault(jobId);

    /// <summary>The absolute directory of a job.</summary>
    public string JobDirectory(ManifestJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return RunFiles.JobDirectory(Directory, job.Dir);
    }

    /// <summary>The job's status as last recorded (its status.json is read once); null when it has none.</summary>
    public JobStatus? Recorded(ManifestJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            if (_statuses.TryGetValue(job.Id, out var known)) return known;
        }
        var read = RunFiles.ReadStatus(JobDirectory(job));
        if (read is null) return null;
        lock (_gate)
        {
            // A status recorded while the file was read is newer than what the file said.
            return _statuses.TryAdd(job.Id, read) ? read : _statuses[job.Id];
        }
    }

    /// <summary>The job's current status: as last recorded, or a fresh <c>pending</c> one when it has none.</summary>
    public JobStatus Status(ManifestJob job) => Recorded(job) ?? ManifestEntries.PendingStatus(job);

    /// <summary>
    /// Records a job's new status: its status.json (atomic) and its manifest line, made from <paramref name="job"/>.
    /// The status of a job that ran and reaches its final state here gets <see cref="JobStatus.OutputBytes"/>, measured
    /// once (<see cref="WithOutputBytes"/>); returns the status as recorded.
    /// </summary>
    public JobStatus Record(ManifestJob job, JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        status = WithOutputBytes(job, status);
        lock (_gate) _statuses[job.Id] = status;
        var saved = TryWriteStatus(job, status);
        lock (_gate)
        {
            if (saved) _unsaved.Remove(job.Id);
            else _unsaved[job.Id] = job;
        }
        Manifest.Update(ManifestEntries.With(job, status));
        return status;
    }

    /// <summary>
    /// <paramref name="status"/> with the bytes under the job's directory when it is the end of a job that ran, measured
    /// here because every executor's end of a job (the local runner's, SLURM tracking's, a resume's recovery) is recorded
    /// through this store. Measured once: a job recorded again in the same final state keeps its first measure.
    /// </summary>
    private JobStatus WithOutputBytes(ManifestJob job, JobStatus status)
    {
        if (!status.State.IsFinished() || status.OutputBytes is not null || status.Attempts.Count == 0) return status;
        JobStatus? before;
        lock (_gate) before = _statuses.GetValueOrDefault(job.Id);
        if (before is not null && before.State.IsFinished() && before.Attempts.Count == status.Attempts.Count)
        {
            return status with { OutputBytes = before.OutputBytes };
        }
        return status with { OutputBytes = JobOutputSize.Measure(JobDirectory(job), _jobDirectories.Value) };
    }

    /// <summary>Writes the status files whose last write failed; true when none is left unwritten.</summary>
    public bool RetryUnsaved()
    {
        List<(ManifestJob Job, JobStatus Status)> unsaved;
        lock (_gate)
        {
            if (_unsaved.Count == 0) return true;
            unsaved = _unsaved.Values.Select(j => (j, _statuses[j.Id])).ToList();
        }
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

    private bool TryWriteStatus(ManifestJob job, JobStatus status)
    {
        var path = RunFiles.StatusPath(JobDirectory(job));
        try
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Internal.JsonFiles.Write(path, status);
            return true;
        }
        catch (Exception e) when (Faults is not null && WriteFault.IsWriteFailure(e))
        {
            Faults.Report(path, e);
            return false;
        }
    }

    /// <summary>Flushes the manifest, gives the reserve back when this store took it, and releases the run lock.</summary>
    public void Dispose()
    {
        Manifest.Dispose();
        if (HoldsReserve) RunReserve.GiveBack(Directory);
        _lock.Dispose();
    }
}
