using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;
using Expt.Results;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>expt archive</c> and <c>expt clean</c> on run directories made by the runner.</summary>
public sealed class ArchiveAndCleanTests : IDisposable
{
    private const string Train = """
        import json, os, sys
        out = os.environ["EXPT_OUTPUT_DIR"]
        cfg = json.load(open(os.environ["EXPT_CONFIG"]))
        os.makedirs(os.path.join(out, "checkpoint-1"), exist_ok=True)
        open(os.path.join(out, "checkpoint-1", "model.pt"), "wb").write(b"\0" * 300000)
        json.dump({"acc": 0.5}, open(os.path.join(out, "metrics.json"), "w"))
        print("trained", cfg["m"])
        sys.exit(1 if cfg["fail"] else 0)
        """;

    private const string Spec = """
        experiment: arc
        params:
          m: { type: string, default: a }
          fail: { type: bool, default: false }
        matrix: { m: [a, b] }
        name: "{m}"
        run: python3 train.py
        args: none
        """;

    private readonly TempDirectory _dir = new("expt-arc");

    public ArchiveAndCleanTests()
    {
        _dir.File("arc/train.py", Train);
        _dir.File("arc/experiment.yaml", Spec);
    }

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private string RunDir(string id) => Path.Combine(Results, "arc", id);

    private async Task<string> RunAsync(string id, params string[] extra)
    {
        var result = await CliHarness.RunAsync(["run", _dir.Combine("arc", "experiment.yaml"), "--results", Results, "--run-id", id, .. extra]);
        result.ExitCode.ShouldBeOneOf([0, 1], result.Out + result.Error);
        return RunDir(id);
    }

