using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Expt.Cli.Tests.Support;
using Expt.Internal;
using Expt.Results;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>expt show</c>, <c>expt compare</c> and <c>expt export</c> on run directories made by the runner.</summary>
public sealed partial class ReportingTests(ReportingRuns runs) : IClassFixture<ReportingRuns>, IDisposable
{
    private readonly TempDirectory _dir = new("expt-report-t");

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> Expt(params string[] args) => CliHarness.RunAsync([.. args, "--results", runs.Results]);

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC")]
    private static partial Regex Times();

    [GeneratedRegex(@"\b(?:\d+m)?\d+(?:\.\d)?s\b")]
    private static partial Regex ShortDurations();

    [GeneratedRegex(@"^(  (?:host|expt|command) +).*$", RegexOptions.Multiline)]
    private static partial Regex MachineLines();

    // Times, durations, the machine and the test host's command line vary; a duration keeps its width so columns stay aligned.
    private string Normalize(string text) =>
        MachineLines().Replace(ShortDurations().Replace(Times().Replace(text.Replace(runs.Root, "<tmp>", StringComparison.Ordinal), "<time>"), "N.Ns"), "$1<machine>");

    [Fact]
    public async Task Given_a_run_where_one_variant_failed_when_show_then_provenance_question_jobs_and_the_failure_with_its_stderr_tail_are_shown()
    {
        // When
        var result = await Expt("show", "toy/a");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("FAILED r3: exit code 3");
        result.Out.ShouldContain("  | ValueError: rank 3 diverged");
        Snapshot.Match(Normalize(result.Out), "show-failed-run");
    }

