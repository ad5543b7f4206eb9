namespace Expt.Recording;

/// <summary>How a new run claims its directory, and how a run that could not be created gives it up.</summary>
internal static class RunDirectoryClaim
{
    /// <summary>Creates <paramref name="dir"/> for this runner; false when another run has it.</summary>
    public static bool TryClaim(string dir)
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
        var created = Path.Combine(marker, "created");
        try
        {
            Directory.CreateDirectory(marker);
            using var claim = new FileStream(created, FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException) when (File.Exists(created))
        {
            return false;
        }
    }

    /// <summary>
    /// Removes the run directory of a run that could not be created (no job of it started), and the experiment's
    /// directory when <paramref name="experimentDir"/> is given and it is left empty.
    /// </summary>
    public static void Remove(string dir, string? experimentDir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
            if (experimentDir is not null && !Directory.EnumerateFileSystemEntries(experimentDir).Any()) Directory.Delete(experimentDir);
        }
        catch (Exception e) when (WriteFault.IsWriteFailure(e))
        {
            // What cannot be removed is a run directory without a manifest, which the next run of the same id reclaims.
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
