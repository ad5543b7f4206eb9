using Expt.Recording;

namespace Expt.Archiving;

/// <summary>
/// Deletes a run directory so that no reader ever sees half a run: the directory is first renamed to
/// <c>.deleting-{experiment}-{runId}-{random}</c> one level up (beside the experiment directories, where nothing
/// takes a dot-named directory for an experiment or a run), its manifest is removed, then the rest.
/// </summary>
public static class RunRemover
{
    /// <summary>The prefix of directories being deleted.</summary>
    public const string DeletingPrefix = ".deleting-";

    /// <summary>
    /// Removes <paramref name="runDirectory"/>. Returns null when it is gone, or a problem when the rename worked but
    /// the delete did not finish (the run is no longer listed; the named <c>.deleting-</c> directory is left).
    /// Throws <see cref="IOException"/> when even the rename fails (then nothing changed), and when the run is reached
    /// through a symbolic link (<see cref="RunPlace.ReachedThroughLink"/>): it is never deleted through one.
    /// </summary>
    public static string? Remove(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        var dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        // The callers refuse such a run with a message of their own; this is the last line of defence.
        if (RunPlace.ReachedThroughLink(dir) is { } linked) throw new IOException($"{dir}: {linked}; a run is never deleted through a link");
        var experimentDir = Path.GetDirectoryName(dir)!;
        var parking = Path.GetDirectoryName(experimentDir) ?? experimentDir;
        var label = $"{Path.GetFileName(experimentDir)}-{Path.GetFileName(dir)}";
        var name = $"{DeletingPrefix}{(label.Length > 180 ? label[..180] : label)}-{Guid.NewGuid():N}";
        var target = Path.Combine(parking, name);
        try
        {
            Directory.Move(dir, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // One level up may be another file system (a mounted experiment directory): park beside the run instead.
            target = Path.Combine(experimentDir, name);
            Directory.Move(dir, target);
        }
        try
        {
            // Without its manifest a half-deleted directory is not a run, wherever it was parked.
            File.Delete(RunFiles.ManifestPath(target));
            Directory.Delete(target, recursive: true);
            return null;
        }
        catch (IOException e)
        {
            return $"the run was moved to {target} but not completely deleted: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"the run was moved to {target} but not completely deleted: {e.Message}";
        }
    }

    /// <summary>Total bytes of the regular files under a directory, not following symbolic links (0 when it is one).</summary>
    public static long SizeOf(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        long total = 0;
        if (new DirectoryInfo(directory).LinkTarget is not null) return total;
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(directory));
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true };
        while (pending.Count > 0)
        {
            foreach (var info in pending.Pop().EnumerateFileSystemInfos("*", options))
            {
                if (info.LinkTarget is not null) continue;
                if (info is DirectoryInfo d) pending.Push(d);
                else if (info is FileInfo f) total += f.Length;
            }
        }
        return total;
    }
}
