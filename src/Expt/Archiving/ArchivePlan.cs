namespace Expt.Archiving;

/// <summary>What an entry of a run directory is.</summary>
public enum ArchiveEntryKind
{
    /// <summary>A regular file: copied byte for byte and verified by size and SHA-256.</summary>
    File,

    /// <summary>A directory (created, so empty directories survive too).</summary>
    Directory,

    /// <summary>A symbolic link (to a file or a directory): copied as a link with the same target, never followed.</summary>
    Symlink,

    /// <summary>
    /// Not a regular file, a directory or a link (a FIFO, socket or device): never opened (reading a FIFO waits for a
    /// writer for ever), never copied; the archiver warns about it.
    /// </summary>
    Special,
}

/// <summary>One entry of a run directory and what the archive does with it.</summary>
/// <param name="RelativePath">Path relative to the run directory, with <c>/</c> separators.</param>
/// <param name="Kind">File, directory, link, or something else (<see cref="ArchiveEntryKind.Special"/>).</param>
/// <param name="Size">Bytes (0 for directories and links).</param>
/// <param name="DroppedBy">The <c>--drop</c> glob that leaves it out of the archive; null when kept.</param>
/// <param name="ProtectedFrom">A <c>--drop</c> glob that matched an always-kept file (which is kept anyway).</param>
/// <param name="LinkTarget">The link's target, as stored in the link.</param>
/// <param name="SourcePath">Where the file is when it is not in the run directory (a file <c>collect:</c> moved); null otherwise.</param>
public sealed record ArchiveEntry(string RelativePath, ArchiveEntryKind Kind, long Size, string? DroppedBy = null, string? ProtectedFrom = null, string? LinkTarget = null, string? SourcePath = null)
{
    /// <summary>The entry's path in the archive for a collected file: <c>.expt/collected/{path relative to the results root}</c>.</summary>
    public const string CollectedDirectory = ".expt/collected";

    /// <summary>The full path the entry is copied from.</summary>
    public string SourceIn(string runDirectory) => SourcePath ?? Path.Combine(runDirectory, RelativePath);

    /// <summary>Whether the entry goes into the archive (a <see cref="ArchiveEntryKind.Special"/> one never does).</summary>
    public bool Kept => DroppedBy is null && Kind != ArchiveEntryKind.Special;
}

/// <summary>What archiving a run directory keeps and drops.</summary>
/// <param name="RunDirectory">The run directory (absolute).</param>
/// <param name="Drops">The <c>--drop</c> globs.</param>
/// <param name="Entries">Every entry, directories before what they hold, in ordinal path order.</param>
public sealed record ArchivePlan(string RunDirectory, IReadOnlyList<Glob> Drops, IReadOnlyList<ArchiveEntry> Entries)
{
    /// <summary>Files and links that are copied.</summary>
    public IEnumerable<ArchiveEntry> KeptFiles => Entries.Where(e => e.Kept && e.Kind is ArchiveEntryKind.File or ArchiveEntryKind.Symlink);

    /// <summary>Files and links that are not copied.</summary>
    public IEnumerable<ArchiveEntry> DroppedFiles => Entries.Where(e => !e.Kept && e.Kind is ArchiveEntryKind.File or ArchiveEntryKind.Symlink);

    /// <summary>FIFOs, sockets and devices: neither kept nor dropped, never opened.</summary>
    public IEnumerable<ArchiveEntry> Skipped => Entries.Where(e => e.Kind == ArchiveEntryKind.Special);

    /// <summary>Always-kept files that a <c>--drop</c> glob matched.</summary>
    public IEnumerable<ArchiveEntry> Protected => Entries.Where(e => e.ProtectedFrom is not null);

    /// <summary>Bytes copied into the archive.</summary>
    public long KeptBytes => KeptFiles.Sum(e => e.Size);

    /// <summary>Bytes not copied (freed with the original).</summary>
    public long DroppedBytes => DroppedFiles.Sum(e => e.Size);
}
