using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// What Expt suggests works as printed, and RUN defaults to the newest run: ambiguous ids, <c>compare</c> with one run,
/// the resume hint, the summary of a cancelled run, and <c>show</c>/<c>export</c>/<c>report</c> without RUN.
/// </summary>
public sealed partial class CommandHintsTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-hints");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private Task<CliResult> Expt(params string[] args) => CliHarness.RunAsync([.. args, "--results", Results]);

    private string Spec(string experiment)
    {
        _dir.File($"{experiment}/score.py", "import json, os\nlr = json.load(open(os.environ['EXPT_CONFIG']))['lr']\njson.dump({'lr_seen': lr}, open(os.path.join(os.environ['EXPT_OUTPUT_DIR'], 'metrics.json'), 'w'))\n");
        return _dir.File($"{experiment}/experiment.yaml", $"experiment: {experiment}\nparams:\n  lr: {{ type: float, default: 0.1 }}\nrun: python3 score.py\nargs: none\n");
    }

    private async Task Run(string spec, params string[] args)
    {
        var result = await Expt(["run", spec, .. args]);
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
    }

    [GeneratedRegex("name one of them: (?<names>.*)$", RegexOptions.Multiline)]
    private static partial Regex Suggestions();

    [Fact]
    public async Task Given_a_prefix_that_matches_several_runs_when_shown_then_the_error_suggests_only_references_that_work()
    {
        // Given two runs of one experiment whose ids share the prefix 2026
        var spec = Spec("amb");
        await Run(spec, "--run-id", "20260101_x");
        await Run(spec, "--run-id", "20260102_y");

        // When
        var show = await Expt("show", "2026");

        // Then it names each run in full, and each name shows its run
        show.ExitCode.ShouldBe(2);
        show.Error.ShouldNotContain("EXPERIMENT/");
        var names = Suggestions().Match(show.Error).Groups["names"].Value.Split(", ");
        names.ShouldBe(["amb/20260101_x", "amb/20260102_y"]);
        foreach (var name in names) (await Expt("show", name)).ExitCode.ShouldBe(0, name);
    }

    [Fact]
    public async Task Given_runs_of_two_experiments_when_compare_is_given_one_run_or_none_then_it_compares_that_run_with_the_one_before_it_of_the_same_experiment()
    {
        // Given a/r1, then b/other, then a/r2 with another lr
        await Run(Spec("a"), "--run-id", "r1");
        await Run(Spec("b"), "--run-id", "other");
        await Run(Spec("a"), "--run-id", "r2", "--set", "lr=0.2");

        // When
        var one = await Expt("compare", "a/r2");
        var latest = await Expt("compare", "latest");
        var none = await Expt("compare");
        var first = await Expt("compare", "a/r1");

        // Then the earlier run of a is the reference, and the first run has nothing to be compared with
        one.ExitCode.ShouldBe(0, one.Error);
        one.Out.ShouldStartWith($"A  a/r1  ({Path.Combine(Results, "a", "r1")})\nB  a/r2");
        one.Out.ShouldContain("Params that differ");
        latest.Out.ShouldBe(one.Out);
        none.Out.ShouldBe(one.Out);
        first.ExitCode.ShouldBe(2);
        first.Error.ShouldContain("run a/r1 is the first run of 'a'");
    }

    [Fact]
    public async Task Given_runs_when_show_export_and_report_are_given_no_run_then_they_read_the_latest()
    {
        // Given
        var spec = Spec("d");
        await Run(spec, "--run-id", "old");
        await Run(spec, "--run-id", "new", "--set", "lr=0.3");

        // When
        var show = await Expt("show", "--json");
        var export = await Expt("export", "--format", "jsonl");
        var report = await Expt("report", "--format", "json");

        // Then
        show.ExitCode.ShouldBe(0, show.Error);
        JsonNode.Parse(show.Out)!["runId"]!.GetValue<string>().ShouldBe("new");
        export.ExitCode.ShouldBe(0, export.Error);
        JsonNode.Parse(export.Out)!["run"]!.GetValue<string>().ShouldBe("new");
        report.ExitCode.ShouldBe(0, report.Error);
        JsonNode.Parse(report.Out)!["runId"]!.GetValue<string>().ShouldBe("new");
    }

    [Fact]
    public async Task Given_a_run_cancelled_while_one_job_waited_when_it_ends_then_only_the_started_job_has_a_log_line_and_the_resume_hint_works_as_printed()
    {
        // Given a spec in a folder whose name needs quoting, run one job at a time, the first sleeping
        var spec = _dir.File("my exp/experiment.yaml", "experiment: long\nargs: none\nparams: { i: { type: int, default: 0 } }\nmatrix: { i: [1, 2] }\nname: \"v{i}\"\nrun: sleep 60\n");
        using var runner = ExptProcess.Start(_dir.Path, "run", "my exp", "--results", "results", "--run-id", "r1", "-p", "1");
        var run = Path.Combine(Results, "long", "r1");
        string State(string job) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, job, "status.json")))!["state"]!.GetValue<string>();
        // Running, and its command started (the wrapper opens stderr.log just before it)
        (await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(run, "v1", "status.json")) && State("v1") == "running" && File.Exists(Path.Combine(run, "v1", "stderr.log")), TimeSpan.FromSeconds(60))).ShouldBeTrue();

        // When it is cancelled
        (await Expt("cancel", "r1")).ExitCode.ShouldBe(0);
        (await runner.WaitAsync(TimeSpan.FromSeconds(60))).ShouldBe(143, runner.Out + runner.Error);

        // Then the job that ran points at its log and the one that never started does not
        var summary = runner.Out;
        Block(summary, "CANCELLED v1").ShouldContain("  log: ");
        Block(summary, "CANCELLED v2").ShouldNotContain("log:");
        // And the resume hint names the real spec, quoted, and runs as printed
        var hint = summary.Split('\n').Single(l => l.StartsWith("Resume:", StringComparison.Ordinal))["Resume:".Length..].Trim();
        hint.ShouldNotContain("SPEC");
        hint.ShouldBe("expt run 'my exp/experiment.yaml' --resume results/long/r1 --results results");
        var (code, output, error) = await ExptProcess.RunAsync(_dir.Path, TimeSpan.FromSeconds(120), [.. ShellWords(hint["expt ".Length..]), "--dry-run"]);
        code.ShouldBe(0, output + error);
        output.ShouldContain("Resume of r1: 0 of 2 job(s) already succeeded");
    }

    /// <summary>The lines of a summary from the one that starts with <paramref name="head"/> to the next empty line.</summary>
    private static string Block(string text, string head) =>
        string.Join('\n', text.Split('\n').SkipWhile(l => !l.StartsWith(head, StringComparison.Ordinal)).TakeWhile(l => l.Trim().Length > 0));

    /// <summary>How <c>sh</c> splits <paramref name="text"/> into words.</summary>
    private static string[] ShellWords(string text)
    {
        var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true };
        foreach (var a in new[] { "-c", "eval \"set -- $1\"; for a; do printf '%s\\n' \"$a\"; done", "sh", text }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
