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
