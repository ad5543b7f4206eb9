using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// A real run whose jobs write <c>per_item_scores.csv</c>: q ∈ {0.5, 0.8} × seed ∈ {1, 2} plus a control (q 0) at the
/// same seeds; 30 items each (10 dev, 20 test), a 0/1 column <c>correct</c> and a continuous <c>score</c>. Job
/// q0.5_s2 also writes a malformed row.
/// </summary>
public sealed class PairedRuns : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("expt-paired");

    public string Results => _dir.Combine("results");

    public string RunDirectory => Path.Combine(Results, "items", "p");

    public string Root => _dir.Path;

    private const string Train = """
        import argparse, json, os
        p = argparse.ArgumentParser()
        p.add_argument("--q", type=float); p.add_argument("--seed", type=int); p.add_argument("--output_dir")
        a = p.parse_args()
        with open(os.path.join(a.output_dir, "per_item_scores.csv"), "w") as f:
            f.write("item,split,correct,score\n")
            for i in range(30):
                c = 1 if (i * 7 + a.seed) % 10 < a.q * 10 + 2 else 0
                s = round(a.q + ((i * 13 + a.seed * 3 + int(a.q * 10)) % 7) / 10, 3)
                f.write(f"q{i},{'dev' if i < 10 else 'test'},{c},{s!r}\n")
            if a.q == 0.5 and a.seed == 2:
                f.write("q99,test,1\n")
        json.dump({"accuracy": a.q}, open(os.path.join(a.output_dir, "metrics.json"), "w"))
        """;

    private const string Spec = """
        experiment: items
        params:
          q: { type: float, default: 0.5 }
        matrix:
          q: [0.5, 0.8]
          seed: [1, 2]
        include:
          - { kind: control, q: 0.0, seed: 1 }
          - { kind: control, q: 0.0, seed: 2 }
        name: "q{q}_s{seed}"
        run: python3 train.py
        """;

    public async Task InitializeAsync()
    {
        _dir.File("items/train.py", Train);
        var spec = _dir.File("items/experiment.yaml", Spec);
        var run = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "p", "-p", "3");
        run.ExitCode.ShouldBe(0, run.Out + run.Error);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>expt report</c> of <see cref="PairedRuns"/>. The expected figures were computed with numpy 1.24 and scipy 1.10
/// by pairing the same items in Python: per item, the mean over both seeds of each side, d = a − b (so one
/// difference per item, n = 30 items, not 60 (seed, item) pairs). Every test is then Wilcoxon (an item's mean of 0/1
/// scores over two seeds is 0.5 where the seeds disagree): <c>wilcoxon(d).pvalue</c>, with <c>method="approx"</c>
/// where the differences tie or are zero (scipy 1.10 switches to it for zeros itself), Holm over all 18 comparisons
/// by the step-down rule, and the bootstrap interval as
/// <c>np.percentile(d[rng.integers(0, n, (10000, n))].mean(axis=1), [2.5, 97.5])</c>.
/// </summary>
public sealed class PairedReportTests(PairedRuns runs) : IClassFixture<PairedRuns>, IDisposable
{
    private readonly TempDirectory _dir = new("expt-paired-t");

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> Expt(params string[] args) => CliHarness.RunAsync([.. args, "--results", runs.Results]);

    private static JsonNode Find(JsonArray paired, string a, string b, string metric, string? split) =>
        paired.Single(c => c!["a"]!.GetValue<string>() == a && c["b"]!.GetValue<string>() == b && c["metric"]!.GetValue<string>() == metric
            && c["split"]?.GetValue<string>() == split)!;

    private static void RelativelyClose(JsonNode? value, double expected) =>
        Math.Abs(value!.GetValue<double>() - expected).ShouldBeLessThanOrEqualTo(1e-9 * expected, $"{value} vs {expected}");

    [Fact]
    public async Task Given_jobs_with_per_item_scores_when_report_json_then_paired_has_every_comparison_with_scipys_figures()
    {
        var result = await Expt("report", "items/p", "--format", "json");

        result.ExitCode.ShouldBe(0, result.Error);
        var paired = JsonNode.Parse(result.Out)!["paired"]!.AsArray();
        // 2 columns × (2 vs the control + the winner vs the runner-up) × (all, dev, test).
        paired.Count.ShouldBe(18);
        paired.Select(c => (c!["a"]!.GetValue<string>(), c["b"]!.GetValue<string>())).Distinct()
            .ShouldBe([("q=0.5", "q=0"), ("q=0.8", "q=0"), ("q=0.8", "q=0.5")]);

        var correct = Find(paired, "q=0.8", "q=0", "correct", null);
        correct["n"]!.GetValue<int>().ShouldBe(30);
        correct["meanDiff"]!.GetValue<double>().ShouldBe(0.8, 1e-12);
        correct["why"]!.GetValue<string>().ShouldBe("vs baseline");
        // Where the two seeds disagree an item's mean is 0.5: not 0/1, so not McNemar.
        correct["test"]!.GetValue<string>().ShouldBe("wilcoxon");
        RelativelyClose(correct["p"], 1.4139957017138486e-06);
        RelativelyClose(correct["pHolm"], 2.5208270678102467e-05);
        // The interval moves in steps of 1/60; the reference's [0.6833, 0.9167] within one step.
        correct["ci95"]![0]!.GetValue<double>().ShouldBe(0.6833, 0.02);
        correct["ci95"]![1]!.GetValue<double>().ShouldBe(0.9167, 0.02);

        var score = Find(paired, "q=0.8", "q=0.5", "score", null);
        score["n"]!.GetValue<int>().ShouldBe(30);
        score["meanDiff"]!.GetValue<double>().ShouldBe(0.30833333333333335, 1e-12);
        score["why"]!.GetValue<string>().ShouldBe("winner vs runner-up");
        score["test"]!.GetValue<string>().ShouldBe("wilcoxon");
        RelativelyClose(score["p"], 1.4243546063851378e-06);
        RelativelyClose(score["pHolm"], 2.5208270678102467e-05);
        score["ci95"]![0]!.GetValue<double>().ShouldBe(0.2617, 0.01);
        score["ci95"]![1]!.GetValue<double>().ShouldBe(0.355, 0.01);

        var dev = Find(paired, "q=0.8", "q=0.5", "score", "dev");
        dev["n"]!.GetValue<int>().ShouldBe(10);
        RelativelyClose(dev["p"], 0.004780851001183842);
        RelativelyClose(dev["pHolm"], 0.03269634020078989);
        var correctDev = Find(paired, "q=0.8", "q=0.5", "correct", "dev");
        correctDev["test"]!.GetValue<string>().ShouldBe("wilcoxon");
        RelativelyClose(correctDev["p"], 0.0633177868300456);
        RelativelyClose(correctDev["pHolm"], 0.0633177868300456);
    }

