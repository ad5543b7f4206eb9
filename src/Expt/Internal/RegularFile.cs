namespace Expt.Internal;

/// <summary>
/// Whether a file a job (or anyone) could have put in a job or run directory may be opened for reading. Opening a
/// FIFO waits for a writer, forever if none comes, and a device or socket never ends: so Expt reads regular files
/// only, and decides from the file's type (one statx, nothing opened) before it opens anything there.
/// </summary>
internal static class RegularFile
{
    /// <summary>What is said of a file that is not read because of its type.</summary>
    public const string NotRegular = "is not a regular file (a FIFO, device or socket); it was not read";

    /// <summary>
    /// Null when <paramref name="path"/> may be opened: a regular file, a symbolic link to one, nothing at all (the
    /// caller's own open says it is missing), or a system that cannot tell. Otherwise what it is, as in
    /// "<c>{path}: {reason}</c>".
    /// </summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Native.KindOf(path) switch
        {
            FileKind.Other => NotRegular,
            FileKind.Directory => "is a directory, not a file",
            FileKind.SymbolicLink => LinkProblem(path),
            _ => null,
        };
    }

    /// <summary>Whether <paramref name="path"/> is a regular file, or a symbolic link to one.</summary>
    public static bool Is(string path) => Problem(path) is null && File.Exists(path);

    private static string? LinkProblem(string path)
    {
        FileSystemInfo? target;
        try
        {
            target = File.ResolveLinkTarget(path, returnFinalTarget: true);
        }
        catch (IOException e)
        {
            // A loop of links, or one too long: nothing to read either way.
            return $"is a symbolic link that cannot be followed ({e.Message}); it was not read";
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        return target is null ? null : Native.KindOf(target.FullName) switch
        {
            FileKind.Other => "is a symbolic link to something that is not a regular file (a FIFO, device or socket); it was not read",
            FileKind.Directory => "is a symbolic link to a directory, not a file",
            _ => null,
        };
    }
}
