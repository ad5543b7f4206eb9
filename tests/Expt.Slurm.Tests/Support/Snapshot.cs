using System.Runtime.CompilerServices;

namespace Expt.Slurm.Tests.Support;

/// <summary>
/// Compares text people read (generated sbatch scripts) with a stored expectation in <c>Snapshots/NAME.txt</c>
/// next to the tests' sources. <c>EXPT_UPDATE_SNAPSHOTS=1</c> rewrites the files instead; review the diff.
/// </summary>
internal static class Snapshot
{
    public static void Match(string name, string actual, [CallerFilePath] string caller = "")
    {
        var dir = Path.Combine(FindTestsRoot(caller), "Snapshots");
        var path = Path.Combine(dir, name + ".txt");
        var normalized = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("EXPT_UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(path, normalized);
            return;
        }
        File.Exists(path).ShouldBeTrue($"no snapshot {path}; run the tests with EXPT_UPDATE_SNAPSHOTS=1 to create it, then review it");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected == normalized) return;
        var e = expected.Split('\n');
        var a = normalized.Split('\n');
        var line = Enumerable.Range(0, Math.Max(e.Length, a.Length)).First(i => i >= e.Length || i >= a.Length || e[i] != a[i]);
        File.WriteAllText(Path.ChangeExtension(path, ".received.txt"), normalized);
        throw new Xunit.Sdk.XunitException(
            $"snapshot {name} differs at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}\n" +
            $"the output was written next to it as {Path.GetFileName(Path.ChangeExtension(path, ".received.txt"))}; EXPT_UPDATE_SNAPSHOTS=1 accepts it");
    }

    private static string FindTestsRoot(string caller)
    {
        var dir = Path.GetDirectoryName(caller);
        while (dir is not null && !File.Exists(Path.Combine(dir, "Expt.Slurm.Tests.csproj"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException($"cannot find the test project above {caller}");
    }
}
