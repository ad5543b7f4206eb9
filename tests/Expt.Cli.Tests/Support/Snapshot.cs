using System.Runtime.CompilerServices;

namespace Expt.Cli.Tests.Support;

/// <summary>
/// Compares text people read (dry-run output, tables, generated scripts) with a stored expectation file in
/// <c>Snapshots/</c>. Set EXPT_UPDATE_SNAPSHOTS=1 to write the current output as the new expectation.
/// </summary>
public static class Snapshot
{
    public static void Match(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        var dir = Path.Combine(FindTestsRoot(callerFile), "Snapshots");
        var path = Path.Combine(dir, name + ".txt");
        var normalized = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("EXPT_UPDATE_SNAPSHOTS") == "1" || !File.Exists(path))
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(path, normalized);
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException($"snapshot {name} was missing and has been written; commit {path}");
            }
            return;
        }
        var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected != normalized)
        {
            File.WriteAllText(path + ".received", normalized);
            Assert.Fail($"output differs from snapshot {path} (received output written next to it as .received; EXPT_UPDATE_SNAPSHOTS=1 accepts it)\n--- expected\n{expected}\n--- received\n{normalized}");
        }
    }

    private static string FindTestsRoot(string callerFile)
    {
        var dir = Path.GetDirectoryName(callerFile);
        while (dir is not null && !File.Exists(Path.Combine(dir, "Expt.Cli.Tests.csproj"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("cannot find the test project folder");
    }
}
