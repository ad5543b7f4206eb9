using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>Multi-stage pipelines on real processes: per-variant needs, fan-out, shards, timeouts, retries, GPU slots.</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-pipe");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private JsonNode Status(string experiment, string job) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Results, experiment, "r", job, "status.json")))!;

    private static DateTimeOffset Time(JsonNode status, string field) => DateTimeOffset.Parse(status[field]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private const string TrainEval = """
        experiment: tune
        params:
          rank: { type: int, default: 8 }
          train_seconds: { type: float, default: 0.1 }
          fail: { type: bool, default: false }
        matrix:
          rank: [1, 2, 3, 4]
        include: [ { kind: control, name: base, rank: 0 } ]
        name: "r{rank}"
        stages:
          train:
            run: python3 -c "import sys, time; time.sleep({train_seconds}); open('{output_dir}/ckpt', 'w').write('{rank}'); sys.exit(1 if '{fail}' == 'true' else 0)"
            kinds: [default]
            args: none
          eval:
            run: |
              python3 -c "import os; assert '{kind}' == 'control' or os.path.exists('{stage.train.dir}/ckpt'); open('{output_dir}/metrics.json', 'w').write('{\"acc\": 0.5}')"
            needs: [train]
            foreach: { epoch: [1, 2], task: [mmlu, gsm8k] }
            foreach_by_kind: { control: { task: [mmlu, gsm8k] } }
            args: none
        """;

    [Fact]
    public async Task Given_a_train_eval_pipeline_when_run_then_each_eval_waits_only_for_its_own_training()
    {
        // Given: r4 trains slowly; the others are fast.
        var spec = _dir.File("tune/experiment.yaml", TrainEval);

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r", "-p", "4", "--set", "train_seconds=0.1",
            "--filter", "rank=1", "--filter", "kind=default");
        var full = await CliHarness.RunAsync("run", spec, "--results", _dir.Combine("results2"), "--run-id", "r", "-p", "4");
        _ = full;
        var slow = await CliHarness.RunAsync("run", _dir.File("tune2/experiment.yaml", TrainEval.Replace("include: [ { kind: control, name: base, rank: 0 } ]",
            "include: [ { kind: control, name: base, rank: 0 }, { name: slow, rank: 9, train_seconds: 3 } ]")), "--results", Results, "--run-id", "r2", "-p", "4");

        // Then
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        slow.ExitCode.ShouldBe(0, slow.Out + slow.Error);
        var runDir = Path.Combine(Results, "tune", "r2");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "manifest.json")))!["jobs"]!.AsArray();
        manifest.Count(j => j!["stage"]!.GetValue<string>() == "train").ShouldBe(5);
        manifest.Count(j => j!["stage"]!.GetValue<string>() == "eval" && j!["kind"]!.GetValue<string>() == "default").ShouldBe(5 * 4);
        manifest.Count(j => j!["stage"]!.GetValue<string>() == "eval" && j!["kind"]!.GetValue<string>() == "control").ShouldBe(2);
        manifest.ShouldAllBe(j => j!["state"]!.GetValue<string>() == "succeeded");
        Directory.Exists(Path.Combine(runDir, "base", "eval", "task-mmlu")).ShouldBeTrue();
        Directory.Exists(Path.Combine(runDir, "r1", "eval", "epoch-2_task-gsm8k")).ShouldBeTrue();

        var slowTrainEnded = Time(JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "slow", "train", "status.json")))!, "endedAt");
        var fastEvalStarted = Time(JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "r1", "eval", "epoch-1_task-mmlu", "status.json")))!, "startedAt");
        fastEvalStarted.ShouldBeLessThan(slowTrainEnded, "the evaluation of a fast variant must not wait for a slow variant's training");
        var controlEvalStarted = Time(JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "base", "eval", "task-mmlu", "status.json")))!, "startedAt");
        controlEvalStarted.ShouldBeLessThan(slowTrainEnded);
    }

    [Fact]
    public async Task Given_a_failing_training_when_run_then_only_its_own_evaluations_are_blocked()
    {
        // Given
        var spec = _dir.File("tune/experiment.yaml", TrainEval.Replace("include: [ { kind: control, name: base, rank: 0 } ]",
            "include: [ { kind: control, name: base, rank: 0 }, { name: broken, rank: 7, fail: true } ]"));

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r", "-p", "4", "--filter", "rank=7");
        var all = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "all", "-p", "4");

        // Then
        result.ExitCode.ShouldBe(1);
        all.ExitCode.ShouldBe(1);
        all.Out.ShouldContain("FAILED broken/train: exit code 1");
        all.Out.ShouldContain("BLOCKED 4 job(s)");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Results, "tune", "all", "manifest.json")))!["jobs"]!.AsArray();
        manifest.Where(j => j!["variant"]!.GetValue<string>() == "broken" && j!["stage"]!.GetValue<string>() == "eval")
            .ShouldAllBe(j => j!["state"]!.GetValue<string>() == "blocked");
        manifest.Where(j => j!["variant"]!.GetValue<string>() != "broken").ShouldAllBe(j => j!["state"]!.GetValue<string>() == "succeeded");
        var blocked = JsonNode.Parse(File.ReadAllText(Path.Combine(Results, "tune", "all", "broken", "eval", "epoch-1_task-mmlu", "status.json")))!;
        blocked["reason"]!.GetValue<string>().ShouldBe("needs broken/train, which ended failed");
    }

    [Fact]
    public async Task Given_a_job_past_its_timeout_when_run_then_its_tree_is_killed_and_it_is_timed_out()
    {
        // Given
        var spec = _dir.File("slow/experiment.yaml", "experiment: slow\nrun: sh -c 'echo $$ > child.pid; sleep 60' \ntimeout: 1s\nargs: none\n");

        // When
        var started = DateTime.UtcNow;
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r", "--grace", "1");

        // Then
        result.ExitCode.ShouldBe(1);
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(20));
        var status = Status("slow", "default");
        status["state"]!.GetValue<string>().ShouldBe("timed_out");
        status["reason"]!.GetValue<string>().ShouldContain("timeout");
        var pid = int.Parse(File.ReadAllText(Path.Combine(_dir.Path, "slow", "child.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Processes.IsAlive(pid).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_retries_when_the_first_attempts_fail_then_a_later_attempt_succeeds_and_every_attempt_keeps_its_logs()
    {
        // Given: fails on attempts 1 and 2, succeeds on 3.
        var spec = _dir.File("flaky/experiment.yaml", "experiment: flaky\nrun: echo attempt $EXPT_ATTEMPT; test $EXPT_ATTEMPT -ge 3\nretries: 3\nargs: none\n");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r", "--retry-delay", "0.1");

        // Then
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        var status = Status("flaky", "default");
        status["state"]!.GetValue<string>().ShouldBe("succeeded");
        var attempts = status["attempts"]!.AsArray();
        attempts.Select(a => a!["state"]!.GetValue<string>()).ShouldBe(["failed", "failed", "succeeded"]);
        attempts[0]!["stdout"]!.GetValue<string>().ShouldBe("stdout.1.log");
        var dir = Path.Combine(Results, "flaky", "r", "default");
        File.ReadAllText(Path.Combine(dir, "stdout.1.log")).ShouldBe("attempt 1\n");
        File.ReadAllText(Path.Combine(dir, "stdout.2.log")).ShouldBe("attempt 2\n");
        File.ReadAllText(Path.Combine(dir, "stdout.log")).ShouldBe("attempt 3\n");
    }

    [Fact]
    public async Task Given_retry_on_timed_out_only_when_a_job_fails_then_it_is_not_retried()
    {
        // Given
        var spec = _dir.File("once/experiment.yaml", "experiment: once\nrun: exit 4\nretries: 2\nretry_on: [timed_out]\nargs: none\n");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r", "--retry-delay", "0");

        // Then
        result.ExitCode.ShouldBe(1);
        Status("once", "default")["attempts"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Given_gpu_jobs_when_run_with_fake_gpus_then_each_gets_exactly_its_count_and_no_two_running_jobs_share_one()
    {
        // Given: 12 jobs asking for 1 or 2 of 3 GPUs.
        var spec = _dir.File("gpu/experiment.yaml", """
            experiment: gpu
            params:
              i: { type: int, default: 0 }
            matrix: { i: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }
            name: "g{i}"
            stages:
              one: { run: "echo $CUDA_VISIBLE_DEVICES > gpus; sleep 0.3", kinds: [default], resources: { gpus: 1 }, args: none }
              two: { run: "echo $CUDA_VISIBLE_DEVICES > gpus; sleep 0.3", resources: { gpus: 2 }, args: none }
              none: { run: "echo \"[$CUDA_VISIBLE_DEVICES]\" > gpus", args: none }
            """.Replace("> gpus", "> $EXPT_OUTPUT_DIR/gpus", StringComparison.Ordinal));

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r", "-p", "8", "--gpus", "0,1,2");

        // Then
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        var intervals = new List<(string Gpu, DateTimeOffset Start, DateTimeOffset End, string Job)>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(Results, "gpu", "r"), "*", SearchOption.AllDirectories).Where(d => File.Exists(Path.Combine(d, "gpus"))))
        {
            var status = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "status.json")))!;
            var seen = File.ReadAllText(Path.Combine(dir, "gpus")).Trim();
            var stage = status["stage"]!.GetValue<string>();
            if (stage == "none")
            {
                seen.ShouldBe("[]");
                continue;
            }
            var gpus = seen.Split(',');
            gpus.Length.ShouldBe(stage == "one" ? 1 : 2, dir);
            gpus.Distinct().Count().ShouldBe(gpus.Length);
            var attempt = status["attempts"]!.AsArray()[0]!;
            attempt["gpus"]!.AsArray().Select(g => g!.GetValue<string>()).ShouldBe(gpus);
            status["accounting"]!["gpuSeconds"]!.GetValue<double>().ShouldBeGreaterThan(0);
            foreach (var g in gpus) intervals.Add((g, Time(attempt, "startedAt"), Time(attempt, "endedAt"), dir));
        }
        intervals.Count.ShouldBe(12 + 24);
        foreach (var group in intervals.GroupBy(i => i.Gpu))
        {
            var ordered = group.OrderBy(i => i.Start).ToList();
            for (var k = 1; k < ordered.Count; k++)
            {
                ordered[k].Start.ShouldBeGreaterThanOrEqualTo(ordered[k - 1].End, $"GPU {group.Key} shared by {ordered[k - 1].Job} and {ordered[k].Job}");
            }
        }
    }

    [Fact]
    public async Task Given_a_job_needing_more_gpus_than_exist_when_run_then_nothing_runs_and_exit_is_2()
    {
        // Given
        var spec = _dir.File("big/experiment.yaml", "experiment: big\nparams: { i: { type: int, default: 0 } }\nmatrix: { i: [1, 2, 3] }\nname: \"v{i}\"\nrun: \"true\"\nresources: { gpus: 4, cpus: 100000, mem: 100T }\n");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--gpus", "0,1");

        // Then every problem of the stage is said once, not once per job
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("stage main (3 job(s), e.g. v1): needs 4 GPU(s) but 2 are available (--gpus); needs 100000 CPUs but the machine has");
        result.Error.ShouldContain("MiB of memory but the machine has");
        result.Error.Split("stage main").Length.ShouldBe(2);
        Directory.Exists(Results).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_shards_and_a_merge_when_run_then_each_shard_sees_its_index_and_the_merge_runs_after_all()
    {
        // Given
        var spec = _dir.File("shard/experiment.yaml", """
            experiment: shard
            run: echo "$EXPT_SHARD_INDEX/$EXPT_SHARD_COUNT" > $EXPT_OUTPUT_DIR/part
            shards: 3
            merge: cat {output_dir}/shard-*/part > {output_dir}/merged
            args: none
            """);

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r", "-p", "3");

        // Then
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        File.ReadAllLines(Path.Combine(Results, "shard", "r", "default", "merged")).ShouldBe(["0/3", "1/3", "2/3"]);
        var merge = Status("shard", "default");
        foreach (var i in new[] { 0, 1, 2 })
        {
            Time(merge, "startedAt").ShouldBeGreaterThanOrEqualTo(Time(Status("shard", $"default/shard-{i}"), "endedAt"));
        }
    }

    [Fact]
    public async Task Given_a_run_of_training_only_when_resumed_with_only_eval_then_evaluations_reuse_the_earlier_training()
    {
        // Given
        var spec = _dir.File("tune/experiment.yaml", TrainEval);
        var first = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r", "-p", "4", "--skip", "eval");

        // When
        var second = await CliHarness.RunAsync("run", spec, "--results", Results, "--resume", "r", "-p", "4", "--only", "eval");

        // Then
        first.ExitCode.ShouldBe(0, first.Out + first.Error); // every selected job succeeded
        second.ExitCode.ShouldBe(0, second.Out + second.Error);
        Status("tune", "r1/train")["attempts"]!.AsArray().Count.ShouldBe(1);
        Status("tune", "r1/eval/epoch-1_task-mmlu")["state"]!.GetValue<string>().ShouldBe("succeeded");
    }

    [Fact]
    public async Task Given_collect_flat_when_a_job_writes_eval_logs_then_they_move_to_the_experiment_folder_and_are_recorded()
    {
        // Given
        var spec = _dir.File("flat/experiment.yaml", """
            experiment: flat
            params:
              m: { type: string, default: a }
            matrix: { m: [a, b] }
            name: "{m}"
            run: mkdir -p $EXPT_OUTPUT_DIR/logs && echo x > $EXPT_OUTPUT_DIR/logs/run1.eval && echo y > $EXPT_OUTPUT_DIR/keep.txt
            collect: { pattern: "*.eval", layout: flat }
            args: none
            """);

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r");

        // Then
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        var flat = Directory.GetFiles(Path.Combine(Results, "flat")).Select(Path.GetFileName).Order().ToList();
        flat.ShouldBe(["nogit_a_run1.eval", "nogit_b_run1.eval"]);
        File.Exists(Path.Combine(Results, "flat", "r", "a", "keep.txt")).ShouldBeTrue();
        Status("flat", "a")["collected"]!.AsArray().Single()!.GetValue<string>().ShouldBe("flat/nogit_a_run1.eval");
        File.ReadAllText(Path.Combine(Results, "flat", "r", "manifest.json")).ShouldContain("flat/nogit_b_run1.eval");
    }

    [Fact]
    public async Task Given_a_cpu_bound_job_when_it_ends_then_status_has_wall_cpu_and_memory_accounting()
    {
        // Given
        var spec = _dir.File("acct/experiment.yaml", "experiment: acct\nrun: |\n  python3 -c 'import time; x = bytearray(60 * 1024 * 1024); t = time.time()\n  while time.time() - t < 1.5: pass'\nargs: none\n");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r");

        // Then
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        var accounting = Status("acct", "default")["accounting"];
        accounting.ShouldNotBeNull(Status("acct", "default").ToJsonString());
        accounting["wallSeconds"]!.GetValue<double>().ShouldBeGreaterThan(1.4);
        accounting["cpuSeconds"]!.GetValue<double>().ShouldBeGreaterThan(0.5, accounting.ToJsonString());
        accounting["peakRssMb"].ShouldNotBeNull(accounting.ToJsonString());
        accounting["peakRssMb"]!.GetValue<double>().ShouldBeGreaterThan(50);
        accounting["gpuSeconds"]!.GetValue<double>().ShouldBe(0);
    }
}
