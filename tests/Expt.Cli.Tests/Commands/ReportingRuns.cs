using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// Real runs made once for the reporting tests: experiment <c>toy</c> run twice (<c>a</c> with lr 0.1, <c>b</c> with
/// <c>--set lr=0.3</c>; variant r3 fails in both), and experiment <c>evals</c> whose job leaves an Inspect log.
/// </summary>
public sealed class ReportingRuns : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("expt-report");

    public string Root => _dir.Path;

    public string Results => _dir.Combine("results");

    private const string Train = """
        import argparse, json, os, sys
        p = argparse.ArgumentParser()
        p.add_argument("--lr", type=float); p.add_argument("--rank", type=int); p.add_argument("--seed", type=int)
        p.add_argument("--note"); p.add_argument("--tags"); p.add_argument("--output_dir")
        a = p.parse_args()
        if a.rank == 3:
            print("loading data", file=sys.stderr)
            print("ValueError: rank 3 diverged", file=sys.stderr)
            sys.exit(3)
        json.dump({"acc": 0.5 + a.lr * a.rank, "loss": 1.0 / a.rank, "lr": a.lr, "comment": "ok, \"fine\""}, open(os.path.join(a.output_dir, "metrics.json"), "w"))
        """;

    private const string Spec = """
        experiment: toy
        question: Does a higher rank raise accuracy?
        hypothesis: |
          Accuracy rises with rank.
          Rank 3 is too much.
        notes: first try
        params:
          lr: { type: float, default: 0.1 }
          rank: { type: int, default: 1 }
          note: { type: string, default: "a, b" }
          tags: { type: list<string>, default: [x, "y z"] }
        matrix:
          rank: [1, 2, 3]
        name: "r{rank}"
        run: python3 train.py
        """;

    public async Task InitializeAsync()
    {
        _dir.File("toy/train.py", Train);
        var spec = _dir.File("toy/experiment.yaml", Spec);
        var a = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "a", "-p", "3");
        a.ExitCode.ShouldBe(1, a.Out + a.Error);
        var b = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "b", "-p", "3", "--set", "lr=0.3");
        b.ExitCode.ShouldBe(1, b.Out + b.Error);

        var log = Path.Combine(AppContext.BaseDirectory, "Fixtures", "log_read_sample.eval");
        var evals = _dir.File("evals/experiment.yaml", $"experiment: evals\nparams:\n  log: {{ type: string, default: \"{log}\" }}\nrun: mkdir -p {{output_dir}}/logs && cp {{log}} {{output_dir}}/logs/\nargs: none\n");
        var e = await CliHarness.RunAsync("run", evals, "--results", Results, "--run-id", "e");
        e.ExitCode.ShouldBe(0, e.Out + e.Error);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
