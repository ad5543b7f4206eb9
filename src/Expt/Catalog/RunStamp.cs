using System.Globalization;
using Expt.Recording;
using Expt.Results;

namespace Expt.Catalog;

/// <summary>
/// A cheap fingerprint of a run's files: size and modification time of manifest.json and its journal (and of the
/// archive pointer, for an archived run). Every job transition reaches one of them, so comparing stamps tells which
/// runs changed with a couple of stats per run, never one per job.
/// </summary>
public static class RunStamp
{
    /// <summary>The stamp of a run directory or archive pointer file.</summary>
    public static string Of(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.EndsWith(ArchivePointer.Suffix, StringComparison.Ordinal))
        {
            var pointer = ArchivePointer.TryRead(location);
            return "p" + File(location) + "|" + (pointer is null ? "-" : OfDirectory(pointer.ArchivedTo));
        }
        return OfDirectory(location);
    }

    private static string OfDirectory(string dir) =>
        "m" + File(Path.Combine(dir, RunManifest.FileName)) + "|j" + File(Path.Combine(dir, ManifestStore.JournalFileName));

    private static string File(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? string.Create(CultureInfo.InvariantCulture, $"{info.LastWriteTimeUtc.Ticks}:{info.Length}") : "-";
    }
}
