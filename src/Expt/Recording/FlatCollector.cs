using System.IO.Enumeration;
using Expt.Internal;
using Expt.Planning;

namespace Expt.Recording;

/// <summary>
/// The flat layout of seed 000's "inspect mode": a job's files matching <c>collect.pattern</c> are moved to
/// <c>results/{experiment}/{git7}_{variant}_{name}</c>, for tools (such as Inspect's viewer) that keep all logs in
/// one folder. The moves are listed in the job's status.json and the manifest. Only what is really in the job directory
/// moves: a symbolic link matching the pattern is moved as a link (its target stays where it is), a linked directory is
/// never searched, and a job directory reached through a link is not collected from at all.
/// </summary>
public static class FlatCollector
{
    /// <summary>
    /// Moves the matching files of a finished job; returns their new paths relative to the results root. Throws
    /// <see cref="IOException"/> when the job directory (or one between it and the run directory) is a symbolic link.
    /// A match that is not a regular file (a FIFO, device or socket: a move across file systems copies, and copying a
    /// FIFO blocks) stays where it is, with a <c>COLLECT_SKIPPED</c> entry in run.log naming it.
    /// </summary>
    public static IReadOnlyList<string> Collect(RunSession session, PlannedJob job)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(job);
        if (job.Stage.Collect is not { } collect) return [];
        var jobDir = session.JobDirectory(job);
        var experimentDir = Path.GetDirectoryName(session.Directory)!;
        var root = Path.GetDirectoryName(experimentDir)!;
        var moved = new List<string>();
        if (!Directory.Exists(jobDir)) return moved;
        // The job's process may have replaced its directory with a link while it ran; moving from there takes files from elsewhere.
        if (RunLinks.InJobs(session.Directory, [job.RelativeDirectory]) is { } linked) throw new IOException(linked);
        var files = new FileSystemEnumerable<string>(jobDir, (ref FileSystemEntry e) => e.ToFullPath(), new EnumerationOptions { RecurseSubdirectories = true })
        {
            // A link to a directory counts as a directory here (never moved); a link to a file is moved as the link it is.
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory && FileSystemName.MatchesSimpleExpression(collect.Pattern, e.FileName),
            ShouldRecursePredicate = (ref FileSystemEntry e) => e.FileName is not ".expt" && (e.Attributes & FileAttributes.ReparsePoint) == 0,
        }.Order(StringComparer.Ordinal).ToList();
        var notRegular = files.Where(f => !RegularFile.Is(f)).ToList();
        if (notRegular.Count > 0)
        {
            session.Log.Write("COLLECT_SKIPPED", $"{job.Id}: {notRegular.Count} match(es) not regular files, left in place", details: string.Join(", ", notRegular));
            files = files.Except(notRegular, StringComparer.Ordinal).ToList();
        }
        var prefix = $"{session.Git.Short}_{job.Variant.Name}";
        if (job.Cell.Count > 0 || !job.Stage.IsImplicit) prefix += "_" + job.Id[(job.Variant.Name.Length + 1)..].Replace('/', '_');
        foreach (var file in files)
        {
            var name = $"{prefix}_{Path.GetFileName(file)}";
            var target = Path.Combine(experimentDir, name);
            for (var n = 2; File.Exists(target); n++)
            {
                target = Path.Combine(experimentDir, $"{Path.GetFileNameWithoutExtension(name)}-{n}{Path.GetExtension(name)}");
            }
            File.Move(file, target);
            moved.Add(Path.GetRelativePath(root, target).Replace(Path.DirectorySeparatorChar, '/'));
        }
        return moved;
    }
}
