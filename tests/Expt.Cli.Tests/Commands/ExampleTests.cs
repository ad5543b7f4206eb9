using System.Text.Json.Nodes;

namespace Expt.Cli.Tests.Commands;

/// <summary>The examples in the repository run end to end, as the README promises.</summary>
public sealed class ExampleTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-examples");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("quickstart", 18, "rank=0, tags=[\"baseline\",\"no fit\"]", "rank,tags")]
    [InlineData("pipeline", 24, "rank=0", "rank")]
    public async Task Given_an_example_when_run_then_every_job_succeeds_writes_metrics_and_the_report_has_intervals_and_p_values(string example, int jobs, string control, string controlParams)
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
        // Every variant, the control too, ran once per seed: the first report a newcomer sees has statistics.
        var report = await Support.CliHarness.RunAsync("report", $"{example}/e", "--results", results);
        report.ExitCode.ShouldBe(0, report.Error);
        report.Out.ShouldContain("replicates over seed");
        report.Out.ShouldContain("primary metric");
        report.Out.ShouldNotContain("n/a (n<2)");
        // The control is labelled by the params its include declares, not by the matrix factors it leaves out.
        report.Out.ShouldContain($"- **Baseline:** {control} (kind control)");
        var json = await Support.CliHarness.RunAsync("report", $"{example}/e", "--results", results, "--format", "json");
        json.ExitCode.ShouldBe(0, json.Error);
        var groups = JsonNode.Parse(json.Out)!["groups"]!.AsArray();
        var controlGroup = groups.Single(g => g!["name"]!.GetValue<string>() == control)!;
        controlGroup["params"]!.AsObject().Select(kv => kv.Key).ShouldBe(controlParams.Split(','), ignoreOrder: true);
    }
}
