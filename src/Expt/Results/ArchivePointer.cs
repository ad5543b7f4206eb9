using Expt.Internal;

namespace Expt.Results;

/// <summary>
/// <c>{results}/{experiment}/{runId}.archived.json</c>: left where an archived run was, so the run stays listable
/// (its manifest and statuses are read from <see cref="ArchivedTo"/>).
/// </summary>
public sealed record ArchivePointer
{
    /// <summary>The current format version.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The pointer file's suffix after the run id.</summary>
    public const string Suffix = ".archived.json";

    /// <summary>Format version (first field).</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The experiment.</summary>
    public required string Experiment { get; init; }

    /// <summary>The run id.</summary>
    public required string RunId { get; init; }

    /// <summary>Absolute path of the archived copy of the run directory.</summary>
    public required string ArchivedTo { get; init; }

    /// <summary>When the run was archived.</summary>
    public DateTimeOffset ArchivedAt { get; init; }

    /// <summary>Bytes kept in the archive.</summary>
    public long KeptBytes { get; init; }

    /// <summary>Bytes not copied (dropped globs), freed with the original.</summary>
    public long DroppedBytes { get; init; }

    /// <summary>The globs that were not copied.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];

    /// <summary>Files that were not copied, relative to the run directory.</summary>
    public IReadOnlyList<string> DroppedFiles { get; init; } = [];

    /// <summary>The pointer file of a run directory that was (or will be) archived.</summary>
    public static string PathFor(string runDirectory) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory)) + Suffix;

    /// <summary>Reads a pointer file; null when it is missing, unreadable or from a newer Expt.</summary>
    public static ArchivePointer? TryRead(string path)
    {
        var pointer = JsonFiles.TryRead<ArchivePointer>(path);
        return pointer is { SchemaVersion: <= CurrentSchemaVersion } ? pointer : null;
    }

    /// <summary>Every pointer of <paramref name="experiment"/> (or of all experiments) under a results root (dot-named files are not pointers, as dot-named directories are not runs).</summary>
    public static IEnumerable<string> Files(string root, string? experiment = null) =>
        Recording.ResultsRoot.ExperimentDirectories(root, experiment)
            .SelectMany(exp => Directory.EnumerateFiles(exp, "*" + Suffix).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal));
}
