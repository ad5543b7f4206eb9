using System.Text.Json.Nodes;

namespace Expt.Cli.Tests.Commands;

/// <summary>The examples in the repository run end to end, as the README promises.</summary>
public sealed class ExampleTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-examples");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("quickstart", 6)]
    [InlineData("pipeline", 12)]
    public async Task Given_an_example_when_run_then_every_job_succeeds_and_writes_metrics(string example, int jobs)
    {
        // Given
        var spec = Path.Combine(DryRunTests.RepoRoot(), "examples", example, "experiment.yaml");
        var results = _dir.Combine("results");

        // When
        var result = await Support.CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "e", "-p", "4");

        // Then
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(results, example, "e", "manifest.json")))!;
        var entries = manifest["jobs"]!.AsArray();
        entries.Count.ShouldBe(jobs);
        foreach (var job in entries)
        {
            job!["state"]!.GetValue<string>().ShouldBe("succeeded");
            File.Exists(Path.Combine(results, example, "e", job["dir"]!.GetValue<string>(), "metrics.json")).ShouldBeTrue(job["id"]!.GetValue<string>());
        }
    }
}
