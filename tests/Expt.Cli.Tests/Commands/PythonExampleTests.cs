using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// examples/python runs end to end through each of its entry points, and every param type of its spec (int, float,
/// bool, string, enum, empty list, list items with commas and quotes, map, null map, null int) arrives in Python as the
/// spec has it: each entry point echoes what it parsed to parsed.json.
/// </summary>
public sealed class PythonExampleTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-python");

    public void Dispose() => _dir.Dispose();

    private static string Spec => Path.Combine(DryRunTests.RepoRoot(), "examples", "python", "experiment.yaml");

    [Theory]
    [InlineData("helper")]
    [InlineData("argparse")]
    public Task Given_a_standard_library_entry_point_when_the_example_runs_then_every_param_round_trips(string entry) => RunAndCompareAsync(entry);

    [PythonModuleFact("pydantic_settings")]
    public Task Given_the_pydantic_settings_entry_point_when_the_example_runs_then_every_param_round_trips() => RunAndCompareAsync("pydantic");

    [PythonModuleFact("pydantic_settings")]
    public async Task Given_the_pydantic_settings_entry_point_run_by_hand_when_given_expts_flags_then_it_parses_them_as_seed_style_entry_points_do()
    {
        // Given: no EXPT_CONFIG, so pydantic-settings parses the flags (the module's doc says which two it cannot take).
        var output = Directory.CreateDirectory(_dir.Combine("by-hand")).FullName;
        var folder = Path.GetDirectoryName(Spec)!;

        // When
        var (code, stdout, stderr) = await Python.RunAsync(folder, new Dictionary<string, string>(), "train_pydantic.py",
            "--entry", "pydantic", "--model", "m 1", "--steps", "5", "--lr", "0.5", "--use_bias", "false", "--optimizer", "momentum",
            "--tags", "[\"x\"]", "--prompts", "[\"a, b\"]", "--extra", "{\"k\":\"v,1\"}", "--limit", "__none__", "--seed", "7", "--output_dir", output);

        // Then
        code.ShouldBe(0, stdout + stderr);
        var parsed = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "parsed.json")))!;
        var expected = JsonNode.Parse($$"""
            {"entry":"pydantic","model":"m 1","steps":5,"lr":0.5,"use_bias":false,"optimizer":"momentum","tags":["x"],"prompts":["a, b"],
             "extra":{"k":"v,1"},"metadata":null,"limit":null,"output_dir":{{System.Text.Json.JsonSerializer.Serialize(output)}},"seed":7}
            """);
        JsonNode.DeepEquals(parsed, expected).ShouldBeTrue(parsed.ToJsonString());
    }

    [Fact]
    public async Task Given_the_helper_entry_point_when_run_then_it_writes_the_curve_and_per_item_scores_the_report_reads()
    {
        // Given
        var results = _dir.Combine("results");
        var run = await CliHarness.RunAsync("run", Spec, "--results", results, "--run-id", "h");
        run.ExitCode.ShouldBe(0, run.Out + run.Error);

        // When
        var report = await CliHarness.RunAsync("report", "python-entry/h", "--results", results, "--format", "json");

        // Then
        report.ExitCode.ShouldBe(0, report.Error);
        var jobDir = Path.Combine(results, "python-entry", "h", "momentum_bias-true");
        File.ReadAllLines(Path.Combine(jobDir, "metrics.jsonl")).Length.ShouldBe(4);
        File.ReadAllLines(Path.Combine(jobDir, "per_item_scores.csv"))[0].ShouldBe("item,sq_error");
        var paired = JsonNode.Parse(report.Out)!["paired"]!.AsArray();
        paired.ShouldNotBeEmpty();
        paired.ShouldAllBe(p => p!["metric"]!.GetValue<string>() == "sq_error" && p["n"]!.GetValue<int>() == 21);
    }

    private async Task RunAndCompareAsync(string entry)
    {
        // Given
        var results = _dir.Combine("results");

        // When
        var run = await CliHarness.RunAsync("run", Spec, "--results", results, "--run-id", entry, "--set", $"entry={entry}");

        // Then
        run.ExitCode.ShouldBe(0, run.Out + run.Error);
        var variants = new[] { ("sgd", true), ("sgd", false), ("momentum", true), ("momentum", false) };
        foreach (var (optimizer, bias) in variants)
        {
            var jobDir = Path.Combine(results, "python-entry", entry, $"{optimizer}_bias-{(bias ? "true" : "false")}");
            var parsed = JsonNode.Parse(File.ReadAllText(Path.Combine(jobDir, "parsed.json")))!.AsObject();
            var expected = new JsonObject
            {
                ["entry"] = entry,
                ["model"] = "tiny-linear",
                ["steps"] = 40,
                ["lr"] = 0.1,
                ["use_bias"] = bias,
                ["optimizer"] = optimizer,
                ["tags"] = new JsonArray(),
                ["prompts"] = new JsonArray("a, b", "say \"hi\"", "--not-a-flag"),
                ["extra"] = new JsonObject { ["note"] = "x, y", ["ü"] = "z" },
                ["metadata"] = null,
                ["limit"] = null,
                ["seed"] = 42,
                ["output_dir"] = jobDir,
            };
            JsonNode.DeepEquals(parsed, expected).ShouldBeTrue($"{entry} parsed {parsed.ToJsonString()}\nexpected {expected.ToJsonString()}");
            parsed.Select(kv => kv.Key).ShouldBe(expected.Select(kv => kv.Key), ignoreOrder: true);
            // The types too: a float stays a float and an int an int after the trip through the flags.
            parsed["lr"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);
            parsed["lr"]!.ToJsonString().ShouldBe("0.1");
            parsed["steps"]!.ToJsonString().ShouldBe("40");
            File.Exists(Path.Combine(jobDir, "metrics.json")).ShouldBeTrue();
        }
    }
}
