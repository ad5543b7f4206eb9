namespace Expt.Archiving;

/// <summary>
/// Where a run's files really are. Archive and clean delete only below the results root through real directories:
/// a run directory (or its experiment directory) that is a symbolic link leads outside the root, where whatever the
/// link points at belongs to whoever made the link. A link itself may be deleted; it is never followed to delete.
/// </summary>
public static class RunPlace
{
    /// <summary>
    /// Why <paramref name="runDirectory"/> is reached through a symbolic link (the run directory or its experiment
    /// directory is one), or null when both are real directories. The results root itself may be a link: everything
    /// below it is still the root's.
    /// </summary>
    public static string? ReachedThroughLink(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        var run = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        if (LinkTarget(run) is { } target) return $"the run directory is a symbolic link (to {target})";
        var experiment = Path.GetDirectoryName(run);
        if (experiment is not null && LinkTarget(experiment) is { } experimentTarget)
        {
            return $"its experiment directory {Path.GetFileName(experiment)} is a symbolic link (to {experimentTarget})";
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="path"/> is below <paramref name="root"/> through real directories only, so deleting it
    /// deletes nothing elsewhere. The last name may itself be a link: deleting it removes only the link.
    /// </summary>
    public static bool IsInside(string root, string path)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(path);
        var top = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(top, full);
        if (relative is "." or ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)) return false;
        for (var dir = Path.GetDirectoryName(full); dir is not null && dir.Length > top.Length; dir = Path.GetDirectoryName(dir))
        {
            if (LinkTarget(dir) is not null) return false;
        }
        return true;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new DirectoryInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
