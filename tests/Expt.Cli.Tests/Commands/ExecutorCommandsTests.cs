using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>--executor</c>, <c>--detach</c> and the status/watch/cancel commands, on local runs (the SLURM side is tested in Expt.Slurm.Tests).</summary>
public sealed class ExecutorCommandsTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-exec");

    public void Dispose() => _dir.Dispose();

    private string Spec() => _dir.File("s/experiment.yaml", """
        experiment: tiny
        params:
          n: { type: int, default: 1 }
        matrix: { n: [1, 2] }
        name: "v{n}"
        args: none
        run: "test {n} = 1"
        """);

    private string Results => _dir.Combine("results");

    [Fact]
    public async Task an_unknown_executor_is_refused_before_anything_is_written()
    {
        // Given a valid spec / When run with --executor nope
        var result = await CliHarness.RunAsync("run", Spec(), "--results", Results, "--executor", "nope");

        // Then exit 2, the reason, and no results
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--executor nope: expected local or slurm");
        Directory.Exists(Results).ShouldBeFalse();
    }

    [Fact]
    public async Task detach_is_refused_for_local_runs()
    {
        // Given a valid spec / When run locally with --detach / Then exit 2
        var result = await CliHarness.RunAsync("run", Spec(), "--results", Results, "--detach");
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--detach needs --executor slurm");
    }

    [Fact]
    public async Task a_local_run_is_not_resumed_on_slurm()
    {
        // Given a local run with a failed job
        (await CliHarness.RunAsync("run", Spec(), "--results", Results, "--run-id", "r1")).ExitCode.ShouldBe(1);

        // When resumed with --executor slurm
        var result = await CliHarness.RunAsync("run", Spec(), "--results", Results, "--resume", "r1", "--executor", "slurm");

        // Then it is refused: the run keeps the executor it was started with
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("the run was started with the local executor");
    }

    [Fact]
    public async Task status_lists_every_job_of_a_run_as_a_table_or_json()
    {
        // Given a finished local run
        await CliHarness.RunAsync("run", Spec(), "--results", Results, "--run-id", "r1");

        // When its status is shown (by id, and with no RUN: the latest)
        var table = await CliHarness.RunAsync("status", "r1", "--results", Results);
        var json = await CliHarness.RunAsync("status", "--results", Results, "--json");

        // Then each job appears with its state, in both forms
        table.ExitCode.ShouldBe(0, table.Error);
        table.Out.ShouldContain("(local): 2/2 done; 1 succeeded, 1 failed");
        table.Out.ShouldContain("exit code 1");
        var jobs = JsonNode.Parse(json.Out)!.AsArray();
        jobs.Select(j => j!["state"]!.GetValue<string>()).ShouldBe(["succeeded", "failed"]);
    }

    [Fact]
    public async Task watch_and_cancel_explain_what_they_do_for_a_local_run()
    {
        // Given a finished local run
        await CliHarness.RunAsync("run", Spec(), "--results", Results, "--run-id", "r1");

        // When watched and cancelled
        var watch = await CliHarness.RunAsync("watch", "r1", "--results", Results);
        var cancel = await CliHarness.RunAsync("cancel", "r1", "--results", Results);

        // Then watch refuses (local runs are followed by their runner) and cancel finds nothing to stop
        watch.ExitCode.ShouldBe(2);
        watch.Error.ShouldContain("expt watch follows SLURM runs");
        cancel.ExitCode.ShouldBe(0);
        cancel.Out.ShouldContain("Nothing to cancel");
    }

    [Fact]
    public async Task cancel_stops_a_running_local_run_through_its_runner_and_cancels_the_jobs_that_never_started()
    {
        // Given a local run of two jobs, one at a time, whose first job sleeps for a minute
        var spec = _dir.File("long/experiment.yaml", "experiment: long\nargs: none\nparams: { i: { type: int, default: 0 } }\nmatrix: { i: [1, 2] }\nname: \"v{i}\"\nrun: sleep 60\n");
        using var runner = ExptProcess.Start(Path.GetDirectoryName(spec)!, "run", spec, "--results", Results, "--run-id", "r1", "-p", "1");
        var run = Path.Combine(Results, "long", "r1");
        string State(string job) => JsonNode.Parse(File.ReadAllText(Path.Combine(run, job, "status.json")))!["state"]!.GetValue<string>();
        await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(run, "v1", "status.json")) && State("v1") == "running", TimeSpan.FromSeconds(60));

        // When it is cancelled from another command
        var cancel = await CliHarness.RunAsync("cancel", "r1", "--results", Results);

        // Then its runner stopped the running job and exited 143, and the job that never started is cancelled too
        cancel.ExitCode.ShouldBe(0, cancel.Error);
        (await runner.WaitAsync(TimeSpan.FromSeconds(60))).ShouldBe(143, runner.Out + runner.Error);
        cancel.Out.ShouldContain("The runner has stopped");
        runner.Out.ShouldContain("2 cancelled", Case.Sensitive, "the runner's own summary already counts the job that never started");
        State("v1").ShouldBe("cancelled");
        State("v2").ShouldBe("cancelled");
        File.ReadAllText(Path.Combine(run, "run.log")).ShouldContain("STATE_CHANGE: v2 pending -> cancelled");
        (await CliHarness.RunAsync("ls", "--jobs", "--where", "state = pending", "--results", Results)).Out.ShouldNotContain("v2");
        Expt.Recording.ManifestStore.Read(run)!.Jobs.Single(j => j.Id == "v2").State.ShouldBe(Expt.Recording.JobState.Cancelled);
    }

    [Fact]
    public async Task bad_slurm_settings_are_all_reported_at_their_place_in_the_spec_before_anything_is_submitted()
    {
        // Given a spec whose executor block has three bad values
        var spec = _dir.File("ex/experiment.yaml", "experiment: ex\nrun: \"true\"\nexecutor:\n  type: slurm\n  time: soon\n  mem: lots\n  sbatch: [--array=1-3]\n");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("experiment.yaml:5:9: executor.time: expected a duration");
        result.Error.ShouldContain("experiment.yaml:6:8: executor.mem: expected a size");
        result.Error.ShouldContain("experiment.yaml:7:11: executor.sbatch: '--array=1-3' is set by Expt");
        result.Error.ShouldContain("3 problems found; nothing was run or written.");
        Directory.Exists(Results).ShouldBeFalse();
    }

    [Fact]
    public async Task an_unknown_run_is_an_error()
    {
        // Given no runs / When asked for the status of one / Then exit 2 with the reason
        var result = await CliHarness.RunAsync("status", "nope", "--results", Results);
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("no run 'nope'");
    }
}
