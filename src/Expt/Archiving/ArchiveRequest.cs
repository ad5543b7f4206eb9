namespace Expt.Archiving;

/// <summary>What to archive and how.</summary>
/// <param name="RunDirectory">The run directory.</param>
/// <param name="ArchiveRoot">The archive root: the run goes to <c>{ArchiveRoot}/{experiment}/{runId}</c>.</param>
/// <param name="Drop">Globs of files not to copy (see <see cref="Glob"/>).</param>
/// <param name="Force">Archive even when some job has not finished (never when a runner holds the run).</param>
/// <param name="DryRun">Only plan: change nothing.</param>
public sealed record ArchiveRequest(string RunDirectory, string ArchiveRoot, IReadOnlyList<string> Drop, bool Force = false, bool DryRun = false)
{
    /// <summary>The environment variable that sets the archive root.</summary>
    public const string EnvironmentVariable = "EXPT_ARCHIVE";

    /// <summary>The archive root's directory name under the results root by default.</summary>
    public const string DefaultDirectoryName = ".archive";

    /// <summary><c>--to DIR</c>, else <c>EXPT_ARCHIVE</c>, else <c>{results}/.archive</c>; always absolute.</summary>
    public static string ResolveRoot(string? option, string resultsRoot)
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return Path.GetFullPath(option ?? (string.IsNullOrEmpty(env) ? Path.Combine(resultsRoot, DefaultDirectoryName) : env));
    }
}
