using System.Diagnostics;
using Expt.Slurm.Scripts;

namespace Expt.Slurm.Tests.Support;

/// <summary>How one run of a wrapper went: whether it ended within its bound, its exit code and what it printed.</summary>
internal sealed record WrapperRun(bool Ended, int ExitCode, string Output);

/// <summary>
/// A job directory with the real rendered SLURM wrapper and a command, run outside SLURM with plain <c>sh</c>
/// (SLURM_* variables removed) the way an array task runs it: <c>sh .expt/slurm-job.sh ATTEMPT</c>.
/// </summary>
internal sealed class WrapperJob
{
    public WrapperJob(string root, string name, string command)
    {
        Directory = Path.Combine(root, name);
        Control = Path.Combine(Directory, ".expt");
        System.IO.Directory.CreateDirectory(Control);
        File.WriteAllText(Path.Combine(Control, "command.sh"), command + "\n");
        var env = new Dictionary<string, string> { ["EXPT_STAGE"] = "train", ["EXPT_VARIANT"] = name };
        File.WriteAllText(Script, JobWrapper.Render(new JobWrapperContent(name + "/train", Directory, Directory, env)));
    }

    /// <summary>The job directory.</summary>
    public string Directory { get; }

    /// <summary>The job's .expt folder.</summary>
    public string Control { get; }

    private string Script => Path.Combine(Control, "slurm-job.sh");

    /// <summary>The attempt's exit record, or null when the wrapper wrote none.</summary>
    public string? ExitRecord(int attempt = 0)
    {
        var path = Path.Combine(Control, $"exit-{attempt}.json");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>
    /// Runs the wrapper for attempt 0 and waits at most <paramref name="bound"/>; a wrapper still running then is
    /// killed with everything below it and reported as not ended, so a hang fails the test instead of hanging it.
    /// </summary>
    /// <param name="bound">How long the wrapper may take.</param>
    /// <param name="ignoreTerm">Starts it with SIGTERM ignored, which its children inherit: every SIGTERM the wrapper sends is lost.</param>
    /// <param name="path">PATH for the wrapper, e.g. with a fake ps first.</param>
    public async Task<WrapperRun> RunAsync(TimeSpan bound, bool ignoreTerm = false, string? path = null)
    {
        var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (ignoreTerm)
        {
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("trap '' TERM; exec sh \"$0\" 0");
            psi.ArgumentList.Add(Script);
        }
        else
        {
            psi.ArgumentList.Add(Script);
            psi.ArgumentList.Add("0");
        }
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("SLURM_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        if (path is not null) psi.Environment["PATH"] = path;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new WrapperRun(false, -1, $"{Directory}: still running after {bound.TotalSeconds} s");
        }
        return new WrapperRun(true, process.ExitCode, (await stdout) + (await stderr));
    }
}
