using System.Diagnostics;

namespace Expt.Cli.Tests.Support;

/// <summary>Runs python3 to completion with captured output, killing it past a generous bound.</summary>
public static class Python
{
    public static async Task<(int Code, string Out, string Error)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("python3") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("EXPT_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(name);
        // No __pycache__ beside the sources (src/Expt.Cli/Templates is embedded in the tool as it is).
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {string.Join(' ', args)} did not exit within 3 minutes");
        }
        return (p.ExitCode, await stdout, await stderr);
    }
}
