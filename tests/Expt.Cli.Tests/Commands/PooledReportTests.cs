using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// Runs of one experiment in a real git repository, pooled by <c>expt report</c>: p1 and p2 differ only by
/// <c>--set seed=…</c>; p3 repeats p1's seed at the same commit, and its <c>noise</c> metric is not seeded.
/// </summary>
public sealed class PooledRuns : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("expt-pool");

    public string Results => _dir.Combine("results");

    private const string Train = """
        import json, os, random
        c = json.load(open(os.environ['EXPT_CONFIG']))
        acc = round(0.5 + c['lr'] + [0.0, 0.01, -0.01][c['seed'] - 1], 6)
        json.dump({'accuracy': acc, 'noise': random.random()}, open(os.path.join(os.environ['EXPT_OUTPUT_DIR'], 'metrics.json'), 'w'))
        """;

    private const string Spec = """
        experiment: pool
        params:
          lr: { type: float, default: 0.1 }
          seed: { type: int, default: 1 }
        matrix:
          lr: [0.1, 0.3]
        include:
          - { kind: control, name: base, lr: 0.0 }
        name: "lr{lr}"
        run: python3 train.py
        args: none
        """;

    public async Task InitializeAsync()
    {
        _dir.File("repo/train.py", Train);
        var spec = _dir.File("repo/experiment.yaml", Spec);
        // Two variants with identical results: co-winners, not "no metric has a value to compare".
        _dir.File("repo/tie.py", "import json, os\njson.dump({'accuracy': 1291 / 1350}, open(os.path.join(os.environ['EXPT_OUTPUT_DIR'], 'metrics.json'), 'w'))\n");
        var tie = _dir.File("repo/tie.yaml", "experiment: tie\nparams:\n  opt: { type: string, default: a }\nmatrix:\n  opt: [a, b]\nname: \"{opt}\"\nrun: python3 tie.py\nargs: none\n");
        GitRepo.InitAndCommit(_dir.Combine("repo"));
        var tied = await CliHarness.RunAsync("run", tie, "--results", Results, "--run-id", "t1");
        tied.ExitCode.ShouldBe(0, tied.Out + tied.Error);
        foreach (var (id, seed) in new[] { ("p1", 1), ("p2", 2), ("p3", 1) })
        {
            var run = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", id, "--set", $"seed={seed}");
            run.ExitCode.ShouldBe(0, run.Out + run.Error);
        }
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

public sealed partial class PooledReportTests(PooledRuns runs) : IClassFixture<PooledRuns>
{
    private Task<CliResult> Expt(params string[] args) => CliHarness.RunAsync([.. args, "--results", runs.Results]);

    [System.Text.RegularExpressions.GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC|\([0-9a-f]{7}\)")]
    private static partial System.Text.RegularExpressions.Regex Varying();

    // The cost table's measures depend on the machine; its group names and job counts do not.
    [System.Text.RegularExpressions.GeneratedRegex(@"(?m)^\| ([^|]+) \| (\d+) \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \|$")]
    private static partial System.Text.RegularExpressions.Regex CostRows();

    [Fact]
    public async Task Given_two_runs_that_differ_by_seed_when_reported_together_then_the_header_names_both_and_groups_have_intervals()
    {
        var result = await Expt("report", "p1", "p2", "--metric", "accuracy");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldStartWith("# pool / p1+p2\n");
        result.Out.ShouldMatch(@"- \*\*Runs pooled:\*\* `p1` \([0-9a-f]{7}\), `p2` \([0-9a-f]{7}\)\n");
        result.Out.ShouldContain("- **Groups:** by lr, replicates over run × seed; metrics of stage `main`");
        result.Out.ShouldContain("- **Baseline:** base (kind control)");
        // lr 0.1 at seeds 1 and 2: 0.6 and 0.61 (the group is one variant, named as such).
        result.Out.ShouldContain("| lr0.1 | default | 0.1 | 2 | 0.605 | 0.007071 | 0.5415 … 0.6685 | 0.6 | 0.61 | +0.1 (+19.8%) | 0.004963 * |");
        result.Out.ShouldContain("n: replicates with a value (each a run × seed). 95% CI");
        result.Out.ShouldNotContain("n/a (n<2)");
        Snapshot.Match(CostRows().Replace(Varying().Replace(result.Out, "<varies>"), "| $1 | $2 | <wall> | <cpu> | <gpu> | <rss> |"), "report-pooled");
    }

    [Fact]
    public async Task Given_every_run_of_the_experiment_when_reported_as_json_then_the_unseeded_metric_is_flagged_nondeterministic()
    {
        var result = await Expt("report", "--experiment", "pool", "--all", "--format", "json");

        result.ExitCode.ShouldBe(0, result.Error);
        var json = JsonNode.Parse(result.Out)!;
        json["runs"]!.AsArray().Select(r => r!["runId"]!.GetValue<string>()).ShouldBe(["p1", "p2", "p3"]);
        json["replicates"]!.GetValue<string>().ShouldBe("run × seed");
        var flagged = json["nondeterministic"]!.AsArray();
        flagged.Select(f => (f!["config"]!.GetValue<string>(), f["metric"]!.GetValue<string>())).Order().ShouldBe([("base", "noise"), ("lr0.1", "noise"), ("lr0.3", "noise")]);
        flagged[0]!["runs"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["p1", "p3"]);
        var accuracy = json["metrics"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "accuracy")!;
        accuracy["winners"]!.AsArray().Select(w => w!.GetValue<string>()).ShouldBe(["lr0.3"]);
        accuracy["winner"]!["group"]!.GetValue<string>().ShouldBe("lr0.3");
    }

    [Fact]
    public async Task Given_the_same_run_twice_when_reported_then_it_is_one_run_and_the_output_is_that_runs_report()
    {
        var once = await Expt("report", "p1");
        var twice = await Expt("report", "p1", "pool/p1");

        twice.ExitCode.ShouldBe(0, twice.Error);
        twice.Out.ShouldBe(once.Out);
    }

    [Fact]
    public async Task Given_by_seed_over_two_runs_when_reported_then_the_header_says_lr_is_averaged_within_each_run()
    {
        var result = await Expt("report", "p1", "p2", "--by", "seed", "--metric", "accuracy");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("- **Groups:** by seed, averaging lr within each run; metrics of stage `main`");
        // seed 1: lr 0.1 and 0.3 averaged, (0.6 + 0.8) / 2, one value: the two lrs are not replicates.
        result.Out.ShouldContain("| seed=1 | default | 1 | 1 | 0.7 | - | - | 0.7 | 0.7 |");
        result.Out.ShouldContain("n: replicates with a value (each a run); the variants a group pools are averaged within each replicate first.");
    }

    [Fact]
    public async Task Given_two_variants_with_identical_results_when_reported_then_both_are_named_co_winners()
    {
        var result = await Expt("report", "tie/t1");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldNotContain("No metric has a value to compare.");
        result.Out.ShouldContain("| accuracy | higher | a, b (tie) | 0.9563 | - | - | - | - |");
        result.Out.ShouldContain("- **Note:** accuracy: a, b tie on their mean (within a relative 1e-9): co-winners");
    }

    [Fact]
    public async Task Given_runs_of_two_experiments_when_reported_together_then_it_exits_2_naming_them()
    {
        var result = await Expt("report", "pool/p1", "tie/t1");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith("error: runs of 2 experiments (pool, tie): a report pools the runs of one experiment");
        result.Out.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--all")]
    [InlineData("--experiment", "pool")]
    [InlineData("p1", "--experiment", "pool", "--all")]
    public async Task Given_all_without_an_experiment_or_with_runs_when_reported_then_it_exits_2(params string[] args)
    {
        var result = await Expt(["report", .. args]);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith("error: ");
        result.Out.ShouldBeEmpty();
    }
}
