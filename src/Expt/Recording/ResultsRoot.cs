namespace Expt.Recording;

/// <summary>Finds the results root and the runs in it.</summary>
public static class ResultsRoot
{
    /// <summary>The environment variable that moves the results root.</summary>
    public const string EnvironmentVariable = "EXPT_RESULTS";

    /// <summary>The folder name of the default results root.</summary>
    public const string DefaultName = "results";

    /// <summary>
    /// <c>--results DIR</c>, else <c>EXPT_RESULTS</c>, else <see cref="Default"/> of <paramref name="near"/> (the spec's
    /// directory for a command that has a spec, else the current directory); always absolute.
    /// </summary>
    public static string Resolve(string? option, string? near = null)
    {
        if (option is not null) return Path.GetFullPath(option);
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(env) ? Default(near ?? Environment.CurrentDirectory) : Path.GetFullPath(env);
    }

    /// <summary>
    /// <c>results/</c> at the top of the git repository that holds <paramref name="directory"/>, else in the directory
    /// itself. Anchored to the repository, not to where a command happens to be typed: <c>cd sub; expt run ../exp</c>
    /// and <c>expt ls</c> at the top find the same runs.
    /// </summary>
    public static string Default(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        return Path.Combine(RepositoryTop(full) ?? full, DefaultName);
    }

    /// <summary>
    /// The nearest directory at or above <paramref name="directory"/> that holds a <c>.git</c> (a repository's
    /// directory, or the file a worktree or submodule has), or null. Found from the path as given, symbolic links not
    /// resolved, so the root is the one the user reached; no <c>git</c> process is needed just to list runs.
    /// </summary>
    public static string? RepositoryTop(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        for (var dir = Path.GetFullPath(directory); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var git = Path.Combine(dir, ".git");
            if (File.Exists(Path.Combine(git, "HEAD")) || IsGitFile(git)) return dir;
        }
        return null;
    }

    private static bool IsGitFile(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            using var reader = new StreamReader(path);
            return reader.ReadLine()?.StartsWith("gitdir:", StringComparison.Ordinal) == true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Every run directory of <paramref name="experiment"/> (or of all experiments), oldest first by id. Dot-named
    /// directories are never runs: they are Expt's own work in progress (an archive's <c>.{run}.partial-…</c> copy).
    /// </summary>
    public static IEnumerable<string> Runs(string root, string? experiment = null) =>
        ExperimentDirectories(root, experiment).SelectMany(exp => Directory.EnumerateDirectories(exp)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && IsRun(d))
            .OrderBy(Path.GetFileName, StringComparer.Ordinal));

    /// <summary>The folder of <paramref name="experiment"/>, or of every experiment (hidden folders such as <c>.expt</c> are not experiments), in name order.</summary>
    public static IEnumerable<string> ExperimentDirectories(string root, string? experiment = null)
    {
        if (!Directory.Exists(root)) return [];
        var experiments = experiment is not null ? [Path.Combine(root, experiment)] : Directory.EnumerateDirectories(root).Where(d => !Path.GetFileName(d).StartsWith('.'));
        return experiments.Where(Directory.Exists).Order(StringComparer.Ordinal);
    }

    /// <summary>When a run was created: its manifest's <c>created</c>, else the directory's creation time.</summary>
    public static DateTimeOffset CreatedAt(string runDir)
    {
        try
        {
            return Internal.JsonFiles.TryRead<CreatedOnly>(RunFiles.ManifestPath(runDir))?.Created ?? Directory.GetCreationTimeUtc(runDir);
        }
        catch (UnauthorizedAccessException)
        {
            return DateTimeOffset.MinValue;
        }
    }

    internal sealed record CreatedOnly(DateTimeOffset Created);

    /// <summary>Whether a directory is a run (it has a manifest).</summary>
    public static bool IsRun(string dir) => File.Exists(RunFiles.ManifestPath(dir));

    /// <summary>
    /// Resolves a RUN argument: a run directory's path, a run id (<c>{timestamp}_{git7}</c>, optionally
    /// <c>experiment/id</c>), or <c>latest</c> (the newest run, of <paramref name="experiment"/> when given).
    /// </summary>
    public static string? Locate(string root, string reference, string? experiment, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(reference);
        problem = null;
        if (Directory.Exists(reference) && IsRun(reference)) return Path.GetFullPath(reference);
        if (reference == "latest")
        {
            // Newest by creation, not by name: a named run (--run-id) must not hide a newer timestamped one.
            var newest = Runs(root, experiment).OrderBy(CreatedAt).ThenBy(Path.GetFileName, StringComparer.Ordinal).LastOrDefault();
            if (newest is null) problem = experiment is null ? $"no runs under {root}" : $"no runs of '{experiment}' under {root}";
            return newest;
        }
        var parts = reference.Split('/', 2);
        if (parts.Length == 2 && IsRun(Path.Combine(root, parts[0], parts[1]))) return Path.Combine(root, parts[0], parts[1]);
        var matches = Runs(root, experiment).Where(r => Path.GetFileName(r) == reference || Path.GetFileName(r).StartsWith(reference, StringComparison.Ordinal)).ToList();
        var exact = matches.Where(r => Path.GetFileName(r) == reference).ToList();
        if (exact.Count == 1) return exact[0];
        if (matches.Count == 1) return matches[0];
        if (matches.Count > 1)
        {
            // Only what would work: each run's full EXPERIMENT/ID (a prefix with the experiment is no reference).
            var named = matches.Select(m => Path.GetRelativePath(root, m).Replace(Path.DirectorySeparatorChar, '/')).ToList();
            var more = named.Count > 5 ? $", … ({named.Count - 5} more)" : "";
            problem = $"'{reference}' matches {matches.Count} runs; name one of them: {string.Join(", ", named.Take(5))}{more}";
            return null;
        }
        problem = Directory.Exists(reference) ? $"{reference} is not a run directory (no {RunManifest.FileName})" : $"no run '{reference}' under {root}";
        return null;
    }
}
