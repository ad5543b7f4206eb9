using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>expt report</c> on a run made by the runner: lr × seed plus a control, one job failed.</summary>
public sealed partial class StudyReportTests(StudyRuns runs) : IClassFixture<StudyRuns>, IDisposable
{
    private readonly TempDirectory _dir = new("expt-study-t");

    public void Dispose() => _dir.Dispose();

    private Task<CliResult> Expt(params string[] args) => CliHarness.RunAsync([.. args, "--results", runs.Results]);

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC")]
    private static partial Regex Times();

    // The cost table's measures depend on the machine; its group names and job counts do not.
    [GeneratedRegex(@"(?m)^\| ([^|]+) \| (\d+) \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \|$")]
    private static partial Regex CostRows();

    private static string Normalize(string text) => CostRows().Replace(Times().Replace(text, "<time>"), "| $1 | $2 | <wall> | <cpu> | <gpu> | <rss> |");

    [Fact]
    public async Task Given_a_sweep_over_seeds_with_a_control_when_report_then_the_markdown_groups_seeds_names_the_winner_and_tests_against_the_control()
    {
        // When
        var result = await Expt("report", "sweep/s");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("- **Groups:** by lr, replicates over seed; metrics of stage `main`");
        result.Out.ShouldContain("- **Baseline:** lr=0 (kind control)");
        result.Out.ShouldContain("| accuracy | higher | lr=0.3 | 0.805 | lr=0.1 | 0.6 | +0.205 (+34.2%) |");
        result.Out.ShouldContain("| lr=0.1 | default | 0.1 | 3 | 0.6 | 0.01 | 0.5752 … 0.6248 | 0.59 | 0.61 | +0.1 (+20%) | 0.0002552 * |");
        result.Out.ShouldContain("- `lr0.3_s3`: failed (exit code 3)");
        result.Out.ShouldNotContain("note");
        Snapshot.Match(Normalize(result.Out), "report-sweep");
    }