    [Fact]
    public async Task Given_a_run_when_show_json_then_every_job_has_its_metrics_and_the_failure_its_tail()
    {
        // When
        var result = await Expt("show", "a", "--json");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var json = JsonNode.Parse(result.Out)!;
        json["experiment"]!.GetValue<string>().ShouldBe("toy");
        json["hypothesis"]!.GetValue<string>().ShouldBe("Accuracy rises with rank.\nRank 3 is too much.");
        json["jobs"]!.AsArray().Count.ShouldBe(3);
        json["jobs"]![1]!["metrics"]!["acc"]!.GetValue<double>().ShouldBe(0.7, 1e-9);
        var failure = json["failures"]!.AsArray().ShouldHaveSingleItem()!;
        failure["id"]!.GetValue<string>().ShouldBe("r3");
        failure["stderrTail"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe(["loading data", "ValueError: rank 3 diverged"]);
    }

    [Fact]
    public async Task Given_latest_when_show_then_the_most_recently_created_run_is_shown()
    {
        var result = await Expt("show", "latest");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldStartWith("Run evals/e\n");
    }

    [Fact]
    public async Task Given_a_job_that_left_an_inspect_log_when_show_then_its_scorer_metrics_are_in_the_table()
    {
        // When
        var result = await Expt("show", "evals/e");
        var csv = await Expt("export", "evals/e");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldMatch(@"(?m)^JOB +KIND +STAGE +STATE +ATTEMPTS +TIME +match/accuracy +match/stderr$");
        result.Out.ShouldMatch(@"(?m)^default +default +main +succeeded +1 +\S+ +1 +0$");
        var rows = CsvText.Parse(csv.Out);
        rows[1][rows[0].IndexOf("match/accuracy")].ShouldBe("1");
    }

    [Fact]
    public async Task Given_a_job_that_left_an_inspect_log_when_show_then_the_log_is_listed_with_task_model_status_times_and_path()
    {
        // When
        var result = await Expt("show", "evals/e");
        var json = await Expt("show", "evals/e", "--json");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("\nInspect logs: 1\n");
        result.Out.ShouldMatch(@"(?m)^JOB +TASK +MODEL +STATUS +STARTED +COMPLETED +FILE$");
        result.Out.ShouldMatch(@"(?m)^default +popularity +ollama/gemma3 +success +2025-07-05 13:59:48 UTC +2025-07-05 13:59:49 UTC +default/logs/log_read_sample\.eval$");
        result.Out.ShouldNotContain(" !");
        var log = JsonNode.Parse(json.Out)!["inspectLogs"]!.AsArray().ShouldHaveSingleItem()!;
        (log["job"]!.GetValue<string>(), log["task"]!.GetValue<string>(), log["model"]!.GetValue<string>(), log["status"]!.GetValue<string>(), log["path"]!.GetValue<string>())
            .ShouldBe(("default", "popularity", "ollama/gemma3", "success", "default/logs/log_read_sample.eval"));
        DateTimeOffset.Parse(log["completedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(new DateTimeOffset(2025, 7, 5, 9, 59, 49, TimeSpan.FromHours(-4)));
    }

    [Fact]
    public async Task Given_two_runs_made_with_different_set_values_when_compare_then_the_differing_param_and_the_metric_deltas_are_shown()
    {
        // When
        var result = await Expt("compare", "toy/a", "toy/b", "--jobs");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var text = result.Out;
        text.ShouldContain("Params that differ (the same way in every matched job):");
        text.ShouldMatch(@"(?m)^  param\.lr +0\.1 +0\.3$"); // the jobs also log a metric lr
        text.ShouldNotMatch(@"(?m)^  (rank|seed|note|tags) ");
        text.ShouldContain("Job r1: A succeeded, B succeeded");
        text.ShouldMatch(@"(?m)^  acc +0\.6 +0\.8 +\+0\.2 \(\+33\.3%\)$");
        text.ShouldMatch(@"(?m)^  acc +0\.7 +1\.1 +\+0\.4 \(\+57\.1%\)$");
        text.ShouldMatch(@"(?m)^  loss +0\.5 +0\.5 +0$");
        text.ShouldContain("Job r3: A failed, B failed");
        text.ShouldMatch(@"(?m)^  wall_seconds +\S+ +\S+ +\S+");
    }

    [Fact]
    public async Task Given_two_runs_when_compare_json_then_deltas_are_numbers_against_the_first()
    {
        // When
        var result = await Expt("compare", "toy/a", "toy/b", "--json", "--jobs");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var json = JsonNode.Parse(result.Out)!;
        json["commonParams"]!.AsArray().ShouldHaveSingleItem()!["name"]!.GetValue<string>().ShouldBe("lr");
        var r1 = json["jobs"]!.AsArray().Single(j => j!["job"]!.GetValue<string>() == "r1")!;
        var acc = r1["metrics"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "acc")!;
        acc["deltas"]![1]!["absolute"]!.GetValue<double>().ShouldBe(0.2);
        acc["deltas"]![1]!["relative"]!.GetValue<double>().ShouldBe(1.0 / 3, 1e-9);
        r1["compute"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ShouldContain("wall_seconds");
    }

    [Fact]
    public async Task Given_two_runs_when_compare_then_one_table_has_a_row_per_variant_and_a_column_per_run_and_delta_for_each_metric()
    {
        var result = await Expt("compare", "toy/a", "toy/b");

        result.ExitCode.ShouldBe(0, result.Error);
        var text = result.Out;
        // The text metric comment has no delta to show: numbers only, as in expt report.
        text.ShouldMatch(@"(?m)^  VARIANT +acc A +acc B +Δ +loss A +loss B +Δ +metric\.lr A +metric\.lr B +Δ$");
        text.ShouldMatch(@"(?m)^  r1 +0\.6 +0\.8 +\+0\.2 \(\+33\.3%\) +");
        text.ShouldMatch(@"(?m)^  r2 +0\.7 +1\.1 +\+0\.4 \(\+57\.1%\) +");
        // Per-job detail only with --jobs.
        text.ShouldNotContain("Job r1:");
        text.ShouldNotContain("wall_seconds");
        text.Split('\n').Length.ShouldBeLessThan(15);
    }

    [Fact]
    public async Task Given_two_runs_when_compare_json_without_jobs_then_it_has_the_variant_table_and_no_job_detail()
    {
        var result = await Expt("compare", "toy/a", "toy/b", "--json");

        result.ExitCode.ShouldBe(0, result.Error);
        var json = JsonNode.Parse(result.Out)!;
        json["variantMetrics"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["acc", "loss", "lr"]);
        var r1 = json["variants"]!.AsArray().Single(v => v!["variant"]!.GetValue<string>() == "r1")!;
        r1["metrics"]![0]!["values"]!.AsArray().Select(v => v!.GetValue<double>()).ShouldBe([0.6, 0.8]);
        r1["metrics"]![0]!["deltas"]![1]!["absolute"]!.GetValue<double>().ShouldBe(0.2);
        json["jobs"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_three_runs_when_compare_then_each_later_side_has_its_own_delta_column()
    {
        var result = await Expt("compare", "toy/b", "toy/a", "toy/b", "--jobs");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldMatch(@"(?m)^  METRIC +A +B +ΔB +C +ΔC$");
        result.Out.ShouldMatch(@"(?m)^  acc +0\.8 +0\.6 +-0\.2 \(-25%\) +0\.8 +0$");
        result.Out.ShouldMatch(@"(?m)^  param\.lr +0\.3 +0\.1 +0\.3$");
        result.Out.ShouldMatch(@"(?m)^  metric\.lr +0\.3 +0\.1 +-0\.2 \(-66\.7%\) +0\.3 +0$");
    }

    [Fact]
    public async Task Given_two_jobs_by_reference_and_by_directory_when_compare_then_they_are_compared_with_each_other()
    {
        // When
        var result = await Expt("compare", "toy/a/r1", Path.Combine(runs.Results, "toy", "b", "r2"));

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("A  toy/a/r1");
        result.Out.ShouldContain("B  toy/b/r2");
        result.Out.ShouldContain("param lr: A=0.1  B=0.3");
        result.Out.ShouldContain("param rank: A=1  B=2");
        result.Out.ShouldMatch(@"(?m)^  acc +0\.6 +1\.1 +\+0\.5 \(\+83\.3%\)$");
    }

    [Fact]
    public async Task Given_runs_of_different_experiments_when_compare_then_jobs_present_on_one_side_are_listed()
    {
        // When
        var result = await Expt("compare", "toy/a", "evals/e");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("Only in A: r1, r2, r3");
        result.Out.ShouldContain("Only in B: default");
    }

    [Fact]
    public async Task Given_a_run_when_exported_as_csv_then_it_parses_back_with_one_row_per_job_and_the_collision_rule()
    {
        // When
        var result = await Expt("export", "toy/a", "--format", "csv");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var rows = CsvText.Parse(result.Out);
        rows.Count.ShouldBe(4);
        var header = rows[0];
        header.ShouldBe(["experiment", "run", "job", "variant", "kind", "stage", "state", "attempts", "exit_code", "started", "ended",
            "wall_seconds", "cpu_seconds", "gpu_seconds", "peak_rss_mb", "lr", "rank", "note", "tags", "seed", "acc", "comment", "loss", "metric.lr"]);
        var r1 = header.Zip(rows[1]).ToDictionary(p => p.First, p => p.Second);
        r1["job"].ShouldBe("r1");
        r1["state"].ShouldBe("succeeded");
        r1["note"].ShouldBe("a, b");
        r1["tags"].ShouldBe("""["x","y z"]""");
        r1["comment"].ShouldBe("ok, \"fine\"");
        r1["acc"].ShouldBe("0.6");
        r1["metric.lr"].ShouldBe("0.1");
        DateTimeOffset.Parse(r1["started"], System.Globalization.CultureInfo.InvariantCulture).ShouldBeLessThan(DateTimeOffset.UtcNow);
        var r3 = header.Zip(rows[3]).ToDictionary(p => p.First, p => p.Second);
        (r3["state"], r3["exit_code"], r3["acc"]).ShouldBe(("failed", "3", ""));
    }

    [Fact]
    public async Task Given_a_run_when_exported_as_jsonl_to_a_file_then_each_line_is_a_typed_object()
    {
        // Given
        var file = _dir.Combine("out", "b.jsonl");
        Directory.CreateDirectory(_dir.Combine("out"));

        // When
        var result = await Expt("export", "toy/b", "--format", "jsonl", "-o", file);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldBeEmpty();
        var lines = File.ReadAllLines(file);
        lines.Length.ShouldBe(3);
        var r2 = JsonNode.Parse(lines[1])!;
        r2["job"]!.GetValue<string>().ShouldBe("r2");
        r2["lr"]!.GetValue<double>().ShouldBe(0.3);
        r2["rank"]!.GetValue<long>().ShouldBe(2);
        r2["attempts"]!.GetValue<int>().ShouldBe(1);
        r2["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["x", "y z"]);
        r2["acc"]!.GetValue<double>().ShouldBe(1.1, 1e-9);
        JsonNode.Parse(lines[2])!["acc"].ShouldBeNull();
        Directory.GetFiles(_dir.Combine("out")).ShouldBe([file]); // no temp file left behind
    }

    [Fact]
    public async Task Given_an_archived_run_when_show_then_it_is_read_from_the_archive_and_says_where_it_is()
    {
        // Given: the run moved to an archive, a pointer left in a results root.
        var archived = _dir.Combine("archive", "toy", "a");
        Copy(Path.Combine(runs.Results, "toy", "a"), archived);
        var results = _dir.Combine("results");
        JsonFiles.Write(Path.Combine(results, "toy", "a" + ArchivePointer.Suffix),
            new ArchivePointer { Experiment = "toy", RunId = "a", ArchivedTo = archived, ArchivedAt = DateTimeOffset.UtcNow, Dropped = ["*.ckpt"] });

        // When
        var result = await CliHarness.RunAsync("show", "toy/a", "--results", results);
        var export = await CliHarness.RunAsync("export", "a", "--results", results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain($"directory   {archived}");
        result.Out.ShouldMatch($@"(?m)^  archived    .* UTC to {Regex.Escape(archived)}; not kept: \*\.ckpt$");
        result.Out.ShouldContain("FAILED r3: exit code 3");
        export.ExitCode.ShouldBe(0, export.Error);
        CsvText.Parse(export.Out).Count.ShouldBe(4);
    }

    [Theory]
    [InlineData("show", "nope")]
    [InlineData("export", "nope")]
    [InlineData("compare", "toy/a", "toy/a/r9")]
    [InlineData("compare", "toy/a", "toy/b/r1")]
    public async Task Given_a_bad_reference_when_a_reporting_command_runs_then_an_error_and_exit_2(params string[] args)
    {
        // When
        var result = await Expt(args);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith("error: ");
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_an_unknown_format_when_export_then_a_usage_error_and_exit_2()
    {
        var result = await Expt("export", "toy/a", "--format", "xml");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith("error: ");
    }

    private static void Copy(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
    }
}
