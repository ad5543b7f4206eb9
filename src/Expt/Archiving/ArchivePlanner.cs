using Expt.Internal;

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
    /// <param name="runDirectory">The run directory.</param>
    /// <param name="drops">The <c>--drop</c> globs.</param>
    /// <param name="collected">
    /// Files <c>collect:</c> moved out of the run's jobs, as (full path, path relative to the results root). They are
    /// logs, so always kept: each goes to <see cref="ArchiveEntry.CollectedDirectory"/> in the archive, so the archive
    /// holds everything the run's metrics come from. Missing ones are left out.
    /// </param>
    public static ArchivePlan Plan(string runDirectory, IReadOnlyList<Glob> drops, IReadOnlyList<(string FullPath, string RelativePath)>? collected = null)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(drops);
        var root = Path.GetFullPath(runDirectory);
        var entries = new List<ArchiveEntry>();
        Walk(new DirectoryInfo(root), "", drops, null, entries);
        AddCollected(collected ?? [], entries);
        return new ArchivePlan(root, drops, entries);
    }

    private static void AddCollected(IReadOnlyList<(string FullPath, string RelativePath)> collected, List<ArchiveEntry> entries)
    {
        var present = entries.Select(e => e.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var (full, relative) in collected.OrderBy(c => c.RelativePath, StringComparer.Ordinal))
        {
            var info = new FileInfo(full);
            if (!info.Exists || info.LinkTarget is not null || !IsRegular(full)) continue;
            var target = ArchiveEntry.CollectedDirectory + "/" + relative;
            // Directories before what they hold, as in the walk.
            var parts = target.Split('/');
            for (var i = 1; i < parts.Length; i++)
            {
                var dir = string.Join('/', parts[..i]);
                if (present.Add(dir)) entries.Add(new ArchiveEntry(dir, ArchiveEntryKind.Directory, 0));
            }
            if (present.Add(target)) entries.Add(new ArchiveEntry(target, ArchiveEntryKind.File, info.Length, SourcePath: info.FullName));
        }
    }

    /// <summary>Whether a path (not a link) is a regular file; without a way to tell (not Linux), it is taken for one.</summary>
    private static bool IsRegular(string path) => Native.KindOf(path) is null or FileKind.Regular;

    private static void Walk(DirectoryInfo dir, string prefix, IReadOnlyList<Glob> drops, string? droppedDir, List<ArchiveEntry> entries)
    {
        foreach (var info in dir.EnumerateFileSystemInfos("*", OneLevel).OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            var rel = prefix.Length == 0 ? info.Name : prefix + "/" + info.Name;
            var isLink = info.LinkTarget is not null;
            var kind = isLink ? ArchiveEntryKind.Symlink : info is DirectoryInfo ? ArchiveEntryKind.Directory : IsRegular(info.FullName) ? ArchiveEntryKind.File : ArchiveEntryKind.Special;
            if (kind == ArchiveEntryKind.Special)
            {
                // Not even sniffed for an Inspect log: opening a FIFO blocks until something writes to it.
                entries.Add(new ArchiveEntry(rel, kind, 0));
                continue;
            }
            var size = kind == ArchiveEntryKind.File ? ((FileInfo)info).Length : 0;
            // Below a dropped directory everything is dropped, except what must be kept (then its directory is kept too).
            var glob = droppedDir ?? drops.FirstOrDefault(g => g.IsMatch(rel))?.Pattern;
            string? protectedFrom = null;
            // A link is judged by its name only: what it points at is not read.
            if (glob is not null && kind != ArchiveEntryKind.Directory && AlwaysKept.IsAlwaysKept(rel, isLink ? null : info.FullName))
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
            // A directory that had entries, all of them dropped, would be an empty husk in the archive (ckpt/ after
            // --drop '*.pt'): it goes with its files. One that was empty in the run is kept, empty, as it was.
            else if (glob is null && entries.Count > index + 1 && entries.Skip(index + 1).All(e => !e.Kept))
            {
                entries[index] = entry with { DroppedBy = entries[index + 1].DroppedBy };
            }
        }
    }
}
