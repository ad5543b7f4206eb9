using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;
using Expt.Design;

namespace Expt.Cli.Tests.Design;

/// <summary><c>expt design</c> end to end: what it writes, its exit codes, --json, a full disk as -o.</summary>
public sealed class DesignCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-design");
    private Tmpfs? _disk;

    public void Dispose()
    {
        _disk?.Dispose();
        _dir.Dispose();
    }

    private const string GoodSpec = """
        experiment: sweep
        params:
          size: { type: int, default: 1 }
        matrix: { size: [2, 4] }
        name: "s{size}"
        run: "true"
        args: none
        """;

    private static string[] Listing(string dir) =>
        [.. Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(dir, p)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Given_a_good_spec_when_designed_then_it_exits_0_writes_only_the_summary_and_the_log_next_to_the_spec_and_a_second_design_appends()
    {
        // Given
        var spec = _dir.File("study/experiment.yaml", GoodSpec);
        var results = _dir.Combine("results");

        // When
        var first = await CliHarness.RunAsync("design", spec, "--results", results, "-p", "2");
        var second = await CliHarness.RunAsync("design", spec, "--results", results, "-p", "2");

        // Then
        first.ExitCode.ShouldBe(0, first.Out + first.Error);
        second.ExitCode.ShouldBe(0, second.Out + second.Error);
        Listing(_dir.Path).ShouldBe(["study", Path.Combine("study", "design.log"), Path.Combine("study", "experiment.yaml"), Path.Combine("study", "experiment_summary.md")]);
        var log = File.ReadAllText(_dir.Combine("study", "design.log"));
        System.Text.RegularExpressions.Regex.Count(log, "\\] COMPLETE: ").ShouldBe(2);
        first.Out.ShouldContain("Design of sweep: 2 variants, 2 jobs");
        first.Out.ShouldContain($"Wrote {_dir.Combine("study", "experiment_summary.md")}");
        first.Out.ShouldContain($"Next: review the summary, then expt run {spec} -p 2 --results {results}");
    }

    [Fact]
    public async Task Given_an_output_folder_when_designed_then_the_files_go_there_and_the_spec_folder_is_untouched()
    {
        // Given
        var spec = _dir.File("study/experiment.yaml", GoodSpec);
        var output = _dir.Combine("plans", "sweep");

        // When
        var result = await CliHarness.RunAsync("design", spec, "--results", _dir.Combine("results"), "-o", output);

        // Then
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        Listing(_dir.Combine("study")).ShouldBe(["experiment.yaml"]);
        Listing(output).ShouldBe(["design.log", "experiment_summary.md"]);
    }

    [Fact]
    public async Task Given_an_invalid_spec_when_designed_then_it_exits_2_with_the_errors_expt_plan_gives_and_writes_nothing()
    {
        // Given
        var spec = _dir.File("study/experiment.yaml", "experiment: bad\nparams:\n  lr: { type: flaot, default: 1 }\nrun: \"true\"\nargs: none\n");

        // When
        var design = await CliHarness.RunAsync("design", spec);
        var plan = await CliHarness.RunAsync("plan", spec);

        // Then
        design.ExitCode.ShouldBe(2);
        design.Error.ShouldBe(plan.Error);
        design.Error.ShouldContain("unknown type 'flaot'");
        Listing(_dir.Combine("study")).ShouldBe(["experiment.yaml"]);
    }

    [Fact]
    public async Task Given_a_wrong_option_when_designed_then_it_exits_2_and_says_which()
    {
        var spec = _dir.File("study/experiment.yaml", GoodSpec);

        var result = await CliHarness.RunAsync("design", spec, "--gpus", "0,0");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--gpus '0,0'");
        Listing(_dir.Combine("study")).ShouldBe(["experiment.yaml"]);
    }

    // Needs the merged ResourceVerifier and RunPreparationRequest.CheckExistence: until then the missing script is a spec error (exit 2).
    [Fact]
    public async Task Given_a_missing_dataset_and_a_missing_script_when_designed_then_both_are_problems_the_files_are_written_and_it_exits_1()
    {
        // Given
        var spec = _dir.File("study/experiment.yaml", """
            experiment: missing
            params:
              dataset: { type: path, default: data/train.json, must_exist: true }
            run: python3 train.py
            args: none
            """);

        // When
        var result = await CliHarness.RunAsync("design", spec, "--results", _dir.Combine("results"));

        // Then
        result.ExitCode.ShouldBe(1, result.Out + result.Error);
        result.Out.ShouldContain("problem: path data/train.json");
        result.Out.ShouldContain("problem: script train.py");
        var log = File.ReadAllText(_dir.Combine("study", "design.log"));
        log.ShouldContain("VERIFY_PATH: Checking data/train.json");
        log.ShouldContain("Result: MISSING");
        log.ShouldContain("VERIFY_SCRIPT: Checking script train.py");
        File.Exists(_dir.Combine("study", "experiment_summary.md")).ShouldBeTrue();
    }

    [Fact]
    public async Task Given_json_when_designed_then_stdout_is_the_design_in_camel_case_with_null_figures_and_the_files_are_still_written()
    {
        // Given
        var spec = _dir.File("study/experiment.yaml", GoodSpec);

        // When
        var result = await CliHarness.RunAsync("design", spec, "--results", _dir.Combine("results"), "--json", "-p", "2");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var json = JsonNode.Parse(result.Out)!.AsObject();
        json.Select(p => p.Key).ShouldBe(["experiment", "variants", "jobs", "resources", "totals", "freeDiskBytes", "problems", "warnings"]);
        json["experiment"]!.GetValue<string>().ShouldBe("sweep");
        json["variants"]!.GetValue<int>().ShouldBe(2);
        json["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).ShouldBe(["s2", "s4"]);
        var estimate = json["jobs"]![0]!["estimate"]!.AsObject();
        estimate["wallSeconds"].ShouldBeNull();
        estimate["basis"]!.GetValue<string>().ShouldBe("noHistory");
        json["totals"]!["wallSeconds"].ShouldBeNull();
        json["totals"]!["jobsWithoutHistory"]!.GetValue<int>().ShouldBe(2);
        json["problems"]!.AsArray().ShouldBeEmpty();
        File.Exists(_dir.Combine("study", "experiment_summary.md")).ShouldBeTrue();
        File.Exists(_dir.Combine("study", "design.log")).ShouldBeTrue();
    }

    [TmpfsFact]
    public async Task Given_a_full_disk_as_output_folder_when_designed_then_it_exits_1_says_so_and_leaves_the_earlier_files_whole()
    {
        // Given: an earlier design in a 64 KiB tmpfs, then the disk filled
        var spec = _dir.File("study/experiment.yaml", GoodSpec);
        _disk = new Tmpfs(_dir.Combine("out"), "64k");
        var earlier = await CliHarness.RunAsync("design", spec, "--results", _dir.Combine("results"), "-o", _disk.Path);
        earlier.ExitCode.ShouldBe(0, earlier.Out + earlier.Error);
        var summary = File.ReadAllText(Path.Combine(_disk.Path, DesignFiles.SummaryFileName));
        var log = File.ReadAllText(Path.Combine(_disk.Path, DesignLog.FileName));
        _disk.Fill();

        // When
        var result = await CliHarness.RunAsync("design", spec, "--results", _dir.Combine("results"), "-o", _disk.Path);

        // Then
        result.ExitCode.ShouldBe(1, result.Out + result.Error);
        result.Error.ShouldContain($"error: cannot write experiment_summary.md and design.log in {_disk.Path}");
        result.Error.ShouldContain("nothing was written");
        File.ReadAllText(Path.Combine(_disk.Path, DesignFiles.SummaryFileName)).ShouldBe(summary);
        File.ReadAllText(Path.Combine(_disk.Path, DesignLog.FileName)).ShouldBe(log);
        Listing(_disk.Path).ShouldBe(["design.log", "experiment_summary.md", "filler"]);
    }
}
