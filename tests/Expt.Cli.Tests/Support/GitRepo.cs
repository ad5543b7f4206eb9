using System.Diagnostics;

namespace Expt.Cli.Tests.Support;

/// <summary>Runs the real <c>git</c> in a test's repository, with a fixed identity and branch name.</summary>
public static class GitRepo
{
    public static string Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, $"git {string.Join(' ', args)}: {error}");
        return output.Trim();
    }

    /// <summary>Runs git and says whether it exited 0 (for the commands that answer by their exit code).</summary>
    public static bool TryGit(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    /// <summary>Makes <paramref name="dir"/> a repository with everything in it committed.</summary>
    public static void InitAndCommit(string dir)
    {
        Git(dir, "init", "-q");
        Git(dir, "add", ".");
        Git(dir, "commit", "-q", "-m", "start");
    }
}
