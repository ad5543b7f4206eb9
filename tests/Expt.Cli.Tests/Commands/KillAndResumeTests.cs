using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>Nothing lost, nothing run twice: the real runner killed, interrupted and resumed with real jobs.</summary>
public sealed class KillAndResumeTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly TempDirectory _dir = new("expt-kill");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private JsonNode Status(string experiment, string run, string job) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Results, experiment, run, job, "status.json")))!;

    [Fact]
    public async Task Given_a_50_variant_sweep_when_the_runner_is_sigkilled_at_random_moments_and_resumed_then_every_variant_completes_exactly_once()
    {
        // Given: each job sleeps a little, then records its completion in a shared log (append is atomic for short lines).
        var spec = _dir.File("sweep/experiment.yaml", """
            experiment: sweep
            params:
              i: { type: int, default: 0 }
            matrix:
              i: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
                  25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49]
            name: "v{i}"
            run: python3 job.py
            """);
        _dir.File("sweep/job.py", """
            import os, random, sys, time
            i = int(sys.argv[sys.argv.index("--i") + 1])
            random.seed(i)
            with open("starts.log", "a") as f: f.write(f"v{i}\n")
            time.sleep(0.2 + random.random() * 0.8)
            with open("completions.log", "a") as f: f.write(f"v{i}\n")
            """);
        var random = new Random(20261122);
        var workdir = Path.GetDirectoryName(spec)!;

        // When: three runners are killed with SIGKILL at random moments; a fourth finishes the run.
        for (var round = 0; round < 3; round++)
        {
            var runExists = File.Exists(Path.Combine(Results, "sweep", "s1", "manifest.json"));
            using var runner = ExptProcess.Start(workdir, runExists
                ? ["run", spec, "--results", Results, "--resume", "s1", "-p", "8"]
                : ["run", spec, "--results", Results, "--run-id", "s1", "-p", "8"]);
            // Kill at a random moment of the sweep, counted from when the runner has a run (a loaded machine can take
            // seconds to start one), so that every round kills a runner with jobs in flight.
            await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(Results, "sweep", "s1", "manifest.json")), Limit);
            await Task.Delay(TimeSpan.FromMilliseconds(200 + random.Next(1500)));
            runner.Signal("KILL");
            await runner.WaitAsync(Limit);
        }
        var (code, output, error) = await ExptProcess.RunAsync(workdir, Limit, "run", spec, "--results", Results, "--resume", "s1", "-p", "8");

        // Then
        code.ShouldBe(0, output + error);
        var completions = File.ReadAllLines(Path.Combine(workdir, "completions.log"));
        completions.Length.ShouldBe(50, string.Join(",", completions.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key)));
        completions.Distinct().Count().ShouldBe(50);
        File.ReadAllLines(Path.Combine(workdir, "starts.log")).Length.ShouldBe(50, "a job was started twice");
        for (var i = 0; i < 50; i++) Status("sweep", "s1", $"v{i}")["state"]!.GetValue<string>().ShouldBe("succeeded");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Results, "sweep", "s1", "manifest.json")))!;
        manifest["jobs"]!.AsArray().ShouldAllBe(j => j!["state"]!.GetValue<string>() == "succeeded");
        manifest["resumes"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Given_a_job_that_ends_while_no_runner_is_alive_when_resumed_then_its_exit_code_and_end_are_recorded_and_it_is_not_rerun()
    {
        // Given: one job runs 2 s and exits 0; the runner is killed while it runs.
        var spec = _dir.File("adopt/experiment.yaml", "experiment: adopt\nrun: echo started >> count.log; sleep 2; echo done\nargs: none\n");
        var workdir = Path.GetDirectoryName(spec)!;
        using (var runner = ExptProcess.Start(workdir, "run", spec, "--results", Results, "--run-id", "a1"))
        {
            await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(workdir, "count.log")), Limit);
            runner.Signal("KILL");
            await runner.WaitAsync(Limit);
        }
        var exitFile = Path.Combine(Results, "adopt", "a1", "default", ".expt", "exit-1.json");

        // When: the job finishes with no runner alive; then the run is resumed.
        (await Processes.WaitUntilAsync(() => File.Exists(exitFile), TimeSpan.FromSeconds(10))).ShouldBeTrue("the wrapper did not record the exit");
        var before = await CliHarness.RunAsync("status", "a1", "--results", Results);
        var (code, output, error) = await ExptProcess.RunAsync(workdir, Limit, "run", spec, "--results", Results, "--resume", "latest");

        // Then
        code.ShouldBe(0, output + error);
        File.ReadAllLines(Path.Combine(workdir, "count.log")).Length.ShouldBe(1);
        var status = Status("adopt", "a1", "default");
        status["state"]!.GetValue<string>().ShouldBe("succeeded");
        status["exitCode"]!.GetValue<int>().ShouldBe(0);
        status["attempts"]!.AsArray().Count.ShouldBe(1);
        status["endedAt"].ShouldNotBeNull();
        File.ReadAllText(Path.Combine(Results, "adopt", "a1", "run.log")).ShouldContain("JOB_RECOVERED");
        // And before the resume, status told what the files could not: the job ended, and no runner works on the run
        before.Out.ShouldContain("ended with exit code 0 while no runner was watching");
        before.Out.ShouldContain("No runner works on this run");
    }

    [Fact]
    public async Task Given_a_job_still_running_from_a_killed_runner_when_resumed_then_it_is_adopted_not_started_again()
    {
        // Given: a job that runs until the test releases it (at most two minutes), whose runner is killed meanwhile.
        // It waits for a file, not for a time, so a slow machine cannot end it before the resume adopts it.
        var spec = _dir.File("adopt2/experiment.yaml",
            "experiment: adopt2\nrun: echo started >> count.log; i=0; while [ ! -f release ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done; exit 3\nargs: none\n");
        var workdir = Path.GetDirectoryName(spec)!;
        using (var runner = ExptProcess.Start(workdir, "run", spec, "--results", Results, "--run-id", "a2"))
        {
            await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(workdir, "count.log")), Limit);
            runner.Signal("KILL");
            await runner.WaitAsync(Limit);
        }

        // When: its status is asked, then it is resumed while the job still runs, and released once adopted.
        var orphaned = await CliHarness.RunAsync("status", "a2", "--results", Results);
        var runLog = Path.Combine(Results, "adopt2", "a2", "run.log");
        int code;
        string output, error;
        using (var resume = ExptProcess.Start(workdir, "run", spec, "--results", Results, "--resume", "a2"))
        {
            var adopted = await Processes.WaitUntilAsync(() => File.Exists(runLog) && File.ReadAllText(runLog).Contains("JOB_ADOPTED", StringComparison.Ordinal), Limit);
            File.WriteAllText(Path.Combine(workdir, "release"), "");
            code = await resume.WaitAsync(Limit);
            (output, error) = (resume.Out, resume.Error);
            adopted.ShouldBeTrue(File.ReadAllText(runLog) + output + error);
        }

        // Then: the adopted attempt's real outcome (exit 3) is recorded, and the job was not started again.
        code.ShouldBe(1, output + error);
        var log = File.ReadAllText(runLog);
        Assert.True(log.Contains("JOB_ADOPTED", StringComparison.Ordinal), log + output + error);
        var status = Status("adopt2", "a2", "default");
        status["state"]!.GetValue<string>().ShouldBe("failed");
        status["exitCode"]!.GetValue<int>().ShouldBe(3);
        status["attempts"]!.AsArray().Count.ShouldBe(1);
        File.ReadAllLines(Path.Combine(workdir, "count.log")).Length.ShouldBe(1);
        orphaned.Out.ShouldContain("still running without a runner (pid ");
    }

    [Fact]
    public async Task Given_a_local_job_still_running_after_its_runner_was_sigkilled_when_cleaned_or_archived_then_the_run_is_kept_until_the_job_ends()
    {
        // Given: a job that runs until told to stop and only then writes its result; its runner is killed meanwhile.
        var spec = _dir.File("orphan/experiment.yaml", "experiment: orphan\nrun: touch started; while [ ! -f stop ]; do sleep 0.1; done; echo result > \"$EXPT_OUTPUT_DIR/out.txt\"\nargs: none\n");
        var workdir = Path.GetDirectoryName(spec)!;
        var stop = Path.Combine(workdir, "stop");
        var run = Path.Combine(Results, "orphan", "o");
        try
        {
            using (var runner = ExptProcess.Start(workdir, "run", spec, "--results", Results, "--run-id", "o"))
            {
                (await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(workdir, "started")), Limit)).ShouldBeTrue(runner.Error);
                runner.Signal("KILL");
                await runner.WaitAsync(Limit);
            }

            // When
            var cleaned = await CliHarness.RunAsync("clean", "--incomplete", "--yes", "--results", Results);
            var archived = await CliHarness.RunAsync("archive", "o", "--force", "--results", Results);

            // Then: the run stays, as a SLURM run's would, and so does what the job writes when it ends.
            cleaned.ExitCode.ShouldBe(0, cleaned.Out + cleaned.Error);
            cleaned.Out.ShouldContain("kept: 1 job(s) still run without a runner (default: pid ");
            cleaned.Out.ShouldContain("Deleted 0 run(s)");
            archived.ExitCode.ShouldBe(2, archived.Out + archived.Error);
            archived.Error.ShouldContain("1 job(s) still run without a runner (default: pid ");
            File.WriteAllText(stop, "");
            var exitFile = Path.Combine(run, "default", ".expt", "exit-1.json");
            (await Processes.WaitUntilAsync(() => File.Exists(exitFile), Limit)).ShouldBeTrue("the job did not end");
            File.ReadAllText(Path.Combine(run, "default", "out.txt")).ShouldBe("result\n");

            // And once the job has ended, nothing keeps the run.
            var later = await CliHarness.RunAsync("clean", "--incomplete", "--yes", "--results", Results);
            later.Out.ShouldContain("Deleted 1 run(s)", Case.Sensitive, later.Out + later.Error);
            Directory.Exists(run).ShouldBeFalse();
        }
        finally
        {
            // Ends the job even when an assertion failed.
            File.WriteAllText(stop, "");
        }
    }

    [Fact]
    public async Task Given_a_running_sweep_when_sigint_arrives_then_every_job_process_tree_is_gone_jobs_are_cancelled_and_exit_is_130()
    {
        // Given: each job starts a child, a grandchild, a process that leaves the session, and one that ignores SIGTERM.
        var spec = _dir.File("tree/experiment.yaml", """
            experiment: tree
            params:
              i: { type: int, default: 0 }
            matrix:
              i: [1, 2, 3, 4]
            name: "t{i}"
            run: sh tree.sh
            args: none
            """);
        _dir.File("tree/tree.sh", """
            echo $$ >> "$EXPT_OUTPUT_DIR/pids"
            sleep 300 & echo $! >> "$EXPT_OUTPUT_DIR/pids"
            sh -c 'sleep 301 & echo $! >> "$EXPT_OUTPUT_DIR/pids"; wait' &
            setsid sleep 302 & echo $! >> "$EXPT_OUTPUT_DIR/pids"
            python3 -c 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(303)' & echo $! >> "$EXPT_OUTPUT_DIR/pids"
            wait
            """);
        var workdir = Path.GetDirectoryName(spec)!;
        using var runner = ExptProcess.Start(workdir, "run", spec, "--results", Results, "--run-id", "t", "-p", "2", "--grace", "1");
        var pidFiles = new[] { "t1", "t2" }.Select(v => Path.Combine(Results, "tree", "t", v, "pids")).ToList();
        (await Processes.WaitUntilAsync(() => pidFiles.All(f => File.Exists(f) && File.ReadAllLines(f).Length >= 5), Limit)).ShouldBeTrue(runner.Error);
        await Task.Delay(300);
        var pids = pidFiles.SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(int.Parse).ToList();
        pids.ShouldAllBe(p => Processes.IsAlive(p));

        // When
        runner.Signal("INT");
        var code = await runner.WaitAsync(Limit);

        // Then
        code.ShouldBe(130, runner.Out + runner.Error);
        (await Processes.WaitUntilAsync(() => pids.All(p => !Processes.IsAlive(p)), TimeSpan.FromSeconds(5)))
            .ShouldBeTrue($"still alive: {string.Join(",", pids.Where(Processes.IsAlive))}");
        Status("tree", "t", "t1")["state"]!.GetValue<string>().ShouldBe("cancelled");
        Status("tree", "t", "t1")["reason"]!.GetValue<string>().ShouldContain("SIGINT");
        Status("tree", "t", "t3")["state"]!.GetValue<string>().ShouldBe("pending");
        File.ReadAllText(Path.Combine(Results, "tree", "t", "run.log")).ShouldContain("RUN_INTERRUPTED");
    }

    [Fact]
    public async Task Given_a_running_job_when_sigterm_arrives_then_exit_is_143_and_resume_finishes_the_run()
    {
        // Given
        var spec = _dir.File("term/experiment.yaml", "experiment: term\nrun: test -f ok || { touch started; sleep 300; }\nargs: none\n");
        var workdir = Path.GetDirectoryName(spec)!;
        using var runner = ExptProcess.Start(workdir, "run", spec, "--results", Results, "--run-id", "x");
        (await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(workdir, "started")), Limit)).ShouldBeTrue(runner.Error);

        // When
        runner.Signal("TERM");
        var code = await runner.WaitAsync(Limit);
        File.WriteAllText(Path.Combine(workdir, "ok"), "");
        var resumed = await ExptProcess.RunAsync(workdir, Limit, "run", spec, "--results", Results, "--resume", "latest");

        // Then
        code.ShouldBe(143);
        resumed.Code.ShouldBe(0, resumed.Out + resumed.Error);
        var status = Status("term", "x", "default");
        status["attempts"]!.AsArray().Select(a => a!["state"]!.GetValue<string>()).ShouldBe(["cancelled", "succeeded"]);
    }

    [Fact]
    public async Task Given_a_runner_working_on_a_run_when_a_second_runner_resumes_it_then_the_second_refuses_with_exit_2()
    {
        // Given
        var spec = _dir.File("lock/experiment.yaml", "experiment: lock\nrun: touch started; sleep 300\nargs: none\n");
        var workdir = Path.GetDirectoryName(spec)!;
        using var first = ExptProcess.Start(workdir, "run", spec, "--results", Results, "--run-id", "l");
        (await Processes.WaitUntilAsync(() => File.Exists(Path.Combine(workdir, "started")), Limit)).ShouldBeTrue(first.Error);

        // When
        var second = await ExptProcess.RunAsync(workdir, Limit, "run", spec, "--results", Results, "--resume", "l");

        // Then
        second.Code.ShouldBe(2);
        second.Error.ShouldContain("in use by another runner");
        first.Signal("INT");
        (await first.WaitAsync(Limit)).ShouldBe(130);
    }
}
