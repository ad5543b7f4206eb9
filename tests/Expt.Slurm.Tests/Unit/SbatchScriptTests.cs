using System.Text.Json.Nodes;
using Expt.Execution;
using Expt.Slurm.Scripts;
using Expt.Slurm.Tests.Support;
using Expt.Specs;

namespace Expt.Slurm.Tests.Unit;

public sealed class SbatchScriptTests
{
    private const string Run = "/results/cap-lora/20260101_120000_abc1234";

    private static StageDefinition Stage(string name, ResourceRequest resources, TimeSpan? timeout = null) =>
        new(name, "python train.py", [], [], [], new Dictionary<string, IReadOnlyList<CellAxis>>(), 1, null, resources, timeout, 0, StageDefinition.DefaultRetryOn, null, null, false, new SourceLocation("experiment.yaml", 1, 1));

    private static SlurmSettings Settings(params (string Key, JsonNode? Value)[] values)
    {
        var problems = new List<RunProblem>();
        var settings = SlurmSettings.Parse(values.ToDictionary(v => v.Key, v => v.Value), problems);
        problems.ShouldBeEmpty();
        return settings;
    }

    [Fact]
    public void a_stage_with_resources_gets_them_as_sbatch_options_over_the_executor_defaults()
    {
        // Given executor defaults and a stage that asks for 1 GPU, 4 CPUs, 16G and 2h
        var settings = Settings(("partition", "gpu"), ("account", "lab"), ("qos", "normal"), ("cpus", 1), ("mem", "4G"), ("time", "30m"),
            ("constraint", "a100"), ("sbatch", new JsonArray("--exclusive", "--mail-type=END")));
        var stage = Stage("train", new ResourceRequest(Gpus: 1, Cpus: 4, MemoryMb: 16 * 1024, Time: TimeSpan.FromHours(2)));

        // When its options are made
        var options = SbatchOptions.For("cap-lora", stage, settings, Run);

        // Then the stage wins where it declares something, the defaults fill the rest
        Snapshot.Match("sbatch-options-train", string.Join("\n", options) + "\n");
    }

    [Fact]
    public void the_time_limit_is_the_shorter_of_timeout_and_resources_time_rounded_up_to_minutes()
    {
        // Given a 90 s timeout and a 2 h scheduler request / When the limit is computed / Then 2 minutes
        var stage = Stage("eval", new ResourceRequest(Time: TimeSpan.FromHours(2)), TimeSpan.FromSeconds(90));
        SbatchOptions.FormatTime(SbatchOptions.TimeLimit(stage, new SlurmSettings())!.Value).ShouldBe("0-00:02:00");
        SbatchOptions.FormatTime(TimeSpan.FromDays(1.5)).ShouldBe("1-12:00:00");
        SbatchOptions.FormatTime(TimeSpan.FromSeconds(1)).ShouldBe("0-00:01:00");
    }

    [Fact]
    public void an_array_script_runs_the_job_its_task_index_names()
    {
        // Given an evaluation array that waits per variant for its training array
        var content = new ArrayScriptContent("20260101_120000_abc1234", "eval", 2,
            SbatchOptions.For("cap-lora", Stage("eval", ResourceRequest.None), Settings(("array_limit", 50)), Run),
            "0-999%50", "aftercorr:4711", null, Run + "/.expt/slurm/array-0002.tsv");

        // When rendered / Then it is exactly the reviewed script
        Snapshot.Match("array-script-eval", ArrayScript.Render(content));
    }

    [Fact]
    public void a_retry_array_waits_its_backoff_with_begin()
    {
        // Given a resubmitted job with a 10 s backoff / When rendered / Then --begin=now+10
        var script = ArrayScript.Render(new ArrayScriptContent("r", "train", 3, [], "4", null, 10, "/x.tsv"));
        script.ShouldContain("#SBATCH --begin=now+10\n");
        script.ShouldNotContain("--dependency");
    }

    [Fact]
    public void a_job_wrapper_exports_its_environment_and_records_start_and_end_with_slurm_ids()
    {
        // Given a job's environment
        var env = new Dictionary<string, string>
        {
            ["EXPT_CONFIG"] = Run + "/llama-1b_r4/train/config.json",
            ["EXPT_VARIANT"] = "llama-1b_r4",
            ["EXPT_STAGE"] = "train",
            ["EXPT_ATTEMPT"] = "0",
            ["EXPT_NOTE"] = "it's quoted",
        };

        // When its wrapper is rendered / Then it is exactly the reviewed script
        Snapshot.Match("job-wrapper", JobWrapper.Render(new JobWrapperContent("llama-1b_r4/train", Run + "/llama-1b_r4/train", "/work/project", env)));
    }

    [Theory]
    [InlineData("array_limit", "0", "executor.array_limit")]
    [InlineData("poll_interval", "soon", "executor.poll_interval")]
    [InlineData("mem", "lots", "executor.mem")]
    [InlineData("partition", "a b", "executor.partition")]
    [InlineData("sbatch", "--array=0-3", "executor.sbatch")]
    [InlineData("sbatch", "--output=x.log", "executor.sbatch")]
    [InlineData("nodes", "2", "executor.nodes")]
    public void invalid_executor_settings_are_reported_with_their_key(string key, string value, string expected)
    {
        // Given a bad value / When parsed
        var problems = new List<RunProblem>();
        SlurmSettings.Parse(new Dictionary<string, JsonNode?> { [key] = value }, problems);

        // Then the problem names the key
        problems.ShouldHaveSingleItem().Field.ShouldBe(expected);
        problems[0].ToString().ShouldStartWith(expected);
    }
}
