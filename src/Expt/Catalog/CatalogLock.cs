using System.Diagnostics;

namespace Expt.Catalog;

/// <summary>
/// Serialises the commands that may create, delete or rebuild a catalog file: <c>{catalog}.lock</c> in the catalog's
/// folder, held with an OS file lock (it goes with the process however it ends). Without it, two <c>expt reindex</c>
/// at once both delete and create the file, and one fails on tables the other has just made. The lock is held while
/// the catalog is opened and brought up to date, not while a listing reads it (SQLite's own locking covers that).
/// </summary>
internal sealed class CatalogLock : IDisposable
{
    /// <summary>
    /// How long a command waits for another to finish with the catalog before it goes on without the lock (as it did
    /// before there was one): a rebuild of a very large root takes minutes, a stuck process should not stop every
    /// listing for ever.
    /// </summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    private readonly FileStream _stream;

    private CatalogLock(FileStream stream) => _stream = stream;

    /// <summary>The lock file of the catalog at <paramref name="catalogPath"/>.</summary>
    public static string PathFor(string catalogPath) => catalogPath + ".lock";

    /// <summary>
    /// Waits for and takes the lock of the catalog at <paramref name="catalogPath"/>. Null when there is no taking it:
    /// a folder that cannot be written (the catalog will be kept in memory anyway), or <see cref="Timeout"/> passed.
    /// </summary>
    public static CatalogLock? Acquire(string catalogPath)
    {
        var path = PathFor(catalogPath);
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                // FileShare.None takes an exclusive advisory lock (flock) on Unix, released when the process exits.
                return new CatalogLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            catch (IOException) when (IsHeld(path))
            {
                if (clock.Elapsed > Timeout) return null;
                Thread.Sleep(pause);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 250));
            }
            catch (IOException)
            {
                // Not held, just not creatable (a read-only file system, '.expt' a file): go on without it.
                return null;
            }
        }
    }

    // An open of an existing lock file that fails for I/O is the lock being held (EWOULDBLOCK); one that cannot create
    // the file is a folder that cannot be written.
    private static bool IsHeld(string path) => File.Exists(path);

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
