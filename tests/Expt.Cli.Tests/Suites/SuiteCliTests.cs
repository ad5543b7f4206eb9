using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;
using Expt.Suites;

namespace Expt.Cli.Tests.Suites;

public sealed record SweepConfig : ExperimentConfig
{
    [Range(1, 8)]
    public int Rank { get; init; } = 2;

    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>A C# suite runs as <c>expt run</c> does: same options, same plan, same results, readable by every other command.</summary>
public sealed class SuiteCliTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-suite");

    public void Dispose() => _dir.Dispose();

    private const string Entry = """
        import json, os, sys
        args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
        out = args["--output_dir"]
        assert json.loads(args["--tags"]) == json.load(open(os.environ["EXPT_CONFIG"]))["tags"]
        json.dump({"loss": 1.0 / int(args["--rank"])}, open(os.path.join(out, "metrics.json"), "w"))
        """;

    private Matrix<SweepConfig> Cases() =>
        Matrix.Of(new SweepConfig { Tags = ["a,b", ""] }).Vary(c => c.Rank, 1, 2, 4).Control("base", new SweepConfig { Rank = 1 }).Name("r{rank}");

    private async Task<CliResult> RunAsync(IEnumerable<ExperimentCase> cases, params string[] args)
    {
        _dir.File("entry.py", Entry);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var suite = new SuiteSource(cases.ToList(), "python3 entry.py", "sweep", _dir.Combine("suite.cs"));
        var code = await Suite.RunCliAsync(args, suite, new CliContext(stdout, stderr, false, TimeProvider.System));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Given_a_suite_when_dry_run_then_it_prints_the_plan_of_every_case_and_writes_nothing()
    {
        // When
        var result = await RunAsync(Cases(), "--dry-run", "--results", _dir.Combine("results"));

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("Experiment sweep: 4 variants, 4 jobs");
        result.Out.ShouldContain("python3 entry.py --rank 1 --tags '[\"a,b\",\"\"]' --seed 42 --output_dir");
        Directory.Exists(_dir.Combine("results")).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_invalid_cases_when_run_then_every_problem_is_printed_exit_is_2_and_nothing_is_written()
    {
        // When
        var result = await RunAsync([new ExperimentCase("big", new SweepConfig { Rank = 9 }), new ExperimentCase("zero", new SweepConfig { Rank = 0 })], "--results", _dir.Combine("results"));

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("error: suite.cs: cases[big].rank: The field rank must be between 1 and 8. (got 9)");
        result.Error.ShouldContain("error: suite.cs: cases[zero].rank: The field rank must be between 1 and 8. (got 0)");
        result.Error.ShouldContain("2 problems found; nothing was run or written.");
        Directory.Exists(_dir.Combine("results")).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_suite_when_run_then_its_run_is_listed_shown_and_resumed_like_a_spec_run()
    {
        // Given
        var results = _dir.Combine("results");

        // When
        var run = await RunAsync(Cases(), "-p", "2", "--results", results, "--run-id", "r1", "--filter", "kind=default");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(results, "sweep", "r1", "manifest.json")))!;
        var ls = await CliHarness.RunAsync("ls", "--json", "--results", results);
        var show = await CliHarness.RunAsync("show", "sweep/r1", "--results", results);
        var resume = await RunAsync(Cases(), "--resume", "r1", "--results", results);

        // Then
        run.ExitCode.ShouldBe(0, run.Out + run.Error);
        // The control was filtered out: in the manifest, not run; the resume below runs it.
        manifest["jobs"]!.AsArray().Select(j => $"{j!["id"]}:{j["state"]}").ShouldBe(["r1:succeeded", "r2:succeeded", "r4:succeeded", "base:pending"]);
        manifest["commandLine"]!.GetValue<string>().ShouldContain("suite.cs -- -p 2");
        File.ReadAllText(Path.Combine(results, "sweep", "r1", "spec.yaml")).ShouldContain("tags: { type: \"list<string>\", default: [] }");
        ls.ExitCode.ShouldBe(0, ls.Error);
        ls.Out.ShouldContain("\"r1\"");
        show.ExitCode.ShouldBe(0, show.Error);
        show.Out.ShouldContain("loss");
        resume.ExitCode.ShouldBe(0, resume.Out + resume.Error);
        var resumed = JsonNode.Parse(File.ReadAllText(Path.Combine(results, "sweep", "r1", "manifest.json")))!;
        resumed["jobs"]!.AsArray().Select(j => $"{j!["id"]}:{j["state"]}").ShouldBe(["r1:succeeded", "r2:succeeded", "r4:succeeded", "base:succeeded"]);
    }
}
