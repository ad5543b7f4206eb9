using System.Text.Json;
using Expt.Internal;

namespace Expt.Recording;

/// <summary>
/// Records straight into a run directory, for commands that have no plan (<c>expt status</c>, <c>watch</c>,
/// <c>cancel</c>). It holds the run lock while open, so only one process writes a run at a time.
/// </summary>
internal sealed class RunDirectoryRecorder : IRunRecorder, IDisposable
{
    private readonly RunLock _lock;
    private readonly Dictionary<string, ManifestJob> _jobs;
    private readonly Dictionary<string, JobStatus> _statuses = new(StringComparer.Ordinal);

    private RunDirectoryRecorder(string runDir, RunLock runLock, RunManifest manifest, TimeProvider time)
    {
        RunDirectory = runDir;
        _lock = runLock;
        Manifest = new ManifestStore(runDir, manifest, time);
        Log = new RunLog(runDir, time);
        Jobs = manifest.Jobs;
        RunId = manifest.RunId;
        _jobs = Jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
    }

    public string RunDirectory { get; }

    public string RunId { get; }

    public RunLog Log { get; }

    public ManifestStore Manifest { get; }

    public IReadOnlyList<ManifestJob> Jobs { get; }

    /// <summary>
    /// Opens a run for writing; null with the reason when another process holds it, it is not a run, or a place it may
    /// write is a symbolic link (<see cref="RunLinks"/>).
    /// </summary>
    public static RunDirectoryRecorder? TryOpen(string runDir, TimeProvider time, out string? problem)
    {
        RunManifest? manifest;
        try
        {
            manifest = ManifestStore.Read(runDir);
        }
        catch (JsonException e)
        {
            problem = $"{Path.Combine(runDir, RunManifest.FileName)} is not readable: {e.Message}";
            return null;
        }
        if (manifest is null)
        {
            problem = $"{runDir} has no {RunManifest.FileName}";
            return null;
        }
        // Every place a recorder may write, looked at once: status refreshes and cancels never write through a link.
        problem = RunLinks.InRun(runDir) ?? RunLinks.InJobs(runDir, manifest.Jobs.Select(j => j.Dir));
        if (problem is not null) return null;
        var runLock = RunLock.TryAcquire(runDir, out var holder);
        if (runLock is null)
        {
            problem = $"the run is in use by another process ({holder})";
            return null;
        }
        problem = null;
        return new RunDirectoryRecorder(runDir, runLock, manifest, time);
    }

    public ManifestJob? Find(string jobId) => _jobs.GetValueOrDefault(jobId);

    public JobStatus Status(ManifestJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_statuses.TryGetValue(job.Id, out var known)) return known;
        return _statuses[job.Id] = JsonFiles.TryRead<JobStatus>(Path.Combine(this.JobDirectory(job), JobStatus.FileName)) ?? Recorders.Fresh(job);
    }

    public void Record(ManifestJob job, JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        JsonFiles.Write(Path.Combine(this.JobDirectory(job), JobStatus.FileName), status);
        _statuses[job.Id] = status;
        Manifest.Update(Recorders.Entry(job, status));
    }

    public void Dispose()
    {
        Manifest.Dispose();
        _lock.Dispose();
    }
}