    [Fact]
    public async Task Given_jobs_with_per_item_scores_when_report_then_significance_json_holds_the_same_comparisons()
    {
        var file = Path.Combine(runs.RunDirectory, "significance.json");

        var json = await Expt("report", "items/p", "--format", "json");

        json.ExitCode.ShouldBe(0, json.Error);
        var written = JsonNode.Parse(File.ReadAllText(file))!;
        written["schemaVersion"]!.GetValue<int>().ShouldBe(1);
        written["bootstrap"]!["resamples"]!.GetValue<int>().ShouldBe(10000);
        written["paired"]!.ToJsonString().ShouldBe(JsonNode.Parse(json.Out)!["paired"]!.ToJsonString());
        Directory.GetFiles(runs.RunDirectory, ".significance.json*").ShouldBeEmpty("the atomic write leaves no temp file");
    }

    [Fact]
    public async Task Given_jobs_with_per_item_scores_when_report_markdown_and_html_then_both_have_the_paired_section()
    {
        var html = _dir.Combine("report.html");

        var md = await Expt("report", "items/p");
        var page = await Expt("report", "items/p", "--format", "html", "-o", html);

        md.ExitCode.ShouldBe(0, md.Error);
        md.Out.ShouldContain("## Paired comparisons");
        md.Out.ShouldContain("| q=0.8 | q=0 | vs baseline | correct | all | 30 | +0.8 |");
        md.Out.ShouldContain("| q=0.8 | q=0.5 | winner vs runner-up | score | dev | 10 | +0.32 |");
        md.Out.ShouldContain("| Wilcoxon | 0.004781 | 0.0327 * |");
        md.Out.ShouldContain("Items paired by id within each of the 2 values of seed, an item's difference averaged over the seeds both have: n counts items.");
        page.ExitCode.ShouldBe(0, page.Error);
        File.ReadAllText(html).ShouldContain("<h2>Paired comparisons</h2>");
    }

    [Fact]
    public async Task Given_a_malformed_per_item_row_when_report_then_it_is_a_warning_with_its_file_and_line_and_the_report_is_made()
    {
        var result = await Expt("report", "items/p");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Error.ShouldContain("per_item_scores.csv:32: has 3 fields, the header 4; the row was skipped");
    }

    [Fact]
    public async Task Given_an_archived_run_when_report_then_significance_json_is_not_written_and_a_note_says_so()
    {
        // A copy of the run in a root of its own, archived there.
        var results = _dir.Combine("results");
        CopyDirectory(runs.Results, results);
        File.Delete(Path.Combine(results, "items", "p", "significance.json"));
        var archive = await CliHarness.RunAsync("archive", "items/p", "--results", results);
        archive.ExitCode.ShouldBe(0, archive.Out + archive.Error);

        var result = await CliHarness.RunAsync("report", "items/p", "--results", results);

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("## Paired comparisons");
        result.Error.ShouldContain("note: significance.json not written: the run is archived");
    }

    [TmpfsFact]
    public async Task Given_a_run_on_a_read_only_file_system_when_report_then_the_report_is_made_and_a_note_says_significance_json_was_not_written()
    {
        // A copy of the results root on a real tmpfs, then remounted read-only.
        using var tmpfs = new Tmpfs(_dir.Combine("ro"), "8m");
        CopyDirectory(runs.Results, tmpfs.Path);
        File.Delete(Path.Combine(tmpfs.Path, "items", "p", "significance.json"));
        using (var remount = System.Diagnostics.Process.Start("mount", ["-o", "remount,ro", tmpfs.Path])) await remount.WaitForExitAsync();

        var result = await CliHarness.RunAsync("report", "items/p", "--results", tmpfs.Path);

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("## Paired comparisons");
        result.Error.ShouldContain("note: significance.json not written: the run directory is not writable (");
        File.Exists(Path.Combine(tmpfs.Path, "items", "p", "significance.json")).ShouldBeFalse();
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }
}
