namespace Expt.Recording;

/// <summary>
/// An exclusive lock on a run directory held for as long as a runner works on it. It is an OS file lock, so it
/// disappears with the process however that process dies; a second runner on the same run refuses to start.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _stream;

    private RunLock(FileStream stream) => _stream = stream;

    /// <summary>The lock file's path inside a run directory.</summary>
    public static string PathFor(string runDir) => Path.Combine(runDir, ".expt", "run.lock");

    /// <summary>
    /// Takes the lock, or returns null and who holds it. Throws <see cref="IOException"/> when taking it would write through
    /// a symbolic link (<see cref="RunLinks.AroundLock"/>): every writer of a run takes this lock first, so this is the last
    /// line of defence; callers look with <see cref="RunLinks"/> before, to refuse with a message of their own.
    /// </summary>
    public static RunLock? TryAcquire(string runDir, out string? holder)
    {
        if (RunLinks.AroundLock(runDir) is { } linked) throw new IOException(linked);
        var path = PathFor(runDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        holder = null;
        FileStream stream;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix; it is released when the process exits.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            try
            {
                holder = File.ReadAllText(path + ".info").Trim();
            }
            catch (IOException)
            {
                holder = "another process";
            }
            return null;
        }
        try
        {
            // The locked file cannot be read by others, so who holds it is written beside it.
            File.WriteAllText(path + ".info", $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z");
        }
        catch (Exception e) when (WriteFault.IsWriteFailure(e))
        {
            // Naming the holder is a courtesy to other runners; a full disk must not make the run look locked by another.
        }
        return new RunLock(stream);
    }

    /// <summary>Whether some live process holds the lock of <paramref name="runDir"/>.</summary>
    public static bool IsHeld(string runDir)
    {
        var path = PathFor(runDir);
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
