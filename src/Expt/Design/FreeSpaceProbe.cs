namespace Expt.Design;

/// <summary>
/// Free space as the file system reports it to this user (statvfs's available blocks, which leave out what is reserved
/// for root), on the file system that holds the path: the results root need not exist yet, so its nearest existing
/// parent is asked, which is on the same mount as the root will be unless the root itself becomes a mount point.
/// </summary>
public sealed class FreeSpaceProbe : IFreeSpaceProbe
{
    /// <inheritdoc />
    public long? FreeBytes(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var existing = NearestExisting(Path.GetFullPath(path));
            // DriveInfo asks statvfs about the very path it is given, so a folder on a mount nested under another
            // reports its own file system, not that of the mount above it.
            return existing is null ? null : new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static string? NearestExisting(string full)
    {
        for (var dir = full; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir)) return dir;
        }
        return null;
    }
}
