using Expt.Internal;

namespace Expt.Recording;

/// <summary>
/// The places in a run where Expt writes its own files, and the symbolic links it refuses there. Expt writes only below
/// the results root, through real directories: a link where it writes (a run's <c>.expt/</c> moved to another disk and
/// linked back, a <c>run.log</c> pointing at someone's file) may lead anywhere, so whatever opens a run for writing
/// refuses it and names the link. Each place is looked at once, when the run is opened (one lstat per name, nothing per
/// write). Files Expt replaces atomically (manifest.json, status.json, config.json, …) need no look: the rename replaces
/// a link itself and never writes through it.
/// </summary>
public static class RunLinks
{
    // What taking the run lock opens (run.lock) and truncates (run.lock.info), in the folder that holds them.
    private static readonly string[] LockPlaces = [".expt", ".expt/run.lock", ".expt/run.lock.info"];

    // Appended to by a runner, or written by what it starts (sbatch writes its logs under .expt/slurm/logs).
    private static readonly string[] RunPlaces = [RunLog.FileName, ManifestStore.JournalFileName, ".expt/slurm", ".expt/slurm/logs"];

    // In a job directory: the wrapper's redirections and the spawn's own stderr write through whatever is there.
    private static readonly string[] JobPlaces = [".expt", ".expt/job.sh.err", "stdout.log", "stderr.log"];

    /// <summary>
    /// Why the run lock of <paramref name="runDirectory"/> cannot be taken without writing through a link (its experiment
    /// directory, the run directory, <c>.expt/</c>, <c>run.lock</c> or <c>run.lock.info</c> is one), or null. The results
    /// root itself may be a link: everything below it is the root's.
    /// </summary>
    public static string? AroundLock(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        var run = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        if (Path.GetDirectoryName(run) is { } experiment && Refusal(experiment) is { } linked) return linked;
        return Refusal(run) ?? First(run, LockPlaces);
    }

    /// <summary>
    /// Why a runner (or a command recording into a run) cannot write the run-level files of <paramref name="runDirectory"/>
    /// without going through a link: <see cref="AroundLock"/>, <c>run.log</c>, <c>manifest.journal.jsonl</c>, <c>.expt/slurm/</c>.
    /// Null when none is a link.
    /// </summary>
    public static string? InRun(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        return AroundLock(runDirectory) ?? First(Path.GetFullPath(runDirectory), RunPlaces);
    }

    /// <summary>
    /// Why Expt cannot write in the job directories <paramref name="jobDirectories"/> (relative to the run directory,
    /// <c>/</c>-separated, as in the manifest) without going through a link: a job directory or a directory between it and
    /// the run directory is one, or its <c>.expt/</c>, <c>.expt/job.sh.err</c>, <c>stdout.log</c> or <c>stderr.log</c>; or a
    /// job directory is not inside the run. Null when none. A directory shared by several jobs is looked at once.
    /// </summary>
    public static string? InJobs(string runDirectory, IEnumerable<string> jobDirectories)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(jobDirectories);
        var run = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var relative in jobDirectories)
        {
            var parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || Path.IsPathRooted(relative) || parts.Any(p => p is "." or ".." || p.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                return $"{run}: the job directory '{relative}' is not a directory inside the run; Expt writes only inside the run";
            }
            var dir = run;
            foreach (var part in parts)
            {
                dir = Path.Combine(dir, part);
                if (seen.Add(dir) && Refusal(dir) is { } linked) return linked;
            }
            if (First(dir, JobPlaces) is { } inJob) return inJob;
        }
        return null;
    }

    /// <summary>What <paramref name="path"/> itself points at when it is a symbolic link, else null (also when it does not exist).</summary>
    public static string? TargetOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // statx first: it tells a missing file without the exception readlink's failure costs in .NET.
        if (Native.KindOf(path) is { } kind && kind != FileKind.SymbolicLink) return null;
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? First(string directory, string[] names)
    {
        foreach (var name in names)
        {
            if (Refusal(Path.Combine(directory, name.Replace('/', Path.DirectorySeparatorChar))) is { } linked) return linked;
        }
        return null;
    }

    private static string? Refusal(string path) => TargetOf(path) is { } target
        ? $"{path} is a symbolic link (to {target}); Expt never writes a run's own files through a link, which may lead out of the results root: put the directory or file itself in place of the link"
        : null;
}
