using System.Diagnostics;

namespace Expt.Testing;

/// <summary>
/// A real, small tmpfs mounted on a fresh directory, for tests of a full disk: writes past its size fail with ENOSPC
/// exactly as on a full disk. Mounting needs root (as in CI); <see cref="TmpfsFactAttribute"/> skips the test with the
/// reason when it is not permitted. Unmounted on dispose.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private static readonly Lazy<string?> Probe = new(ProbeMount);

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. <c>2m</c>) on <paramref name="directory"/>, created if needed.</summary>
    public Tmpfs(string directory, string size)
    {
        Directory.CreateDirectory(directory);
        Path = directory;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", directory);
        if (code != 0) throw new InvalidOperationException($"mount -t tmpfs -o size={size} tmpfs {directory} failed: {error}");
    }

    /// <summary>Why a tmpfs cannot be mounted here; null when it can.</summary>
    public static string? Unavailable => Probe.Value;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Gives the file system a new size (growing it frees space without touching its files).</summary>
    public void Resize(string size)
    {
        var (code, error) = Run("mount", "-o", $"remount,size={size}", Path);
        if (code != 0) throw new InvalidOperationException($"remount of {Path} to {size} failed: {error}");
    }

    /// <summary>Writes <paramref name="name"/> until the file system is full.</summary>
    public void Fill(string name = "filler")
    {
        var chunk = new byte[4096];
        using var stream = new FileStream(System.IO.Path.Combine(Path, name), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true) stream.Write(chunk);
        }
        catch (IOException)
        {
            // full
        }
    }

    public void Dispose()
    {
        // A process that still has a file open keeps the mount busy; a lazy unmount detaches it anyway.
        if (Run("umount", Path).Code != 0) Run("umount", "-l", Path);
    }

    private static string? ProbeMount()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"expt-tmpfs-probe-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(dir);
            var (code, error) = Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir);
            if (code != 0) return $"mount -t tmpfs is not permitted here: {error.Trim()}";
            Run("umount", dir);
            return null;
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            return $"mount cannot be run: {e.Message}";
        }
        finally
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
            }
        }
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}

/// <summary>A test that mounts a real tmpfs: skipped, with the reason, where mounting is not permitted (not root).</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.Unavailable is { } why) Skip = $"needs a real small tmpfs to fill: {why}";
    }
}
