using System.Globalization;
using Expt.Internal;
using Expt.Recording;
using Expt.Results;

namespace Expt.Archiving;

/// <summary>
/// Archives a run: copy what is kept into a temporary directory at the destination, verify every file (size and
/// SHA-256 re-read from the destination), rename it into place, write the <see cref="ArchivePointer"/> where the run
/// was, and only then delete the original. Any failure before the pointer leaves the original untouched and removes
/// the partial copy. The run lock is held throughout, so no runner can resume the run while it is being archived.
/// </summary>
public sealed class Archiver(IFileCopier copier, TimeProvider time)
{
    /// <summary>An archiver with the real file copier and clock.</summary>
    public Archiver()
        : this(FileCopier.Instance, TimeProvider.System)
    {
    }

    /// <summary>Archives (or, with <see cref="ArchiveRequest.DryRun"/>, plans archiving) one run.</summary>
    public ArchiveResult Archive(ArchiveRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runDir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.RunDirectory));
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.ArchiveRoot));
        List<Glob> drops;
        try
        {
            drops = request.Drop.Select(Glob.Parse).ToList();
        }
        catch (ArgumentException e)
        {
            return ArchiveResult.Refuse(runDir, $"--drop {e.Message}");
        }
        if (!ResultsRoot.IsRun(runDir)) return ArchiveResult.Refuse(runDir, $"{runDir} is not a run directory (no {RunManifest.FileName})");
        // Before the lock: taking it writes into the run, and the original is deleted at the end; neither through a link.
        if (RunPlace.ReachedThroughLink(runDir) is { } linked)
        {
            return ArchiveResult.Refuse(runDir, $"{linked}; archive never deletes through a link (put the directory itself in place of the link to archive it)");
        }
        if (RunLinks.AroundLock(runDir) is { } lockLinked) return ArchiveResult.Refuse(runDir, lockLinked);

        RunLock? runLock = null;
        if (request.DryRun ? RunLock.IsHeld(runDir) : (runLock = RunLock.TryAcquire(runDir, out _)) is null)
        {
            return ArchiveResult.Refuse(runDir, $"the run is in use by a runner ({Holder(runDir)}); archive it after the runner has ended");
        }
        try
        {
            return ArchiveLocked(request, runDir, root, drops, cancellationToken);
        }
        finally
        {
            runLock?.Dispose();
        }
    }

    private ArchiveResult ArchiveLocked(ArchiveRequest request, string runDir, string root, List<Glob> drops, CancellationToken cancellationToken)
    {
        var run = RunReader.Read(runDir, out var problem);
        if (run is null) return ArchiveResult.Refuse(runDir, problem ?? $"cannot read the run at {runDir}");
        var destination = Path.Combine(root, run.Experiment, run.RunId);
        if (IsSameOrBelow(destination, runDir) || IsSameOrBelow(runDir, destination))
        {
            return ArchiveResult.Refuse(runDir, $"the archive {destination} would overlap the run directory; choose another --to");
        }
        // Not even with --force: what those jobs write after the copy would be deleted with the original.
        if (LiveJobs.Of(run) is { Count: > 0 } live)
        {
            return ArchiveResult.Refuse(runDir, $"{LiveJobs.Describe(live)}; archive it after they end (expt status shows them), --force or not");
        }
        if (!run.IsComplete && !request.Force)
        {
            var open = run.Jobs.Where(j => !j.State.IsFinished()).ToList();
            var states = string.Join(", ", open.GroupBy(j => j.State).Select(g => $"{g.Count().ToString(CultureInfo.InvariantCulture)} {g.Key.Name()}"));
            return ArchiveResult.Refuse(runDir, $"the run is incomplete: {open.Count.ToString(CultureInfo.InvariantCulture)} of {run.Jobs.Count.ToString(CultureInfo.InvariantCulture)} job(s) have not finished ({states}); use --force to archive it anyway");
        }

        ArchivePlan plan;
        try
        {
            plan = ArchivePlanner.Plan(runDir, drops, CollectedOf(run));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ArchiveResult.Refuse(runDir, $"cannot read the run directory: {e.Message}");
        }
        if (File.Exists(destination)) return ArchiveResult.Refuse(runDir, $"{destination} exists and is a file", plan, destination);
        var exists = Directory.Exists(destination);
        if (request.DryRun)
        {
            IReadOnlyList<string> notes = exists ? [$"{destination} already exists: archiving succeeds only if it is identical to the run", .. Unarchivable(plan)] : Unarchivable(plan);
            return new ArchiveResult { Outcome = ArchiveOutcome.DryRun, RunDirectory = runDir, Destination = destination, Plan = plan, Warnings = notes };
        }

        if (exists)
        {
            var difference = ArchiveCopy.Difference(plan, destination);
            if (difference is not null)
            {
                return ArchiveResult.Refuse(runDir, $"{destination} already exists and is not identical to the run ({difference}); move it away or choose another --to", plan, destination);
            }
        }
        else
        {
            var error = new ArchiveCopy(copier).CopyAndVerify(plan, destination, cancellationToken);
            if (error is not null) return ArchiveResult.Fail(runDir, error, plan, destination);
        }
        return Finish(run, plan, destination, exists);
    }

    /// <summary>The copy is verified and in place: leave the pointer, then remove the original.</summary>
    private ArchiveResult Finish(RunRecord run, ArchivePlan plan, string destination, bool reused)
    {
        var runDir = plan.RunDirectory;
        var pointerPath = ArchivePointer.PathFor(runDir);
        var pointer = new ArchivePointer
        {
            Experiment = run.Experiment,
            RunId = run.RunId,
            ArchivedTo = destination,
            ArchivedAt = time.GetUtcNow(),
            KeptBytes = plan.KeptBytes,
            DroppedBytes = plan.DroppedBytes,
            Dropped = plan.Drops.Select(g => g.Pattern).ToList(),
            DroppedFiles = plan.DroppedFiles.Select(e => e.RelativePath).ToList(),
        };
        try
        {
            JsonFiles.Write(pointerPath, pointer, durable: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ArchiveResult.Fail(runDir, $"the verified copy is at {destination}, but the pointer {pointerPath} could not be written ({e.Message}); the original was kept", plan, destination);
        }
        string? warning;
        try
        {
            warning = RunRemover.Remove(runDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original is still complete: take the pointer back so the run is not listed twice; a second archive
            // finds the identical copy and finishes.
            TryDeleteFile(pointerPath);
            return ArchiveResult.Fail(runDir, $"the verified copy is at {destination}, but the original could not be removed ({e.Message}); run archive again to finish", plan, destination);
        }
        return new ArchiveResult
        {
            Outcome = ArchiveOutcome.Archived,
            RunDirectory = runDir,
            Destination = destination,
            PointerPath = pointerPath,
            Plan = plan,
            ReusedIdenticalCopy = reused,
            Warnings = warning is null ? Unarchivable(plan) : [.. Unarchivable(plan), warning],
        };
    }

    /// <summary>One warning per FIFO, socket or device of the run: never opened, so not in the archive.</summary>
    private static List<string> Unarchivable(ArchivePlan plan) =>
        plan.Skipped.Select(e => $"{e.RelativePath} is not a regular file, directory or link (a FIFO, socket or device): it is never opened and not archived").ToList();

    /// <summary>The files <c>collect:</c> moved out of the run's jobs, with their paths relative to the results root.</summary>
    private static List<(string FullPath, string RelativePath)> CollectedOf(RunRecord run)
    {
        var root = RunReader.ResultsRootOf(run.Directory);
        return run.Jobs.SelectMany(j => j.CollectedFiles)
            .Where(f => !f.StartsWith(run.Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(f => (f, Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')))
            .Where(c => !c.Item2.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(c.Item2))
            .ToList();
    }

    private static bool IsSameOrBelow(string path, string directory)
    {
        var p = Path.TrimEndingDirectorySeparator(path);
        var d = Path.TrimEndingDirectorySeparator(directory);
        return p == d || p.StartsWith(d + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string Holder(string runDir)
    {
        try
        {
            var info = RunLock.PathFor(runDir) + ".info";
            return File.Exists(info) ? File.ReadAllText(info).Trim() : "another process";
        }
        catch (IOException)
        {
            return "another process";
        }
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
