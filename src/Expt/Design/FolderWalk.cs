using System.Diagnostics;
using System.IO.Enumeration;

namespace Expt.Design;

/// <summary>
/// How far folder sizes are measured: a dataset folder of millions of files must not make a design take minutes, so
/// each walk and all of them together stop after so many entries or so much time, and say their figures are lower bounds.
/// </summary>
/// <param name="EntriesPerFolder">Most entries one folder's walk reads.</param>
/// <param name="TimePerFolder">Longest one folder's walk takes.</param>
/// <param name="TotalEntries">Most entries all walks together read.</param>
/// <param name="TotalTime">Longest all walks together take.</param>
internal sealed record WalkLimits(int EntriesPerFolder, TimeSpan TimePerFolder, long TotalEntries, TimeSpan TotalTime)
{
    /// <summary>100,000 entries or 2 s per folder; 1,000,000 entries or 10 s in all.</summary>
    public static readonly WalkLimits Default = new(100_000, TimeSpan.FromSeconds(2), 1_000_000, TimeSpan.FromSeconds(10));
}

/// <summary>What a walk found under a folder.</summary>
/// <param name="Bytes">The sum of the sizes of its files.</param>
/// <param name="Files">Its files: every entry that is neither a folder nor a symbolic link.</param>
/// <param name="Cut">Why the figures are lower bounds (the walk stopped, or a folder could not be read), or null when they are exact.</param>
internal sealed record FolderSize(long Bytes, int Files, string? Cut);

/// <summary>
/// Measures folders within one shared <see cref="WalkLimits"/> budget. Symbolic links inside a folder are neither
/// followed nor counted (a link to <c>/</c> must not make a dataset look like the whole disk); nothing is opened, so a
/// FIFO inside counts as a file of its size (0) without blocking.
/// </summary>
internal sealed class FolderWalk(WalkLimits limits)
{
    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = false,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    private readonly Stopwatch _total = new();
    private long _entries;

    /// <summary>True when the shared budget is spent: later folders are not measured.</summary>
    public bool Spent => _entries >= limits.TotalEntries || _total.Elapsed >= limits.TotalTime;

    /// <summary>The size of <paramref name="folder"/>, or null when the shared budget was already spent.</summary>
    public FolderSize? Measure(string folder)
    {
        if (Spent) return null;
        _total.Start();
        try
        {
            return Walk(folder);
        }
        finally
        {
            _total.Stop();
        }
    }

    private FolderSize Walk(string root)
    {
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        int files = 0, entries = 0, unreadable = 0;
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            try
            {
                var items = new FileSystemEnumerable<(bool IsFolder, bool IsLink, long Length, string Path)>(folder,
                    (ref FileSystemEntry e) => (e.IsDirectory, (e.Attributes & FileAttributes.ReparsePoint) != 0, e.IsDirectory ? 0 : e.Length, e.ToFullPath()), OneLevel);
                foreach (var (isFolder, isLink, length, path) in items)
                {
                    if (entries >= limits.EntriesPerFolder || clock.Elapsed >= limits.TimePerFolder || Spent)
                    {
                        return new FolderSize(bytes, files, Stopped(entries, clock.Elapsed));
                    }
                    entries++;
                    _entries++;
                    if (isLink) continue;
                    if (isFolder)
                    {
                        pending.Push(path);
                        continue;
                    }
                    bytes += length;
                    files++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (folder == root) throw;
                unreadable++;
            }
        }
        return new FolderSize(bytes, files, unreadable == 0 ? null
            : $"{unreadable} {(unreadable == 1 ? "folder" : "folders")} inside could not be read");
    }

    private string Stopped(int entries, TimeSpan elapsed) =>
        entries >= limits.EntriesPerFolder ? $"the walk stopped after {entries:N0} entries"
        : elapsed >= limits.TimePerFolder ? $"the walk stopped after {limits.TimePerFolder.TotalSeconds:0.#} s"
        : "the time and entries allowed for measuring folders ran out";
}