    private static async Task<CliResult> AtAsync(DateTimeOffset now, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ExptCli.RunAsync(args, new CliContext(stdout, stderr, false, new FixedTime(now)));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Given_a_finished_run_when_archived_with_a_checkpoint_drop_then_sizes_are_printed_the_original_is_gone_and_the_pointer_reads_the_run()
    {
        // Given
        var run = await RunAsync("r1");

        // When
        var result = await CliHarness.RunAsync("archive", "r1", "--results", Results, "--drop", "**/checkpoint-*", "--drop", "metrics.json");

        // Then
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        result.Out.ShouldContain("dropped 2 file(s), freed 585.9 KiB");
        result.Out.ShouldMatch(@"Kept \d+ file\(s\), \d+\.\d KiB");
        result.Out.ShouldContain("always kept: a/metrics.json (matches --drop metrics.json");
        Directory.Exists(run).ShouldBeFalse();
        var archive = Path.Combine(Results, ".archive", "arc", "r1");
        foreach (var kept in new[] { "manifest.json", "spec.yaml", "run.log", "a/config.json", "a/status.json", "a/stdout.log", "a/metrics.json", "b/metrics.json" })
        {
            File.Exists(Path.Combine(archive, kept)).ShouldBeTrue(kept);
        }
        Directory.GetFiles(archive, "model.pt", SearchOption.AllDirectories).ShouldBeEmpty();
        var record = RunReader.Read(Path.Combine(Results, "arc", "r1" + ArchivePointer.Suffix), out var problem);
        record.ShouldNotBeNull(problem);
        record.Directory.ShouldBe(archive);
        record.IsComplete.ShouldBeTrue();
        record.Jobs.Single(j => j.Entry.Variant == "a").ReadMetrics().ShouldNotBe(Expt.Metrics.JobMetrics.Empty);

        var again = await CliHarness.RunAsync("archive", "arc/r1", "--results", Results);
        again.ExitCode.ShouldBe(2);
        again.Error.ShouldStartWith("error: arc/r1 is already archived");
        var status = await CliHarness.RunAsync("status", "r1", "--results", Results);
        status.ExitCode.ShouldBe(2);
        status.Error.ShouldContain("run arc/r1 is archived (to ");
    }

    [Fact]
    public async Task Given_two_runs_when_latest_is_archived_twice_then_the_newest_goes_first_and_then_the_other()
    {
        // Given
        await RunAsync("older");
        await RunAsync("newer");

        // When
        var first = await CliHarness.RunAsync("archive", "latest", "--results", Results);
        var second = await CliHarness.RunAsync("archive", "latest", "--results", Results);

        // Then 'latest' means the newest run still to archive, not the archived one
        first.ExitCode.ShouldBe(0, first.Error);
        second.ExitCode.ShouldBe(0, second.Error);
        File.Exists(ArchivePointer.PathFor(RunDir("newer"))).ShouldBeTrue();
        File.Exists(ArchivePointer.PathFor(RunDir("older"))).ShouldBeTrue();
        Directory.Exists(RunDir("older")).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_dry_run_when_archiving_then_the_dropped_files_and_sizes_are_listed_and_nothing_changes()
    {
        // Given
        var run = await RunAsync("r1");
        var before = Directory.GetFiles(run, "*", SearchOption.AllDirectories).Length;

        // When
        var text = await CliHarness.RunAsync("archive", "latest", "--results", Results, "--drop", "*.pt", "--dry-run");
        var json = await CliHarness.RunAsync("archive", run, "--to", _dir.Combine("cold"), "--drop", "*.pt", "--dry-run", "--json");

        // Then
        text.ExitCode.ShouldBe(0, text.Error);
        text.Out.ShouldContain("a/checkpoint-1/model.pt  293.0 KiB");
        text.Out.ShouldContain("would drop 2 file(s), would free 585.9 KiB");
        text.Out.ShouldContain("Dry run: nothing was changed.");
        json.ExitCode.ShouldBe(0, json.Error);
        var summary = JsonNode.Parse(json.Out)!;
        summary["outcome"]!.GetValue<string>().ShouldBe("dry_run");
        summary["destination"]!.GetValue<string>().ShouldBe(Path.Combine(_dir.Combine("cold"), "arc", "r1"));
        summary["dropped"]!["bytes"]!.GetValue<long>().ShouldBe(600000);
        Directory.GetFiles(run, "*", SearchOption.AllDirectories).Length.ShouldBe(before);
        Directory.Exists(Path.Combine(Results, ".archive")).ShouldBeFalse();
        Directory.Exists(_dir.Combine("cold")).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_an_incomplete_run_when_archived_then_it_is_refused_unless_forced()
    {
        // Given: a run interrupted before its second job ended.
        var run = await RunAsync("r1");
        var status = Path.Combine(run, "b", "status.json");
        var node = JsonNode.Parse(File.ReadAllText(status))!;
        node["state"] = "running";
        File.WriteAllText(status, node.ToJsonString());

        // When
        var refused = await CliHarness.RunAsync("archive", "r1", "--results", Results);
        var forced = await CliHarness.RunAsync("archive", "r1", "--results", Results, "--force");

        // Then
        refused.ExitCode.ShouldBe(2);
        refused.Error.ShouldStartWith("error: the run is incomplete: 1 of 2 job(s) have not finished (1 running); use --force");
        forced.ExitCode.ShouldBe(0, forced.Out + forced.Error);
        Directory.Exists(run).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_failed_and_a_good_run_when_cleaning_failed_runs_then_only_the_failed_one_is_listed_and_yes_deletes_it()
    {
        // Given
        var good = await RunAsync("good");
        var bad = await RunAsync("bad", "--set", "fail=true");

        // When
        var dry = await CliHarness.RunAsync("clean", "--failed", "--dry-run", "--results", Results);
        var list = await CliHarness.RunAsync("clean", "--failed", "--results", Results, "--json");
        var plain = await CliHarness.RunAsync("clean", "--failed", "--results", Results);
        var listedOnly = Directory.Exists(bad);
        var delete = await CliHarness.RunAsync("clean", "--failed", "--yes", "--results", Results);

        // Then
        dry.ExitCode.ShouldBe(0, dry.Error);
        dry.Out.ShouldContain("arc/bad");
        dry.Out.ShouldContain("2 failed");
        dry.Out.ShouldNotContain("arc/good");
        dry.Out.ShouldContain("Would delete 1 run(s)");
        var runs = JsonNode.Parse(list.Out)!["runs"]!.AsArray();
        runs.Select(r => r!["runId"]!.GetValue<string>()).ShouldBe(["bad"]);
        runs[0]!["bytes"]!.GetValue<long>().ShouldBeGreaterThan(600000);
        plain.Out.ShouldContain("pass --yes to delete");
        listedOnly.ShouldBeTrue("without --yes nothing is deleted");
        Directory.Exists(bad).ShouldBeFalse();
        delete.ExitCode.ShouldBe(0, delete.Out + delete.Error);
        delete.Out.ShouldContain("Deleted 1 run(s)");
        Directory.Exists(good).ShouldBeTrue();
        Directory.GetDirectories(Results, ".deleting-*").ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_no_criterion_when_cleaning_then_it_refuses_with_exit_2()
    {
        var run = await RunAsync("r1");

        var result = await CliHarness.RunAsync("clean", "--yes", "--experiment", "arc", "--results", Results);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith("error: give at least one of --failed, --incomplete, --older-than");
        Directory.Exists(run).ShouldBeTrue();
    }

    [Fact]
    public async Task Given_a_fixed_clock_when_cleaning_older_than_30_days_then_only_runs_created_before_it_match()
    {
        // Given
        var run = await RunAsync("r1");
        var now = DateTimeOffset.UtcNow;

        // When
        var tooNew = await AtAsync(now.AddDays(29), "clean", "--older-than", "30d", "--yes", "--results", Results);
        var old = await AtAsync(now.AddDays(31), "clean", "--older-than", "30d", "--yes", "--results", Results);

        // Then
        tooNew.ExitCode.ShouldBe(0, tooNew.Error);
        tooNew.Out.ShouldContain("No runs under");
        old.ExitCode.ShouldBe(0, old.Out + old.Error);
        old.Out.ShouldContain("arc/r1");
        Directory.Exists(run).ShouldBeFalse();
    }

    private async Task<(string Run, string Flat)> RunCollectingAsync(string id, bool fail = false)
    {
        var eval = Path.Combine(DryRunTests.RepoRoot(), "tests", "Expt.Tests", "Metrics", "Fixtures", "log_read_sample.eval");
        var spec = _dir.File("col/experiment.yaml", $"""
            experiment: col
            run: mkdir -p $EXPT_OUTPUT_DIR/logs && cp '{eval}' $EXPT_OUTPUT_DIR/logs/ && {(fail ? "false" : "true")}
            collect: {"{"} pattern: "*.eval", layout: flat {"}"}
            args: none
            """);
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", id);
        result.ExitCode.ShouldBe(fail ? 1 : 0, result.Out + result.Error);
        return (Path.Combine(Results, "col", id), Path.Combine(Results, "col", "nogit_default_log_read_sample.eval"));
    }

    [Fact]
    public async Task Given_a_run_whose_inspect_log_collect_moved_when_archived_then_the_archive_holds_a_verified_copy_that_still_gives_its_metrics()
    {
        // Given a run whose Inspect log was moved to the experiment's flat folder
        var (_, flat) = await RunCollectingAsync("r1");
        File.Exists(flat).ShouldBeTrue();

        // When it is archived and the flat folder is cleared afterwards
        var result = await CliHarness.RunAsync("archive", "r1", "--results", Results);
        var copy = Path.Combine(Results, ".archive", "col", "r1", ".expt", "collected", "col", Path.GetFileName(flat));
        File.Exists(flat).ShouldBeTrue("the flat folder keeps its logs for the log viewer");
        File.Delete(flat);

        // Then the archive kept an identical copy, and the archived run's metrics are read from it
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        File.Exists(copy).ShouldBeTrue();
        var run = RunReader.Read(ArchivePointer.PathFor(Path.Combine(Results, "col", "r1")), out var problem);
        run.ShouldNotBeNull(problem);
        var metrics = run.Jobs.Single().ReadMetrics();
        metrics.InspectLogs.Single().Path.ShouldBe(copy);
        metrics.Scalars["match/accuracy"].ToString().ShouldBe("1");
    }

    [Fact]
    public async Task Given_a_failed_run_whose_inspect_log_collect_moved_when_cleaned_then_the_collected_log_goes_with_it_and_others_stay()
    {
        // Given a failed run and a good one, each with a collected log
        var (failed, failedLog) = await RunCollectingAsync("bad", fail: true);
        var (good, goodLog) = await RunCollectingAsync("good");
        goodLog = goodLog.Replace(".eval", "-2.eval", StringComparison.Ordinal);
        File.Exists(goodLog).ShouldBeTrue("the second log of the same name gets -2");

        // When failed runs are cleaned
        var result = await CliHarness.RunAsync("clean", "--failed", "--yes", "--results", Results);

        // Then the failed run and its collected log are gone; the good run and its log stay
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        Directory.Exists(failed).ShouldBeFalse();
        File.Exists(failedLog).ShouldBeFalse();
        Directory.Exists(good).ShouldBeTrue();
        File.Exists(goodLog).ShouldBeTrue();
    }

    [Fact]
    public async Task Given_a_later_run_that_collected_under_the_same_flat_name_when_the_older_run_is_cleaned_then_the_later_runs_log_stays()
    {
        // Given a failed run whose collected log was removed by hand, then a good run whose log took the same name
        var (failed, flat) = await RunCollectingAsync("bad", fail: true);
        File.Delete(flat);
        await RunCollectingAsync("good");
        File.Exists(flat).ShouldBeTrue("the name was free again");

        // When the failed run is cleaned
        var result = await CliHarness.RunAsync("clean", "--failed", "--yes", "--results", Results);

        // Then the failed run is gone and the good run's log, which it also names, is not
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        Directory.Exists(failed).ShouldBeFalse();
        File.Exists(flat).ShouldBeTrue();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
