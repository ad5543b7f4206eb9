using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Planning;
using Expt.Specs;

namespace Expt.Recording;

/// <summary>
/// A run directory opened by one runner for a plan: a <see cref="RunStore"/> (the run lock, the manifest store, run.log,
/// the reserve of <see cref="RunReserve"/> and every job's status.json), with the plan being run, its git provenance and
/// the clock. It maps each planned job to its manifest line and writes the jobs' config.json. Every record is written
/// atomically (config.json, which only its job reads, in place). A failed write of a status, the manifest or run.log
/// does not throw: it is kept in <see cref="Faults"/> and what it would have written stays in memory, written again by
/// <see cref="RetryUnsaved"/> and the manifest's completion.
/// </summary>
public sealed partial class RunSession : IDisposable
{
    private readonly WriteFaults _faults;

    private RunSession(RunStore store, Plan plan, GitInfo git, TimeProvider time)
    {
        Store = store;
        Plan = plan;
        Git = git;
        Time = time;
        _faults = store.Faults ?? throw new ArgumentException("a runner's store reports failed writes", nameof(store));
    }

    /// <summary>The run directory's store, which every record of this session goes through.</summary>
    public RunStore Store { get; }

    /// <summary>Absolute run directory.</summary>
    public string Directory => Store.Directory;

    /// <summary>The run id (the directory's name).</summary>
    public string RunId => Store.RunId;

    /// <summary>The plan being run.</summary>
    public Plan Plan { get; }

    /// <summary>The manifest store.</summary>
    public ManifestStore Manifest => Store.Manifest;

    /// <summary>run.log.</summary>
    public RunLog Log => Store.Log;

    /// <summary>Git provenance of the run.</summary>
    public GitInfo Git { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Failed writes of the run's records; executors stop starting jobs once there is one.</summary>
    public WriteFaults Faults => _faults;

    /// <summary>The first write of the run's records that failed, if any.</summary>
    public WriteFault? Fault => Faults.First;

    /// <summary>True when every status, run.log entry and manifest change recorded so far is in the files.</summary>
    public bool IsSaved => Store.IsSaved;

    /// <summary>The absolute directory of a job.</summary>
    public string JobDirectory(PlannedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return RunFiles.JobDirectory(Directory, job.RelativeDirectory);
    }

    /// <summary>The job's status as last written (read from disk once).</summary>
    public JobStatus? Status(PlannedJob job) => Store.Recorded(ManifestEntries.New(job));

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

    /// <summary>Writes config.json (in place): every resolved param and cell value, plus <c>output_dir</c>.</summary>
    public string WriteConfig(PlannedJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var dir = JobDirectory(job);
        System.IO.Directory.CreateDirectory(dir);
        var path = RunFiles.ConfigPath(dir);
        var values = job.Config.Append(KeyValuePair.Create("output_dir", (JsonNode?)JsonValue.Create(dir)));
        // In place, not temp-and-rename: only the job reads it, after this write, and every start writes it again.
        File.WriteAllText(path, ParamValues.ToIndentedJson(values));
        return path;
    }

    /// <summary>
    /// Records a job's new status: status.json (atomic), the manifest (the line of the job as planned now), and nothing
    /// else. A status.json that cannot be written is reported in <see cref="Faults"/> and written by
    /// <see cref="RetryUnsaved"/>; the manifest has it meanwhile. Returns the status as recorded (a job's end with
    /// its <see cref="JobStatus.OutputBytes"/>, see <see cref="RunStore.Record"/>).
    /// </summary>
    public JobStatus Record(PlannedJob job, JobStatus status) => Store.Record(ManifestEntries.New(job), status);

    /// <summary>Writes the status files whose last write failed; true when none is left unwritten.</summary>
    public bool RetryUnsaved() => Store.RetryUnsaved();

    /// <summary>Gives back the space kept for recording the end of the run (see <see cref="RunReserve"/>).</summary>
    public void GiveBackReserve() => Store.GiveBackReserve();

    /// <summary>
    /// The store of a runner: every job of the manifest, the ones this session selected with their line as planned now,
    /// so that records made through the store by job id (SLURM tracking) give the lines <see cref="Record"/> gives.
    /// </summary>
    private static RunStore StoreFor(string directory, RunLock runLock, ManifestStore manifest, WriteFaults faults, Plan plan, TimeProvider time)
    {
        var selected = plan.Jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
        var jobs = manifest.Current.Jobs.Select(j => selected.TryGetValue(j.Id, out var planned) ? ManifestEntries.New(planned) : j).ToList();
        return new RunStore(directory, runLock, manifest, new RunLog(directory, time, faults), faults, jobs) { HoldsReserve = true };
    }

    /// <inheritdoc />
    public void Dispose() => Store.Dispose();
}
