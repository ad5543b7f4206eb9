using Expt.Execution;
using Expt.Specs;

namespace Expt.Tests.Execution;

/// <summary>One job's launch record, turned into the attempts an executor starts.</summary>
public sealed class JobLaunchRecordTests
{
    private static readonly JobLaunchRecord Record = new(
        "v0/train",
        "/results/r1/v0/train",
        "/repo",
        "python train.py",
        new Dictionary<string, string> { ["EXPT_JOB_ID"] = "v0/train", ["EXPT_ATTEMPT"] = "0", ["PYTHONUNBUFFERED"] = "1" },
        new ResourceRequest(Gpus: 1, Cpus: 4),
        TimeSpan.FromMinutes(30));

    [Fact]
    public void Given_a_record_when_attempt_two_gets_a_gpu_and_cpus_then_the_environment_says_so_in_a_stable_order()
    {
        var launch = Record.ForAttempt(2, new Allocation(["3"], 4, 0), machineHasGpus: true);

        launch.Attempt.ShouldBe(2);
        launch.Command.ShouldBe("python train.py");
        launch.WorkingDirectory.ShouldBe("/repo");
        launch.Timeout.ShouldBe(TimeSpan.FromMinutes(30));
        launch.Environment.Keys.ShouldBe(["EXPT_JOB_ID", "EXPT_ATTEMPT", "PYTHONUNBUFFERED", "CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS"]);
        launch.Environment["EXPT_ATTEMPT"].ShouldBe("2");
        launch.Environment["CUDA_VISIBLE_DEVICES"].ShouldBe("3");
        launch.Environment["OMP_NUM_THREADS"].ShouldBe("4");
    }

    [Fact]
    public void Given_a_machine_with_gpus_when_a_job_holds_none_then_it_sees_none()
    {
        var launch = Record.ForAttempt(1, Allocation.None, machineHasGpus: true);

        launch.Environment["CUDA_VISIBLE_DEVICES"].ShouldBe("");
        launch.Environment.ContainsKey("OMP_NUM_THREADS").ShouldBeFalse();
    }

    [Fact]
    public void Given_a_record_when_an_attempt_is_made_then_the_record_itself_is_left_as_it_was()
    {
        _ = Record.ForAttempt(5, new Allocation([], 2, 0), machineHasGpus: false);

        Record.Environment["EXPT_ATTEMPT"].ShouldBe("0");
        Record.Environment.ContainsKey("OMP_NUM_THREADS").ShouldBeFalse();
    }
}
