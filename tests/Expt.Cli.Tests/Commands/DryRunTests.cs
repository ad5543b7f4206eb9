using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

public sealed class DryRunTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-dry");

    public void Dispose() => _dir.Dispose();

    private string Normalize(string text) => text.Replace(_dir.Path, "<tmp>", StringComparison.Ordinal);

    [Fact]
    public async Task Given_the_quickstart_spec_when_dry_run_then_the_plan_matches_the_snapshot_and_nothing_is_written()
    {
        // Given
        var spec = _dir.File("q/experiment.yaml", File.ReadAllText(Path.Combine(RepoRoot(), "examples", "quickstart", "experiment.yaml")));
        _dir.File("q/data/points.csv", "x,y\n");
        _dir.File("q/train.py", File.ReadAllText(Path.Combine(RepoRoot(), "examples", "quickstart", "train.py")));
        var results = _dir.Combine("results");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--dry-run", "--results", results, "--run-id", "preview");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        Snapshot.Match(Normalize(result.Out), "dry-run-quickstart");
        Directory.Exists(results).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_pipeline_spec_when_planned_then_stages_cells_and_needs_match_the_snapshot()
    {
        // Given
        var spec = _dir.File("p/experiment.yaml", """
            experiment: pipe
            params:
              rank: { type: int, default: 8 }
            matrix: { rank: [4, 16] }
            include: [ { kind: control, name: base, rank: 0 } ]
            name: "r{rank}"
            stages:
              train: { run: python3 train.py, kinds: [default] }
              eval:
                run: python3 eval.py --ckpt {stage.train.dir} --task {task}  # the epoch is read from $EXPT_CONFIG
                needs: [train]
                foreach: { epoch: [1, 2], task: [mmlu, gsm8k] }
                foreach_by_kind: { control: { task: [mmlu, gsm8k] } }
                args: none
            """);
        _dir.File("p/train.py", "");

        // When
        var result = await CliHarness.RunAsync("plan", spec, "--results", _dir.Combine("results"), "--run-id", "preview");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        Snapshot.Match(Normalize(result.Out), "plan-pipeline");
    }

    [Fact]
    public async Task Given_a_spec_when_planned_as_json_then_every_job_has_its_config_and_identity()
    {
        // Given
        var spec = _dir.File("j/experiment.yaml", "experiment: j\nparams:\n  lr: { type: float, default: 0.1 }\nmatrix: { lr: [0.1, 0.2] }\nrun: echo\n");

        // When
        var result = await CliHarness.RunAsync("plan", spec, "--json");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var root = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!;
        root["schemaVersion"]!.GetValue<int>().ShouldBe(1);
        var jobs = root["jobs"]!.AsArray();
        jobs.Count.ShouldBe(2);
        jobs[1]!["config"]!["lr"]!.GetValue<double>().ShouldBe(0.2);
        jobs[1]!["identity"]!.GetValue<string>().ShouldStartWith("v1:");
    }

    [Fact]
    public async Task Given_a_stage_selection_when_planned_then_the_header_counts_the_selected_stages_and_an_empty_selection_names_the_option()
    {
        // Given a three-stage pipeline and a single-command spec
        var pipeline = _dir.File("s/experiment.yaml", "experiment: s\nargs: none\nstages:\n  prepare: { run: \"true\" }\n  train: { run: \"true\", needs: [prepare] }\n  eval: { run: \"true\", needs: [train] }\n");
        var single = _dir.File("o/experiment.yaml", "experiment: o\nrun: \"true\"\n");

        // When
        var only = await CliHarness.RunAsync("plan", pipeline, "--only", "prepare");
        var skipped = await CliHarness.RunAsync("plan", single, "--skip", "main");
        var unknown = await CliHarness.RunAsync("frobnicate");

        // Then
        only.Out.ShouldStartWith("Experiment s: 1 variant, 1 job in 1 of 3 stages");
        skipped.ExitCode.ShouldBe(2);
        skipped.Error.ShouldContain("the plan is empty: with --skip main no stage is left to run");
        unknown.ExitCode.ShouldBe(2);
        unknown.Error.ShouldContain("Unrecognized command or argument 'frobnicate'");
        unknown.Error.ShouldNotContain("Required command");
    }

    [Fact]
    public async Task Given_a_seed_set_on_the_command_line_when_dry_run_then_every_row_and_the_json_show_it_as_changed()
    {
        // Given a matrix over lr; --set gives seed a new value and lr its own default
        var spec = _dir.File("seed/experiment.yaml", "experiment: seed\nparams:\n  lr: { type: float, default: 0.1 }\n  rank: 4\nmatrix: { lr: [0.1, 0.2] }\nname: \"lr{lr}\"\nrun: \"true\"\n");

        // When
        var text = await CliHarness.RunAsync("run", spec, "--dry-run", "--set", "seed=7", "--set", "rank=4");
        var json = await CliHarness.RunAsync("plan", spec, "--json", "--set", "seed=7");

        // Then
        text.ExitCode.ShouldBe(0, text.Error);
        var rows = text.Out.Split('\n').Where(l => l.StartsWith("lr0.", StringComparison.Ordinal)).ToList();
        rows.Count.ShouldBe(2);
        rows[0].ShouldContain(" rank=4 seed=7 ");
        rows[1].ShouldContain(" lr=0.2 rank=4 seed=7 ");
        var jobs = System.Text.Json.Nodes.JsonNode.Parse(json.Out)!["jobs"]!.AsArray();
        jobs.Select(j => j!["changed"]!.AsArray().Select(c => c!.GetValue<string>()).ToList()).ShouldBe([["seed"], ["lr", "seed"]]);
    }

    internal static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Expt.slnx"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root not found");
    }
}
