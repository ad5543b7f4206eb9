using System.Security.Cryptography;
using System.Text;
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

/// <summary>What resuming a run starts from.</summary>
/// <param name="Directory">The run directory.</param>
/// <param name="Manifest">The run's manifest as read.</param>
/// <param name="CommandLine">The resuming command line.</param>
/// <param name="Current">
/// Git provenance of the code now; jobs run by the session get its commit, and the manifest notes it when it differs.
/// Null keeps the run's own.
/// </param>
public sealed record RunResumeInfo(string Directory, RunManifest Manifest, string CommandLine, GitInfo? Current = null);

/// <summary>Creating a run directory and opening an existing one to resume it.</summary>
public sealed partial class RunSession
{
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
        var now = time.GetLocalNow();
        var baseId = info.RunId ?? $"{Timestamps.RunId(now)}_{gitInfo.Short}";
        var dir = Path.Combine(experimentDir, baseId);
        // Before anything is created: an experiment directory that is a link would put the new run outside the root.
        if (RunLinks.InRun(dir) is { } linked) throw new IOException(linked);
        var experimentExisted = System.IO.Directory.Exists(experimentDir);
        System.IO.Directory.CreateDirectory(experimentDir);
        for (var n = 2; !RunDirectoryClaim.TryClaim(dir); n++)
        {
            if (info.RunId is not null) throw new IOException($"run '{info.RunId}' already exists at {dir}; use --resume {dir} to continue it");
            dir = Path.Combine(experimentDir, $"{baseId}-{n}");
        }
        RunLock? runLock = null;
        ManifestStore? store = null;
        try
        {
            runLock = RunLock.TryAcquire(dir, out _) ?? throw new IOException($"cannot lock the new run {dir}");
            // First, so that a disk without room for the run's own records refuses the run before anything else is written.
            RunReserve.Take(dir, RunReserve.SizeFor(plan.AllJobs.Count));
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
                SpecNotes = definition.Notes,
                Created = time.GetUtcNow(),
                Updated = time.GetUtcNow(),
                Jobs = plan.AllJobs.Select(j => selected.Contains(j.Id) ? ManifestEntries.New(j) : ManifestEntries.New(j) with { Selected = false }).ToList(),
            };
            var faults = new WriteFaults();
            store = new ManifestStore(dir, manifest, time, faults);
            // RUN_START through a log that throws: a run whose log cannot be started is not created.
            var log = new RunLog(dir, time);
            var selection = plan.Jobs.Count == plan.AllJobs.Count ? "" : $" ({plan.Jobs.Count} of {plan.AllJobs.Count} selected)";
            log.Write("RUN_START", $"{definition.Name} run {manifest.RunId}: {plan.Jobs.Select(j => j.Variant.Name).Distinct().Count()} variants, {plan.AllJobs.Count} jobs{selection}",
                $"git {gitInfo.Commit}{(gitInfo.Dirty ? " (dirty, see git.diff)" : "")} branch {gitInfo.Branch ?? "-"}; command: {info.CommandLine}");
            return new RunSession(StoreFor(dir, runLock, store, faults, plan, time), plan, gitInfo, time);
        }
        catch (Exception e) when (WriteFault.IsWriteFailure(e))
        {
            store?.Dispose();
            runLock?.Dispose();
            // No job can have started: the half-made run goes, so that a refused run leaves nothing behind.
            RunDirectoryClaim.Remove(dir, experimentExisted ? null : experimentDir);
            if (e.Message.StartsWith("cannot lock", StringComparison.Ordinal)) throw;
            throw new IOException($"{WriteFault.From(null, e).Describe()}; the run was not created", e);
        }
    }

    /// <summary>
    /// Opens an existing run to resume it; null with a reason when another runner holds it, or when a place it would write
    /// is a symbolic link (<see cref="RunLinks"/>: the run's own folders and files, every job directory of the manifest and
    /// the plan).
    /// </summary>
    /// <param name="resume">The run, its manifest as read, and how it is resumed.</param>
    /// <param name="plan">The plan being resumed.</param>
    /// <param name="time">The clock.</param>
    /// <param name="problem">Why the run cannot be opened.</param>
    public static RunSession? Open(RunResumeInfo resume, Plan plan, TimeProvider time, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(resume);
        ArgumentNullException.ThrowIfNull(plan);
        var (directory, manifest, commandLine, current) = resume;
        ArgumentNullException.ThrowIfNull(manifest);
        // Every place this session may write, looked at once now rather than on every write.
        problem = RunLinks.InRun(directory) ?? RunLinks.InJobs(directory, manifest.Jobs.Select(j => j.Dir).Concat(plan.AllJobs.Select(j => j.RelativeDirectory)));
        if (problem is not null) return null;
        var runLock = RunLock.TryAcquire(directory, out var holder);
        if (runLock is null)
        {
            problem = $"the run is in use by another runner ({holder}); wait for it or stop it first";
            return null;
        }
        problem = null;
        var git = current ?? manifest.Git;
        var changed = current is not null && (current.Commit != manifest.Git.Commit || current.Dirty);
        var resumedWith = changed ? [.. manifest.ResumedWith ?? [], git] : manifest.ResumedWith;
        var faults = new WriteFaults();
        ManifestStore store;
        try
        {
            RunReserve.Take(directory, RunReserve.SizeFor(plan.AllJobs.Count));
            var planned = plan.AllJobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
            var selected = plan.Jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
            // A job the spec no longer plans (a resume with --force) is dropped if it never ran, else kept as a result
            // and marked retired; a job planned again is no longer retired; one left out that no runner selected is marked so.
            var jobs = manifest.Jobs
                .Where(j => planned.Contains(j.Id) || j.Attempts > 0 || j.State.IsFinished() && j.State != JobState.Blocked)
                .Select(j => !planned.Contains(j.Id) ? Retire(directory, j, time) : selected.Contains(j.Id) ? j with { Retired = null } : JobSelection.Unselected(directory, j with { Retired = null }))
                .ToList();
            var known = jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
            jobs.AddRange(plan.AllJobs.Where(j => !known.Contains(j.Id)).Select(j => selected.Contains(j.Id) ? ManifestEntries.New(j) : ManifestEntries.New(j) with { Selected = false }));
            store = new ManifestStore(directory, manifest with { Jobs = jobs, CommandLine = commandLine, Resumes = manifest.Resumes + 1, Ended = null, ResumedWith = resumedWith }, time, faults);
        }
        catch (Exception e) when (WriteFault.IsWriteFailure(e))
        {
            runLock.Dispose();
            problem = $"{WriteFault.From(null, e).Describe()}; nothing was run (free space, then resume again)";
            return null;
        }
        var session = new RunSession(StoreFor(directory, runLock, store, faults, plan, time), plan, git, time);
        if (changed)
        {
            session.Log.Write("RUN_GIT_CHANGED", $"resuming with commit {git.Commit}{(!git.Dirty ? "" : git.Diff is null ? " (dirty)" : $" (dirty, see {git.Diff})")}; the run was created at {manifest.Git.Commit}",
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
        var path = RunFiles.StatusPath(RunFiles.JobDirectory(directory, job.Dir));
        if (JsonFiles.TryRead<JobStatus>(path) is { } status)
        {
            JsonFiles.Write(path, status with { State = JobState.Cancelled, Reason = Reason, EndedAt = status.EndedAt ?? time.GetUtcNow() });
        }
        return job with { Retired = true, State = JobState.Cancelled };
    }

    private static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