    [Fact]
    public async Task Given_a_sweep_when_report_json_then_it_is_typed_with_numbers_and_nulls()
    {
        // When
        var result = await Expt("report", "latest", "--format", "json");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var json = JsonNode.Parse(result.Out)!;
        json["schemaVersion"]!.GetValue<int>().ShouldBe(2);
        json["runId"]!.GetValue<string>().ShouldBe("s");
        json["notes"].ShouldBeNull();
        json.AsObject().ContainsKey("notes").ShouldBeTrue();
        json["over"]!.GetValue<string>().ShouldBe("seed");
        json["baseline"]!.GetValue<string>().ShouldBe("lr=0");
        json["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ShouldBe(["lr=0.1", "lr=0.3", "lr=0"]);
        json["groups"]![0]!["params"]!["lr"]!.GetValue<double>().ShouldBe(0.1);
        json["groups"]![0]!["cost"]!["jobs"]!.GetValue<int>().ShouldBe(3);
        var accuracy = json["metrics"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "accuracy")!;
        accuracy["direction"]!.GetValue<string>().ShouldBe("max");
        accuracy["winner"]!["group"]!.GetValue<string>().ShouldBe("lr=0.3");
        var high = accuracy["groups"]!.AsArray().Single(g => g!["group"]!.GetValue<string>() == "lr=0.3")!;
        high["stats"]!["n"]!.GetValue<int>().ShouldBe(2);
        high["stats"]!["mean"]!.GetValue<double>().ShouldBe(0.805, 1e-9);
        high["vsBaseline"]!["difference"]!["absolute"]!.GetValue<double>().ShouldBe(0.305, 1e-9);
        high["vsBaseline"]!["test"]!["pValue"]!.GetValue<double>().ShouldBeLessThan(0.05);
        high["vsBaseline"]!["significant"]!.GetValue<bool>().ShouldBeTrue();
        accuracy["groups"]!.AsArray().Single(g => g!["group"]!.GetValue<string>() == "lr=0")!["vsBaseline"].ShouldBeNull();
        json["failures"]!.AsArray().ShouldHaveSingleItem()!["id"]!.GetValue<string>().ShouldBe("lr0.3_s3");
    }

    [Fact]
    public async Task Given_an_output_file_when_report_then_the_file_holds_the_report_and_stdout_stays_empty()
    {
        // Given
        var file = _dir.Combine("out", "report.md");
        var typo = _dir.Combine("uot", "report.md");
        Directory.CreateDirectory(_dir.Combine("out"));

        // When
        var result = await Expt("report", "s", "-o", file);
        var missingFolder = await Expt("report", "s", "-o", typo);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldBeEmpty();
        result.Error.ShouldContain($"written to {file}");
        File.ReadAllText(file).ShouldStartWith("# sweep / s\n");
        Directory.GetFiles(Path.GetDirectoryName(file)!).ShouldBe([file]);
        missingFolder.ExitCode.ShouldBe(2);
        missingFolder.Error.ShouldContain("does not exist");
        Directory.Exists(_dir.Combine("uot")).ShouldBeFalse("a mistyped folder is not created");
    }

    [Fact]
    public async Task Given_html_when_report_then_a_self_contained_page_with_tables_is_written()
    {
        var file = _dir.Combine("report.html");

        var result = await Expt("report", "sweep/s", "--format", "html", "-o", file);

        result.ExitCode.ShouldBe(0, result.Error);
        var html = File.ReadAllText(file);
        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("<title>sweep / s</title>");
        html.ShouldContain("<table>");
        html.ShouldContain("<td>lr=0.3</td>");
        html.ShouldNotContain("<script");
        html.ShouldNotContain("<link");
    }

    [Fact]
    public async Task Given_a_metric_with_a_direction_and_a_baseline_variant_when_report_then_only_it_is_reported_that_way()
    {
        var result = await Expt("report", "sweep/s", "--metric", "loss:max", "--baseline", "lr0.1_s2");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("- **Baseline:** lr=0.1 (--baseline lr0.1_s2)");
        result.Out.ShouldContain("| loss | higher | lr=0 | 0.5 | lr=0.1 | 0.4 |");
        result.Out.ShouldNotContain("### accuracy");
        result.Out.ShouldContain("| lr=0.1 | default | 0.1 | 3 | 0.4 | 0.01 | 0.3752 … 0.4248 | 0.39 | 0.41 | baseline |  |");
    }

    [Fact]
    public async Task Given_by_seed_when_report_then_each_variant_is_its_own_group_and_no_p_value_is_invented()
    {
        var result = await Expt("report", "sweep/s", "--by", "lr,seed", "--metric", "accuracy", "--baseline", "lr0_s1");

        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("- **Groups:** by lr, seed, no replicates pooled; metrics of stage `main`");
        result.Out.ShouldContain("| accuracy | higher | lr0.3_s2 | 0.81 | lr0.3_s1 | 0.8 | +0.01 (+1.3%) | n/a (n<2) |");
        result.Out.ShouldContain("| lr0.1_s2 | default | 0.1 | 2 | 1 | 0.61 | - | - | 0.61 | 0.61 | +0.11 (+22%) | n/a (n<2) |");
    }

    [Theory]
    [InlineData("--metric", "acc", "error: unknown metric 'acc' (did you mean 'accuracy'?); stage main has accuracy, loss")]
    [InlineData("--by", "rate", "error: unknown param 'rate' for --by")]
    [InlineData("--over", "sed", "error: unknown param 'sed' for --over (did you mean 'seed'?)")]
    [InlineData("--baseline", "contrl", "error: unknown baseline 'contrl'")]
    [InlineData("--baseline", "kind:treatment", "error: no variant of kind 'treatment'")]
    [InlineData("--stage", "eval", "error: unknown stage 'eval'; the run's stages are main")]
    public async Task Given_an_unknown_name_when_report_then_it_exits_2_with_the_known_names_and_prints_no_report(string option, string value, string expected)
    {
        var result = await Expt("report", "sweep/s", option, value);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith(expected);
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_an_unknown_run_when_report_then_it_exits_2()
    {
        var result = await Expt("report", "sweep/nope");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith("error: ");
        result.Out.ShouldBeEmpty();
    }
}
