using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Planning;
using Expt.Specs;

namespace Expt.Recording;

/// <summary>What a new run records about how it was started.</summary>
/// <param name="ResultsRoot">Absolute results root.</param>
/// <param name="RunId">An explicit run id (<c>--run-id</c>), or null for <c>{timestamp}_{git7}</c>.</param>
/// <param name="CommandLine">The command line, for the manifest.</param>
/// <param name="Executor">The executor's name.</param>
public sealed record RunStartInfo(string ResultsRoot, string? RunId, string CommandLine, string Executor = "local");

/// <summary>
/// A run directory opened by one runner: it holds the run lock, the manifest store and run.log, and writes
/// each job's config.json and status.json. Every write is atomic.
/// </summary>
public sealed class RunSession : IDisposable
{
    private readonly RunLock _lock;
    private readonly Dictionary<string, JobStatus> _statuses = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    private RunSession(string directory, Plan plan, RunLock runLock, ManifestStore store, RunLog log, GitInfo git, TimeProvider time)
    {
        Directory = directory;
        Plan = plan;
        _lock = runLock;
        Manifest = store;
        Log = log;
        Git = git;
        Time = time;
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

    /// <summary>Creates a new run directory for <paramref name="plan"/>; fails if an explicit run id exists already.</summary>
    public static async Task<RunSession> CreateAsync(Plan plan, RunStartInfo info, IGitProvenance git, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(git);
        var definition = plan.Definition;
        var gitInfo = await git.DescribeAsync(definition.WorkingDirectory, cancellationToken).ConfigureAwait(false);
        // Taken before the run directory exists, so the run's own new files are never among the untracked ones.
        var diff = gitInfo.Dirty ? await git.DiffAsync(definition.WorkingDirectory, cancellationToken).ConfigureAwait(false) : null;
        var experimentDir = Path.Combine(info.ResultsRoot, definition.Name);
        System.IO.Directory.CreateDirectory(experimentDir);
        var now = time.GetLocalNow();
        var baseId = info.RunId ?? $"{Timestamps.RunId(now)}_{gitInfo.Short}";
        var dir = Path.Combine(experimentDir, baseId);
        for (var n = 2; !TryCreateExclusive(dir); n++)
        {
            if (info.RunId is not null) throw new IOException($"run '{info.RunId}' already exists at {dir}; use --resume {dir} to continue it");
            dir = Path.Combine(experimentDir, $"{baseId}-{n}");
        }
        var runLock = RunLock.TryAcquire(dir, out _) ?? throw new IOException($"cannot lock the new run {dir}");
        try
        {
            var specYaml = SpecWriter.ToYaml(definition);
            AtomicFile.WriteAllText(Path.Combine(dir, "spec.yaml"), specYaml);
            if (File.Exists(definition.SourcePath))
            {
                File.Copy(definition.SourcePath, Path.Combine(dir, ".expt", "spec.original" + Path.GetExtension(definition.SourcePath)), overwrite: true);
            }
            if (diff is not null) AtomicFile.WriteAllText(Path.Combine(dir, "git.diff"), diff);
            var selected = plan.Jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
            var manifest = new RunManifest
            {
                Experiment = definition.Name,
                RunId = Path.GetFileName(dir),
                Git = gitInfo,
                Host = Environment.MachineName,
                User = Environment.UserName,
                CommandLine = info.CommandLine,
                SpecPath = definition.SourcePath,
                SpecHash = Hash(specYaml),
                ExptVersion = typeof(RunSession).Assembly.GetName().Version?.ToString(3),
                Executor = info.Executor,
                Question = definition.Question,
                Created = time.GetUtcNow(),
                Updated = time.GetUtcNow(),
                Jobs = plan.AllJobs.Select(j => selected.Contains(j.Id) ? NewEntry(j) : NewEntry(j) with { Selected = false }).ToList(),
            };
            var store = new ManifestStore(dir, manifest, time);
            var log = new RunLog(dir, time);
            var selection = plan.Jobs.Count == plan.AllJobs.Count ? "" : $" ({plan.Jobs.Count} of {plan.AllJobs.Count} selected)";
            log.Write("RUN_START", $"{definition.Name} run {manifest.RunId}: {plan.Jobs.Select(j => j.Variant.Name).Distinct().Count()} variants, {plan.AllJobs.Count} jobs{selection}",
                $"git {gitInfo.Commit}{(gitInfo.Dirty ? " (dirty, see git.diff)" : "")} branch {gitInfo.Branch ?? "-"}; command: {info.CommandLine}");
            return new RunSession(dir, plan, runLock, store, log, gitInfo, time);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>Opens an existing run to resume it; null with a reason when another runner holds it.</summary>
    /// <param name="directory">The run directory.</param>
    /// <param name="plan">The plan being resumed.</param>
    /// <param name="manifest">The run's manifest as read.</param>
    /// <param name="commandLine">The resuming command line.</param>
    /// <param name="time">The clock.</param>
    /// <param name="problem">Why the run cannot be opened.</param>
    /// <param name="current">Git provenance of the code now; jobs run by this session get its commit, and the manifest notes it when it differs.</param>
    public static RunSession? Open(string directory, Plan plan, RunManifest manifest, string commandLine, TimeProvider time, out string? problem, GitInfo? current = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(manifest);
        var runLock = RunLock.TryAcquire(directory, out var holder);
        if (runLock is null)
        {
            problem = $"the run is in use by another runner ({holder}); wait for it or stop it first";
            return null;
        }
        problem = null;
        var planned = plan.AllJobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        var selected = plan.Jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        // A job the spec no longer plans (a resume with --force) is dropped if it never ran, else kept as a result
        // and marked retired; a job planned again is no longer retired; one left out that no runner selected is marked so.
        var jobs = manifest.Jobs
            .Where(j => planned.Contains(j.Id) || j.Attempts > 0 || j.State.IsFinished() && j.State != JobState.Blocked)
            .Select(j => !planned.Contains(j.Id) ? Retire(directory, j, time) : selected.Contains(j.Id) ? j with { Retired = null } : JobSelection.Unselected(directory, j with { Retired = null }))
            .ToList();
        var known = jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        jobs.AddRange(plan.AllJobs.Where(j => !known.Contains(j.Id)).Select(j => selected.Contains(j.Id) ? NewEntry(j) : NewEntry(j) with { Selected = false }));
        var git = current ?? manifest.Git;
        var changed = current is not null && (current.Commit != manifest.Git.Commit || current.Dirty);
        var resumedWith = changed ? [.. manifest.ResumedWith ?? [], git] : manifest.ResumedWith;
        var store = new ManifestStore(directory, manifest with { Jobs = jobs, CommandLine = commandLine, Resumes = manifest.Resumes + 1, Ended = null, ResumedWith = resumedWith }, time);
        var log = new RunLog(directory, time);
        var session = new RunSession(directory, plan, runLock, store, log, git, time);
        if (changed)
        {
            log.Write("RUN_GIT_CHANGED", $"resuming with commit {git.Commit}{(git.Dirty ? " (dirty)" : "")}; the run was created at {manifest.Git.Commit}",
                "jobs run from now on get the new commit in EXPT_GIT_COMMIT and in their status.json");
        }
        return session;
    }

    /// <summary>
    /// Marks a job no longer planned as retired. One that had not finished (its runner died, then a forced resume
    /// dropped it) would otherwise read as running or queued for ever: it is recorded cancelled.
    /// </summary>
    private static ManifestJob Retire(string directory, ManifestJob job, TimeProvider time)
    {
        if (job.State.IsFinished()) return job with { Retired = true };
        const string Reason = "no longer planned (a resume with --force dropped it) before it finished";
        var path = Path.Combine(directory, job.Dir, JobStatus.FileName);
        if (JsonFiles.TryRead<JobStatus>(path) is { } status)
        {
            JsonFiles.Write(path, status with { State = JobState.Cancelled, Reason = Reason, EndedAt = status.EndedAt ?? time.GetUtcNow() });
        }
        return job with { Retired = true, State = JobState.Cancelled };
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

    /// <summary>Records a job's new status: status.json (atomic), the manifest, and nothing else.</summary>
    public void Record(PlannedJob job, JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(status);
        var dir = JobDirectory(job);
        System.IO.Directory.CreateDirectory(dir);
        JsonFiles.Write(Path.Combine(dir, JobStatus.FileName), status);
        lock (_gate) _statuses[job.Id] = status;
        Manifest.Update(ToEntry(job, status));
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

    private static bool TryCreateExclusive(string dir)
    {
        if (System.IO.Directory.Exists(dir))
        {
            if (!IsAbandoned(dir)) return false;
            // A runner killed while creating the run never wrote its manifest, so no job of it can have started.
            System.IO.Directory.Delete(dir, recursive: true);
        }
        System.IO.Directory.CreateDirectory(dir);
        // Two runners starting in the same second both see no directory; the marker file settles who owns it.
        var marker = Path.Combine(dir, ".expt");
        try
        {
            System.IO.Directory.CreateDirectory(marker);
            using var claim = new FileStream(Path.Combine(marker, "created"), FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool IsAbandoned(string dir) =>
        !ResultsRoot.IsRun(dir)
        && File.Exists(Path.Combine(dir, ".expt", "created"))
        && !RunLock.IsHeld(dir)
        && System.IO.Directory.EnumerateFileSystemEntries(dir).All(e => Path.GetFileName(e) is ".expt" or "spec.yaml" or "git.diff");

    private static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <inheritdoc />
    public void Dispose()
    {
        Manifest.Dispose();
        _lock.Dispose();
    }
}
