using System.IO.Enumeration;
using Expt.Recording;
using Expt.Results;

namespace Expt.Catalog;

/// <summary>
/// Finds every run and archive pointer under a results root with its <see cref="RunStamp"/>: what every listing does
/// before it answers, so it is kept to one pass over each experiment folder and, for a finished run the catalog
/// already knows, one look at the run's directory (<see cref="RunStamp.Unchanged"/>) instead of three at its files.
/// </summary>
internal static class RunScan
{
    private static readonly EnumerationOptions Options = new() { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 };

    /// <summary>Every location (by its catalog key) with its path and its stamp, given the stamps the catalog holds.</summary>
    public static Dictionary<string, (string Path, string Stamp)> Stamps(string root, IReadOnlyDictionary<string, string> known)
    {
        var found = new Dictionary<string, (string Path, string Stamp)>(StringComparer.Ordinal);
        foreach (var experiment in ResultsRoot.ExperimentDirectories(root))
        {
            // As RunReader.Locations: run directories and pointer files, dot-named ones never (Expt's work in progress).
            // The directory's time comes with the listing (a stat relative to the open folder, no path to walk).
            // The key is built from the two names (CatalogIndexer.LocationKey's result for a path two levels below the root).
            var prefix = Path.GetFileName(experiment) + "/";
            var entries = new FileSystemEnumerable<(string Path, string Key, bool Directory, bool Link, DateTime Modified)>(
                experiment,
                (ref FileSystemEntry e) => (e.ToFullPath(), string.Concat(prefix, e.FileName), e.IsDirectory, (e.Attributes & FileAttributes.ReparsePoint) != 0, e.IsDirectory ? e.LastWriteTimeUtc.UtcDateTime : default),
                Options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) =>
                    !e.FileName.StartsWith('.') && (e.IsDirectory || e.FileName.EndsWith(ArchivePointer.Suffix, StringComparison.Ordinal)),
            };
            foreach (var (path, key, isDirectory, link, modified) in entries)
            {
                if (isDirectory)
                {
                    // A symbolic link's own time says nothing of the directory it leads to.
                    if (!link && known.TryGetValue(key, out var stamp) && RunStamp.Unchanged(stamp, modified))
                    {
                        found[key] = (path, stamp);
                        continue;
                    }
                    if (!ResultsRoot.IsRun(path)) continue;
                }
                found[key] = (path, RunStamp.Of(path));
            }
        }
        return found;
    }
}
