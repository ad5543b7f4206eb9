using System.IO.Enumeration;
using System.Security;

namespace Expt.Recording;

/// <summary>
/// How many bytes a job left under its directory when it ended (<see cref="JobStatus.OutputBytes"/>), for the estimates
/// of <c>expt design</c>. A walk of the directory that never follows a symbolic link (a link to a dataset is not the
/// job's output), never throws, and stops after <see cref="MaxEntries"/> entries.
/// </summary>
internal static class JobOutputSize
{
    /// <summary>The most directory entries one measure looks at; a job with more gets the bytes of those it saw.</summary>
    public const int MaxEntries = 1_000_000;

    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    /// <summary>
    /// The sum of the sizes of the files below <paramref name="directory"/>, its subfolders included except those
    /// <paramref name="skip"/> names (absolute paths: the directories of other jobs nested in this one, such as a merge
    /// job's shards). Symbolic links count nothing and are not followed; a FIFO, socket or device has no size to count.
    /// A folder that cannot be listed counts nothing (the rest still counts); null when nothing could be listed at all.
    /// </summary>
    public static long? Measure(string directory, IReadOnlySet<string>? skip = null, int maxEntries = MaxEntries)
    {
        ArgumentNullException.ThrowIfNull(directory);
        long total = 0;
        var seen = 0;
        var listedAny = false;
        var pending = new Stack<string>();
        pending.Push(Path.TrimEndingDirectorySeparator(directory));
        while (pending.Count > 0 && seen < maxEntries)
        {
            var folder = pending.Pop();
            try
            {
                var entries = new FileSystemEnumerable<Entry>(folder, ToEntry, Options);
                using var e = entries.GetEnumerator();
                // The first MoveNext opens the folder: once it returns, the folder could be listed.
                while (e.MoveNext())
                {
                    listedAny = true;
                    var entry = e.Current;
                    if (entry.Subfolder is { } sub)
                    {
                        if (skip is null || !skip.Contains(sub)) pending.Push(sub);
                    }
                    else
                    {
                        total += entry.Bytes;
                    }
                    if (++seen >= maxEntries) break;
                }
                listedAny = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException)
            {
                // Unreadable, gone meanwhile, or a path too long: what it holds is not counted.
            }
        }
        return listedAny ? total : null;
    }

    private static Entry ToEntry(ref FileSystemEntry entry)
    {
        // A link is never followed: to a file it is not the job's bytes, to a folder not the job's folder.
        if ((entry.Attributes & FileAttributes.ReparsePoint) != 0) return default;
        return entry.IsDirectory ? new Entry(0, entry.ToFullPath()) : new Entry(entry.Length, null);
    }

    private readonly record struct Entry(long Bytes, string? Subfolder);
}
