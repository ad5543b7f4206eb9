namespace Expt.Recording;

/// <summary>Claims a new run directory for one runner, even when two start in the same second.</summary>
internal static class RunDirectoryClaim
{
    /// <summary>Creates <paramref name="dir"/> and claims it; false when it exists and belongs to someone else.</summary>
    public static bool TryCreate(string dir)
    {
        if (Directory.Exists(dir))
        {
            if (!IsAbandoned(dir)) return false;
            // A runner killed while creating the run never wrote its manifest, so no job of it can have started.
            Directory.Delete(dir, recursive: true);
        }
        Directory.CreateDirectory(dir);
        // Two runners starting in the same second both see no directory; the marker file settles who owns it.
        var marker = Path.Combine(dir, ".expt");
        try
        {
            Directory.CreateDirectory(marker);
            using var claim = new FileStream(Path.Combine(marker, "created"), FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    // A link is never taken for an abandoned run: deleting it would delete through it.
    private static bool IsAbandoned(string dir) =>
        RunLinks.TargetOf(dir) is null
        && !ResultsRoot.IsRun(dir)
        && File.Exists(Path.Combine(dir, ".expt", "created"))
        && !RunLock.IsHeld(dir)
        && Directory.EnumerateFileSystemEntries(dir).All(e => Path.GetFileName(e) is ".expt" or "spec.yaml" or "git.diff");
}
