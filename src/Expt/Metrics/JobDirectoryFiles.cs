using System.IO.Enumeration;

namespace Expt.Metrics;

/// <summary>
/// The metrics-related files of one job directory, found in a single directory walk so that a job
/// without <c>metrics.jsonl</c> costs no failed open and no extra stat.
/// </summary>
internal sealed class JobDirectoryFiles
{
    /// <summary>How many directory levels below the job directory are searched for Inspect logs.</summary>
    /// <remarks>
    /// 3 reaches <c>logs/</c>, <c>eval/logs/</c> and <c>eval/task/logs/</c>; deeper trees in a job
    /// directory are checkpoints, datasets and virtual environments, and walking them for 100,000
    /// jobs during a reindex would dominate the time.
    /// </remarks>
    public const int MaxDepth = 3;

    public const string MetricsJsonName = "metrics.json";
    public const string MetricsJsonlName = "metrics.jsonl";

    private JobDirectoryFiles(string? metricsJson, string? metricsJsonl, List<string> inspectCandidates)
    {
        MetricsJson = metricsJson;
        MetricsJsonl = metricsJsonl;
        InspectCandidates = inspectCandidates;
    }

    public string? MetricsJson { get; }

    public string? MetricsJsonl { get; }

    /// <summary>Every <c>.eval</c> and <c>.json</c> file that might be an Inspect log, sorted by path.</summary>
    public List<string> InspectCandidates { get; }

    /// <summary>Finds the files; with <paramref name="searchSubdirectories"/> false, only those directly in the job directory.</summary>
    public static JobDirectoryFiles Find(string jobDirectory, bool searchSubdirectories = true)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = searchSubdirectories,
            MaxRecursionDepth = MaxDepth,
            IgnoreInaccessible = true,
            // The default skips hidden entries: .git, .venv, and the dot-prefixed temporary files
            // of atomic writes.
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        };
        var files = new FileSystemEnumerable<(string Path, bool TopLevel)>(
            jobDirectory,
            (ref FileSystemEntry entry) => (entry.ToFullPath(), entry.Directory.Length == entry.RootDirectory.Length),
            options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && IsCandidate(entry.FileName),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => ShouldDescend(ref entry),
        };

        string? metricsJson = null;
        string? metricsJsonl = null;
        var inspect = new List<string>();
        foreach ((string path, bool topLevel) in files)
        {
            ReadOnlySpan<char> name = Path.GetFileName(path.AsSpan());
            if (topLevel && name.SequenceEqual(MetricsJsonName))
            {
                metricsJson = path;
            }
            else if (topLevel && name.SequenceEqual(MetricsJsonlName))
            {
                metricsJsonl = path;
            }
            else if (!name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            {
                inspect.Add(path);
            }
        }

        inspect.Sort(StringComparer.Ordinal);
        return new JobDirectoryFiles(metricsJson, metricsJsonl, inspect);
    }

    /// <summary>
    /// Whether <paramref name="directory"/> is a directory (itself, or through a link), and what it points at when it is
    /// a symbolic link. One statx for a real directory, as the plain existence check it replaces.
    /// </summary>
    public static (bool Exists, string? LinkTarget) Examine(string directory)
    {
        switch (Internal.Native.KindOf(directory))
        {
            case Internal.FileKind.Directory:
                return (true, null);
            case Internal.FileKind.Missing or Internal.FileKind.Regular or Internal.FileKind.Other:
                return (false, null);
        }

        // A link, or a system without statx: ask .NET.
        if (!Directory.Exists(directory))
        {
            return (false, null);
        }

        try
        {
            return (true, new DirectoryInfo(directory).LinkTarget);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (true, null);
        }
    }

    private static bool IsCandidate(ReadOnlySpan<char> fileName) =>
        fileName.EndsWith(".eval", StringComparison.OrdinalIgnoreCase)
        || fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
        || fileName.SequenceEqual(MetricsJsonlName);

    private static bool ShouldDescend(ref FileSystemEntry entry)
    {
        // Symbolic links to directories are not followed: they can loop, or lead into a shared dataset.
        if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            return false;
        }

        ReadOnlySpan<char> name = entry.FileName;
        return !name.SequenceEqual("__pycache__") && !name.SequenceEqual("node_modules");
    }
}
