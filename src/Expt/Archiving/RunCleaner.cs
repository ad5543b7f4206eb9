using Expt.Execution.Backends;
using Expt.Recording;
using Expt.Results;

namespace Expt.Archiving;

/// <summary>A run that <c>expt clean</c> matched.</summary>
/// <param name="Directory">The run directory.</param>
/// <param name="Experiment">The experiment.</param>
/// <param name="RunId">The run id.</param>
/// <param name="Created">When the run was created.</param>
/// <param name="Bytes">Bytes of its files (symbolic links not followed), those <c>collect:</c> moved included.</param>
/// <param name="Reasons">Why it matched, one entry per criterion.</param>
/// <param name="Skipped">Why it is not deleted although it matched (a live runner holds it, its jobs still run, it is reached through a link); null when it can be.</param>
/// <param name="CollectedFiles">Files <c>collect:</c> moved out of its jobs into the flat folder: deleted with the run.</param>
public sealed record CleanCandidate(string Directory, string Experiment, string RunId, DateTimeOffset Created, long Bytes, IReadOnlyList<string> Reasons, string? Skipped, IReadOnlyList<string>? CollectedFiles = null);

/// <summary>
/// Finds and deletes whole run directories. Only live run directories are touched: archives and their pointer
/// files are left alone.
/// </summary>
public static class RunCleaner
{
    /// <summary>
    /// Every run under <paramref name="root"/> matching <paramref name="criteria"/>, oldest first; runs that cannot be
    /// read are reported in <paramref name="problems"/> and never matched. A run whose jobs may still run is kept;
    /// <paramref name="executors"/> (only local when null) are the backends asked whether they may.
    /// </summary>
    public static IReadOnlyList<CleanCandidate> Find(string root, CleanCriteria criteria, DateTimeOffset now, out IReadOnlyList<string> problems, ExecutorRegistry? executors = null)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        executors ??= new ExecutorRegistry();
        var found = new List<CleanCandidate>();
        var unreadable = new List<string>();
        problems = unreadable;
        if (!criteria.HasAny) return found;
        var matched = new List<(RunRecord Run, IReadOnlyList<string> Reasons, string? Kept)>();
        // A flat-folder name can come back: after its file was removed, a later run of the same commit may collect
        // under it again. A file another run (kept or archived) also names is left alone.
        var keptFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in ResultsRoot.Runs(root, criteria.Experiment))
        {
            var run = RunReader.Read(dir, out var problem);
            if (run is null)
            {
                unreadable.Add(problem ?? dir);
                continue;
            }
            var reasons = criteria.Match(run, now);
            var kept = reasons is null ? null : WhyKept(run, executors);
            if (reasons is null || kept is not null) keptFiles.UnionWith(run.Jobs.SelectMany(j => j.CollectedFiles));
            if (reasons is not null) matched.Add((run, reasons, kept));
        }
        foreach (var pointer in ArchivePointer.Files(root, criteria.Experiment))
        {
            if (RunReader.Read(pointer, out _) is { } archived) keptFiles.UnionWith(archived.Jobs.SelectMany(j => j.CollectedFiles));
        }
        foreach (var (run, reasons, kept) in matched)
        {
            var dir = run.Directory;
            // Only files below the root through real directories: a path recorded as ../x, or one in a folder that is a
            // link, would be deleted elsewhere. A collected file that is itself a link is deleted as a link (0 bytes freed).
            var collected = run.Jobs.SelectMany(j => j.CollectedFiles)
                .Where(f => !keptFiles.Contains(f) && !f.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal) && RunPlace.IsInside(root, f))
                .Select(f => new FileInfo(f))
                .Where(f => f.Exists || f.LinkTarget is not null)
                .DistinctBy(f => f.FullName, StringComparer.Ordinal).ToList();
            var bytes = RunRemover.SizeOf(dir) + collected.Where(f => f.LinkTarget is null).Sum(f => f.Length);
            found.Add(new CleanCandidate(dir, run.Experiment, run.RunId, run.Manifest.Created, bytes, reasons, kept, collected.Select(f => f.FullName).ToList()));
        }
        return found.OrderBy(c => c.Created).ThenBy(c => c.Directory, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Deletes a candidate's run directory under its run lock (so a runner cannot start on it meanwhile), then the files
    /// <c>collect:</c> moved out of it, which would otherwise be logs of a run that no longer exists.
    /// Null when deleted, else why not.
    /// </summary>
    public static string? Delete(CleanCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Skipped is not null) return candidate.Skipped;
        // Checked again before the lock is taken: taking it writes into the run, which must not happen through a link.
        if (RunPlace.ReachedThroughLink(candidate.Directory) is { } linked) return ThroughLink(linked);
        if (!System.IO.Directory.Exists(candidate.Directory)) return "it no longer exists";
        if (RunLinks.AroundLock(candidate.Directory) is { } lockLinked) return lockLinked;
        using var runLock = RunLock.TryAcquire(candidate.Directory, out var holder);
        if (runLock is null) return $"in use by a runner ({holder})";
        try
        {
            return RunRemover.Remove(candidate.Directory) ?? DeleteCollected(candidate.CollectedFiles ?? []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static string? DeleteCollected(IReadOnlyList<string> files)
    {
        var failed = new List<string>();
        foreach (var file in files)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failed.Add($"{file} ({e.Message})");
            }
        }
        return failed.Count == 0 ? null : $"the run was deleted, but not these collected files: {string.Join(", ", failed)}";
    }

    private static string ThroughLink(string linked) =>
        $"{linked}; clean never deletes through a link (put the directory itself in place of the link to clean it)";

    private static string? WhyKept(RunRecord run, ExecutorRegistry executors)
    {
        if (RunPlace.ReachedThroughLink(run.Directory) is { } linked) return ThroughLink(linked);
        // Its lock cannot be taken without writing through the link, and a run is deleted only under its lock.
        if (RunLinks.AroundLock(run.Directory) is { } lockLinked) return lockLinked;
        if (RunLock.IsHeld(run.Directory)) return "in use by a runner";
        // Jobs may run on without a runner holding the lock (a scheduler's, or a killed local runner's): the run's backend knows.
        var backend = executors.Find(run.Manifest.Executor);
        return backend is null
            ? $"it was started with the {run.Manifest.Executor} executor, which this expt does not have: its jobs may still run"
            : backend.LiveJobsProblem(run);
    }
}
