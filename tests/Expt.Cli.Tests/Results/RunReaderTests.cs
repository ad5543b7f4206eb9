using Expt.Cli.Tests.Commands;
using Expt.Cli.Tests.Support;
using Expt.Recording;
using Expt.Results;

namespace Expt.Cli.Tests.Results;

public sealed class RunReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-reader");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private static string Fixture(string name) => Path.Combine(DryRunTests.RepoRoot(), "tests", "Expt.Tests", "Metrics", "Fixtures", name);

    [Fact]
    public async Task Given_a_finished_run_when_read_then_every_job_has_its_state_params_and_metrics()
    {
        // Given
        _dir.File("r/job.py", "import json, os, sys\nc = json.load(open(os.environ['EXPT_CONFIG']))\njson.dump({'acc': c['lr'] * 2}, open(os.path.join(c['output_dir'], 'metrics.json'), 'w'))\nsys.exit(1 if c['lr'] > 0.3 else 0)\n");
        var spec = _dir.File("r/experiment.yaml", """
            experiment: reader
            params:
              lr: { type: float, default: 0.1 }
              tags: { type: list<string>, default: [] }
            matrix: { lr: [0.1, 0.5] }
            name: "lr{lr}"
            run: python3 job.py
            args: none
            """);
        (await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r1")).ExitCode.ShouldBe(1);

        // When
        var location = RunReader.Locate(Results, "latest", null, out var problem);
        var run = RunReader.Read(location!, out problem);

        // Then
        problem.ShouldBeNull();
        run.ShouldNotBeNull();
        run.RunId.ShouldBe("r1");
        run.IsComplete.ShouldBeTrue();
        run.Jobs.Select(j => (j.Id, j.State)).ShouldBe([("lr0.1", JobState.Succeeded), ("lr0.5", JobState.Failed)]);
        run.Jobs[1].Params["lr"]!.GetValue<double>().ShouldBe(0.5);
        run.Jobs[1].Params.ContainsKey("output_dir").ShouldBeFalse();
        run.Jobs[1].ReadMetrics().Scalars["acc"].ToString().ShouldBe("1");
        run.Jobs[0].WallSeconds.ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_inspect_logs_moved_by_collect_when_read_then_their_metrics_still_belong_to_the_job()
    {
        // Given an Inspect log that collect: flat moves out of the job directory
        var spec = _dir.File("c/experiment.yaml", $"""
            experiment: collected
            run: mkdir -p $EXPT_OUTPUT_DIR/logs && cp '{Fixture("log_read_sample.eval")}' $EXPT_OUTPUT_DIR/logs/
            collect: {"{"} pattern: "*.eval", layout: flat {"}"}
            args: none
            """);
        (await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r1")).ExitCode.ShouldBe(0);

        // When
        var run = RunReader.Read(Path.Combine(Results, "collected", "r1"), out _)!;
        var metrics = run.Jobs.Single().ReadMetrics();

        // Then
        Directory.GetFiles(run.Jobs.Single().Directory, "*.eval", SearchOption.AllDirectories).ShouldBeEmpty();
        metrics.InspectLogs.Count.ShouldBe(1);
        metrics.InspectLogs[0].Path.ShouldStartWith(Path.Combine(Results, "collected"));
        metrics.Scalars["match/accuracy"].ToString().ShouldBe("1");
    }

    [Fact]
    public void Given_an_archive_pointer_whose_archive_is_gone_when_read_then_the_problem_names_the_missing_archive()
    {
        // Given
        var pointer = _dir.File("results/e/r1" + ArchivePointer.Suffix, """{ "schemaVersion": 1, "experiment": "e", "runId": "r1", "archivedTo": "/nonexistent/e/r1" }""");

        // When
        var located = RunReader.Locate(Results, "e/r1", null, out _);
        var run = RunReader.Read(located!, out var problem);

        // Then
        located.ShouldBe(pointer);
        run.ShouldBeNull();
        problem!.ShouldContain("the archive of e/r1 is missing: /nonexistent/e/r1");
    }

    [Fact]
    public async Task Given_the_newest_run_archived_when_latest_is_located_then_the_archived_run_is_found()
    {
        // Given two runs, the newer one archived
        var spec = _dir.File("a/experiment.yaml", "experiment: arch\nrun: echo hi\nargs: none\n");
        (await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "old")).ExitCode.ShouldBe(0);
        (await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "new")).ExitCode.ShouldBe(0);
        (await CliHarness.RunAsync("archive", "arch/new", "--results", Results)).ExitCode.ShouldBe(0);

        // When
        var located = RunReader.Locate(Results, "latest", null, out var problem);

        // Then
        problem.ShouldBeNull();
        located.ShouldBe(Path.Combine(Results, "arch", "new" + ArchivePointer.Suffix));
        RunReader.Read(located!, out _)!.RunId.ShouldBe("new");
    }
}
