using System.Diagnostics;
using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>A resume from a dirty working tree saves the code its rerun jobs run, as creating a run does.</summary>
public sealed class ResumeDiffTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-rdiff");

    public void Dispose() => _dir.Dispose();

    private static void Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, p.StandardError.ReadToEnd());
    }

    [Fact]
    public async Task Given_a_failed_run_when_resumed_twice_from_dirty_trees_then_each_resume_saves_its_own_diff_and_the_manifest_log_and_show_point_at_it()
    {
        // Given: a clean, committed repository whose job fails; the run records no diff.
        var repo = _dir.Combine("repo");
        var spec = _dir.File("repo/experiment.yaml", "experiment: fixing\nrun: sh job.sh\nargs: none\n");
        _dir.File("repo/job.sh", "exit 1\n");
        Git(repo, "init", "-q");
        Git(repo, "add", ".");
        Git(repo, "commit", "-q", "-m", "start");
        var results = _dir.Combine("results");
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "f")).ExitCode.ShouldBe(1);
        var run = Path.Combine(results, "fixing", "f");
        File.Exists(Path.Combine(run, "git.diff")).ShouldBeFalse();

        // When: the fix is made without committing, and the run resumed; then once more with another change.
        _dir.File("repo/job.sh", "exit 0  # the fix\n");
        var resumed = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "f");
        _dir.File("repo/job.sh", "exit 0  # tidied\n");
        var again = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "f");
        var show = await CliHarness.RunAsync("show", "f", "--results", results);

        // Then: each resume's diff holds the code it ran, beside the run's files.
        resumed.ExitCode.ShouldBe(0, resumed.Out + resumed.Error);
        again.ExitCode.ShouldBe(0, again.Out + again.Error);
        File.ReadAllText(Path.Combine(run, "git.resume-1.diff")).ShouldContain("+exit 0  # the fix");
        File.ReadAllText(Path.Combine(run, "git.resume-2.diff")).ShouldContain("+exit 0  # tidied");
        var resumedWith = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "manifest.json")))!["resumedWith"]!.AsArray();
        resumedWith.Select(r => r!["diff"]!.GetValue<string>()).ShouldBe(["git.resume-1.diff", "git.resume-2.diff"]);
        resumedWith.ShouldAllBe(r => r!["dirty"]!.GetValue<bool>());
        File.ReadAllText(Path.Combine(run, "run.log")).ShouldContain("(dirty, see git.resume-1.diff)");
        show.ExitCode.ShouldBe(0, show.Error);
        show.Out.ShouldContain("git.resume-1.diff");
        show.Out.ShouldContain("git.resume-2.diff");
    }
}
