namespace Expt.Archiving;

/// <summary>Walks a run directory and decides, for every entry, whether the archive keeps it.</summary>
public static class ArchivePlanner
{
    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        // Hidden entries (.expt/, atomic-write temp files) are part of the run.
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
    };

    /// <summary>
    /// The plan for <paramref name="runDirectory"/>. Symbolic links are entries of their own and never followed, so a
    /// link to a shared dataset is neither copied nor counted. Throws <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/> when the tree cannot be read.
    /// </summary>
    public static ArchivePlan Plan(string runDirectory, IReadOnlyList<Glob> drops)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(drops);
        var root = Path.GetFullPath(runDirectory);
        var entries = new List<ArchiveEntry>();
        Walk(new DirectoryInfo(root), "", drops, null, entries);
        return new ArchivePlan(root, drops, entries);
    }

    private static void Walk(DirectoryInfo dir, string prefix, IReadOnlyList<Glob> drops, string? droppedDir, List<ArchiveEntry> entries)
    {
        foreach (var info in dir.EnumerateFileSystemInfos("*", OneLevel).OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var rel = prefix.Length == 0 ? info.Name : prefix + "/" + info.Name;
            var isLink = info.LinkTarget is not null;
            var kind = isLink ? ArchiveEntryKind.Symlink : info is DirectoryInfo ? ArchiveEntryKind.Directory : ArchiveEntryKind.File;
            var size = kind == ArchiveEntryKind.File ? ((FileInfo)info).Length : 0;
            // Below a dropped directory everything is dropped, except what must be kept (then its directory is kept too).
            var glob = droppedDir ?? drops.FirstOrDefault(g => g.IsMatch(rel))?.Pattern;
            string? protectedFrom = null;
            if (glob is not null && kind != ArchiveEntryKind.Directory && AlwaysKept.IsAlwaysKept(rel, info.FullName))
            {
                protectedFrom = glob;
                glob = null;
            }
            var entry = new ArchiveEntry(rel, kind, size, glob, protectedFrom, isLink ? info.LinkTarget : null);
            if (kind != ArchiveEntryKind.Directory)
            {
                entries.Add(entry);
                continue;
            }
            var index = entries.Count;
            entries.Add(entry);
            Walk((DirectoryInfo)info, rel, drops, glob, entries);
            // A dropped directory holding an always-kept file is kept (only the rest of it is dropped).
            if (glob is not null && entries.Skip(index + 1).Any(e => e.Kept && e.RelativePath.StartsWith(rel + "/", StringComparison.Ordinal)))
            {
                entries[index] = entry with { DroppedBy = null };
            }
        }
    }
}
