using Expt.Recording;
using Expt.Results;

namespace Expt.Reporting;

/// <summary>What a report is about: a whole run, or one job of it.</summary>
/// <param name="Run">The run.</param>
/// <param name="Job">The job, when one was named.</param>
public sealed record ReportTarget(RunRecord Run, JobRecord? Job)
{
    /// <summary><c>EXPERIMENT/RUN_ID</c>, plus <c>/JOB_ID</c> for a job.</summary>
    public string Label => Job is null ? $"{Run.Experiment}/{Run.RunId}" : $"{Run.Experiment}/{Run.RunId}/{Job.Id}";

    /// <summary>
    /// Reads the run a RUN argument names (a run directory, a run id, <c>EXPERIMENT/ID</c>, <c>latest</c>, or an
    /// archived run); null with a <paramref name="problem"/> when there is none.
    /// </summary>
    public static RunRecord? ReadRun(string root, string reference, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var location = RunReader.Locate(root, reference, null, out problem);
        if (location is null)
        {
            problem ??= $"no run '{reference}' under {root}";
            return null;
        }
        return RunReader.Read(location, out problem);
    }

    /// <summary>
    /// Resolves a RUN argument, or a job: <c>RUN/JOB_ID</c> (RUN as in <see cref="ReadRun"/>) or the path of a job
    /// directory. A reference that names a run is a run, even when it could also be read as a job.
    /// </summary>
    public static ReportTarget? Resolve(string root, string reference, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (Directory.Exists(reference) && !ResultsRoot.IsRun(reference)) return FromJobDirectory(reference, out problem);
        var location = RunReader.Locate(root, reference, null, out problem);
        if (location is not null) return RunReader.Read(location, out problem) is { } run ? new ReportTarget(run, null) : null;
        var firstProblem = problem ?? $"no run '{reference}' under {root}";
        // RUN/JOB_ID: the longest prefix that names a run, so EXPERIMENT/ID/JOB is not read as run EXPERIMENT.
        var reference2 = reference.TrimEnd('/');
        for (var cut = reference2.LastIndexOf('/'); cut > 0; cut = reference2.LastIndexOf('/', cut - 1))
        {
            var runPart = RunReader.Locate(root, reference2[..cut], null, out _);
            if (runPart is null) continue;
            var run = RunReader.Read(runPart, out problem);
            if (run is null) return null;
            var jobId = reference2[(cut + 1)..];
            var job = run.Jobs.FirstOrDefault(j => j.Id == jobId);
            if (job is not null)
            {
                problem = null;
                return new ReportTarget(run, job);
            }
            problem = run.Unselected.Any(j => j.Id == jobId)
                ? $"job '{jobId}' of run {run.Experiment}/{run.RunId} was not selected (--filter, --only or --skip left it out); it never ran"
                : $"run {run.Experiment}/{run.RunId} has no job '{jobId}'";
            return null;
        }
        problem = firstProblem;
        return null;
    }

    /// <summary>
    /// The run of the same experiment created last before <paramref name="run"/> (by the manifests' <c>created</c>, then
    /// by id; archived runs included): what <c>expt compare RUN</c> compares it with. Null with a problem when there is none.
    /// </summary>
    public static RunRecord? RunBefore(string root, RunRecord run, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(run);
        // A live run named by its path may be under another root than the one in use: its own root has its siblings.
        var where = run.Archive is null ? RunReader.ResultsRootOf(run.Directory) : root;
        var created = run.Manifest.Created;
        var before = RunReader.Locations(where, run.Experiment)
            .Select(l => (Location: l, Id: IdOf(l), Created: ResultsRoot.CreatedAt(l.EndsWith(ArchivePointer.Suffix, StringComparison.Ordinal) ? ArchivePointer.TryRead(l)?.ArchivedTo ?? l : l)))
            .Where(r => r.Id != run.RunId && (r.Created < created || (r.Created == created && string.CompareOrdinal(r.Id, run.RunId) < 0)))
            .OrderBy(r => r.Created).ThenBy(r => r.Id, StringComparer.Ordinal)
            .LastOrDefault();
        if (before.Location is null)
        {
            problem = $"run {run.Experiment}/{run.RunId} is the first run of '{run.Experiment}' under {where}: there is no earlier run to compare it with; name two runs";
            return null;
        }
        return RunReader.Read(before.Location, out problem);
    }

    private static string IdOf(string location)
    {
        var name = Path.GetFileName(location);
        return name.EndsWith(ArchivePointer.Suffix, StringComparison.Ordinal) ? name[..^ArchivePointer.Suffix.Length] : name;
    }

    private static ReportTarget? FromJobDirectory(string path, out string? problem)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        for (var dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (!ResultsRoot.IsRun(dir)) continue;
            var run = RunReader.Read(dir, out problem);
            if (run is null) return null;
            var jobId = Path.GetRelativePath(dir, full).Replace(Path.DirectorySeparatorChar, '/');
            var job = run.Jobs.FirstOrDefault(j => j.Id == jobId);
            if (job is not null) return new ReportTarget(run, job);
            problem = $"{path} is inside run {run.Experiment}/{run.RunId} but is not one of its job directories";
            return null;
        }
        problem = $"{path} is neither a run directory nor a job directory (no {RunManifest.FileName} above it)";
        return null;
    }
}
