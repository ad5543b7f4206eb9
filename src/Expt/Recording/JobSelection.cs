namespace Expt.Recording;

/// <summary>
/// Jobs a run lists but no runner of it has selected: <c>--filter</c>, <c>--only</c> or <c>--skip</c> left them out of
/// every session so far. The manifest lists every job of the spec, so that a resume with another selection is the same
/// experiment; these ones have no directory, never ran and are not waiting to. They are not pending: counts, exports
/// and comparisons leave them out and say how many they left out.
/// </summary>
public static class JobSelection
{
    /// <summary>
    /// Whether the job was never selected, from its manifest line and whether it has a status.json. A runner writes the
    /// status.json of every job it selects before anything runs, so a job with one was selected even if its manifest line
    /// lags by a flush. Manifests written before the <c>selected</c> marker existed are read by the same rule.
    /// </summary>
    public static bool IsUnselected(ManifestJob entry, bool hasStatus)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return !hasStatus && entry.State == JobState.Pending && entry.Attempts == 0 && entry.Retired != true;
    }

    /// <summary>Same as <see cref="IsUnselected(ManifestJob, bool)"/>, looking for the status.json in <paramref name="runDirectory"/> only when it matters.</summary>
    public static bool IsUnselected(string runDirectory, ManifestJob entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return IsUnselected(entry, hasStatus: false) && !File.Exists(RunFiles.StatusPath(RunFiles.JobDirectory(runDirectory, entry.Dir)));
    }

    /// <summary>The line of a job this session leaves out: marked <c>"selected": false</c> when no runner has selected it.</summary>
    public static ManifestJob Unselected(string runDirectory, ManifestJob entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Selected is null && IsUnselected(runDirectory, entry) ? entry with { Selected = false } : entry;
    }
}
