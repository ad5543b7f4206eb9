using System.Diagnostics;

namespace Expt.Slurm.Tests.Support;

/// <summary>
/// The real SLURM cluster the integration tests use (scripts/slurm/start-cluster.sh brings it up). Tests are
/// skipped when none answers, unless <c>EXPT_REQUIRE_SLURM=1</c> (CI), where they fail instead.
/// </summary>
internal static class SlurmCluster
{
    public const string RequireVariable = "EXPT_REQUIRE_SLURM";

    private static readonly Lazy<string?> Problem = new(Probe);

    /// <summary>True when CI demands a cluster.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why no cluster answers, or null when one does.</summary>
    public static string? Unavailable => Problem.Value;

    /// <summary>Fails the test with the reason when no cluster answers (only reached when it is required).</summary>
    public static void Require()
    {
        if (Unavailable is { } why) throw new InvalidOperationException($"{RequireVariable}=1 but no SLURM cluster answers: {why}. Run scripts/slurm/start-cluster.sh first.");
    }

    /// <summary>The repository root (for scripts/slurm).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "Expt.slnx"))) dir = Path.GetDirectoryName(dir);
            return dir ?? throw new InvalidOperationException("cannot find Expt.slnx above the test assembly");
        }
    }

    /// <summary>Runs one of scripts/slurm/*.sh and fails the test when it fails.</summary>
    public static async Task RunScriptAsync(string name)
    {
        var result = await Run(Path.Combine(RepositoryRoot, "scripts", "slurm", name), [], TimeSpan.FromSeconds(120));
        result.ExitCode.ShouldBe(0, $"{name} failed: {result.Output}");
    }

    /// <summary>Runs a SLURM command directly (scontrol, squeue) for a test's own setup or checks.</summary>
    public static async Task<(int ExitCode, string Output)> Run(string file, string[] args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} did not answer within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds} s");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static string? Probe()
    {
        try
        {
            var (code, output) = Run("sinfo", ["-h"], TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            return code == 0 ? null : $"sinfo -h exited {code}: {output.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"sinfo is not installed ({e.Message})";
        }
    }
}
