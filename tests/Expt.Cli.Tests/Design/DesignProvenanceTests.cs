using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Design;

/// <summary>A run started right after a design is not dirty because of the two files the design wrote.</summary>
public sealed class DesignProvenanceTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-dgit");

    public void Dispose() => _dir.Dispose();

    private static JsonNode Git(string runDir) => JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "manifest.json")))!["git"]!;

    private async Task<string> DesignThenRunAsync(string spec, string results, string runId)
    {
        var design = await CliHarness.RunAsync("design", spec, "--results", results);
        design.ExitCode.ShouldBe(0, design.Out + design.Error);
        var run = await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", runId);
        run.ExitCode.ShouldBe(0, run.Out + run.Error);
        return Path.Combine(results, "prov", runId);
    }

    [Fact]
    public async Task Given_a_clean_repository_when_designed_then_run_then_the_run_is_not_dirty_and_saves_no_diff()
    {
        // Given
        var repo = _dir.Combine("repo");
        var spec = _dir.File("repo/exp/experiment.yaml", "experiment: prov\nrun: \"true\"\nargs: none\n");
        GitRepo.InitAndCommit(repo);

        // When
        var run = await DesignThenRunAsync(spec, _dir.Combine("results"), "r1");

        // Then
        File.Exists(_dir.Combine("repo", "exp", "experiment_summary.md")).ShouldBeTrue();
        File.Exists(_dir.Combine("repo", "exp", "design.log")).ShouldBeTrue();
        Git(run)["dirty"]!.GetValue<bool>().ShouldBeFalse();
        File.Exists(Path.Combine(run, "git.diff")).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_design_and_another_untracked_file_when_run_then_the_run_is_dirty_and_git_diff_names_only_that_file()
    {
        // Given
        var repo = _dir.Combine("repo");
        var spec = _dir.File("repo/exp/experiment.yaml", "experiment: prov\nrun: \"true\"\nargs: none\n");
        GitRepo.InitAndCommit(repo);
        _dir.File("repo/notes.txt", "new\n");

        // When
        var run = await DesignThenRunAsync(spec, _dir.Combine("results"), "r1");

        // Then
        Git(run)["dirty"]!.GetValue<bool>().ShouldBeTrue();
        var diff = File.ReadAllText(Path.Combine(run, "git.diff"));
        diff.ShouldContain("#   notes.txt");
        diff.ShouldNotContain("experiment_summary.md");
        diff.ShouldNotContain("design.log");
    }
}
