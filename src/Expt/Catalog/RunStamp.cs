using System.Globalization;
using Expt.Recording;
using Expt.Results;

namespace Expt.Catalog;

/// <summary>
/// A cheap fingerprint of a run's files: size and modification time of manifest.json and its journal (and of the
/// archive pointer, for an archived run). Every job transition reaches one of them, so comparing stamps tells which
/// runs changed with a couple of stats per run, never one per job.
/// </summary>
/// <remarks>
/// A run directory's stamp also holds the directory's own modification time (<c>|d…</c>), which lets the next check
/// trust a finished run with one look at its directory (<see cref="Unchanged"/>): Expt rewrites manifest.json by
/// renaming a new file over it, and creates and deletes the journal, and each of those changes the directory's time;
/// only appending to the journal does not, and a run with a journal is always checked in full.
/// </remarks>
public static class RunStamp
{
    // A directory modified this recently may change again within the same tick of its clock without its time
    // changing: its time is left out of the stamp until it has settled, so the next check looks in full.
    private static readonly TimeSpan Settling = TimeSpan.FromSeconds(2);

    private const string NoJournal = "|j-";
    private const string DirectoryPart = "|d";

    /// <summary>The stamp of a run directory or archive pointer file.</summary>
    public static string Of(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.EndsWith(ArchivePointer.Suffix, StringComparison.Ordinal))
        {
            var pointer = ArchivePointer.TryRead(location);
            return "p" + File(location) + "|" + (pointer is null ? "-" : OfFiles(pointer.ArchivedTo));
        }
        // The directory first: a change after it is seen shows as a newer directory time at the next check.
        var directory = new DirectoryInfo(location);
        var settled = directory.Exists && DateTime.UtcNow - directory.LastWriteTimeUtc > Settling;
        return OfFiles(location) + (settled ? DirectoryPart + directory.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture) : "");
    }

    /// <summary>
    /// Whether the run directory stamped <paramref name="stored"/> is certainly as it was, its directory now having
    /// been modified at <paramref name="directoryModified"/>: it had no journal, and the directory's time is the one
    /// in the stamp. False means "look in full" (<see cref="Of"/>), not "changed".
    /// </summary>
    public static bool Unchanged(string stored, DateTime directoryModified)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var at = stored.IndexOf(DirectoryPart, StringComparison.Ordinal);
        return at > 0
            && stored.AsSpan(0, at).EndsWith(NoJournal, StringComparison.Ordinal)
            && long.TryParse(stored.AsSpan(at + DirectoryPart.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks == directoryModified.ToUniversalTime().Ticks;
    }

    /// <summary>
    /// Whether two stamps say the same of the run's files, whatever they say of its directory: a run whose directory
    /// alone changed (a job directory made, the stamp of an older Expt) needs a new stamp, not a new reading.
    /// </summary>
    public static bool SameFiles(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Files(a).SequenceEqual(Files(b));
    }

    private static ReadOnlySpan<char> Files(string stamp) =>
        stamp.StartsWith('m') && stamp.IndexOf(DirectoryPart, StringComparison.Ordinal) is > 0 and var at ? stamp.AsSpan(0, at) : stamp;

    private static string OfFiles(string dir) =>
        "m" + File(RunFiles.ManifestPath(dir)) + "|j" + File(RunFiles.JournalPath(dir));

    private static string File(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? string.Create(CultureInfo.InvariantCulture, $"{info.LastWriteTimeUtc.Ticks}:{info.Length}") : "-";
    }
}
