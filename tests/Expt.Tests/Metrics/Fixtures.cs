namespace Expt.Tests.Metrics;

/// <summary>The real Inspect AI logs copied into the test output (see Fixtures/SOURCES.md).</summary>
internal static class Fixtures
{
    public const string ReadSample = "log_read_sample.eval";
    public const string InputTask = "2024-11-05T13-32-37-05-00_input-task_hxs4q9azL3ySGkjJirypKZ.eval";
    public const string Unscored = "2025-02-11T15-17-00-05-00_popularity_dPiJifoWeEQBrfWsAopzWr.eval";

    public static readonly string[] All = [ReadSample, InputTask, Unscored];

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Metrics", "Fixtures");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>
    /// The shared fixtures folder the copies came from, when the repository is checked out beside it
    /// (repository at X/main, fixtures at X/shared/fixtures/inspect); null elsewhere.
    /// </summary>
    public static string? FindSharedOriginals()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "fixtures", "inspect");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
