using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// A real run made once for the <c>expt report</c> tests: experiment <c>sweep</c>, lr ∈ {0.1, 0.3} × seed ∈ {1, 2, 3}
/// plus a control (lr 0) at the same seeds, run id <c>s</c>. lr 0.3 with seed 3 fails; accuracy is 0.5 + lr plus a
/// per-seed offset of 0, +0.01 or −0.01, so every mean and standard deviation is known exactly.
/// </summary>
public sealed class StudyRuns : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("expt-study");

    public string Root => _dir.Path;

    public string Results => _dir.Combine("results");

    private const string Train = """
        import argparse, json, os, sys
        p = argparse.ArgumentParser()
        p.add_argument("--lr", type=float); p.add_argument("--seed", type=int); p.add_argument("--output_dir")
        a = p.parse_args()
        if a.lr == 0.3 and a.seed == 3:
            print("diverged", file=sys.stderr)
            sys.exit(3)
        acc = round(0.5 + a.lr + [0.0, 0.01, -0.01][a.seed - 1], 6)
        json.dump({"accuracy": acc, "loss": round(1 - acc, 6), "note": "text is skipped"}, open(os.path.join(a.output_dir, "metrics.json"), "w"))
        """;

    private const string Spec = """
        experiment: sweep
        question: Does a higher learning rate raise accuracy?
        hypothesis: |
          Accuracy rises with lr.
          The control is worst.
        params:
          lr: { type: float, default: 0.1 }
        matrix:
          lr: [0.1, 0.3]
          seed: [1, 2, 3]
        include:
          - { kind: control, lr: 0.0, seed: 1 }
          - { kind: control, lr: 0.0, seed: 2 }
          - { kind: control, lr: 0.0, seed: 3 }
        name: "lr{lr}_s{seed}"
        run: python3 train.py
        """;

    public async Task InitializeAsync()
    {
        _dir.File("sweep/train.py", Train);
        var spec = _dir.File("sweep/experiment.yaml", Spec);
        var run = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "s", "-p", "3");
        run.ExitCode.ShouldBe(1, run.Out + run.Error);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
