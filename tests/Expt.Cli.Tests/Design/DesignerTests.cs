using Expt.Cli.Tests.Support;
using Expt.Design;
using Expt.Execution;
using Expt.Execution.Backends;
using Expt.Execution.Preparation;
using Expt.Internal;

namespace Expt.Cli.Tests.Design;

/// <summary>The Designer on real specs and results roots, with a fixed clock and an injected free-space probe.</summary>
public sealed class DesignerTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-designer");

    public void Dispose() => _dir.Dispose();

    private const string Spec = """
        experiment: grow
        params:
          size: { type: int, default: 1 }
        matrix: { size: [1, 3] }
        name: "size-{size}"
        run: head -c $(( {size} * 100000 )) /dev/zero > "$EXPT_OUTPUT_DIR/out.bin"
        args: none
        """;

    private static DesignServices Services(long? free) =>
        new(new FixedClock(DesignSample.At), new FixedFreeSpace(free), new RunMachine(ExecutionOptions.ForThisMachine(), CommandRunner.Instance, HasNvidiaSmi: false));

    [Fact]
    public async Task Given_no_earlier_run_when_designed_then_every_job_has_no_history_the_settings_follow_the_request_and_every_entry_has_the_clock_time()
    {
        // Given
        var spec = _dir.File("study/experiment.yaml", Spec);
        var request = new DesignRequest(spec) { Results = _dir.Combine("results"), Parallel = 3, Gpus = "none", Filters = ["size=3"] };

        // When
        var result = await Designer.DesignAsync(request, new ExecutorRegistry(), Services(free: 5_000_000), CancellationToken.None);

        // Then
        result.IsSuccess.ShouldBeTrue(string.Join("; ", result.SpecErrors.Select(e => e.ToString()).Concat(result.Problems.Select(p => p.ToString()))));
        var design = result.Design!;
        result.OutputDirectory.ShouldBe(_dir.Combine("study"));
        design.Plan.Jobs.Select(j => j.Id).ShouldBe(["size-3"]);
        design.Estimates.ShouldAllBe(e => e.Basis == EstimateBasis.NoHistory && e.WallSeconds == null);
        design.Settings.ShouldBe(design.Settings with { Parallel = 3, GpuSlots = 0, Executor = "local" });
        design.Settings.RunArguments.ShouldBe(["--filter", "size=3", "-p", "3", "--gpus", "none", "--results", _dir.Combine("results")]);
        design.FreeDiskBytes.ShouldBe(5_000_000);
        design.CreatedAt.ShouldBe(DesignSample.At);
        design.Log.ShouldAllBe(e => e.At == DesignSample.At);
        design.Log.Select(e => e.Action).ShouldBe(["VERIFY_SCRIPT", "SEARCH_PRIOR_RUNS", "CALCULATE_TIME", "CALCULATE_TIME", "CALCULATE_DISK", "CHECK_DISK", "CREATE_SUMMARY", "COMPLETE"]);
        design.Log[0].Result.ShouldStartWith("NOT CHECKED: not one simple command");
        design.Log[^2].Command.ShouldBe($"Created {_dir.Combine("study", "experiment_summary.md")}");
    }

    [Fact]
    public async Task Given_a_wrong_parallelism_or_executor_when_designed_then_no_design_and_the_problem_names_the_option()
    {
        var spec = _dir.File("study/experiment.yaml", Spec);

        var parallel = await Designer.DesignAsync(new DesignRequest(spec) { Parallel = 0 }, new ExecutorRegistry(), Services(null), CancellationToken.None);
        var executor = await Designer.DesignAsync(new DesignRequest(spec) { Executor = "cloud" }, new ExecutorRegistry(), Services(null), CancellationToken.None);

        parallel.Design.ShouldBeNull();
        parallel.Problems.Single().Message.ShouldBe("--parallel 0: expected 1 or more");
        executor.Problems.Single().Message.ShouldStartWith("--executor cloud: expected local");
    }

    [Fact]
    public async Task Given_a_prepared_run_when_its_design_is_made_then_it_uses_the_run_options_and_writes_no_summary_entries()
    {
        // Given
        var spec = _dir.File("study/experiment.yaml", Spec);
        var prepared = await RunPreparation.PrepareAsync(new RunPreparationRequest(spec) { Results = _dir.Combine("results"), Parallel = 2, Gpus = "0,1" },
            new ExecutorRegistry(), Services(null).Machine, CancellationToken.None);

        // When
        var design = await Designer.ForRunAsync(prepared, Services(free: 1), CancellationToken.None);

        // Then
        design.ShouldNotBeNull();
        design.Settings.Parallel.ShouldBe(2);
        design.Settings.GpuSlots.ShouldBe(2);
        design.Resources.ShouldAllBe(r => r.Kind == ResourceKind.Disk);
        design.Log.Select(e => e.Action).ShouldNotContain("CREATE_SUMMARY");
    }

    [Fact]
    public async Task Given_a_refused_preparation_when_its_design_is_asked_then_it_is_null()
    {
        var prepared = await RunPreparation.PrepareAsync(new RunPreparationRequest(_dir.Combine("nothing.yaml")), new ExecutorRegistry(), Services(null).Machine, CancellationToken.None);

        (await Designer.ForRunAsync(prepared, Services(null), CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Given_an_earlier_run_when_designed_then_history_is_found_each_job_is_estimated_and_a_short_disk_is_warned()
    {
        // Given: an earlier run of both sizes, through the engine
        var spec = _dir.File("study/experiment.yaml", Spec);
        var results = _dir.Combine("results");
        var earlier = await CliHarness.RunAsync("run", spec, "--results", results, "-p", "2");
        earlier.ExitCode.ShouldBe(0, earlier.Out + earlier.Error);

        // When: designed again, with 1 KB free
        var result = await Designer.DesignAsync(new DesignRequest(spec) { Results = results, Parallel = 2 }, new ExecutorRegistry(), Services(free: 1024), CancellationToken.None);

        // Then
        var design = result.Design!;
        design.HistoryRuns.ShouldBe(1);
        design.HistoryJobs.ShouldBe(2);
        design.Estimates.ShouldAllBe(e => e.Basis == EstimateBasis.SameParams && e.N == 1 && e.OutputBytes > 0);
        design.Totals.JobsWithoutHistory.ShouldBe(0);
        design.Totals.DiskBytes.ShouldBeGreaterThan(400_000);
        design.Warnings.ShouldContain(w => w.StartsWith($"free disk at {results} is 1.0 KiB, short of the", StringComparison.Ordinal));
        design.Log.Single(e => e.Action == "SEARCH_PRIOR_RUNS").Result.ShouldStartWith("Found 2 succeeded job(s) in 1 earlier run(s)");
        design.Log.Single(e => e.Action == "CHECK_DISK").Result.ShouldStartWith("WARNING: 1.0 KiB available, short of the");
    }
}
