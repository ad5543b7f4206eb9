using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>--seeds N</c> on the command line, and a spec's <c>seeds:</c> and <c>metrics:</c> through a real run to its report.</summary>
public sealed class SeedsAndRolesTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-seeds-cli");

    public void Dispose() => _dir.Dispose();

    private const string Spec = """
        experiment: roles
        params:
          lr: { type: float, default: 0.1 }
        matrix:
          lr: [0.1, 0.3]
        include: [ { kind: control, name: base, lr: 0.0 } ]
        name: "lr{lr}"
        run: python3 train.py
        """;

    // accuracy rises with lr and wobbles with the seed; n (items scored) is largest for the control.
    private const string Train = """
        import argparse, json, os
        p = argparse.ArgumentParser()
        p.add_argument("--lr", type=float); p.add_argument("--seed", type=int); p.add_argument("--output_dir")
        a = p.parse_args()
        acc = round(0.5 + a.lr + [0.0, 0.01, -0.01][a.seed - 1], 6)
        json.dump({"accuracy": acc, "n": 300 if a.lr == 0 else 100}, open(os.path.join(a.output_dir, "metrics.json"), "w"))
        """;

    [Fact]
    public async Task Given_seeds_3_when_plan_then_every_variant_and_the_control_are_planned_once_per_seed()
    {
        // Given
        var spec = _dir.File("p/experiment.yaml", Spec);
        _dir.File("p/train.py", Train);

        // When
        var result = await CliHarness.RunAsync("plan", spec, "--seeds", "3", "--results", _dir.Combine("results"));

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldStartWith("Experiment roles: 9 variants, 9 jobs\n");
        foreach (var variant in new[] { "lr0.1", "lr0.3", "base" })
        {
            for (var seed = 1; seed <= 3; seed++) result.Out.ShouldContain($"\n{variant}_seed-{seed} ");
        }
        result.Out.ShouldMatch(@"\nbase_seed-3 +control +lr=0 seed=3 ");
        result.Out.ShouldContain("--lr 0.1 --seed 1 --output_dir");
    }

    [Theory]
    [InlineData("0", "error: --seeds 0: expected 1 or more")]
    [InlineData("x", "--seeds")]
    public async Task Given_a_wrong_seeds_count_when_plan_then_nothing_is_planned_and_the_option_is_named(string count, string message)
    {
        var spec = _dir.File("p/experiment.yaml", Spec);
        _dir.File("p/train.py", Train);

        var result = await CliHarness.RunAsync("plan", spec, "--seeds", count);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain(message);
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_spec_with_seeds_and_metric_roles_when_run_and_reported_then_the_primary_leads_and_the_info_metric_is_never_compared()
    {
        // Given
        var spec = _dir.File("r/experiment.yaml", Spec.Replace("name: \"", "seeds: [1, 2]\nmetrics:\n  n: { role: info }\n  accuracy: { goal: max, primary: true }\nname: \"", StringComparison.Ordinal));
        _dir.File("r/train.py", Train);
        var results = _dir.Combine("results");
        var run = await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "r", "-p", "3");
        run.ExitCode.ShouldBe(0, run.Out + run.Error);

        // When
        var report = await CliHarness.RunAsync("report", "r", "--results", results);

        // Then the control ran once per seed, so every group has an interval and a p-value against it
        report.ExitCode.ShouldBe(0, report.Error);
        var text = report.Out;
        text.ShouldContain("replicates over seed");
        text.ShouldNotContain("n/a (n<2)");
        text.IndexOf("### accuracy (higher is better; primary metric)", StringComparison.Ordinal)
            .ShouldBeLessThan(text.IndexOf("### n (information only, not compared)", StringComparison.Ordinal));
        text.ShouldContain("| accuracy | higher | lr=0.3 |");
        var summary = text[text.IndexOf("## Summary", StringComparison.Ordinal)..text.IndexOf("## Metrics", StringComparison.Ordinal)];
        summary.ShouldNotContain("| n |");
        var nTable = text[text.IndexOf("### n (", StringComparison.Ordinal)..];
        nTable = nTable[..nTable.IndexOf("\n\n", nTable.IndexOf("| ---", StringComparison.Ordinal), StringComparison.Ordinal)];
        nTable.ShouldNotContain("vs baseline");
        nTable.ShouldContain("| 2 | 300 | 0 |");
    }
}
