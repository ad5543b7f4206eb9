namespace Expt.Recording;

/// <summary>
/// <c>.expt/cancel-requested</c>: left by <c>expt cancel</c> just before it signals a local runner, so the runner can tell
/// "cancel the run" (every job not started is cancelled) from Ctrl-C (they stay pending for a resume). A runner removes
/// it when it opens the run, so an old one never turns a later Ctrl-C into a cancel.
/// </summary>
public static class CancelMarker
{
    /// <summary>The marker's path in <paramref name="runDirectory"/>.</summary>
    public static string PathFor(string runDirectory) => Path.Combine(runDirectory, ".expt", "cancel-requested");

    /// <summary>
    /// Leaves the marker, naming who asked; null when left, else why not: the run's <c>.expt/</c> (or a directory above
    /// it in the run) is a symbolic link, never written through (<see cref="RunLinks.AroundLock"/>).
    /// </summary>
    public static string? Write(string runDirectory, string who)
    {
        if (RunLinks.AroundLock(runDirectory) is { } linked) return linked;
        Internal.AtomicFile.WriteAllText(PathFor(runDirectory), who + "\n");
        return null;
    }

    /// <summary>Whether a cancel was asked for since the runner opened the run.</summary>
    public static bool IsSet(string runDirectory) => File.Exists(PathFor(runDirectory));

    /// <summary>Removes the marker (best effort: a marker that cannot be removed only makes a later Ctrl-C a cancel).</summary>
    public static void Clear(string runDirectory)
    {
        try
        {
            File.Delete(PathFor(runDirectory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort, as said.
        }
    }
}
