using Expt.Internal;

namespace Expt.Recording;

/// <summary>
/// The names of a run directory's files, in one place: every reader and writer of a run finds manifest.json, the
/// journal and each job's status.json and config.json through here.
/// </summary>
public static class RunFiles
{
    /// <summary>A job's resolved configuration, the file its command reads (<c>EXPT_CONFIG</c>).</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The run's manifest.</summary>
    public static string ManifestPath(string runDirectory) => Path.Combine(runDirectory, RunManifest.FileName);

    /// <summary>The manifest's journal (see <see cref="ManifestStore"/>).</summary>
    public static string JournalPath(string runDirectory) => Path.Combine(runDirectory, ManifestStore.JournalFileName);

    /// <summary>The absolute directory of a job from its directory relative to the run (as the manifest has it).</summary>
    public static string JobDirectory(string runDirectory, string relativeDirectory)
    {
        ArgumentNullException.ThrowIfNull(relativeDirectory);
        return Path.Combine(runDirectory, relativeDirectory.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>A job's status.json.</summary>
    public static string StatusPath(string jobDirectory) => Path.Combine(jobDirectory, JobStatus.FileName);

    /// <summary>A job's config.json.</summary>
    public static string ConfigPath(string jobDirectory) => Path.Combine(jobDirectory, ConfigFileName);

    /// <summary>A job's status as its status.json says; null when it has none.</summary>
    public static JobStatus? ReadStatus(string jobDirectory) => JsonFiles.TryRead<JobStatus>(StatusPath(jobDirectory));
}
