using System.Text.Json.Nodes;
using Expt.Cli.Commands;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>expt init</c>: every template runs at once, nothing is ever overwritten, and what it prints is what people read.</summary>
public sealed class InitCommandTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);
    private readonly TempDirectory _dir = new("expt-init");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("python", "experiment.yaml,expt_entry.py,train.py")]
    [InlineData("shell", "experiment.yaml,train.sh")]
    public async Task Given_a_template_when_init_then_expt_run_of_its_spec_succeeds_straight_after(string template, string files)
    {
        // Given
        var init = await ExptProcess.RunAsync(_dir.Path, Bound, "init", "--template", template, "study");
        init.Code.ShouldBe(0, init.Error);
        Directory.EnumerateFileSystemEntries(_dir.Combine("study")).Select(Path.GetFileName).Order().ShouldBe(files.Split(','));

        // When
        var run = await ExptProcess.RunAsync(_dir.Path, Bound, "run", "study/experiment.yaml", "--results", "results", "--run-id", "r");

        // Then
        run.Code.ShouldBe(0, run.Out + run.Error);
        AssertEveryJobWroteItsLoss("study", 2);
    }

    [Fact]
    public async Task Given_the_csharp_template_when_init_then_its_file_based_app_builds_once_and_every_job_succeeds()
    {
        // Given
        var init = await ExptProcess.RunAsync(_dir.Path, Bound, "init", "-t", "csharp", "cs-study");
        init.Code.ShouldBe(0, init.Error);

        // When: both jobs start together; the first build of a file-based app takes a while on a busy machine.
        var run = await ExptProcess.RunAsync(_dir.Path, TimeSpan.FromMinutes(10), "run", "cs-study/experiment.yaml", "--results", "results", "--run-id", "r", "-p", "2");

        // Then
        run.Code.ShouldBe(0, run.Out + run.Error);
        AssertEveryJobWroteItsLoss("cs-study", 2);
    }

    [Fact]
    public async Task Given_the_default_template_when_init_then_the_message_names_the_files_and_the_next_commands()
    {
        // When
        var init = await ExptProcess.RunAsync(_dir.Path, Bound, "init");

        // Then
        init.Code.ShouldBe(0, init.Error);
        init.Error.ShouldBeEmpty();
        Snapshot.Match(init.Out, "init-python");
        File.ReadAllText(_dir.Combine("my-experiment", "experiment.yaml")).ShouldContain("experiment: my-experiment\n");
    }

    [Fact]
    public async Task Given_the_help_when_asked_then_it_lists_the_templates_and_the_helper()
    {
        // When
        var help = await CliHarness.RunAsync("init", "--help");

        // Then
        help.ExitCode.ShouldBe(0);
        // The usage line names the host process (testhost here, expt when installed).
        Snapshot.Match(System.Text.RegularExpressions.Regex.Replace(help.Out, @"(?m)^  \S+ init ", "  expt init "), "init-help");
    }

    [Fact]
    public async Task Given_a_folder_that_holds_one_of_the_files_when_init_then_exit_2_naming_it_and_nothing_is_written()
    {
        // Given
        var mine = _dir.File("study/train.py", "print('mine')\n");

        // When
        var result = await CliHarness.RunAsync("init", _dir.Combine("study"));

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain($"error: {mine} already exists; expt init never overwrites a file");
        File.ReadAllText(mine).ShouldBe("print('mine')\n");
        Directory.EnumerateFileSystemEntries(_dir.Combine("study")).ShouldBe([mine]);
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_name_that_is_a_file_or_has_no_letter_when_init_then_exit_2_and_nothing_is_created()
    {
        // Given
        var file = _dir.File("taken", "x");

        // When
        var onFile = await CliHarness.RunAsync("init", file);
        var unnamed = await CliHarness.RunAsync("init", _dir.Combine("..."));

        // Then
        onFile.ExitCode.ShouldBe(2);
        onFile.Error.ShouldContain($"error: {file} is a file, not a folder");
        unnamed.ExitCode.ShouldBe(2);
        unnamed.Error.ShouldContain("its folder name must hold a letter or digit");
        Directory.EnumerateFileSystemEntries(_dir.Path).ShouldBe([file]);
    }

    [Fact]
    public async Task Given_an_unknown_template_when_init_then_exit_2_listing_the_templates()
    {
        // When
        var result = await CliHarness.RunAsync("init", "--template", "ruby", _dir.Combine("x"));

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("'ruby'");
        result.Error.ShouldContain("'csharp'");
        Directory.Exists(_dir.Combine("x")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("my-experiment", "my-experiment")]
    [InlineData("My Study (v2)!", "my-study-v2")]
    [InlineData("_x.y", "x.y")]
    [InlineData("...", null)]
    public void Given_a_folder_name_when_made_an_experiment_name_then_it_is_lower_case_and_safe(string folder, string? expected) =>
        InitCommand.ExperimentName(folder).ShouldBe(expected);

    private void AssertEveryJobWroteItsLoss(string experiment, int jobs)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(_dir.Combine("results", experiment, "r", "manifest.json")))!;
        var entries = manifest["jobs"]!.AsArray();
        entries.Count.ShouldBe(jobs);
        foreach (var job in entries)
        {
            job!["state"]!.GetValue<string>().ShouldBe("succeeded");
            var metrics = JsonNode.Parse(File.ReadAllText(_dir.Combine("results", experiment, "r", job["dir"]!.GetValue<string>(), "metrics.json")))!;
            metrics["loss"]!.GetValue<double>().ShouldBeInRange(0, 10);
        }
    }
}
